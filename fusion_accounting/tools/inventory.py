"""Domain 8, inventory and COGS (design 3.9), available only when ``stock_account`` is installed.

Figures come from the books: the stock valuation account (setting ``stock``,
else the company's and the product categories' valuation accounts), the
price difference account (setting ``price_difference``), COGS and revenue by
product category.  COGS is what perpetual valuation books at invoicing (the
expense side of the ``cogs`` lines, whatever the account's type) plus
anything on ``expense_direct_cost`` accounts.  The stock valuation compares
the books with Odoo's own valuation of the stock in hand
(``res.company.stock_value``).  Without ``stock_account`` every tool answers
"not available" instead of guessing.
"""

from datetime import date, datetime, time, timedelta

from odoo.addons.fusion_accounting_core.tools.modules import module_installed

from .common import money, not_available, page, ref, register

DOMAIN = "inventory"
MODULE = "stock_account"


def _unavailable(env):
    return (
        None
        if module_installed(env, MODULE)
        else not_available(
            "Inventory valuation needs the stock_account module (Inventory with "
            "automated valuation), which is not installed."
        )
    )


def _stock_accounts(env):
    roles = env["fusion.account.roles"]
    found = roles._accounts(env.companies, "stock")
    if found:
        return found
    categories = env["product.category"].search([])
    for company in env.companies:
        # A category without its own account uses the company's (stock_account's product._get_product_accounts).
        found |= company.account_stock_valuation_id
        found |= categories.with_company(company).mapped("property_stock_valuation_account_id")
    return found


def _cogs_domain(env, date_from, date_to):
    """Cost of goods sold of the period: the expense side of the ``cogs`` lines, and ``expense_direct_cost``."""
    return [
        ("parent_state", "=", "posted"),
        ("date", ">=", date_from),
        ("date", "<=", date_to),
        ("company_id", "in", env.companies.ids),
        "|",
        "&",
        ("display_type", "=", "cogs"),
        ("account_id", "not in", _stock_accounts(env).ids),
        ("account_id.account_type", "=", "expense_direct_cost"),
    ]


def _stock_values(env, as_of):
    """Odoo's valuation of the stock in hand at the end of ``as_of``, per valuation account."""
    # A date reaches the stock quantities as its midnight (stock's _compute_quantities_dict): pass the day's end.
    end_of_day = datetime.combine(as_of, time.max)
    values = {}
    for company in env.companies:
        for account, value in company.with_company(company).stock_value(at_date=end_of_day).items():
            values[account] = values.get(account, 0.0) + value
    return values


def _balance(env, accounts, date_to, date_from=None):
    domain = [
        ("account_id", "in", accounts.ids),
        ("parent_state", "=", "posted"),
        ("date", "<=", date_to),
        ("company_id", "in", env.companies.ids),
    ]
    if date_from:
        domain.append(("date", ">=", date_from))
    return sum(balance for (balance,) in env["account.move.line"]._read_group(domain, [], ["balance:sum"]))


@register(DOMAIN, 1, requires=(MODULE,), label="Stock valuation")
def get_stock_valuation(env, as_of: date) -> dict:
    """Stock in hand at a date, per valuation account: the books' balance against the value of the stock itself.

    ``difference`` (books minus stock) is what the next valuation closing
    would book, e.g. goods received but not yet billed.

    Args:
        as_of: The valuation date.
    """
    if (answer := _unavailable(env)) is not None:
        return answer
    values = _stock_values(env, as_of)
    accounts = _stock_accounts(env) | env["account.account"].union(*values)
    rows = []
    for account in accounts.sorted("code"):
        balance = _balance(env, account, as_of)
        stock = values.get(account, 0.0)
        rows.append(
            {
                "account": ref(account),
                "code": account.code,
                "balance": money(balance),
                "stock_value": money(stock),
                "difference": money(balance - stock),
            }
        )
    total, stock_total = sum(row["balance"] for row in rows), sum(row["stock_value"] for row in rows)
    return {
        "as_of": as_of.isoformat(),
        "accounts": rows,
        "total": money(total),
        "stock_value": money(stock_total),
        "difference": money(total - stock_total),
    }


