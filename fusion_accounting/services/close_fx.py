"""Open foreign-currency items at a period end: what they are worth at the period-end rate, against what is booked.

Odoo books a foreign-currency invoice at its date's rate and realizes the exchange difference
only when it is paid.  At a period end an accountant revalues what is still open: receivables
and payables in another currency than the company's, and the balance of an account kept in a
foreign currency (a US-dollar bank account).  The adjustment debits or credits each account by
the difference and books it to the company's exchange gain or loss account; it is reversed on
the first day of the next period, when the items are carried at their own rate again.

A revaluation already booked is an open item itself: a line in the foreign currency with no
foreign amount (what Odoo's revaluation and this close post), so it nets the difference away.

>>> fx = FxBooks("CAD", {"USD": 1.40}, (FxItem(1, 7, "asset_receivable", "USD", 1000.0, 135000),), 90, 91)
>>> [finding] = revaluation_findings(fx, date(2026, 3, 31))
>>> finding.key, [(line.account_id, line.debit, line.credit, line.currency) for line in finding.lines]
('fx_revaluation:USD:2026-03', [(7, 5000, 0, 'USD'), (90, 0, 5000, '')])
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from .close_books import EXPENSE_TYPES, AdjustmentLine, Finding, cents_text

KIND = "fx_revaluation"
OPEN_ITEM_TYPES = frozenset({"asset_receivable", "liability_payable"})
PROFIT_AND_LOSS_TYPES = EXPENSE_TYPES | {"income", "income_other", "off_balance"}
ROUNDING_CENTS = 1  # per item: what rounding each conversion may leave, not a difference worth booking
EVIDENCE_ITEMS = 20
CONFIDENCE = 0.9


@dataclass(frozen=True)
class FxItem:
    """An open journal item (or, ``id`` 0, the balance of an account kept in a foreign currency) at the period end."""

    id: int
    account_id: int
    account_type: str
    currency: str  # the item's currency (ISO code)
    residual_currency: float  # open amount in ``currency``, signed (debit positive)
    residual: int  # open amount booked in the company's currency, cents, signed
    account_currency: str = ""  # the account's own currency, when it has one
    label: str = ""


@dataclass(frozen=True)
class FxBooks:
    company_currency: str
    rates: dict  # currency -> company-currency units for one unit at the period end (Odoo's ``_convert``)
    items: tuple[FxItem, ...]
    gain_account_id: int | None = None
    loss_account_id: int | None = None


def revalued(item, company_currency):
    """Odoo revalues open receivables and payables in a foreign currency, and any balance-sheet account kept in one."""
    if item.currency == company_currency:
        return False
    if item.account_currency and item.account_currency != company_currency:
        return item.account_currency == item.currency and item.account_type not in PROFIT_AND_LOSS_TYPES
    return item.account_type in OPEN_ITEM_TYPES


def _differences(items, rate):
    """``{account: (cents at the period-end rate - cents booked, items)}`` for accounts off by more than rounding."""
    by_account = defaultdict(list)
    for item in items:
        by_account[item.account_id].append(item)
    found = {}
    for account, members in sorted(by_account.items()):
        # One conversion of the account's open amount, as Odoo's revaluation rounds it.
        target = round(sum(item.residual_currency for item in members) * rate * 100)
        difference = target - sum(item.residual for item in members)
        if abs(difference) > ROUNDING_CENTS * len(members):
            found[account] = (difference, members)
    return found


def _lines(differences, currency, gain, loss):
    """Each account by its difference (in its currency, no foreign amount), the total to gain or loss."""
    net = defaultdict(int)
    item_lines = []
    for account, (difference, _members) in differences.items():
        item_lines.append(AdjustmentLine(account, max(difference, 0), max(-difference, 0), currency))
        net[gain if difference > 0 else loss] -= difference
    other = [AdjustmentLine(a, max(c, 0), max(-c, 0)) for a, c in sorted(net.items()) if c]
    return tuple(item_lines + other)


def _item_evidence(item, rate):
    at_rate = round(item.residual_currency * rate * 100)
    booked_rate = item.residual / 100 / item.residual_currency if item.residual_currency else None
    return {
        "id": item.id,
        "account_id": item.account_id,
        "label": item.label,
        "amount_currency": item.residual_currency,
        "booked": item.residual / 100,
        "booked_rate": round(booked_rate, 6) if booked_rate is not None else None,
        "at_period_end_rate": at_rate / 100,
        "difference": (at_rate - item.residual) / 100,
    }


def revaluation_findings(fx: FxBooks | None, period_end: date):
    """One finding per foreign currency whose open items are not carried at the period-end rate."""
    if fx is None:
        return []
    by_currency = defaultdict(list)
    for item in fx.items:
        if revalued(item, fx.company_currency):
            by_currency[item.currency].append(item)
    findings = []
    reversal = period_end + timedelta(days=1)
    for currency, items in sorted(by_currency.items()):
        rate = fx.rates.get(currency)
        differences = _differences(items, rate) if rate else {}
        if not differences:
            continue
        total = sum(difference for difference, _members in differences.values())
        lines = ()
        if fx.gain_account_id and fx.loss_account_id:
            lines = _lines(differences, currency, fx.gain_account_id, fx.loss_account_id)
        members = [item for _difference, group in differences.values() for item in group]
        month = period_end.isoformat()[:7]
        findings.append(
            Finding(
                KIND,
                f"{KIND}:{currency}:{month}",
                period_end,
                f"Unrealized exchange {'gain' if total > 0 else 'loss'} of {cents_text(abs(total))} on open "
                f"{currency} items at the {period_end} rate ({rate:g}); reverse on {reversal}",
                {
                    "period": month,
                    "currency": currency,
                    "rate": rate,
                    "company_currency": fx.company_currency,
                    "reverse_on": reversal.isoformat(),
                    "difference": total / 100,
                    "accounts": {str(a): d / 100 for a, (d, _m) in differences.items()},
                    "item_count": len(members),
                    "items": [_item_evidence(item, rate) for item in members[:EVIDENCE_ITEMS]],
                    **({} if lines else {"missing": "the company's exchange gain and loss accounts"}),
                },
                CONFIDENCE if lines else 0.4,
                lines,
            )
        )
    return findings
