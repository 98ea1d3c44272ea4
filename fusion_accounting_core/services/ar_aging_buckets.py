"""The one aging table of receivables, payables and follow-ups, and the per-partner report of the aging tools.

Six periods of days late, those of Enterprise's aged receivable and payable reports (30-day
interval): not yet due ("current", Enterprise's "At Date"), 1-30, 31-60, 61-90, 91-120 and
older than 120 days.  The tools place each amount in its bucket in SQL, from
:data:`AGING_BUCKETS`; the follow-up addon receives the same table as values from its
adapters (its pure code does not import this addon's).

>>> [bucket.key for bucket in AGING_BUCKETS]
['current', '1-30', '31-60', '61-90', '91-120', '120+']
>>> bucket_for(0).key, bucket_for(1).key, bucket_for(30).key, bucket_for(121).key, bucket_for(-9).key
('current', '1-30', '1-30', '120+', 'current')
>>> amounts = [BucketAmount("CAD", 7, "120+", 100.0), BucketAmount("CAD", 8, "1-30", 0.1),
...            BucketAmount("CAD", 8, "1-30", 0.2)]
>>> report = bucketed_report(amounts, as_of=None, top=1)
>>> report.totals["120+"], report.totals["1-30"], report.partners[0].partner, report.partner_count
(100.0, 0.3, 7, 2)
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AgingBucket:
    """Days-late interval ``[min_days, max_days]``; ``None`` leaves a side open."""

    key: str
    label: str
    min_days: int | None
    max_days: int | None

    def contains(self, days_late: int) -> bool:
        """True when an amount this many days late belongs here.

        >>> AgingBucket("1-30", "1-30", 1, 30).contains(30)
        True
        """
        above = self.min_days is None or days_late >= self.min_days
        below = self.max_days is None or days_late <= self.max_days
        return above and below


# Contiguous and gap-free, oldest last (the pure suite checks it); every reader builds from it.
AGING_BUCKETS = (
    AgingBucket("current", "Current", None, 0),
    AgingBucket("1-30", "1-30", 1, 30),
    AgingBucket("31-60", "31-60", 31, 60),
    AgingBucket("61-90", "61-90", 61, 90),
    AgingBucket("91-120", "91-120", 91, 120),
    AgingBucket("120+", "120+", 121, None),
)
BUCKETS = tuple(bucket.key for bucket in AGING_BUCKETS)


def bucket_for(days_late: int, table=AGING_BUCKETS) -> AgingBucket:
    """The one bucket of ``table`` holding an amount ``days_late`` days late."""
    for bucket in table:
        if bucket.contains(days_late):
            return bucket
    raise ValueError(f"the aging table leaves a gap at {days_late} days")


@dataclass(frozen=True)
class BucketAmount:
    """An open amount of one partner already placed in its bucket (company currency)."""

    currency: str
    partner: object
    bucket: str
    amount: float


@dataclass
class PartnerAging:
    partner: object
    currency: str
    buckets: dict = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0.0))

    @property
    def total(self):
        return round(sum(self.buckets.values()), 2)


@dataclass
class AgingReport:
    as_of: object
    totals: dict
    partners: list
    partner_count: int


def bucketed_report(amounts, *, as_of, top):
    """Buckets per partner and in total of ``BucketAmount`` rows; only the ``top`` partners are listed.

    Amounts are summed first and rounded to the cent once, at the end.
    """
    sums = defaultdict(float)
    for item in amounts:
        sums[item.currency, item.partner, item.bucket] += item.amount
    partners, totals = {}, dict.fromkeys(BUCKETS, 0.0)
    for (currency, partner, bucket), amount in sums.items():
        row = partners.get((currency, partner))
        if row is None:
            row = partners[currency, partner] = PartnerAging(partner, currency)
        row.buckets[bucket] = round(amount, 2)
        totals[bucket] += amount
    ranked = heapq.nsmallest(top, partners.values(), key=_rank)
    return AgingReport(
        as_of=as_of,
        totals={bucket: round(amount, 2) for bucket, amount in totals.items()},
        partners=ranked,
        partner_count=len(partners),
    )


def _rank(row):
    """Largest total first, then by partner; the amounts without a partner after the others of their total."""
    return -row.total, row.partner is None, row.partner or 0
