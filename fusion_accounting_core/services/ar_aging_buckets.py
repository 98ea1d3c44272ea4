"""Aging buckets of open receivables and payables (design 3.4: current, 1-30, 31-60, 61-90, 90+).

The tools place each amount in its bucket in SQL, from :data:`LATE_LIMITS`;
this module sums them per partner and in total and ranks the partners.

>>> amounts = [BucketAmount("CAD", 7, "90+", 100.0), BucketAmount("CAD", 8, "1-30", 0.1),
...            BucketAmount("CAD", 8, "1-30", 0.2)]
>>> report = bucketed_report(amounts, as_of=None, top=1)
>>> report.totals["90+"], report.totals["1-30"], report.partners[0].partner, report.partner_count
(100.0, 0.3, 7, 2)
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
# ``(most days late, bucket)`` in order; anything later is in OLDEST.
LATE_LIMITS = ((0, "current"), (30, "1-30"), (60, "31-60"), (90, "61-90"))
OLDEST = "90+"


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
