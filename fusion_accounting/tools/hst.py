"""Domain 2, GST/HST (design 3.3): our own computation on Community; tax returns need Enterprise."""

import logging
from datetime import date, timedelta

from odoo.exceptions import UserError

from odoo.addons.fusion_accounting_core.tools.modules import module_installed

from .common import ToolRefusal, browse_own, company_domain, money, not_available, page, paged, ref, register

_logger = logging.getLogger(__name__)

DOMAIN = "hst"
RETURN_MODEL = "account.return"
_NO_RETURNS = "tax returns (Enterprise account.return) are not available on this database"
_SALE_MOVES = ("out_invoice", "out_refund")
_BILL_MOVES = ("in_invoice", "in_refund")
# A vendor whose bills carried tax at least this often is expected to charge it.
_TAXED_VENDOR_SHARE = 0.5


def _tax_accounts(env):
    """``(collected ids, itc ids, sources)`` over the user's companies."""
    collected, itc, sources = [], [], set()
    for company in env.companies:
        found = env["fusion.account.roles"]._tax_accounts(company)
        collected += found.collected
        itc += found.itc
        sources.add(found.source)
    return collected, itc, sorted(sources)


@register(DOMAIN, 1, label="HST balance")
def calculate_hst_balance(env, date_from: date, date_to: date) -> dict:
    """Net GST/HST position of a period: tax collected minus input tax credits (positive = owed to the CRA).

    The accounts come from the chart's GST/HST taxes and tags unless the settings name them.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    if date_to < date_from:
        raise ToolRefusal("date_to is before date_from")
    collected_ids, itc_ids, sources = _tax_accounts(env)
    if not collected_ids and not itc_ids:
        raise ToolRefusal("no GST/HST accounts found: set them in the Fusion settings")
    groups = env["account.move.line"]._read_group(
        [
            *company_domain(env),
            ("parent_state", "=", "posted"),
            ("account_id", "in", collected_ids + itc_ids),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
        ],
        ["account_id"],
        ["balance:sum"],
    )
    collected = -sum(balance for account, balance in groups if account.id in collected_ids)
    itc = sum(balance for account, balance in groups if account.id in itc_ids)
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "collected": money(collected),
        "input_tax_credits": money(itc),
        "net_owing": money(collected - itc),
        "accounts": [
            {"code": account.code, "name": account.name, "balance": money(balance)} for account, balance in groups
        ],
        "accounts_from": sources,
    }


def _tax_row(tax, base, tax_amount):
    """One tax of the report; ``base`` and ``tax_amount`` are signed as collected or paid (positive)."""
    return {"tax": ref(tax), "type": tax.type_tax_use, "base": money(base), "tax_amount": money(tax_amount)}


def _report_sign(tax):
    """Sales taxes are credits: the report shows them positive, as Enterprise's tax report does."""
    return -1 if tax.type_tax_use == "sale" else 1


def _posted_in(env, date_from, date_to):
    """Domain of the posted journal items of the user's companies dated in the period."""
    return [*company_domain(env), ("parent_state", "=", "posted"), ("date", ">=", date_from), ("date", "<=", date_to)]


def _fusion_tax_rows(env, date_from, date_to):
    """Base and tax per tax, computed from the period's posted journal items."""
    period = _posted_in(env, date_from, date_to)
    AML = env["account.move.line"]
    taxes = AML._read_group([*period, ("tax_line_id", "!=", False)], ["tax_line_id"], ["balance:sum"])
    bases = dict(AML._read_group([*period, ("tax_ids", "!=", False)], ["tax_ids"], ["balance:sum"]))
    return [_tax_row(tax, _report_sign(tax) * bases.get(tax, 0.0), _report_sign(tax) * amount) for tax, amount in taxes]


def _enterprise_tax_rows(env, date_from, date_to):
    """Base and tax per tax read from Enterprise's generic tax report (its ``net`` and ``tax`` columns)."""
    report = env.ref("account.generic_tax_report")
    period = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(), "mode": "range", "filter": "custom"}
    options = report.get_options({"date": period})
    found = {}
    for line in report._get_lines(options):
        model, res_id = report._get_model_info_from_id(line["id"])
        if model == "account.tax":
            found[res_id] = {column["expression_label"]: column["no_format"] for column in line["columns"]}
    return [
        _tax_row(tax, found[tax.id].get("net") or 0.0, found[tax.id].get("tax") or 0.0)
        for tax in env["account.tax"].browse(found).with_context(active_test=False)
    ]


