"""A partner's open receivables as of a day: items, aging and totals.

>>> from datetime import date
>>> from decimal import Decimal
>>> summary = summarize(42, "CAD", [OpenItem(1, Decimal("80"), date(2025, 1, 1)),
...                                 OpenItem(2, Decimal("20"), date(2025, 3, 1))], today=date(2025, 2, 1))
>>> summary.total_due, summary.total_overdue, summary.max_days_overdue
(Decimal('100'), Decimal('80'), 31)
>>> summary.to_dict()["aging"]["31_60"]
'80'
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .open_item import OpenItem
from .overdue_aging import Aging, age_items


@dataclass(frozen=True)
class PartnerOverdue:
    partner_id: int
    currency: str
    today: date
    items: tuple[OpenItem, ...]
    aging: Aging

    @property
    def total_due(self) -> Decimal:
        return self.aging.total

    @property
    def total_overdue(self) -> Decimal:
        return self.aging.overdue

    @property
    def overdue_items(self) -> tuple[OpenItem, ...]:
        """Items past due that a follow-up may mention (debits not excluded by ``no_followup``)."""
        return tuple(item for item in self.items if is_followed_up(item, self.today))

    @property
    def max_days_overdue(self) -> int:
        return max((item.days_overdue(self.today) for item in self.overdue_items), default=0)

    def to_dict(self) -> dict:
        """JSON-ready form (amounts as strings, so no precision is lost on the wire)."""
        return {
            "partner_id": self.partner_id,
            "currency": self.currency,
            "today": self.today.isoformat(),
            "total_due": str(self.total_due),
            "total_overdue": str(self.total_overdue),
            "max_days_overdue": self.max_days_overdue,
            "aging": {key: str(amount) for key, amount in self.aging.amounts.items()},
            "items": [
                {
                    "line_id": item.line_id,
                    "reference": item.reference,
                    "date_maturity": item.date_maturity.isoformat(),
                    "amount_residual": str(item.amount_residual),
                    "days_overdue": item.days_overdue(self.today),
                    "level_id": item.last_level_id,
                    "excluded": item.excluded,
                }
                for item in self.items
            ],
        }


def is_followed_up(item: OpenItem, today: date) -> bool:
    """Whether a follow-up may mention ``item``: a debit past due, not excluded by ``no_followup``."""
    return item.days_overdue(today) > 0 and item.amount_residual > 0 and not item.excluded


def summarize(partner_id: int, currency: str, items: Iterable[OpenItem], today: date) -> PartnerOverdue:
    """Build the summary; items are kept oldest due date first."""
    ordered = tuple(sorted(items, key=lambda item: (item.date_maturity, item.line_id)))
    return PartnerOverdue(partner_id, currency, today, ordered, age_items(ordered, today))