@register(DOMAIN, 1, requires=(MODULE,), label="Purchase price differences")
def get_price_differences(env, date_from: date, date_to: date, limit: int = 30) -> dict:
    """Entries on the price difference account (purchase price vs bill price) in a period, largest first.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
        limit: At most this many items.
    """
    if (answer := _unavailable(env)) is not None:
        return answer
    limit, _offset = page(limit, 0)
    accounts = env["fusion.account.roles"]._accounts(env.companies, "price_difference")
    if not accounts:
        return not_available("No price difference account: set fusion_accounting.price_difference_account_code.")
    lines = (
        env["account.move.line"]
        .search(
            [
                ("account_id", "in", accounts.ids),
                ("parent_state", "=", "posted"),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                ("company_id", "in", env.companies.ids),
            ]
        )
        .sorted(lambda aml: -abs(aml.balance))
    )
    return {
        "total": money(sum(lines.mapped("balance"))),
        "count": len(lines),
        "items": [
            {
                "move": ref(aml.move_id),
                "date": aml.date.isoformat(),
                "product": ref(aml.product_id),
                "amount": money(aml.balance),
            }
            for aml in lines[:limit]
        ],
    }


@register(DOMAIN, 1, requires=(MODULE,), label="Cost of goods sold by category")
def get_cogs_ratio_by_category(env, date_from: date, date_to: date) -> dict:
    """Cost of goods sold against revenue per product category in a period, with the ratio in percent.

    COGS counts what perpetual valuation books on the invoices and anything on direct-cost accounts.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    if (answer := _unavailable(env)) is not None:
        return answer
    AML = env["account.move.line"]
    revenue = AML._read_group(
        [
            ("parent_state", "=", "posted"),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
            ("company_id", "in", env.companies.ids),
            ("account_id.account_type", "=", "income"),
        ],
        ["product_id.categ_id"],
        ["balance:sum"],
    )
    cogs = AML._read_group(_cogs_domain(env, date_from, date_to), ["product_id.categ_id"], ["balance:sum"])
    table = {}
    for category, balance in revenue:
        table.setdefault(category, {"revenue": 0.0, "cogs": 0.0})["revenue"] -= balance
    for category, balance in cogs:
        table.setdefault(category, {"revenue": 0.0, "cogs": 0.0})["cogs"] += balance
    return {
        "categories": [
            {
                "category": ref(c) or {"id": None, "name": "No product"},
                "revenue": money(v["revenue"]),
                "cogs": money(v["cogs"]),
                "cogs_pct": round(v["cogs"] / v["revenue"] * 100, 1) if v["revenue"] else None,
            }
            for c, v in table.items()
        ]
    }


@register(DOMAIN, 1, requires=(MODULE,), label="Unusual stock adjustments")
def find_unusual_adjustments(env, date_from: date, date_to: date, min_amount: float = 1000.0, limit: int = 30) -> dict:
    """Large manual entries on the stock accounts (miscellaneous journals: counts, write-offs), largest first.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
        min_amount: Only adjustments at least this large (absolute).
        limit: At most this many items.
    """
    if (answer := _unavailable(env)) is not None:
        return answer
    limit, _offset = page(limit, 0)
    accounts = _stock_accounts(env)
    lines = (
        env["account.move.line"]
        .search(
            [
                ("account_id", "in", accounts.ids),
                ("parent_state", "=", "posted"),
                ("journal_id.type", "=", "general"),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                ("company_id", "in", env.companies.ids),
            ]
        )
        .filtered(lambda aml: abs(aml.balance) >= min_amount)
        .sorted(lambda aml: -abs(aml.balance))
    )
    return {
        "count": len(lines),
        "items": [
            {"move": ref(aml.move_id), "date": aml.date.isoformat(), "label": aml.name, "amount": money(aml.balance)}
            for aml in lines[:limit]
        ],
    }


@register(DOMAIN, 1, requires=(MODULE,), label="Inventory turnover")
def get_inventory_turnover(env, date_from: date, date_to: date) -> dict:
    """Inventory turnover of a period: COGS divided by the average of opening and closing stock, and days on hand.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    if (answer := _unavailable(env)) is not None:
        return answer
    accounts = _stock_accounts(env)
    opening = _balance(env, accounts, date_from - timedelta(days=1)) if accounts else 0.0
    closing = _balance(env, accounts, date_to) if accounts else 0.0
    [(cogs,)] = env["account.move.line"]._read_group(_cogs_domain(env, date_from, date_to), [], ["balance:sum"])
    cogs = cogs or 0.0
    average = (opening + closing) / 2
    turnover = cogs / average if average else None
    days = (date_to - date_from).days + 1
    return {
        "opening_stock": money(opening),
        "closing_stock": money(closing),
        "cogs": money(cogs),
        "turnover": round(turnover, 2) if turnover else None,
        "days_on_hand": round(days / turnover, 1) if turnover else None,
    }
