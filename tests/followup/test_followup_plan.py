"""The follow-up plan (services/followup_plan.py): properties over any items, ladder and state, then named cases."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_followup.services.followup_plan import (
    SENTENCES,
    FollowupState,
    SkipReason,
    plan_followup,
)
from fusion_accounting_followup.services.level_resolver import Ladder, LevelSpec, decide_level
from fusion_accounting_followup.services.open_item import OpenItem

TODAY = date(2025, 6, 30)
REMINDER = LevelSpec(1, "Reminder", 7, "gentle")
WARNING = LevelSpec(2, "Warning", 30, "firm")
LEGAL = LevelSpec(3, "Legal Notice", 60, "legal")
DEFAULT = Ladder.of([REMINDER, WARNING, LEGAL])


@st.composite
def ladders(draw):
    delays = draw(st.lists(st.integers(1, 200), min_size=1, max_size=5, unique=True))
    reviews = draw(st.lists(st.booleans(), min_size=len(delays), max_size=len(delays)))
    pairs = enumerate(zip(delays, reviews, strict=True))
    return Ladder.of(LevelSpec(i + 1, f"L{i}", delay, "firm", review) for i, (delay, review) in pairs)


@st.composite
def cases(draw):
    """(items, ladder, state): items may carry stamps of the ladder's levels; the state may be paused or sent."""
    ladder = draw(ladders())
    level_ids = st.sampled_from([None, *[level.id for level in ladder.levels]])
    days = st.integers(-30, 400)
    items = draw(
        st.lists(
            st.builds(
                lambda line_id, days, amount, level_id, excluded, sent: OpenItem(
                    line_id,
                    Decimal(amount),
                    TODAY - timedelta(days=days),
                    f"INV/{line_id}",
                    level_id,
                    excluded,
                    TODAY - timedelta(days=sent) if sent is not None and level_id else None,
                ),
                st.integers(1, 10_000),
                days,
                st.integers(-500, 5000),
                level_ids,
                st.booleans(),
                st.none() | st.integers(0, 60),
            ),
            max_size=6,
            unique_by=lambda item: item.line_id,
        )
    )
    paused_until = draw(st.none() | st.integers(-10, 30).map(lambda d: TODAY + timedelta(days=d)))
    last_sent = draw(st.none() | st.integers(0, 90).map(lambda d: TODAY - timedelta(days=d)))
    state = FollowupState(
        paused=draw(st.booleans()),
        paused_until=paused_until,
        last_level_id=draw(level_ids),
        last_sent_on=last_sent,
    )
    return items, ladder, state


def followed_up(items, today=TODAY):
    return [item for item in items if item.days_overdue(today) > 0 and item.amount_residual > 0 and not item.excluded]


def item(line_id, days, level=None, *, amount="100", excluded=False, sent_on=None):
    return OpenItem(
        line_id, Decimal(amount), TODAY - timedelta(days=days), f"INV/{line_id}", level and level.id, excluded, sent_on
    )


# ---------------------------------------------------------------------- properties


@given(cases(), st.booleans(), st.booleans())
def test_never_a_level_above_the_one_due_by_days(case, force, scheduled):
    items, ladder, state = case
    plan = plan_followup(items, ladder, state, TODAY, force=force, scheduled=scheduled)
    if plan.level is not None:
        assert plan.level_by_days is not None
        assert ladder.rank(plan.level.id) <= ladder.rank(plan.level_by_days.id)


@given(cases(), st.booleans())
def test_at_most_one_level_above_the_last_level_sent(case, force):
    items, ladder, state = case
    plan = plan_followup(items, ladder, state, TODAY, force=force)
    if plan.level is not None:
        assert ladder.rank(plan.level.id) <= ladder.rank(state.last_level_id) + 1


@given(cases())
def test_a_first_contact_is_the_first_level(case):
    items, ladder, state = case
    plan = plan_followup(items, ladder, dataclasses.replace(state, last_level_id=None), TODAY)
    if plan.level is not None:
        assert plan.level == ladder.levels[0]


@given(cases(), st.booleans())
def test_never_a_send_while_paused_unless_forced(case, scheduled):
    items, ladder, state = case
    plan = plan_followup(items, ladder, state, TODAY, scheduled=scheduled)
    if state.paused and (state.paused_until is None or state.paused_until > TODAY):
        assert not plan.sends
        assert plan.status == "paused"


@given(cases(), st.booleans(), st.booleans())
def test_never_a_send_when_nothing_is_overdue(case, force, scheduled):
    items, ladder, state = case
    plan = plan_followup(items, ladder, state, TODAY, force=force, scheduled=scheduled)
    if not followed_up(items):
        assert plan.skip is SkipReason.NOTHING_OVERDUE
        assert plan.stamps == ()


