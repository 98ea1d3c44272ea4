"""When card sales reach the bank, and what the processor keeps.

The shop sells Monday to Saturday.  The processor settles each day's sales
the next business day, except that Friday and Saturday form one weekend
batch deposited on Monday.

>>> from datetime import date
>>> batch_of(date(2025, 3, 5))       # a Wednesday
(datetime.date(2025, 3, 5), datetime.date(2025, 3, 6))
>>> batch_of(date(2025, 3, 8))       # a Saturday joins Friday's batch
(datetime.date(2025, 3, 7), datetime.date(2025, 3, 10))
>>> card_fee(70_914)
1135
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from .chart import CARD_FEE_BASIS_POINTS

FRIDAY, SATURDAY, SUNDAY = 4, 5, 6


class ClosedOnSunday(ValueError):
    """There are no card sales on Sundays, so no batch either."""


def batch_of(day):
    """``(batch date, deposit date)`` of a card sale made on ``day``."""
    weekday = day.weekday()
    if weekday == SUNDAY:
        raise ClosedOnSunday(day)
    if weekday == SATURDAY:
        return day - timedelta(days=1), day + timedelta(days=2)
    if weekday == FRIDAY:
        return day, day + timedelta(days=3)
    return day, day + timedelta(days=1)


def card_fee(gross):
    """The processor's fee on a batch of ``gross`` cents, rounded half up to the cent."""
    return int((Decimal(gross) * CARD_FEE_BASIS_POINTS / 10_000).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
