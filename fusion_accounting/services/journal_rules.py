"""Rules of thumb of journal review, over plain account types and balances.

>>> wrong_direction("expense", -5000), wrong_direction("liability_payable", 5000), wrong_direction("income", -1)
(True, False, False)
>>> unlikely_product_account("out_invoice", "income", False), unlikely_product_account("out_invoice", "income", True)
(False, True)
>>> unlikely_product_account("in_invoice", "liability_current", False)
True
"""

# Account types whose balance belongs on one side.  Cash (overdrafts), fixed
# assets (accumulated depreciation), receivables and payables (credit notes,
# prepayments) and equity (drawings, losses) legitimately hold either side,
# so they have no normal side here.
_DEBIT_TYPES = frozenset(
    {
        "asset_current",
        "asset_prepayments",
        "asset_non_current",
        "expense",
        "expense_direct_cost",
        "expense_other",
        "expense_depreciation",
    }
)
_CREDIT_TYPES = frozenset({"liability_current", "liability_non_current", "income", "income_other"})
# Profit-and-loss types restart every fiscal year.
PL_TYPES = frozenset(
    {"income", "income_other", "expense", "expense_direct_cost", "expense_other", "expense_depreciation"}
)

# Account types a product line can sensibly use: sales book income, purchases
# book expenses or assets (stock, prepaid, fixed assets).
SALE_TYPES = frozenset({"income", "income_other"})
PURCHASE_TYPES = frozenset(
    {
        "expense",
        "expense_direct_cost",
        "expense_depreciation",
        "expense_other",
        "asset_current",
        "asset_non_current",
        "asset_fixed",
        "asset_prepayments",
    }
)


def normal_side(account_type):
    """+1 when the type's balance is normally a debit, -1 a credit, 0 when it has no normal side."""
    if account_type in _DEBIT_TYPES:
        return 1
    if account_type in _CREDIT_TYPES:
        return -1
    return 0


def wrong_direction(account_type, balance, tolerance=0):
    """True when ``balance`` (cents, debit positive) sits on the side its type should not, beyond ``tolerance``."""
    side = normal_side(account_type)
    return side != 0 and balance * side < -tolerance


def unlikely_product_account(move_type, account_type, is_tax_account):
    """True when a product line of an invoice/bill is booked where such lines do not belong."""
    if is_tax_account:
        return True
    if move_type in ("out_invoice", "out_refund", "out_receipt"):
        return account_type not in SALE_TYPES
    if move_type in ("in_invoice", "in_refund", "in_receipt"):
        return account_type not in PURCHASE_TYPES
    return False
