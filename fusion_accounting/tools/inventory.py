"""Domain 8, inventory and COGS (design 3.9), available only when ``stock_account`` is installed.

Figures come from the books: the stock valuation account (setting ``stock``,
else the product categories' valuation accounts), the price difference
account (setting ``price_difference``), COGS (``expense_direct_cost``) and
revenue by product category.  Without ``stock_account`` every tool answers
"not available" instead of guessing.
"""

from datetime import date, timedelta

from .common import money, not_available, page, ref, register

DOMAIN = "inventory"
MODULE = "stock_account"


def _unavailable(env):
    installed = env["ir.module.module"].sudo().search_count([("name", "=", MODULE), ("state", "=", "installed")])
    return (
        None
        if installed
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
        found |= categories.with_company(company).mapped("property_stock_valuation_account_id")
    return found


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


@register(DOMAIN, 1)
def get_stock_valuation(env, as_of: date) -> dict:
    """Stock in hand: the stock valuation account balance at a date, per account.

    Args:
        as_of: The valuation date.
    """
    if (answer := _unavailable(env)) is not None:
        return answer
    accounts = _stock_accounts(env)
    return {
        "as_of": as_of.isoformat(),
        "accounts": [{"account": ref(a), "code": a.code, "balance": money(_balance(env, a, as_of))} for a in accounts],
        "total": money(_balance(env, accounts, as_of)) if accounts else 0.0,
    }


@register(DOMAIN, 1)
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


@register(DOMAIN, 1)
def get_cogs_ratio_by_category(env, date_from: date, date_to: date) -> dict:
    """Cost of goods sold against revenue per product category in a period, with the ratio in percent.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    if (answer := _unavailable(env)) is not None:
        return answer
    groups = env["account.move.line"]._read_group(
        [
            ("parent_state", "=", "posted"),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
            ("company_id", "in", env.companies.ids),
            ("account_id.account_type", "in", ("income", "expense_direct_cost")),
        ],
        ["product_id.categ_id", "account_id.account_type"],
        ["balance:sum"],
    )
    table = {}
    for category, account_type, balance in groups:
        row = table.setdefault(category, {"revenue": 0.0, "cogs": 0.0})
        row["revenue" if account_type == "income" else "cogs"] += -balance if account_type == "income" else balance
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


@register(DOMAIN, 1)
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


@register(DOMAIN, 1)
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
    cogs_accounts = env["account.account"].search(
        [("account_type", "=", "expense_direct_cost"), ("company_ids", "in", env.companies.ids)]
    )
    cogs = _balance(env, cogs_accounts, date_to, date_from) if cogs_accounts else 0.0
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
