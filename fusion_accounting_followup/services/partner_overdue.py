"""A partner's open receivables as of a day: items, aging and totals.

Every amount is signed, as Odoo's aged receivable sums it: invoices positive, credit notes and
unapplied payments negative, so a credit past its due date lowers what is overdue.  Levels are
another matter (``level_resolver``): only debits reach a level.  A follow-up letter or e-mail lists
what it chases and the past-due credits beside them (:attr:`PartnerOverdue.followup_items`), so
the total the customer reads is the lines' sum; a customer whose credits cover what it owes is
not chased at all (:func:`owes_overdue`).

The aging table is the platform's (``fusion_accounting_core``'s ``AGING_BUCKETS``, Enterprise's six
periods); the adapters pass it in as values, so this addon's pure code keeps no table of its own.
A bucket is anything with ``key`` and ``contains(days_overdue)``.

>>> from datetime import date
>>> from decimal import Decimal
>>> from collections import namedtuple
>>> Bucket = namedtuple("Bucket", "key min_days max_days")
>>> Bucket.contains = lambda b, d: (b.min_days is None or d >= b.min_days) and (b.max_days is None or d <= b.max_days)
>>> table = (Bucket("current", None, 0), Bucket("1-30", 1, 30), Bucket("31+", 31, None))
>>> items = [OpenItem(1, Decimal("80"), date(2025, 1, 1)), OpenItem(2, Decimal("20"), date(2025, 3, 1))]
>>> summary = summarize(42, "CAD", items, today=date(2025, 2, 1), buckets=table)
>>> summary.total_due, summary.total_overdue, summary.max_days_overdue
(Decimal('100'), Decimal('80'), 31)
>>> summary.to_dict()["aging"]
{'current': '20', '1-30': '0', '31+': '80'}
>>> credit_note = OpenItem(3, Decimal("-30"), date(2025, 1, 15), "RINV/1")
>>> netted = summarize(42, "CAD", [*items, credit_note], today=date(2025, 2, 1), buckets=table)
>>> netted.total_overdue, [item.line_id for item in netted.followup_items], netted.followup_total
(Decimal('50'), [1, 3], Decimal('50'))
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .open_item import OpenItem


@dataclass(frozen=True)
class Aging:
    """Amounts per bucket key (in the table's order) and the part past due.

    The buckets partition the balance exactly: every item lands in exactly one bucket, so the
    amounts add up to the open balance (``Decimal``: exactly, not approximately).
    """

    amounts: dict[str, Decimal] = field(default_factory=dict)
    overdue: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))


def age_items(items: Iterable[OpenItem], today: date, buckets: Sequence) -> Aging:
    """Spread ``items`` over the aging table ``buckets`` as of ``today``."""
    amounts = {bucket.key: Decimal(0) for bucket in buckets}
    overdue = Decimal(0)
    for item in items:
        days = item.days_overdue(today)
        amounts[_bucket_key(buckets, days)] += item.amount_residual
        if days > 0:
            overdue += item.amount_residual
    return Aging(amounts, overdue)


def _bucket_key(buckets, days):
    for bucket in buckets:
        if bucket.contains(days):
            return bucket.key
    raise ValueError(f"the aging table leaves a gap at {days} days")


def overdue_balance(items: Iterable[OpenItem], today: date) -> Decimal:
    """The signed open amount past its due date (credits past due reduce it)."""
    return sum((item.amount_residual for item in items if item.days_overdue(today) > 0), Decimal(0))


@dataclass(frozen=True)
class PartnerOverdue:
    partner_id: int
    currency: str
    today: date
    items: tuple[OpenItem, ...]
    aging: Aging

    @property
    def total_due(self) -> Decimal:
        return self.aging.total

    @property
    def total_overdue(self) -> Decimal:
        return self.aging.overdue

    @property
    def overdue_items(self) -> tuple[OpenItem, ...]:
        """Items past due that a follow-up may mention (debits not excluded by ``no_followup``)."""
        return tuple(item for item in self.items if is_followed_up(item, self.today))

    @property
    def followup_items(self) -> tuple[OpenItem, ...]:
        """The lines a follow-up letter or e-mail shows: the overdue debits it chases and the past-due
        credits (credit notes, unapplied payments) that lower them; excluded items stay out."""
        return tuple(item for item in self.items if is_shown(item, self.today))

    @property
    def followup_total(self) -> Decimal:
        """The total a follow-up letter or e-mail states: its lines' sum (``total_overdue`` less excluded items)."""
        return followup_balance(self.items, self.today)

    @property
    def excluded_overdue(self) -> Decimal:
        """What is past due on items excluded from follow-ups (``no_followup``): aged, never dunned."""
        return sum(
            (item.amount_residual for item in self.items if item.excluded and item.days_overdue(self.today) > 0),
            Decimal(0),
        )

    @property
    def max_days_overdue(self) -> int:
        return max((item.days_overdue(self.today) for item in self.overdue_items), default=0)

    def to_dict(self) -> dict:
        """JSON-ready form (amounts as strings, so no precision is lost on the wire)."""
        return {
            "partner_id": self.partner_id,
            "currency": self.currency,
            "today": self.today.isoformat(),
            "total_due": str(self.total_due),
            "total_overdue": str(self.total_overdue),
            "excluded_overdue": str(self.excluded_overdue),
            "max_days_overdue": self.max_days_overdue,
            "aging": {key: str(amount) for key, amount in self.aging.amounts.items()},
            "items": [
                {
                    "line_id": item.line_id,
                    "reference": item.reference,
                    "date_maturity": item.date_maturity.isoformat(),
                    "amount_residual": str(item.amount_residual),
                    "days_overdue": item.days_overdue(self.today),
                    "level_id": item.last_level_id,
                    "excluded": item.excluded,
                }
                for item in self.items
            ],
        }


def is_followed_up(item: OpenItem, today: date) -> bool:
    """Whether a follow-up may mention ``item``: a debit past due, not excluded by ``no_followup``."""
    return item.days_overdue(today) > 0 and item.amount_residual > 0 and not item.excluded


def is_shown(item: OpenItem, today: date) -> bool:
    """Whether a follow-up lists ``item``: past due and not excluded, a debit it chases or a credit that lowers it."""
    return item.days_overdue(today) > 0 and not item.excluded


def followup_balance(items: Iterable[OpenItem], today: date) -> Decimal:
    """What a follow-up states is owed overdue: the sum of the items it lists (``is_shown``), credits netted."""
    return sum((item.amount_residual for item in items if is_shown(item, today)), Decimal(0))


def owes_overdue(items: Iterable[OpenItem], today: date) -> bool:
    """Whether the customer owes something a follow-up may chase, once its open credits are netted.

    Past-due credits (credit notes, unapplied payments) lower what is overdue, as the aged receivable
    sums them (``followup_balance``).  A credit not due yet (a payment received today, a credit note
    due later) lowers no overdue, but when it leaves the whole open balance at or below zero the
    company owes the customer money, and an accountant does not dun such a customer.  Excluded items
    count in neither sum: a follow-up never shows them.

    >>> late, credit = OpenItem(1, Decimal("100"), date(2025, 1, 1)), OpenItem(2, Decimal("-100"), date(2025, 3, 1))
    >>> owes_overdue([late], date(2025, 2, 1)), owes_overdue([late, credit], date(2025, 2, 1))
    (True, False)
    """
    counted = [item for item in items if not item.excluded]
    balance = sum((item.amount_residual for item in counted), Decimal(0))
    return balance > 0 and followup_balance(counted, today) > 0


def summarize(
    partner_id: int, currency: str, items: Iterable[OpenItem], today: date, *, buckets: Sequence
) -> PartnerOverdue:
    """Build the summary over the aging table ``buckets``; items are kept oldest due date first."""
    ordered = tuple(sorted(items, key=lambda item: (item.date_maturity, item.line_id)))
    return PartnerOverdue(partner_id, currency, today, ordered, age_items(ordered, today, buckets))
