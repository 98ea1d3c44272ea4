"""Promises to pay and disputes as inputs of the follow-up plan, and the daily check of a promise."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_followup.services.followup_plan import FollowupState, SkipReason, chased_items, plan_followup
from fusion_accounting_followup.services.level_resolver import Ladder, LevelSpec
from fusion_accounting_followup.services.open_item import OpenItem
from fusion_accounting_followup.services.promise_policy import (
    PromiseFacts,
    PromiseVerdict,
    check_new_promise,
    escalation_level,
    judge_promise,
)

TODAY = date(2025, 6, 30)
REMINDER = LevelSpec(1, "Reminder", 7, "gentle")
WARNING = LevelSpec(2, "Warning", 30, "firm")
LEGAL = LevelSpec(3, "Legal Notice", 60, "legal")
LADDER = Ladder.of([REMINDER, WARNING, LEGAL])


def item(line_id, days, amount="100", level=None):
    return OpenItem(line_id, Decimal(amount), TODAY - timedelta(days=days), f"INV/{line_id}", level and level.id)


# ---------------------------------------------------------------------- promises in the plan


def test_an_open_promise_pauses_the_chase_through_the_promised_date():
    state = FollowupState(promised_until=TODAY + timedelta(days=5))
    plan = plan_followup([item(1, 40)], LADDER, state, TODAY)
    assert plan.skip is SkipReason.PROMISED
    assert plan.status == "overdue"  # overdue, but nobody has to act before the promised date
    assert plan.next_action_on == TODAY + timedelta(days=6)
    on_the_day = plan_followup([item(1, 40)], LADDER, state, TODAY + timedelta(days=5))
    assert on_the_day.skip is SkipReason.PROMISED
    after = plan_followup([item(1, 40)], LADDER, state, TODAY + timedelta(days=6))
    assert after.sends and after.level == REMINDER


def test_a_person_may_still_force_a_send_during_a_promise():
    state = FollowupState(promised_until=TODAY + timedelta(days=5))
    assert plan_followup([item(1, 40)], LADDER, state, TODAY, force=True).sends


def test_a_pause_outranks_a_promise():
    state = FollowupState(paused=True, promised_until=TODAY + timedelta(days=5))
    plan = plan_followup([item(1, 40)], LADDER, state, TODAY)
    assert (plan.skip, plan.status) == (SkipReason.PAUSED, "paused")


@given(st.integers(-5, 40), st.integers(0, 10), st.booleans())
def test_no_scheduled_send_on_or_before_a_promised_date(offset, days_until, scheduled):
    promised = TODAY + timedelta(days=days_until)
    plan = plan_followup([item(1, 10 + offset), item(2, 70)], LADDER, FollowupState(promised_until=promised), TODAY,
                         scheduled=scheduled)  # fmt: skip
    assert not plan.sends
    assert plan.status != "action_needed"


# ---------------------------------------------------------------------- disputes in the plan


def test_a_disputed_invoice_leaves_the_chase_the_others_stay():
    items = [item(1, 70, "900"), item(2, 10, "100")]
    plan = plan_followup(items, LADDER, FollowupState(last_level_id=2), TODAY, disputed={1})
    assert plan.sends and plan.level == REMINDER  # the 70-day invoice would have given the legal notice
    assert plan.stamps == ((2, REMINDER.id),)
    assert [i.line_id for i in plan.items_after] == [2]


def test_a_partner_whose_only_overdue_invoice_is_disputed_is_not_chased():
    plan = plan_followup([item(1, 70), item(2, -5)], LADDER, FollowupState(), TODAY, disputed={1})
    assert plan.skip is SkipReason.NOTHING_OVERDUE
    assert plan.status == "no_action"


@st.composite
def item_lists(draw):
    ids = draw(st.lists(st.integers(1, 500), unique=True, max_size=8))
    return [item(i, draw(st.integers(-20, 200)), str(draw(st.integers(-300, 3000)))) for i in ids]


@given(item_lists(), st.data(), st.booleans(), st.booleans())
def test_disputing_is_the_same_as_not_having_the_items(items, data, force, scheduled):
    disputed = data.draw(st.sets(st.sampled_from([i.line_id for i in items]))) if items else set()
    kept = [i for i in items if i.line_id not in disputed]
    with_disputes = plan_followup(items, LADDER, FollowupState(), TODAY, disputed=disputed, force=force,
                                  scheduled=scheduled)  # fmt: skip
    without = plan_followup(kept, LADDER, FollowupState(), TODAY, force=force, scheduled=scheduled)
    assert with_disputes == without
    assert not {line_id for line_id, _level in with_disputes.stamps} & disputed
    assert chased_items(items, disputed) == tuple(kept)


# ---------------------------------------------------------------------- the daily check


def facts(residual_now, amount="300", residual_at="500", promised=TODAY):
    return PromiseFacts(promised, Decimal(amount), Decimal(residual_at), Decimal(residual_now))


@pytest.mark.parametrize(
    ("case", "today", "verdict"),
    [
        (facts("500"), TODAY, PromiseVerdict.OPEN),  # due today, nothing paid yet: not broken yet
        (facts("500"), TODAY + timedelta(days=1), PromiseVerdict.BROKEN),  # the day after
        (facts("0"), TODAY + timedelta(days=30), PromiseVerdict.KEPT),  # paid (late), seen before the check
        (facts("200"), TODAY - timedelta(days=3), PromiseVerdict.KEPT),  # the promised 300 arrived early
        (facts("201"), TODAY + timedelta(days=1), PromiseVerdict.BROKEN),  # 299 of 300 is not kept
        (facts("-50"), TODAY + timedelta(days=1), PromiseVerdict.KEPT),  # overpaid
        (facts("600"), TODAY + timedelta(days=1), PromiseVerdict.BROKEN),  # a new charge, nothing paid
    ],
)
def test_judge_promise(case, today, verdict):
    assert judge_promise(case, today) is verdict


@given(st.integers(0, 1000), st.integers(1, 1000), st.integers(-10, 10))
def test_a_fully_paid_promise_is_always_kept(residual_at, amount, offset):
    case = PromiseFacts(TODAY, Decimal(amount), Decimal(residual_at), Decimal(0))
    assert judge_promise(case, TODAY + timedelta(days=offset)) is PromiseVerdict.KEPT


@given(st.integers(1, 1000), st.integers(1, 1000), st.integers(-10, 10))
def test_a_promise_with_nothing_paid_is_broken_exactly_after_its_date(residual, amount, offset):
    case = PromiseFacts(TODAY, Decimal(amount), Decimal(residual), Decimal(residual))
    expected = PromiseVerdict.BROKEN if offset > 0 else PromiseVerdict.OPEN
    assert judge_promise(case, TODAY + timedelta(days=offset)) is expected


@pytest.mark.parametrize(
    ("last", "expected"), [(None, REMINDER), (REMINDER.id, WARNING), (WARNING.id, LEGAL), (LEGAL.id, LEGAL)]
)
def test_a_broken_promise_escalates_one_level(last, expected):
    assert escalation_level(LADDER, last) == expected


def test_a_promise_needs_a_date_not_past_and_a_positive_amount():
    assert check_new_promise(TODAY, Decimal("1"), TODAY) is None
    assert check_new_promise(TODAY - timedelta(days=1), Decimal("1"), TODAY)
    assert check_new_promise(TODAY, Decimal("-1"), TODAY)


def test_the_state_keeps_the_promise_through_a_send():
    state = FollowupState(promised_until=TODAY - timedelta(days=1))
    plan = plan_followup([item(1, 40)], LADDER, state, TODAY)
    assert plan.sends
    assert plan.state_after == dataclasses.replace(state, last_level_id=REMINDER.id, last_sent_on=TODAY)
