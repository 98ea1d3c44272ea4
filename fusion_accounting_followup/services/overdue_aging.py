"""Six aging buckets of a partner's open balance.

The buckets partition the balance exactly: every item lands in exactly one
bucket, so the bucket amounts always add up to the open balance (amounts are
``Decimal``, so the sum is exact, not approximately equal).

>>> [bucket.key for bucket in BUCKETS]
['current', '1_30', '31_60', '61_90', '91_120', '120_plus']
>>> bucket_for(0).key, bucket_for(1).key, bucket_for(30).key, bucket_for(31).key, bucket_for(500).key
('current', '1_30', '1_30', '31_60', '120_plus')
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .open_item import OpenItem


@dataclass(frozen=True)
class Bucket:
    """Days-overdue interval ``[min_days, max_days]``; ``None`` leaves a side open."""

    key: str
    label: str
    min_days: int | None
    max_days: int | None

    def contains(self, days_overdue: int) -> bool:
        """True when an item this many days overdue belongs here.

        >>> Bucket("1_30", "1-30", 1, 30).contains(30)
        True
        """
        above = self.min_days is None or days_overdue >= self.min_days
        below = self.max_days is None or days_overdue <= self.max_days
        return above and below


# Contiguous and gap-free by construction; the SQL adapter builds its CASE from this table.
BUCKETS = (
    Bucket("current", "Current", None, 0),
    Bucket("1_30", "1-30", 1, 30),
    Bucket("31_60", "31-60", 31, 60),
    Bucket("61_90", "61-90", 61, 90),
    Bucket("91_120", "91-120", 91, 120),
    Bucket("120_plus", "120+", 121, None),
)


def bucket_for(days_overdue: int) -> Bucket:
    """The one bucket holding an item ``days_overdue`` days past due."""
    for bucket in BUCKETS:
        if bucket.contains(days_overdue):
            return bucket
    raise AssertionError(f"BUCKETS leave a gap at {days_overdue} days")  # unreachable: the table is contiguous


@dataclass(frozen=True)
class Aging:
    """Amounts per bucket key, plus the derived totals.

    >>> aging = age_items([OpenItem(1, Decimal("100"), date(2025, 1, 1)),
    ...                    OpenItem(2, Decimal("50"), date(2025, 3, 1))], today=date(2025, 2, 15))
    >>> aging.amounts["31_60"], aging.amounts["current"], aging.total, aging.overdue
    (Decimal('100'), Decimal('50'), Decimal('150'), Decimal('100'))
    """

    amounts: dict[str, Decimal] = field(default_factory=lambda: {b.key: Decimal(0) for b in BUCKETS})

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))

    @property
    def overdue(self) -> Decimal:
        return self.total - self.amounts["current"]


def age_items(items: Iterable[OpenItem], today: date) -> Aging:
    """Spread ``items`` over :data:`BUCKETS` as of ``today``."""
    amounts = {bucket.key: Decimal(0) for bucket in BUCKETS}
    for item in items:
        amounts[bucket_for(item.days_overdue(today)).key] += item.amount_residual
    return Aging(amounts)
