"""The confirmation a person's forced send or escalation must send back (services/human_actions.py)."""

import dataclasses
from datetime import date

import pytest

from fusion_accounting_followup.services.human_actions import ConfirmedSend, confirmation_token, token_matches

SEND = ConfirmedSend("resend", company_id=1, partner_id=7, level_id=3, state=1, day=date(2025, 6, 30))


@pytest.mark.parametrize(
    "change",
    [
        {"action": "escalate"},
        {"company_id": 2},
        {"partner_id": 8},
        {"level_id": 4},
        {"state": 2},  # the level was sent once more: the old token is spent
        {"day": date(2025, 7, 1)},  # a question of yesterday confirms nothing today
    ],
)
def test_a_token_confirms_exactly_what_was_asked(change):
    token = confirmation_token("secret", SEND)
    assert token_matches(token, confirmation_token("secret", SEND))
    assert not token_matches(token, confirmation_token("secret", dataclasses.replace(SEND, **change)))


def test_the_token_is_keyed_by_the_server_secret():
    assert confirmation_token("secret", SEND) != confirmation_token("other", SEND)


@pytest.mark.parametrize("given", [None, "", 42, ["x"], "0" * 32])
def test_anything_else_is_no_confirmation(given):
    assert not token_matches(confirmation_token("secret", SEND), given)
