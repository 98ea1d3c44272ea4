"""The books the month-end close reads, and the adjustments it proposes: plain values, amounts in cents.

Accounts are known by their Odoo ``account_type`` (``expense``, ``asset_prepayments``...), never by code
or name: the close must work on any chart.

>>> adj = adjustment_lines({1: 3}, {2: 1, 3: 2}, 1000)
>>> [(line.account_id, line.debit, line.credit) for line in adj], balanced(adj)
([(1, 1000, 0), (2, 0, 333), (3, 0, 667)], True)
>>> month_index(date(2026, 3, 31)), month_label(month_index(date(2026, 3, 31))), month_end(24314)
(24314, '2026-03', datetime.date(2026, 3, 31))
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property

EXPENSE_TYPES = frozenset({"expense", "expense_depreciation", "expense_direct_cost", "expense_other"})
LIABILITY_TYPES = frozenset(
    {"liability_current", "liability_non_current", "liability_payable", "liability_credit_card"}
)
# Balance-sheet accounts that a schedule draws down (depreciation, amortization).
SCHEDULE_ASSET_TYPES = frozenset({"asset_fixed", "asset_non_current", "asset_prepayments"})


@dataclass(frozen=True)
class Account:
    id: int
    code: str
    account_type: str


@dataclass(frozen=True)
class Line:
    account_id: int
    balance: int  # cents, debit positive
    partner_id: int | None = None
    label: str = ""
    is_tax: bool = False  # a tax line: not part of what an entry is about


@dataclass(frozen=True)
class Entry:
    id: int
    date: date
    journal_id: int
    journal_type: str  # Odoo journal type: general, sale, purchase, bank, cash
    ref: str
    lines: tuple[Line, ...]
    adjustment_key: str = ""  # an adjusting entry of the close: the finding it resolves
    document: str = ""  # the document's own number (a vendor's bill number), telling two documents apart
    narration: str = ""  # the entry's internal note (a contract's terms, a service period)

    @cached_property
    def _sides(self):
        debits, credits = {}, {}
        for line in self.lines:
            if line.is_tax or not line.balance:
                continue
            side = debits if line.balance > 0 else credits
            side[line.account_id] = side.get(line.account_id, 0) + abs(line.balance)
        return debits, credits, sum(debits.values())

    def debits(self):
        """``{account id: cents}`` debited, tax lines left out (read only: the dict is shared)."""
        return self._sides[0]

    def credits(self):
        """``{account id: cents}`` credited, tax lines left out (read only: the dict is shared)."""
        return self._sides[1]

    @property
    def amount(self):
        return self._sides[2]

    @property
    def partner_id(self):
        return next((line.partner_id for line in self.lines if line.partner_id), None)


@dataclass(frozen=True)
class Books:
    """Posted entries of a window, the accounts they touch and the balances before the window."""

    accounts: dict  # id -> Account
    entries: tuple[Entry, ...]
    opening: dict = field(default_factory=dict)  # account id -> balance in cents before the first entry

    def type_of(self, account_id):
        account = self.accounts.get(account_id)
        return account.account_type if account else ""

    def of_type(self, *types):
        return sorted(a.id for a in self.accounts.values() if a.account_type in types)

    def balance(self, account_id, until):
        """Balance of an account at the end of day ``until``."""
        moved = sum(
            line.balance
            for entry in self.entries
            if entry.date <= until
            for line in entry.lines
            if line.account_id == account_id
        )
        return self.opening.get(account_id, 0) + moved


@dataclass(frozen=True)
class AdjustmentLine:
    account_id: int
    debit: int
    credit: int
    currency: str = ""  # a revaluation line: booked in this currency with no foreign amount


@dataclass(frozen=True)
class Finding:
    """What the close found; ``lines`` is the proposed adjusting entry (empty: review only)."""

    kind: str
    key: str  # stable identity of the finding, for linking it to its proposal
    date: date  # the adjustment's date: the end of the period being closed
    memo: str
    evidence: dict
    confidence: float
    lines: tuple[AdjustmentLine, ...] = ()

    @property
    def amount(self):
        return sum(line.debit for line in self.lines)


def _allocate(shares, amount):
    """``amount`` cents split over ``{account: weight}``; the rounding goes to the largest share."""
    total = sum(shares.values())
    parts = {account: amount * weight // total for account, weight in shares.items()}
    largest = max(shares, key=lambda account: (shares[account], -account))
    parts[largest] += amount - sum(parts.values())
    return parts


def adjustment_lines(debit_shares, credit_shares, amount):
    """A balanced entry of ``amount`` cents: debits split like ``debit_shares``, credits like ``credit_shares``."""
    if amount <= 0 or not debit_shares or not credit_shares:
        return ()
    debits = _allocate(debit_shares, amount)
    credits = _allocate(credit_shares, amount)
    return tuple(
        [AdjustmentLine(a, cents, 0) for a, cents in sorted(debits.items()) if cents]
        + [AdjustmentLine(a, 0, cents) for a, cents in sorted(credits.items()) if cents]
    )


def balanced(lines):
    return sum(line.debit for line in lines) == sum(line.credit for line in lines)


def month_index(day):
    return day.year * 12 + day.month - 1


def month_label(index):
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_end(index):
    year, month = divmod(index + 1, 12)
    return date(year, month + 1, 1) - timedelta(days=1)


def days_in_month(index):
    return month_end(index).day


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_NOISE = re.compile(rf"\b({_MONTHS})\b|\d+|[^\w\s]|_", re.IGNORECASE)


@cache
def label_pattern(text):
    """What stays of a label once dates, numbers and punctuation are gone: 'Rent - March 2026' -> 'rent'."""
    return " ".join(_NOISE.sub(" ", (text or "").lower()).split())


def cents_text(cents):
    return f"{cents / 100:,.2f}"
