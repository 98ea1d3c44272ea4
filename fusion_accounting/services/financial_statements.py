"""Profit and loss, balance sheet, trial balance, cash flow and period comparison from account balances.

Community has no report engine, so the statements are computed here from plain
balances (debit minus credit, Odoo's sign) grouped by Odoo's ``account_type``.
Three invariants hold by construction and are tested as properties:

* the trial balance sums to zero when the books balance;
* the P&L's net income equals the balance sheet's current-year earnings;
* the cash flow (indirect method) explains opening to closing cash.

>>> rows = [AccountBalance("1000", "Bank", "asset_cash", Decimal("150")),
...         AccountBalance("4000", "Sales", "income", Decimal("-200")),
...         AccountBalance("5000", "Rent", "expense", Decimal("50"))]
>>> profit_and_loss(rows).totals["net_income"]
Decimal('150')
>>> trial_balance(rows).balanced
True
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")

ASSET_TYPES = (
    "asset_receivable",
    "asset_cash",
    "asset_current",
    "asset_non_current",
    "asset_prepayments",
    "asset_fixed",
)
CURRENT_ASSET_TYPES = ("asset_receivable", "asset_current", "asset_prepayments")
LIABILITY_TYPES = ("liability_payable", "liability_credit_card", "liability_current", "liability_non_current")
CURRENT_LIABILITY_TYPES = ("liability_payable", "liability_credit_card", "liability_current")
EQUITY_TYPES = ("equity", "equity_unaffected")
INCOME_TYPES = ("income", "income_other")
EXPENSE_TYPES = ("expense", "expense_other", "expense_depreciation", "expense_direct_cost")
PL_TYPES = INCOME_TYPES + EXPENSE_TYPES
# Off-balance accounts (memorandum) balance among themselves and belong to no statement.
KNOWN_TYPES = frozenset(ASSET_TYPES + LIABILITY_TYPES + EQUITY_TYPES + PL_TYPES + ("off_balance",))


class UnknownAccountTypeError(ValueError):
    """A balance carries an account type no statement knows where to put."""


@dataclass(frozen=True)
class AccountBalance:
    """One account's balance (debit minus credit) over a period or up to a date."""

    code: str
    name: str
    account_type: str
    balance: Decimal


@dataclass(frozen=True)
class StatementLine:
    """One account on a statement, shown with the statement's sign (revenue and liabilities positive)."""

    section: str
    code: str
    name: str
    amount: Decimal


@dataclass(frozen=True)
class Statement:
    """A statement: its lines by section, and named totals."""

    title: str
    lines: tuple
    totals: dict = field(default_factory=dict)

    def section(self, name):
        return tuple(line for line in self.lines if line.section == name)


def _check_types(balances):
    for row in balances:
        if row.account_type not in KNOWN_TYPES:
            raise UnknownAccountTypeError(f"account {row.code} has unknown type {row.account_type!r}")


def _sum(balances, types):
    return sum((row.balance for row in balances if row.account_type in types), ZERO)


def _lines(balances, types, section, sign):
    rows = sorted((row for row in balances if row.account_type in types and row.balance), key=lambda r: r.code)
    return [StatementLine(section, row.code, row.name, sign * row.balance) for row in rows]


def net_income(balances):
    """Income minus expenses of ``balances`` (the P&L accounts' balances, sign flipped)."""
    _check_types(balances)
    return -_sum(balances, PL_TYPES)


