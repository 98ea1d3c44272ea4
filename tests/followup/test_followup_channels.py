"""A level's channels: any mix of e-mail, SMS, letter and call; none at all is refused; the plan carries them."""

from datetime import date
from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_followup.services.followup_channels import NO_CHANNEL, SMS_UNAVAILABLE, LevelChannels
from fusion_accounting_followup.services.followup_plan import FollowupState, plan_followup
from fusion_accounting_followup.services.level_resolver import Ladder, LevelSpec
from fusion_accounting_followup.services.open_item import OpenItem

TODAY = date(2025, 6, 30)
channels = st.builds(LevelChannels, st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.booleans())


@pytest.mark.parametrize(
    ("switches", "sms_available", "problem"),
    [
        ({}, False, None),  # e-mail alone, the default
        ({"email": False}, True, NO_CHANNEL),
        ({"email": False, "statement": True}, True, NO_CHANNEL),  # the statement rides on the e-mail
        ({"email": False, "sms": True}, True, None),
        ({"email": False, "sms": True}, False, SMS_UNAVAILABLE),
        ({"email": False, "sms": True, "letter": True}, False, None),
        ({"email": False, "letter": True}, False, None),
        ({"email": False, "activity": True}, False, None),
    ],
)
def test_a_level_must_send_something(switches, sms_available, problem):
    assert LevelChannels(**switches).problem(sms_available=sms_available) == problem


@given(channels, st.booleans())
def test_a_valid_level_always_delivers_something_and_only_what_it_asks(level, sms_available):
    does = level.deliveries(sms_available=sms_available)
    if level.problem(sms_available=sms_available) is None:
        assert does.sends_anything
    for name in ("email", "sms", "letter", "activity", "statement"):
        assert getattr(does, name) <= getattr(level, name), name
    assert not does.statement or does.email
    assert not does.sms or sms_available


def test_every_mix_of_the_four_channels_but_none_is_accepted():
    for email, sms, letter, activity in product((False, True), repeat=4):
        level = LevelChannels(email, sms, letter, activity)
        assert (level.problem(sms_available=True) is None) == any((email, sms, letter, activity))


def test_the_plan_sends_the_level_with_its_channels():
    letter_only = LevelChannels(email=False, letter=True)
    ladder = Ladder.of(
        [LevelSpec(1, "Reminder", 7, "gentle", channels=letter_only), LevelSpec(2, "Warning", 30, "firm")]
    )
    plan = plan_followup([OpenItem(10, Decimal("100"), date(2025, 6, 1))], ladder, FollowupState(), TODAY)
    assert plan.sends
    assert plan.level.channels == letter_only
    assert not plan.level.channels.deliveries(sms_available=True).email
    assert ladder.levels[1].channels == LevelChannels(), "a level e-mails unless told otherwise"
