"""Level resolution: a monotone ladder keyed on days overdue."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_followup.services.errors import InvalidLevelsError
from fusion_accounting_followup.services.level_resolver import Ladder, LevelSpec, decide_level
from fusion_accounting_followup.services.open_item import OpenItem

TODAY = date(2025, 6, 30)
DEFAULT = Ladder.of(
    [
        LevelSpec(3, "Legal Notice", 60, "legal"),
        LevelSpec(1, "Reminder", 7, "gentle"),
        LevelSpec(2, "Warning", 30, "firm"),
    ]
)
ladders = st.lists(st.integers(-30, 365), min_size=1, max_size=8, unique=True).map(
    lambda delays: Ladder.of(LevelSpec(i + 1, f"L{i}", d, "firm") for i, d in enumerate(delays))
)


def item(line_id, days, last_level_id=None, amount="100", excluded=False):
    return OpenItem(line_id, Decimal(amount), TODAY - timedelta(days=days), f"INV/{line_id}", last_level_id, excluded)


@given(ladders, st.integers(-400, 400), st.integers(0, 400))
def test_resolved_level_is_monotone_in_days_overdue(ladder, days, extra):
    lower, higher = ladder.resolve(days), ladder.resolve(days + extra)
    assert ladder.rank(lower.id if lower else None) <= ladder.rank(higher.id if higher else None)


@given(ladders, st.integers(-400, 400))
def test_resolved_level_is_the_highest_reached(ladder, days):
    level = ladder.resolve(days)
    reached = [lv for lv in ladder.levels if lv.delay_days <= days]
    assert level == (reached[-1] if reached else None)


def test_default_ladder_table():
    for days, expected in [
        (0, None),
        (6, None),
        (7, "Reminder"),
        (29, "Reminder"),
        (30, "Warning"),
        (59, "Warning"),
        (60, "Legal Notice"),
        (1000, "Legal Notice"),
    ]:
        level = DEFAULT.resolve(days)
        assert (level.name if level else None) == expected, days


def test_duplicate_delays_are_refused():
    with pytest.raises(InvalidLevelsError):
        Ladder.of([LevelSpec(1, "a", 7, "gentle"), LevelSpec(2, "b", 7, "firm")])


def test_partner_is_due_the_highest_level_any_item_needs():
    decision = decide_level([item(1, 10), item(2, 35), item(3, 2)], DEFAULT, TODAY)
    assert decision.level.name == "Warning"
    assert decision.needs_action and set(decision.due_line_ids) == {1, 2}
    assert decision.max_days_overdue == 35


def test_items_already_sent_their_level_need_no_action():
    decision = decide_level([item(1, 10, last_level_id=1), item(2, 35, last_level_id=2)], DEFAULT, TODAY)
    assert decision.level.name == "Warning"
    assert not decision.needs_action and decision.due_line_ids == ()


def test_no_followup_items_and_credits_are_ignored():
    decision = decide_level([item(1, 90, excluded=True), item(2, 90, amount="-50")], DEFAULT, TODAY)
    assert decision.level is None and not decision.needs_action


def test_next_level_climbs_the_ladder_and_stops_at_the_top():
    assert [DEFAULT.next_after(i) and DEFAULT.next_after(i).id for i in (None, 1, 2, 3)] == [1, 2, 3, None]
    assert DEFAULT.higher(1, 3) == 3 and DEFAULT.higher(None, 1) == 1


# ------------------------------------------------------------------ first contact and skipping levels
from fusion_accounting_followup.services.followup_plan import FollowupState, plan_followup  # noqa: E402


@pytest.mark.parametrize(
    ("last_level_id", "skip_levels", "sent"),
    [
        (None, False, "Reminder"),  # first contact: the first rung, whatever the age of the debt
        (1, False, "Warning"),  # then one rung at a time
        (2, False, "Legal Notice"),
        (None, True, "Legal Notice"),  # the setting sends the level due by days at once
        (1, True, "Legal Notice"),
    ],
)
def test_first_contact_is_the_first_rung_unless_skipping_is_allowed(last_level_id, skip_levels, sent):
    items = [item(1, 200, last_level_id)]
    sent_on = TODAY - timedelta(days=3) if last_level_id else None
    state = FollowupState(last_level_id=last_level_id, last_sent_on=sent_on)
    plan = plan_followup(items, DEFAULT, state, TODAY, skip_levels=skip_levels)
    assert (plan.level_by_days.name, plan.level.name, plan.sends) == ("Legal Notice", sent, True)


@given(st.lists(st.integers(-60, 400), min_size=1, max_size=6), st.sampled_from([None, 1, 2, 3]))
def test_without_skipping_a_send_is_never_more_than_one_rung_up(days, last_level_id):
    items = [item(i + 1, d, last_level_id) for i, d in enumerate(days)]
    plan = plan_followup(items, DEFAULT, FollowupState(last_level_id=last_level_id), TODAY)
    if plan.level is not None:
        assert DEFAULT.rank(plan.level.id) <= DEFAULT.rank(last_level_id) + 1
