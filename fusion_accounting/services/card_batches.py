"""Card payments summed by the deposit batch they settle in.

The processor deposits each business day's card payments as one batch, net
of its fee; Friday's and Saturday's (and Sunday's, when the shop opens) are
deposited together as one weekend batch.

>>> from datetime import date
>>> days = {date(2026, 3, 5): 10000, date(2026, 3, 6): 20000, date(2026, 3, 7): 5000}
>>> [(b.days, b.gross, b.expected_net) for b in batches_by_day(days, fee_bps=160)]
[(('2026-03-05',), 10000, 9840), (('2026-03-06', '2026-03-07'), 25000, 24600)]
"""

from dataclasses import dataclass
from datetime import timedelta

FRIDAY = 4
WEEKEND = (5, 6)  # Saturday and Sunday join Friday's batch


@dataclass(frozen=True)
class Batch:
    """One expected deposit: its days (ISO strings), gross card total and net of the fee, in cents."""

    days: tuple
    gross: int
    count: int
    expected_net: int

    def as_dict(self):
        return {
            "days": list(self.days),
            "gross": self.gross / 100,
            "count": self.count,
            "expected_fee": (self.gross - self.expected_net) / 100,
            "expected_net": self.expected_net / 100,
        }


def batch_day(day):
    """The day that opens ``day``'s batch: the Friday before for a weekend day, else the day itself.

    >>> from datetime import date
    >>> batch_day(date(2026, 3, 8)), batch_day(date(2026, 3, 9))
    (datetime.date(2026, 3, 6), datetime.date(2026, 3, 9))
    """
    if day.weekday() in WEEKEND:
        return day - timedelta(days=day.weekday() - FRIDAY)
    return day


def batches_by_day(gross_by_day, fee_bps, count_by_day=None):
    """Group ``{day: gross cents}`` into batches in date order; the fee is ``fee_bps`` of each batch."""
    grouped = {}
    for day in sorted(gross_by_day):
        grouped.setdefault(batch_day(day), []).append(day)
    result = []
    for opening in sorted(grouped):
        days = grouped[opening]
        gross = sum(gross_by_day[day] for day in days)
        count = sum((count_by_day or {}).get(day, 0) for day in days)
        fee = round(gross * fee_bps / 10_000)
        result.append(Batch(tuple(day.isoformat() for day in days), gross, count, gross - fee))
    return result
