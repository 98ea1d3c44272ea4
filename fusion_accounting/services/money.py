"""Amounts as integer cents, so that matching compares exact values.

>>> to_cents(12.345), to_cents(-0.1 - 0.2), from_cents(-1505)
(1235, -30, -15.05)
"""

from decimal import ROUND_HALF_UP, Decimal


def to_cents(amount):
    """Round a currency amount (float, int or Decimal) half away from zero to integer cents."""
    return int(Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)


def from_cents(cents):
    """Cents back to a float amount, for JSON results."""
    return cents / 100
