"""How big each demo company is.

>>> SIZES["small"].customers < SIZES["medium"].customers < SIZES["large"].customers
True
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    """The knobs of one size; rates are per partner and month unless said otherwise."""

    name: str
    customers: int
    vendors: int
    employees: int
    months: int
    invoices_per_customer_month: float
    counter_sales_per_day: float
    bills_per_vendor_month: float
    adp_share: float
    duplicate_bills: int
    unreconciled_days: int
    purchase_orders: int  # bills of stock purchases that bill a purchase order (when Purchase is installed)


SIZES = {
    "small": Size("small", 38, 8, 3, 13, 0.7, 1.0, 1.2, 0.2, 2, 21, 12),
    "medium": Size("medium", 1_900, 90, 12, 13, 0.22, 4.0, 1.5, 0.2, 5, 21, 120),
    "large": Size("large", 9_600, 350, 40, 13, 1.15, 30.0, 3.0, 0.2, 20, 21, 400),
}


class UnknownSize(ValueError):
    """Raised for a size name that is not in :data:`SIZES`."""


def size_named(name):
    """The :class:`Size` called ``name``; raise :class:`UnknownSize` otherwise."""
    try:
        return SIZES[name]
    except KeyError:
        raise UnknownSize(f"unknown size {name!r}: choose among {', '.join(SIZES)}") from None