def profit_and_loss(balances):
    """The P&L of a period from the period's balances."""
    _check_types(balances)
    revenue = -_sum(balances, ("income",))
    cost_of_revenue = _sum(balances, ("expense_direct_cost",))
    operating = _sum(balances, ("expense", "expense_depreciation"))
    other_income = -_sum(balances, ("income_other",))
    other_expenses = _sum(balances, ("expense_other",))
    gross_profit = revenue - cost_of_revenue
    operating_income = gross_profit - operating
    lines = (
        _lines(balances, ("income",), "revenue", -1)
        + _lines(balances, ("expense_direct_cost",), "cost_of_revenue", 1)
        + _lines(balances, ("expense", "expense_depreciation"), "operating_expenses", 1)
        + _lines(balances, ("income_other",), "other_income", -1)
        + _lines(balances, ("expense_other",), "other_expenses", 1)
    )
    return Statement(
        "Profit and Loss",
        tuple(lines),
        {
            "revenue": revenue,
            "cost_of_revenue": cost_of_revenue,
            "gross_profit": gross_profit,
            "operating_expenses": operating,
            "operating_income": operating_income,
            "other_income": other_income,
            "other_expenses": other_expenses,
            "net_income": operating_income + other_income - other_expenses,
        },
    )


def balance_sheet(balances, current_year_balances):
    """The balance sheet at a date.

    Args:
        balances: every account's cumulative balance up to the date (all years).
        current_year_balances: P&L accounts' balances from the fiscal year start
            to the date; their net income is the *current-year earnings* line.
    """
    _check_types(balances)
    current_year_earnings = net_income(current_year_balances)
    assets = _sum(balances, ASSET_TYPES)
    liabilities = -_sum(balances, LIABILITY_TYPES)
    equity_accounts = -_sum(balances, ("equity",))
    # Earnings of earlier years not yet closed into an equity account, plus the
    # undistributed-profits account Odoo closes them into.
    retained = -_sum(balances, (*PL_TYPES, "equity_unaffected")) - current_year_earnings
    equity = equity_accounts + retained + current_year_earnings
    lines = (
        _lines(balances, ASSET_TYPES, "assets", 1)
        + _lines(balances, LIABILITY_TYPES, "liabilities", -1)
        + _lines(balances, ("equity",), "equity", -1)
    )
    return Statement(
        "Balance Sheet",
        tuple(lines),
        {
            "assets": assets,
            "liabilities": liabilities,
            "equity_accounts": equity_accounts,
            "retained_earnings": retained,
            "current_year_earnings": current_year_earnings,
            "equity": equity,
            "liabilities_and_equity": liabilities + equity,
            "difference": assets - liabilities - equity,
        },
    )


@dataclass(frozen=True)
class TrialBalanceRow:
    """One account of the trial balance, its balance split into a debit or a credit column."""

    code: str
    name: str
    account_type: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class TrialBalance:
    """Rows by account code and column totals; ``balanced`` when debits equal credits."""

    rows: tuple
    total_debit: Decimal
    total_credit: Decimal

    @property
    def balanced(self):
        return self.total_debit == self.total_credit


def trial_balance(balances):
    """Trial balance of ``balances`` (one row per account with a non-zero balance)."""
    _check_types(balances)
    merged = defaultdict(lambda: ZERO)
    info = {}
    for row in balances:
        merged[row.code] += row.balance
        info[row.code] = row
    rows = tuple(
        TrialBalanceRow(code, info[code].name, info[code].account_type, max(amount, ZERO), max(-amount, ZERO))
        for code, amount in sorted(merged.items())
        if amount
    )
    return TrialBalance(rows, sum((r.debit for r in rows), ZERO), sum((r.credit for r in rows), ZERO))


def _by_code(balances):
    found = {}
    for row in balances:
        previous = found.get(row.code)
        found[row.code] = (
            row
            if previous is None
            else AccountBalance(row.code, row.name, row.account_type, previous.balance + row.balance)
        )
    return found


