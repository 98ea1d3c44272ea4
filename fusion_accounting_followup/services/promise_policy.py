"""Promises to pay: when one is kept, when it is broken, and where a broken one escalates.

A promise covers some invoices (or, without any, the partner's whole open
balance).  It is *kept* once the covered residual is gone or has dropped by at
least the promised amount since the promise was recorded; it is *broken* on
the first day after the promised date that it is not kept (a payment arriving
that day still keeps it: the daily check sees the books as they are).  A
broken promise escalates the partner one level above the last level sent
(the top level again when it was already there).

>>> import dataclasses
>>> from datetime import date
>>> facts = PromiseFacts(date(2025, 7, 15), Decimal("300"), Decimal("500"), Decimal("500"))
>>> judge_promise(facts, date(2025, 7, 15)), judge_promise(facts, date(2025, 7, 16))
(<PromiseVerdict.OPEN: 'open'>, <PromiseVerdict.BROKEN: 'broken'>)
>>> judge_promise(dataclasses.replace(facts, residual_now=Decimal("200")), date(2025, 7, 20))
<PromiseVerdict.KEPT: 'kept'>
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from .level_resolver import Ladder, LevelSpec


class PromiseVerdict(Enum):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"


@dataclass(frozen=True)
class PromiseFacts:
    """What the daily check knows of one open promise: its terms and the covered residual then and now."""

    promised_on: date
    amount: Decimal
    residual_at_promise: Decimal
    residual_now: Decimal

    @property
    def paid_since(self) -> Decimal:
        return self.residual_at_promise - self.residual_now


def judge_promise(facts: PromiseFacts, today: date) -> PromiseVerdict:
    """Kept, broken, or still open today (see the module)."""
    if facts.residual_now <= 0 or (facts.amount > 0 and facts.paid_since >= facts.amount):
        return PromiseVerdict.KEPT
    if today > facts.promised_on:
        return PromiseVerdict.BROKEN
    return PromiseVerdict.OPEN


def escalation_level(ladder: Ladder, last_level_id: int | None) -> LevelSpec | None:
    """The level a broken promise sends: one above the last one sent, the top one at the top (None: no ladder).

    >>> ladder = Ladder.of([LevelSpec(1, "R", 7, "gentle"), LevelSpec(2, "W", 30, "firm")])
    >>> escalation_level(ladder, None).name, escalation_level(ladder, 1).name, escalation_level(ladder, 2).name
    ('R', 'W', 'W')
    >>> escalation_level(Ladder.of([]), None) is None
    True
    """
    if not ladder.levels:
        return None
    return ladder.next_after(last_level_id) or ladder.levels[-1]


def promised_until(promised_dates) -> date | None:
    """The day the chase waits through for a partner's open promises: the latest promised date.

    >>> promised_until([date(2025, 7, 1), date(2025, 7, 9)]), promised_until([])
    (datetime.date(2025, 7, 9), None)
    """
    return max(promised_dates, default=None)


class PromiseProblem(Enum):
    """Why a promise cannot be recorded; ``sentence`` is the English text (the adapter translates)."""

    PAST_DATE = "The promised date must be today or later."
    NO_AMOUNT = "The promised amount must be positive."

    @property
    def sentence(self) -> str:
        return self.value


def check_new_promise(promised_on: date, amount: Decimal, today: date) -> PromiseProblem | None:
    """Why a promise cannot be recorded (``None``: it can): a promised date in the past, a non-positive amount.

    >>> check_new_promise(date(2025, 7, 1), Decimal("10"), date(2025, 7, 2)).sentence
    'The promised date must be today or later.'
    >>> check_new_promise(date(2025, 7, 2), Decimal("0"), date(2025, 7, 2))
    <PromiseProblem.NO_AMOUNT: 'The promised amount must be positive.'>
    """
    if promised_on < today:
        return PromiseProblem.PAST_DATE
    if amount <= 0:
        return PromiseProblem.NO_AMOUNT
    return None