def _tax_rows(env, date_from, date_to):
    """``(engine, rows)``: Enterprise's tax report when ``account_reports`` is installed, else our computation."""
    if module_installed(env, "account_reports"):
        try:
            with env.cr.savepoint():
                return "enterprise", _enterprise_tax_rows(env, date_from, date_to)
        except Exception as error:  # any Enterprise failure falls back to our own figures, with the reason
            _logger.info("get_tax_report: Enterprise's tax report failed (%s); using our own computation", error)
    return "fusion", _fusion_tax_rows(env, date_from, date_to)


@register(DOMAIN, 1, label="Tax report")
def get_tax_report(env, date_from: date, date_to: date) -> dict:
    """Tax report of a period: base and tax per tax, totals collected and paid, and totals per tax-report tag.

    Enterprise's tax report supplies the per-tax figures when ``account_reports`` is installed (``engine``
    says which computed them); otherwise they come from the posted journal items.

    Args:
        date_from: First day of the period.
        date_to: Last day of the period.
    """
    if date_to < date_from:
        raise ToolRefusal("date_to is before date_from")
    engine, rows = _tax_rows(env, date_from, date_to)
    collected = sum(row["tax_amount"] for row in rows if row["type"] == "sale")
    paid = sum(row["tax_amount"] for row in rows if row["type"] == "purchase")
    tags = env["account.move.line"]._read_group(
        [*_posted_in(env, date_from, date_to), ("tax_tag_ids", "!=", False)], ["tax_tag_ids"], ["balance:sum"]
    )
    return {
        "engine": engine,
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "taxes": sorted(rows, key=lambda row: (row["type"], row["tax"]["name"])),
        "totals": {"collected": money(collected), "paid": money(paid), "net": money(collected - paid)},
        "tags": sorted(({"tag": tag.name, "balance": money(amount)} for tag, amount in tags), key=lambda r: r["tag"]),
        "hst_balance": _hst_balance(env, date_from, date_to),
    }


def _hst_balance(env, date_from, date_to):
    """The HST balance of the period, or why there is none (part of a larger result: not a refusal of it)."""
    try:
        return calculate_hst_balance.function(env, date_from, date_to)
    except ToolRefusal as refusal:
        return refusal.result()


def _window(date_from, date_to, today_days=90):
    return date_from or date_to - timedelta(days=today_days), date_to


def _untaxed_lines(env, move_types, date_from, date_to, move_ids=None):
    return env["account.move.line"].search_fetch(
        [
            *([("move_id", "in", move_ids)] if move_ids else []),
            *company_domain(env),
            ("parent_state", "=", "posted"),
            ("move_id.move_type", "in", move_types),
            ("display_type", "=", "product"),
            ("tax_ids", "=", False),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
        ],
        ["move_id", "product_id", "partner_id", "price_subtotal", "name", "company_id"],
        order="date, id",
    )


def _by_move(lines, reason):
    moves = {}
    for line, why in zip(lines, reason, strict=True):
        row = moves.setdefault(
            line.move_id,
            {
                "id": line.move_id.id,
                "name": line.move_id.name,
                "date": line.move_id.date.isoformat(),
                "partner": ref(line.move_id.commercial_partner_id),
                "untaxed_lines": [],
            },
        )
        row["untaxed_lines"].append(
            {"line_id": line.id, "label": line.name, "amount": money(line.price_subtotal), "why": why}
        )
    return list(moves.values())


def missing_tax_lines(env, date_from, date_to, move_ids=None):
    """``(lines, reasons)``: posted customer invoice lines of the period (of ``move_ids`` if given) lacking sales tax.

    The audit engine reports the same lines.
    """
    flagged, reasons = [], []
    for line in _untaxed_lines(env, _SALE_MOVES, date_from, date_to, move_ids):
        if not line.product_id:
            flagged.append(line)
            reasons.append("no product and no tax")
            continue
        default = line.product_id.taxes_id.filtered(lambda tax, c=line.company_id: tax.company_id == c)
        position = line.move_id.fiscal_position_id
        expected = position.map_tax(default) if position else default
        if expected:
            flagged.append(line)
            reasons.append(f"expected {', '.join(expected.mapped('name'))}")
    return flagged, reasons


@register(DOMAIN, 1, label="Invoices missing sales tax")
def find_missing_tax_invoices(
    env, date_to: date, date_from: date | None = None, limit: int = 20, offset: int = 0
) -> dict:
    """Customer invoices with a line that should carry sales tax but has none.

    A line is exempt when its product has no sales tax or the customer's
    fiscal position removes it; a zero-rated tax counts as a tax.

    Args:
        date_to: Last invoice day.
        date_from: First invoice day (default 90 days before date_to).
        limit: Invoices per page.
        offset: Invoices to skip.
    """
    limit, offset = page(limit, offset)
    date_from, date_to = _window(date_from, date_to)
    rows = _by_move(*missing_tax_lines(env, date_from, date_to))
    return paged(rows[offset : offset + limit], len(rows), limit, offset)


