"""The AR and AP cards' figures, from the same bucketed amounts the aging tools sum.

The dashboard reads the rows ``open_amounts_by_bucket`` returns (one amount per
currency, partner and bucket, debit positive) and sums them here, so the card's
total is the aging tool's total to the cent.

>>> from collections import namedtuple
>>> Row = namedtuple("Row", "currency partner bucket amount")
>>> rows = [Row("CAD", 1, "current", 100.0), Row("CAD", 1, "1-30", 40.0), Row("CAD", 2, "90+", 60.0),
...         Row("CAD", 3, "31-60", -10.0), Row("USD", 4, "current", 5.0)]
>>> figures = aging_figures(rows)
>>> figures["CAD"]
AgingFigures(total=190.0, overdue=90.0, overdue_partners=2)
>>> figures["USD"]
AgingFigures(total=5.0, overdue=0.0, overdue_partners=0)
"""

from collections import defaultdict
from dataclasses import dataclass

CURRENT_BUCKET = "current"


@dataclass(frozen=True)
class AgingFigures:
    total: float
    overdue: float
    # Partners whose past-due buckets sum to more than zero: a credit note in one
    # bucket that cancels an invoice in another leaves nothing to chase.
    overdue_partners: int


def aging_figures(rows, current=CURRENT_BUCKET):
    """``{currency: AgingFigures}`` of rows with ``currency``, ``partner``, ``bucket`` and ``amount``.

    Each bucket is summed and rounded to the cent, then the buckets are added, as the
    aging report's totals are: the card's total is the sum of the tool's bucket totals.
    """
    buckets = defaultdict(float)
    overdue_by_partner = defaultdict(float)
    for row in rows:
        buckets[row.currency, row.bucket] += row.amount
        if row.bucket != current:
            overdue_by_partner[row.currency, row.partner] += row.amount
    figures = {}
    for currency in dict.fromkeys(cur for cur, _bucket in buckets):
        rounded = {bucket: round(amount, 2) for (cur, bucket), amount in buckets.items() if cur == currency}
        late = [amount for (cur, _partner), amount in overdue_by_partner.items() if cur == currency]
        figures[currency] = AgingFigures(
            total=round(sum(rounded.values()), 2),
            overdue=round(sum((amount for bucket, amount in rounded.items() if bucket != current), 0.0), 2),
            overdue_partners=sum(1 for amount in late if round(amount, 2) > 0),
        )
    return figures