@given(cases(), st.booleans(), st.booleans())
def test_excluded_items_never_change_the_decision(case, force, scheduled):
    items, ladder, state = case
    kept = [item for item in items if not item.excluded]
    with_all = plan_followup(items, ladder, state, TODAY, force=force, scheduled=scheduled)
    alone = plan_followup(kept, ladder, state, TODAY, force=force, scheduled=scheduled)
    assert (with_all.level, with_all.skip, with_all.decision, with_all.stamps) == (
        alone.level,
        alone.skip,
        alone.decision,
        alone.stamps,
    )


@given(cases(), st.booleans(), st.booleans())
def test_credits_never_choose_a_level_and_only_stop_a_send_they_cover(case, force, scheduled):
    items, ladder, state = case
    debits = [item for item in items if item.amount_residual > 0]
    with_all = plan_followup(items, ladder, state, TODAY, force=force, scheduled=scheduled)
    alone = plan_followup(debits, ladder, state, TODAY, force=force, scheduled=scheduled)
    assert (with_all.level, with_all.decision, with_all.stamps) == (alone.level, alone.decision, alone.stamps)
    assert with_all.skip in (alone.skip, SkipReason.CREDITS_COVER)
    if with_all.skip is SkipReason.CREDITS_COVER:
        assert alone.skip is not SkipReason.NOTHING_OVERDUE, "credits alone are no reason of their own"
        assert with_all.status != "action_needed"


@given(cases(), st.booleans())
def test_sending_then_replanning_the_same_day_says_already_sent_today(case, scheduled):
    items, ladder, state = case
    plan = plan_followup(items, ladder, state, TODAY, scheduled=scheduled)
    if plan.sends:
        again = plan_followup(plan.items_after, ladder, plan.state_after, TODAY, scheduled=scheduled)
        assert again.skip is SkipReason.ALREADY_SENT_TODAY
        assert plan.state_after.last_level_id == plan.level.id
        assert plan.state_after.last_sent_on == TODAY


@given(cases())
def test_the_state_after_is_what_a_replan_finds(case):
    items, ladder, state = case
    plan = plan_followup(items, ladder, state, TODAY)
    if plan.sends:
        again = plan_followup(plan.items_after, ladder, plan.state_after, TODAY)
        assert again.status == plan.status_after
        assert {item.line_id for item in followed_up(items)} == {line_id for line_id, _level in plan.stamps}
        # a stamp never lowers the level an item already had
        before = {item.line_id: item.last_level_id for item in items}
        assert all(ladder.rank(level_id) >= ladder.rank(before[line_id]) for line_id, level_id in plan.stamps)


@given(cases(), st.booleans(), st.booleans())
def test_the_plan_is_deterministic_and_ignores_the_order_of_the_items(case, force, scheduled):
    items, ladder, state = case
    first = plan_followup(items, ladder, state, TODAY, force=force, scheduled=scheduled)
    again = plan_followup(list(reversed(items)), ladder, state, TODAY, force=force, scheduled=scheduled)
    assert (first.level, first.skip, first.status, first.stamps, first.state_after, first.next_action_on) == (
        again.level,
        again.skip,
        again.status,
        again.stamps,
        again.state_after,
        again.next_action_on,
    )
    assert first == plan_followup(items, ladder, state, TODAY, force=force, scheduled=scheduled)


@given(cases())
def test_a_scheduled_plan_never_sends_a_level_that_needs_review(case):
    items, ladder, state = case
    plan = plan_followup(items, ladder, state, TODAY, scheduled=True)
    if plan.sends:
        assert not plan.level.requires_manual_review


@given(cases())
def test_the_level_by_days_is_the_resolvers(case):
    items, ladder, state = case
    plan = plan_followup(items, ladder, state, TODAY)
    assert plan.decision == decide_level(items, ladder, TODAY)
    assert plan.level_by_days == plan.decision.level


@given(cases())
def test_a_send_is_due_today_and_a_skip_is_never_due_before_today(case):
    items, ladder, state = case
    plan = plan_followup(items, ladder, state, TODAY)
    if plan.sends:
        assert plan.next_action_on == TODAY
    elif plan.next_action_on is not None:
        assert plan.next_action_on >= TODAY


def test_every_skip_reason_has_a_sentence():
    assert set(SENTENCES) == set(SkipReason)
    assert all(reason.sentence.endswith(".") for reason in SkipReason)


# ---------------------------------------------------------------------- the specification, case by case