def cash_flow(opening, closing):
    """Cash flow statement (indirect method) between two cumulative trial balances.

    Args:
        opening: every account's cumulative balance the day before the period.
        closing: every account's cumulative balance at the period's end.

    Operating = net income + depreciation - increase in current non-cash assets
    + increase in current liabilities; investing = - (increase in non-current
    assets + depreciation); financing = increase in non-current liabilities and
    equity.  ``unexplained`` is what these leave of the change in cash: zero
    when both trial balances balance.
    """
    _check_types(opening)
    _check_types(closing)
    before, after = _by_code(opening), _by_code(closing)
    changes = []
    for code in sorted(set(before) | set(after)):
        ref = after.get(code) or before[code]
        delta = (after[code].balance if code in after else ZERO) - (before[code].balance if code in before else ZERO)
        changes.append(AccountBalance(code, ref.name, ref.account_type, delta))
    income = net_income(changes)
    depreciation = _sum(changes, ("expense_depreciation",))
    working_capital = [
        StatementLine("operating", row.code, row.name, -row.balance)
        for row in changes
        if row.balance and row.account_type in CURRENT_ASSET_TYPES + CURRENT_LIABILITY_TYPES
    ]
    operating = income + depreciation + sum((line.amount for line in working_capital), ZERO)
    investing_lines = [
        StatementLine("investing", row.code, row.name, -row.balance)
        for row in changes
        if row.balance and row.account_type in ("asset_fixed", "asset_non_current")
    ]
    investing = sum((line.amount for line in investing_lines), ZERO) - depreciation
    financing_lines = [
        StatementLine("financing", row.code, row.name, -row.balance)
        for row in changes
        if row.balance and row.account_type in ("liability_non_current", *EQUITY_TYPES)
    ]
    financing = sum((line.amount for line in financing_lines), ZERO)
    opening_cash = sum((row.balance for row in before.values() if row.account_type == "asset_cash"), ZERO)
    closing_cash = sum((row.balance for row in after.values() if row.account_type == "asset_cash"), ZERO)
    net_change = operating + investing + financing
    return Statement(
        "Cash Flow",
        tuple(working_capital + investing_lines + financing_lines),
        {
            "net_income": income,
            "depreciation": depreciation,
            "operating": operating,
            "investing": investing,
            "financing": financing,
            "net_change": net_change,
            "opening_cash": opening_cash,
            "closing_cash": closing_cash,
            "unexplained": closing_cash - opening_cash - net_change,
        },
    )


@dataclass(frozen=True)
class ComparisonRow:
    """One line or total of two statements side by side; ``change_pct`` is ``None`` when the base is zero."""

    section: str
    code: str
    name: str
    current: Decimal
    previous: Decimal
    change: Decimal
    change_pct: Decimal | None


def _row(section, code, name, current, previous):
    change = current - previous
    pct = (change / abs(previous) * 100).quantize(Decimal("0.1")) if previous else None
    return ComparisonRow(section, code, name, current, previous, change, pct)


def compare_statements(current, previous):
    """Lines and totals of two statements of the same kind, matched by section and account code.

    >>> a = Statement("P&L", (StatementLine("revenue", "4000", "Sales", Decimal(120)),), {"net_income": Decimal(20)})
    >>> b = Statement("P&L", (StatementLine("revenue", "4000", "Sales", Decimal(100)),), {"net_income": Decimal(40)})
    >>> [(r.code, r.change, r.change_pct) for r in compare_statements(a, b)]
    [('4000', Decimal('20'), Decimal('20.0')), ('net_income', Decimal('-20'), Decimal('-50.0'))]
    """
    now = {(line.section, line.code): line for line in current.lines}
    then = {(line.section, line.code): line for line in previous.lines}
    order = list(now) + [key for key in then if key not in now]
    rows = [
        _row(
            section,
            code,
            (now.get((section, code)) or then[(section, code)]).name,
            now[(section, code)].amount if (section, code) in now else ZERO,
            then[(section, code)].amount if (section, code) in then else ZERO,
        )
        for section, code in order
    ]
    names = list(current.totals) + [name for name in previous.totals if name not in current.totals]
    rows += [
        _row("totals", name, name.replace("_", " "), current.totals.get(name, ZERO), previous.totals.get(name, ZERO))
        for name in names
    ]
    return tuple(rows)
