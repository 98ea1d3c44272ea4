"""Accounts, journals and taxes of the demo company, by role.

Roles are what the planner speaks of; the writer finds the account by code in
the company's chart (``l10n_ca`` template ``ca_2023``) or creates it with the
name and type given here.  Codes are constants so that tools and tests can
rely on them like on a setting (the ADP receivable is ``1101``, as in the
product design).
"""

from dataclasses import dataclass

CHART_TEMPLATE = "ca_2023"
PROVINCE_CODE = "ON"
CURRENCY = "CAD"
HST_RATE_PERCENT = 13
# The card processor keeps about 1.6 % of every batch, in basis points.
CARD_FEE_BASIS_POINTS = 160
ADP_RECEIVABLE_CODE = "1101"


@dataclass(frozen=True)
class AccountSpec:
    """One account the demo company needs: found by ``code`` or created."""

    code: str
    name: str
    account_type: str
    reconcile: bool = False


ACCOUNTS = {
    # Found in the l10n_ca chart.
    "receivable": AccountSpec("112110", "Trade Accounts Receivable", "asset_receivable", True),
    "payable": AccountSpec(
        "221110", "Accounts Payable - Retail and Wholesale Trade Accounts", "liability_payable", True
    ),
    "sales": AccountSpec("411100", "Sales of Goods", "income"),
    "services": AccountSpec("411200", "Sales of Services", "income"),
    "purchases": AccountSpec("511213", "Purchases of Goods for Resale (as is)", "expense_direct_cost"),
    "supplies": AccountSpec("512207", "Purchased Materials, Supplies and Services", "expense"),
    "utilities": AccountSpec("512202", "Energy, Water and Telephone/Telecommunication Expenses", "expense"),
    "other_expenses": AccountSpec("512210", "All Other Operating Expenses", "expense"),
    # Created for the demo company.
    "adp_receivable": AccountSpec(ADP_RECEIVABLE_CODE, "ADP Receivable", "asset_receivable", True),
    "card_clearing": AccountSpec("119100", "Card Payments Clearing", "asset_current", True),
    "clearing": AccountSpec("119200", "Clearing Account", "asset_current"),
    "cpp_payable": AccountSpec("238100", "CPP Payable", "liability_current"),
    "ei_payable": AccountSpec("238200", "EI Payable", "liability_current"),
    "tax_withheld": AccountSpec("238300", "Income Tax Withheld", "liability_current"),
    "net_pay": AccountSpec("238400", "Net Pay Payable", "liability_current", True),
    "opening_equity": AccountSpec("390000", "Opening Balance Equity", "equity"),
    "wages": AccountSpec("512311", "Wages and Salaries", "expense"),
    "employer_payroll": AccountSpec("512312", "Employer CPP and EI", "expense"),
    "card_fees": AccountSpec("512313", "Merchant Card Fees", "expense"),
    "bank_fees": AccountSpec("512314", "Bank Service Charges", "expense"),
    "licences": AccountSpec("512315", "Licences and Permits", "expense"),
    # The month-end close's schedules and accruals (close_plan.py).
    "van": AccountSpec("154900", "Delivery Van", "asset_fixed"),
    "depreciation": AccountSpec("512390", "Depreciation of Vehicles", "expense_depreciation"),
    "prepaid_insurance": AccountSpec("119390", "Prepaid Insurance", "asset_prepayments"),
    "insurance": AccountSpec("512391", "Insurance", "expense"),
    "accrued_liabilities": AccountSpec("238590", "Accrued Liabilities", "liability_current"),
    "professional_fees": AccountSpec("512392", "Professional Fees", "expense"),
}


@dataclass(frozen=True)
class JournalSpec:
    """A journal by role: ``sale``, ``purchase``, ``bank`` and ``general`` exist in the chart."""

    code: str
    name: str
    journal_type: str


JOURNALS = {
    "sale": JournalSpec("INV", "Customer Invoices", "sale"),
    "purchase": JournalSpec("BILL", "Vendor Bills", "purchase"),
    "bank": JournalSpec("BNK1", "Bank", "bank"),
    "misc": JournalSpec("MISC", "Miscellaneous Operations", "general"),
    "payroll": JournalSpec("PAYR", "Payroll", "general"),
    "card": JournalSpec("CARD", "Card Payments", "general"),
}

# Tax roles -> xml id suffix of the l10n_ca template tax (``account.<company_id>_<suffix>``).
TAXES = {
    "hst13_sale": "hst_sale_tax_13",
    "zero_sale": "gst_sale_tax_0",
    "hst13_purchase": "hst_purchase_tax_13",
}
