"""Aging buckets of open receivables (design 3.4: current, 1-30, 31-60, 61-90, 90+).

>>> from datetime import date
>>> bucket_of(date(2026, 10, 31), date(2026, 10, 31)), bucket_of(date(2026, 10, 1), date(2026, 10, 31))
('current', '1-30')
>>> report = aging_report([OpenItem("CAD", "Acme", date(2026, 7, 1), 100.0)], as_of=date(2026, 10, 31), top=5)
>>> report.totals["90+"], report.partners[0].total
(100.0, 100.0)
"""

from dataclasses import dataclass, field

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
_LIMITS = ((0, "current"), (30, "1-30"), (60, "31-60"), (90, "61-90"))


@dataclass(frozen=True)
class OpenItem:
    """An open amount of one partner (a name or any sortable key), due on ``due`` (company currency)."""

    currency: str
    partner: object
    due: object  # date
    amount: float


@dataclass
class PartnerAging:
    partner: str
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


def bucket_of(due, as_of):
    """The bucket of an amount due on ``due``, counted on ``as_of``."""
    days_late = (as_of - due).days if due else 0
    for limit, name in _LIMITS:
        if days_late <= limit:
            return name
    return "90+"


def aging_report(items, *, as_of, top):
    """Buckets per partner and in total; only the ``top`` partners by total are listed."""
    partners = {}
    totals = dict.fromkeys(BUCKETS, 0.0)
    for item in items:
        row = partners.setdefault((item.currency, item.partner), PartnerAging(item.partner, item.currency))
        bucket = bucket_of(item.due, as_of)
        row.buckets[bucket] = round(row.buckets[bucket] + item.amount, 2)
        totals[bucket] = round(totals[bucket] + item.amount, 2)
    ranked = sorted(partners.values(), key=lambda row: (-row.total, row.partner))
    return AgingReport(as_of=as_of, totals=totals, partners=ranked[:top], partner_count=len(partners))
