"""The follow-up policy in one pure function: what to do for one partner today.

:func:`plan_followup` takes the partner's open items, the level ladder, the
partner's stored follow-up state and ``today`` (plus, for a person's send, a
chosen level and ``force``) and answers a :class:`FollowupPlan`: the status to
store, the level to send or the reason not to, what to stamp on the items and
the partner's state once the level is sent.  The engine, the daily scan and the
batch wizard all plan with it, then apply the plan through one send path.

The rules, in the order they are checked:

1. the level by days is the highest rung any item reached (``decide_level``);
   items excluded from follow-ups (``no_followup``) and credits never count;
2. the level sent is at most one rung above the last level sent to the
   partner: a customer who never had a reminder gets the first reminder,
   not a legal notice, whatever the age of its invoices (an old debt then
   climbs one rung per scheduled day: no wider spacing is applied), unless
   ``skip_levels`` (a setting) sends the level by days at once;
3. nothing is sent when nothing is overdue, when the customer's open credits
   (credit notes, unapplied payments) cover what it owes (``owes_overdue``:
   past-due credits net the overdue as the aged receivable nets them, and
   nothing is chased while nothing is owed in all) or when no level is reached; unless
   forced, nothing is sent while paused, while a promise to pay runs (until
   its promised date, inclusive), twice the same day, when every item already
   had its level, or (scheduled sends) for a level that needs a review;
4. a disputed item leaves the chase until its dispute is resolved: it counts
   in no level, no stamp and no amount (``disputed``; the partner's other
   items are chased as usual).

>>> from datetime import date
>>> from decimal import Decimal
>>> ladder = Ladder.of([LevelSpec(1, "Reminder", 7, "gentle"), LevelSpec(2, "Warning", 30, "firm")])
>>> items = [OpenItem(10, Decimal("100"), date(2025, 5, 1))]  # 60 days overdue, never reminded
>>> plan = plan_followup(items, ladder, FollowupState(), date(2025, 6, 30))
>>> plan.level_by_days.name, plan.level.name, plan.sends, plan.status, plan.status_after
('Warning', 'Reminder', True, 'action_needed', 'overdue')
>>> again = plan_followup(plan.items_after, ladder, plan.state_after, date(2025, 6, 30))
>>> again.skip is SkipReason.ALREADY_SENT_TODAY, again.skip.sentence
(True, 'A follow-up was already sent to this partner today.')
>>> plan_followup(plan.items_after, ladder, plan.state_after, date(2025, 7, 1)).level.name
'Warning'
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Literal

from .level_resolver import Ladder, LevelDecision, LevelSpec, decide_level
from .open_item import OpenItem
from .partner_overdue import is_followed_up, overdue_balance, owes_overdue

Status = Literal["no_action", "overdue", "action_needed", "paused"]


class SkipReason(Enum):
    """Why a plan sends nothing; ``sentence`` is the English text the run records (the adapter translates)."""

    NOTHING_OVERDUE = "nothing_overdue"
    CREDITS_COVER = "credits_cover"
    NO_LEVEL_DUE = "no_level_due"
    PAUSED = "paused"
    ALREADY_SENT_TODAY = "already_sent_today"
    ALREADY_SENT = "already_sent"
    MANUAL_REVIEW = "manual_review"
    PROMISED = "promised"

    @property
    def sentence(self) -> str:
        return SENTENCES[self]


SENTENCES = {
    SkipReason.NOTHING_OVERDUE: "Nothing is overdue.",
    SkipReason.CREDITS_COVER: "The customer's open credits (credit notes, payments) cover what it owes.",
    SkipReason.NO_LEVEL_DUE: "No follow-up level is due yet.",
    SkipReason.PAUSED: "Follow-ups are paused for this partner.",
    SkipReason.ALREADY_SENT_TODAY: "A follow-up was already sent to this partner today.",
    SkipReason.ALREADY_SENT: "This level was already sent for every overdue item.",
    SkipReason.MANUAL_REVIEW: "This level requires a manual review before sending.",
    SkipReason.PROMISED: "The customer promised to pay; follow-ups wait until the promised date.",
}


@dataclass(frozen=True)
class FollowupState:
    """The partner's stored follow-up state in one company.

    ``paused`` is the stored status being *paused*; the pause lasts while
    ``paused_until`` is unset or after today.  ``last_sent_on`` is the day the
    partner was last sent a follow-up (the adapter takes the latest stamp of its
    open items, so a reset forgets it with the stamps).  ``promised_until`` is
    the latest promised date of the partner's open promises to pay: the chase
    waits through that day.
    """

    paused: bool = False
    paused_until: date | None = None
    last_level_id: int | None = None
    last_sent_on: date | None = None
    promised_until: date | None = None

    def paused_on(self, today: date) -> bool:
        return self.paused and (self.paused_until is None or self.paused_until > today)

    def promised_on(self, today: date) -> bool:
        return self.promised_until is not None and today <= self.promised_until


def chased_items(items: Iterable[OpenItem], disputed: Iterable[int] = ()) -> tuple[OpenItem, ...]:
    """The items a follow-up chases and counts: all but the disputed ones (``disputed``: line ids).

    >>> from decimal import Decimal
    >>> items = [OpenItem(1, Decimal("10"), date(2025, 1, 1)), OpenItem(2, Decimal("5"), date(2025, 1, 1))]
    >>> [item.line_id for item in chased_items(items, {2})]
    [1]
    """
    disputed = frozenset(disputed)
    return tuple(item for item in items if item.line_id not in disputed)


@dataclass(frozen=True)
class FollowupPlan:
    """What to do for one partner today; nothing here has happened yet.

    ``level`` is the level a send uses (``None``: none applies); ``skip`` says
    why nothing is sent (``None``: send ``level``).  ``status`` is the status to
    store when nothing is sent, ``status_after`` the one once ``level`` is sent;
    ``clears_pause`` says the stored pause has ended and must be cleared.
    ``stamps`` are ``(line_id, level_id)`` pairs the items carry once sent.
    """

    today: date
    decision: LevelDecision
    level_by_days: LevelSpec | None
    level: LevelSpec | None
    skip: SkipReason | None
    status: Status
    clears_pause: bool
    stamps: tuple[tuple[int, int], ...]
    items_after: tuple[OpenItem, ...]
    state_after: FollowupState
    status_after: Status
    next_action_on: date | None

    @property
    def sends(self) -> bool:
        return self.skip is None


def cap_level(ladder: Ladder, by_days: LevelSpec | None, last_level_id: int | None) -> LevelSpec | None:
    """``by_days``, but never more than one rung above ``last_level_id`` (the first rung when none was sent).

    >>> ladder = Ladder.of([LevelSpec(1, "R", 7, "gentle"), LevelSpec(2, "W", 30, "firm"),
    ...                     LevelSpec(3, "L", 60, "legal")])
    >>> cap_level(ladder, ladder.levels[2], None).name, cap_level(ladder, ladder.levels[2], 1).name
    ('R', 'W')
    >>> cap_level(ladder, ladder.levels[0], 3).name, cap_level(ladder, None, 1)
    ('R', None)
    """
    if by_days is None:
        return None
    ceiling = ladder.rank(last_level_id) + 1
    return by_days if ladder.rank(by_days.id) <= ceiling else ladder.levels[ceiling]


def status_of(items: Iterable[OpenItem], ladder: Ladder, state: FollowupState, today: date) -> Status:
    """The status the partner's items and state give it today (the pause wins while it lasts).

    *action_needed* means a scheduled send is due now: a level some item has not had
    yet, something owed once the credits are netted, and no follow-up sent today (the
    next level then waits for tomorrow).
    """
    items = tuple(items)
    if state.paused_on(today):
        return "paused"
    promised = state.promised_on(today)
    due = decide_level(items, ladder, today).needs_action and owes_overdue(items, today)
    if not promised and due and state.last_sent_on != today:
        return "action_needed"
    if overdue_balance(items, today) > 0:
        return "overdue"
    return "no_action"


def plan_followup(
    items: Iterable[OpenItem],
    ladder: Ladder,
    state: FollowupState,
    today: date,
    *,
    chosen: LevelSpec | None = None,
    force: bool = False,
    scheduled: bool = False,
    disputed: Iterable[int] = (),
    skip_levels: bool = False,
) -> FollowupPlan:
    """Plan the partner's follow-up today (see the module for the rules).

    ``chosen`` is a level a person picked (it replaces the capped level);
    ``force`` sends outside the schedule (ignores the pause, a promise, the day
    and the items' stamps); ``scheduled`` is the daily scan, which leaves levels
    that need a manual review to a person; ``disputed`` are the line ids of
    items under an open dispute, left out of the plan; ``skip_levels`` lifts the one-rung cap.
    """
    items = chased_items(items, disputed)
    decision = decide_level(items, ladder, today)
    level = chosen or (decision.level if skip_levels else cap_level(ladder, decision.level, state.last_level_id))
    skip = _skip(items, decision, level, state, today, force=force, scheduled=scheduled)
    status = status_of(items, ladder, state, today)
    stamps = _stamps(items, ladder, level, today) if level else ()
    items_after = _stamped(items, stamps, today)
    state_after = dataclasses.replace(state, last_level_id=level.id, last_sent_on=today) if level else state
    return FollowupPlan(
        today=today,
        decision=decision,
        level_by_days=decision.level,
        level=level,
        skip=skip,
        status=status,
        clears_pause=state.paused_until is not None and not state.paused_on(today),
        stamps=stamps,
        items_after=items_after,
        state_after=state_after,
        status_after=status_of(items_after, ladder, state_after, today),
        next_action_on=_next_action_on(items, ladder, state, today, needs_action=decision.needs_action, skip=skip),
    )


def _skip(items, decision, level, state, today, *, force, scheduled):
    if not any(is_followed_up(item, today) for item in items):
        return SkipReason.NOTHING_OVERDUE
    if not owes_overdue(items, today):  # even forced: a letter would ask for a negative amount
        return SkipReason.CREDITS_COVER
    if level is None:
        return SkipReason.NO_LEVEL_DUE
    if force:
        return None
    if state.paused_on(today):
        return SkipReason.PAUSED
    if state.promised_on(today):
        return SkipReason.PROMISED
    if state.last_sent_on == today:
        return SkipReason.ALREADY_SENT_TODAY
    if not decision.needs_action:
        return SkipReason.ALREADY_SENT
    if scheduled and level.requires_manual_review:
        return SkipReason.MANUAL_REVIEW
    return None


def _stamps(items, ladder, level, today):
    """``(line_id, level_id)``: each overdue item carries ``level``, or the higher level it already had."""
    return tuple(
        (item.line_id, ladder.higher(item.last_level_id, level.id))
        for item in sorted(items, key=lambda item: item.line_id)
        if is_followed_up(item, today)
    )


def _stamped(items, stamps, today):
    level_of = dict(stamps)
    return tuple(
        dataclasses.replace(item, last_level_id=level_of[item.line_id], last_sent_on=today)
        if item.line_id in level_of
        else item
        for item in items
    )


def _next_action_on(items, ladder, state, today, *, needs_action, skip):
    """The first day a scheduled send could happen (``None``: not while nothing changes)."""
    if skip is None or skip is SkipReason.MANUAL_REVIEW:
        return today
    if skip is SkipReason.PAUSED:
        return state.paused_until + timedelta(days=1) if state.paused_until else None
    if skip is SkipReason.PROMISED:
        return state.promised_until + timedelta(days=1)
    if skip is SkipReason.ALREADY_SENT_TODAY and needs_action:
        return today + timedelta(days=1)
    # The first day an item reaches a rung it has not had yet, or a debit falls due and may outgrow the
    # credits, on which a level is due and the customer owes something (usually the first of them).
    debits = [item for item in items if item.amount_residual > 0 and not item.excluded]
    days = {
        item.date_maturity + timedelta(days=rung.delay_days)
        for item in debits
        for rung in ladder.levels
        if ladder.rank(rung.id) > ladder.rank(item.last_level_id)
        and item.date_maturity + timedelta(days=rung.delay_days) > today
    } | {item.date_maturity + timedelta(days=1) for item in debits if item.date_maturity >= today}
    return next(
        (day for day in sorted(days) if decide_level(items, ladder, day).needs_action and owes_overdue(items, day)),
        None,
    )