PAUSED = FollowupState(paused=True, paused_until=TODAY + timedelta(days=5))
SPEC = [
    # (name, items, state, options, expected level, expected skip, expected status)
    ("nothing open", [], FollowupState(), {}, None, SkipReason.NOTHING_OVERDUE, "no_action"),
    ("not due yet", [item(1, -5)], FollowupState(), {}, None, SkipReason.NOTHING_OVERDUE, "no_action"),
    ("overdue, below the first level", [item(1, 3)], FollowupState(), {}, None, SkipReason.NO_LEVEL_DUE, "overdue"),
    ("first reminder", [item(1, 10)], FollowupState(), {}, REMINDER, None, "action_needed"),
    (
        "a customer never reminded gets the reminder, not the legal notice",
        [item(1, 90)],
        FollowupState(),
        {},
        REMINDER,
        None,
        "action_needed",
    ),
    (
        "one level up from the last one sent",
        [item(1, 90, REMINDER)],
        FollowupState(last_level_id=REMINDER.id, last_sent_on=TODAY - timedelta(days=20)),
        {},
        WARNING,
        None,
        "action_needed",
    ),
    (
        "already sent for every item",
        [item(1, 10, REMINDER)],
        FollowupState(last_level_id=REMINDER.id, last_sent_on=TODAY - timedelta(days=3)),
        {},
        REMINDER,
        SkipReason.ALREADY_SENT,
        "overdue",
    ),
    (
        "already sent today",
        [item(1, 40, REMINDER, sent_on=TODAY)],
        FollowupState(last_level_id=REMINDER.id, last_sent_on=TODAY),
        {},
        WARNING,
        SkipReason.ALREADY_SENT_TODAY,
        "overdue",
    ),
    (
        "a new invoice reaching the reminder after a warning",
        [item(1, 40, WARNING), item(2, 8)],
        FollowupState(last_level_id=WARNING.id, last_sent_on=TODAY - timedelta(days=10)),
        {},
        WARNING,
        None,
        "action_needed",
    ),
    ("paused", [item(1, 10)], PAUSED, {}, REMINDER, SkipReason.PAUSED, "paused"),
    ("paused indefinitely", [item(1, 10)], FollowupState(paused=True), {}, REMINDER, SkipReason.PAUSED, "paused"),
    (
        "a pause that ended",
        [item(1, 10)],
        FollowupState(paused=True, paused_until=TODAY),
        {},
        REMINDER,
        None,
        "action_needed",
    ),
    ("forced while paused", [item(1, 10)], PAUSED, {"force": True}, REMINDER, None, "paused"),
    (
        "a person's chosen level",
        [item(1, 10)],
        FollowupState(),
        {"chosen": LEGAL, "force": True},
        LEGAL,
        None,
        "action_needed",
    ),
    (
        "excluded (no_followup) items never trigger a level",
        [item(1, 40, excluded=True)],
        FollowupState(),
        {"force": True},
        None,
        SkipReason.NOTHING_OVERDUE,
        "overdue",
    ),
    (
        "a credit note does not trigger a level",
        [item(1, 40, amount="-100")],
        FollowupState(),
        {},
        None,
        SkipReason.NOTHING_OVERDUE,
        "no_action",
    ),
]


@pytest.mark.parametrize("case", SPEC, ids=[case[0] for case in SPEC])
def test_specification(case):
    _name, items, state, options, level, skip, status = case
    plan = plan_followup(items, DEFAULT, state, TODAY, **options)
    assert (plan.level, plan.skip, plan.status) == (level, skip, status)


def test_the_scan_leaves_levels_needing_review_to_a_person():
    ladder = Ladder.of([dataclasses.replace(REMINDER, requires_manual_review=True), WARNING])
    scheduled = plan_followup([item(1, 10)], ladder, FollowupState(), TODAY, scheduled=True)
    assert (scheduled.skip, scheduled.status) == (SkipReason.MANUAL_REVIEW, "action_needed")
    assert plan_followup([item(1, 10)], ladder, FollowupState(), TODAY).sends


def test_a_send_stamps_the_overdue_items_and_keeps_a_higher_stamp():
    items = [item(1, 10), item(2, 40, WARNING), item(3, -3), item(4, 20, excluded=True)]
    state = FollowupState(last_level_id=WARNING.id, last_sent_on=TODAY - timedelta(days=10))
    plan = plan_followup(items, DEFAULT, state, TODAY)
    assert plan.level == WARNING
    assert plan.stamps == ((1, WARNING.id), (2, WARNING.id))
    assert plan.state_after == FollowupState(last_level_id=WARNING.id, last_sent_on=TODAY)
    assert plan.status_after == "overdue"


def test_the_ladder_is_climbed_one_day_at_a_time_at_most():
    items, state = [item(1, 90)], FollowupState()
    sent = []
    for day in range(4):
        today = TODAY + timedelta(days=day)
        plan = plan_followup(items, DEFAULT, state, today)
        if plan.sends:
            sent.append(plan.level.name)
            items, state = plan.items_after, plan.state_after
    assert sent == ["Reminder", "Warning", "Legal Notice"]


def test_next_action_dates():
    assert plan_followup([item(1, 3)], DEFAULT, FollowupState(), TODAY).next_action_on == TODAY + timedelta(days=4)
    assert plan_followup([item(1, 10)], DEFAULT, PAUSED, TODAY).next_action_on == TODAY + timedelta(days=6)
    reminded = [item(1, 10, REMINDER)]
    state = FollowupState(last_level_id=REMINDER.id, last_sent_on=TODAY - timedelta(days=3))
    assert plan_followup(reminded, DEFAULT, state, TODAY).next_action_on == TODAY + timedelta(days=20)
