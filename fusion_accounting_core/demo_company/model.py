"""The demo plan: what the company's books will contain, before any record exists.

Amounts are integer cents.  A *key* names every planned document and every
open item (a journal item that something else will settle) so that the writer
can map keys to record ids and the answer key can speak of both.

Signs follow the journal: ``balance`` is debit minus credit.

>>> line = InvoiceLine("Walker", 12_300, "hst13_sale", "sales")
>>> line.tax
1599
>>> invoice = Invoice("inv_1", "out_invoice", "cus_1", date(2025, 1, 6), date(2025, 2, 5), "", (line,))
>>> invoice.untaxed, invoice.tax, invoice.total
(12300, 1599, 13899)
>>> invoice.item_balance
13899
"""

from dataclasses import dataclass, field
from datetime import date

from .chart import HST_RATE_PERCENT

TAX_PERCENT = {"hst13_sale": HST_RATE_PERCENT, "hst13_purchase": HST_RATE_PERCENT, "zero_sale": 0, None: 0}

BEHAVIOURS = ("on_time", "late", "partial", "non_payer", "disputed", "with_credits")


@dataclass(frozen=True)
class Partner:
    """A customer, vendor, employee or agency.

    ``behaviour`` (customers only) is one of :data:`BEHAVIOURS`; ``late_days``
    is the customer's typical delay after the due date.  ``hst_registered``
    (vendors) says whether its bills normally carry HST, i.e. an input tax credit.
    """

    key: str
    name: str
    role: str
    behaviour: str = ""
    late_days: int = 0
    adp: bool = False
    hst_registered: bool = True
    expense_role: str = ""
    annual_salary: int = 0


@dataclass(frozen=True)
class InvoiceLine:
    """One invoice line.  Line amounts are whole dollars, so 13 % HST is exact in cents.

    ``quantity`` divides ``amount`` exactly: the unit price is ``amount // quantity`` cents.
    """

    label: str
    amount: int
    tax_role: str | None
    account: str
    quantity: int = 1

    @property
    def price_unit(self):
        return self.amount // self.quantity

    @property
    def tax(self):
        """HST in cents: exact, because ``amount`` is a whole number of dollars."""
        return self.amount * TAX_PERCENT[self.tax_role] // 100


@dataclass(frozen=True)
class Invoice:
    """A customer invoice or credit note, or a vendor bill (``move_type`` as in Odoo).

    The invoice has one receivable (or payable) journal item, the open item
    named by ``key``.  ``state`` is ``posted`` or ``draft``.
    """

    key: str
    move_type: str
    partner: str
    date: date
    due_date: date
    ref: str
    lines: tuple
    state: str = "posted"

    @property
    def untaxed(self):
        return sum(line.amount for line in self.lines)

    @property
    def tax(self):
        return sum(line.tax for line in self.lines)

    @property
    def total(self):
        return self.untaxed + self.tax

    @property
    def item_balance(self):
        """Balance of the receivable/payable item: customers owe (debit), we owe vendors (credit)."""
        sign = 1 if self.move_type in ("out_invoice", "in_refund") else -1
        return sign * self.total


@dataclass(frozen=True)
class EntryLine:
    """One journal item of a planned entry.

    ``item`` names it when something will settle it later; ``settles`` names
    the open item it is reconciled with as soon as it is written.
    """

    account: str
    balance: int
    partner: str = ""
    label: str = ""
    item: str = ""
    settles: str = ""


@dataclass(frozen=True)
class Entry:
    """A journal entry in ``journal`` (a role of :data:`chart.JOURNALS`); its lines balance."""

    key: str
    journal: str
    date: date
    ref: str
    lines: tuple
    kind: str
    state: str = "posted"

    @property
    def is_balanced(self):
        return sum(line.balance for line in self.lines) == 0


@dataclass(frozen=True)
class Counterpart:
    """What a bank line settles: an open ``item`` (by key) or an ``account`` (a write-off), for ``balance``."""

    balance: int
    item: str = ""
    account: str = ""
    partner: str = ""


@dataclass(frozen=True)
class BankLine:
    """A bank statement line; ``amount`` > 0 is a deposit.

    ``counterparts`` say what it pays; they balance it: ``amount + sum(balance) == 0``.
    A reconciled line is booked against them when written; an unreconciled one
    stays in the suspense account and its counterparts become the answer key.
    """

    key: str
    date: date
    amount: int
    label: str
    kind: str
    counterparts: tuple
    partner: str = ""
    reconciled: bool = True

    @property
    def is_balanced(self):
        return self.amount + sum(c.balance for c in self.counterparts) == 0


@dataclass(frozen=True)
class Defect:
    """A planted mistake the co-pilot should find: ``kind`` and the keys of the records involved."""

    kind: str
    keys: tuple
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class OrderLine:
    """What a purchase order line asked for: ``quantity`` units at ``price_unit`` cents, received in full."""

    quantity: int
    price_unit: int


@dataclass(frozen=True)
class PurchaseOrder:
    """A confirmed purchase order that ``bill`` bills, one order line per bill line (same order).

    ``mismatch`` is empty when the bill agrees with the order, else ``price`` or
    ``quantity``: the first bill line's unit price or quantity differs from what
    was ordered and received (a planted ``bill_po_mismatch``).  Written only when
    the database has the Purchase app.
    """

    key: str
    bill: str
    vendor: str
    date: date
    lines: tuple
    mismatch: str = ""


@dataclass(frozen=True)
class DemoPlan:
    """Everything the writer creates, in creation order within each list."""

    size: str
    seed: int
    today: date
    start: date
    lock_date: date
    company_name: str
    partners: tuple
    invoices: tuple
    entries: tuple
    bank_lines: tuple
    defects: tuple
    facts: dict = field(default_factory=dict)
    purchase_orders: tuple = ()
    close_gaps: tuple = ()  # close_plan.CloseGap: the closing errors the month-end close should fix

    def items(self):
        """Every open item by key: ``{key: (account role, balance, partner key)}``."""
        found = {}
        for invoice in self.invoices:
            role = "receivable" if invoice.move_type.startswith("out_") else "payable"
            found[invoice.key] = (role, invoice.item_balance, invoice.partner)
        for entry in self.entries:
            for line in entry.lines:
                if line.item:
                    found[line.item] = (line.account, line.balance, line.partner)
        return found


@dataclass
class Written:
    """What :func:`write_plan` created: record ids by plan key, and figures."""

    company_id: int
    partners: dict = field(default_factory=dict)  # partner key -> res.partner id
    moves: dict = field(default_factory=dict)  # invoice/entry/bank line key -> account.move id
    move_names: dict = field(default_factory=dict)  # same keys -> account.move name
    statement_lines: dict = field(default_factory=dict)  # bank line key -> account.bank.statement.line id
    purchase_orders: dict = field(default_factory=dict)  # purchase order key -> (purchase.order id, name)
    items: dict = field(default_factory=dict)  # open item key -> account.move.line id
    accounts: dict = field(default_factory=dict)  # account role -> account.account id
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