def missing_itc_lines(env, date_from, date_to, move_ids=None):
    """``(lines, reasons)``: posted vendor bill lines of the period (of ``move_ids`` if given) without the tax
    their vendor or product normally carries.  The audit engine reports the same lines.
    """
    history = [
        *company_domain(env),
        ("parent_state", "=", "posted"),
        ("move_id.move_type", "in", _BILL_MOVES),
        ("display_type", "=", "product"),
        ("date", ">=", date_to - timedelta(days=365)),
        ("date", "<=", date_to),
    ]
    AML = env["account.move.line"]
    all_lines = dict(AML._read_group(history, ["partner_id"], ["__count"]))
    taxed = dict(AML._read_group([*history, ("tax_ids", "!=", False)], ["partner_id"], ["__count"]))
    flagged, reasons = [], []
    for line in _untaxed_lines(env, _BILL_MOVES, date_from, date_to, move_ids):
        partner = line.partner_id
        share = taxed.get(partner, 0) / all_lines[partner] if all_lines.get(partner) else 0.0
        if share >= _TAXED_VENDOR_SHARE:
            flagged.append(line)
            reasons.append(f"the vendor charged tax on {share:.0%} of its lines this year")
        elif line.product_id.supplier_taxes_id:
            flagged.append(line)
            reasons.append("the product has a purchase tax")
    return flagged, reasons


@register(DOMAIN, 1, label="Bills missing input tax credits")
def find_missing_itc_bills(env, date_to: date, date_from: date | None = None, limit: int = 20, offset: int = 0) -> dict:
    """Vendor bills with a line without tax from a vendor that normally charges GST/HST: an input tax credit lost.

    A vendor "normally charges" tax when at least half of its bill lines of
    the past year carry one, or the product has a purchase tax.

    Args:
        date_to: Last bill day.
        date_from: First bill day (default 90 days before date_to).
        limit: Bills per page.
        offset: Bills to skip.
    """
    limit, offset = page(limit, offset)
    date_from, date_to = _window(date_from, date_to)
    rows = _by_move(*missing_itc_lines(env, date_from, date_to))
    return paged(rows[offset : offset + limit], len(rows), limit, offset)


def _return_row(tax_return):
    return {
        "id": tax_return.id,
        "name": tax_return.name,
        "date_from": tax_return.date_from.isoformat(),
        "date_to": tax_return.date_to.isoformat(),
        "deadline": tax_return.date_deadline and tax_return.date_deadline.isoformat(),
        "state": tax_return.state,
        "completed": tax_return.is_completed,
    }


@register(DOMAIN, 1, label="Tax returns")
def get_tax_return_status(env, limit: int = 10, offset: int = 0) -> dict:
    """Periodic tax returns and their state, nearest deadline first (needs Enterprise tax returns).

    Args:
        limit: Rows per page.
        offset: Rows to skip.
    """
    if RETURN_MODEL not in env:
        return not_available(_NO_RETURNS)
    limit, offset = page(limit, offset)
    Return = env[RETURN_MODEL]
    domain = company_domain(env)
    returns = Return.search(domain, order="date_deadline, id", limit=limit, offset=offset)
    return paged([_return_row(r) for r in returns], Return.search_count(domain), limit, offset)


@register(DOMAIN, 2, label="Prepare tax returns")
def generate_tax_return(env) -> dict:
    """Create or refresh the periodic tax returns of the user's companies (needs Enterprise tax returns)."""
    if RETURN_MODEL not in env:
        return not_available(_NO_RETURNS)
    env[RETURN_MODEL]._generate_or_refresh_all_returns(env.companies.root_id)
    return {"ok": True, **get_tax_return_status.function(env)}


@register(DOMAIN, 3, label="Validate a tax return")
def validate_tax_return(env, return_id: int) -> dict:
    """Mark a tax return as validated once its checks pass (needs Enterprise tax returns).

    Args:
        return_id: The tax return (account.return id).
    """
    if RETURN_MODEL not in env:
        return not_available(_NO_RETURNS)
    tax_return = browse_own(env, RETURN_MODEL, return_id)
    if not tax_return:
        raise ToolRefusal(f"no tax return {return_id} in your companies")
    try:
        tax_return.action_validate()
    except UserError as error:
        raise ToolRefusal(str(error)) from None
    return {"ok": True, "return": _return_row(tax_return)}
