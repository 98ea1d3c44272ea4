"""The value type every follow-up service reads: one open receivable journal item."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class OpenItem:
    """An unreconciled receivable line, as the engine reads it from the ledger.

    ``amount_residual`` is signed in company currency: invoices are positive,
    unapplied payments and credit notes negative.  ``excluded`` mirrors
    Community's ``no_followup`` flag: the item counts in the balance and the
    aging, never in the choice of a level.

    >>> item = OpenItem(line_id=7, amount_residual=Decimal("120.00"), date_maturity=date(2025, 1, 31))
    >>> item.days_overdue(date(2025, 3, 2))
    30
    >>> item.days_overdue(date(2025, 1, 31))
    0
    """

    line_id: int
    amount_residual: Decimal
    date_maturity: date
    reference: str = ""
    last_level_id: int | None = None
    excluded: bool = False
    last_sent_on: date | None = None  # the day a follow-up last stamped this item

    def days_overdue(self, today: date) -> int:
        """Days past the due date; zero or negative while the item is not due yet."""
        return (today - self.date_maturity).days
