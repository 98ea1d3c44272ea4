"""Domain 4, accounts payable (design 3.5)."""

from datetime import date, timedelta

from odoo import fields

from odoo.addons.fusion_accounting_core.services.ar_aging_buckets import BucketAmount, bucketed_report
from odoo.addons.fusion_accounting_core.tools.ar_aging import open_amounts_by_bucket
from odoo.addons.fusion_accounting_core.tools.modules import module_installed

from ..services.duplicates import BILL_STATES, DEFAULT_WINDOW_DAYS, Document, bill_duplicates, lookback_days
from ..services.money import to_cents
from .common import (
    ToolRefusal,
    browse_own,
    company_domain,
    money,
    not_available,
    page,
    paged,
    ref,
    register,
    residual_page,
)

DOMAIN = "accounts_payable"
PURCHASE_MODULE = "purchase"
MAX_TOP = 100
_BILL_TYPES = ("in_invoice", "in_refund")


def _bill_row(bill, today=None):
    row = {
        "id": bill.id,
        "name": bill.name,
        "vendor": ref(bill.commercial_partner_id),
        "ref": bill.ref or "",
        "bill_date": bill.invoice_date and bill.invoice_date.isoformat(),
        "due": bill.invoice_date_due and bill.invoice_date_due.isoformat(),
        "total": money(bill.amount_total),
        "residual": money(bill.amount_residual),
        "state": bill.state,
    }
    if today and bill.invoice_date_due:
        row["days_overdue"] = max(0, (today - bill.invoice_date_due).days)
    return row


@register(DOMAIN, 1, label="Payables aging")
def get_ap_aging(env, as_of: date | None = None, top: int = 10) -> dict:
    """Accounts payable aging: what we owe vendors, in buckets current, 1-30, 31-60, 61-90, 91-120, 120+ days late.

    Args:
        as_of: Day of the aging: what was open that day, late as counted that day (default today).
        top: How many vendors to list, largest total first (1 to 100).
    """
    as_of = as_of or fields.Date.context_today(env.user)
    # Payables are credits: the amount owed is the opposite of the open balance.
    # Vendors are keyed by id and only the listed ones are named.
    amounts = [
        BucketAmount(row.currency, row.partner, row.bucket, -row.amount)
        for row in open_amounts_by_bucket(env, "liability_payable", as_of)
    ]
    report = bucketed_report(amounts, as_of=as_of, top=max(1, min(top, MAX_TOP)))
    names = {
        partner.id: partner.display_name
        for partner in env["res.partner"].browse([row.partner for row in report.partners if row.partner])
    }
    return {
        "as_of": report.as_of.isoformat(),
        "totals": report.totals,
        "vendor_count": report.partner_count,
        "vendors": [
            {"vendor": names.get(p.partner, "(no partner)"), "currency": p.currency, **p.buckets, "total": p.total}
            for p in report.partners
        ],
    }


def _window_days(env, window_days):
    if window_days is not None:
        return max(0, window_days)
    return env["fusion.account.roles"]._int_param("duplicate_bill_window_days", DEFAULT_WINDOW_DAYS)


def duplicate_bill_groups(env, date_from, date_to, window=None):
    """``(groups, bills by id)``: draft or posted bills entered twice, a copy's bill date in the period.

    The rule is ``services.duplicates.bill_duplicates``: the same vendor reference, or dates
    within ``window`` days (default from the settings, 3) when the references cannot tell.  A
    group's ids are in date order: the first bill is the original, the others its copies, each
    with its reason.  The audit engine reports the same groups.
    """
    window = _window_days(env, window)
    bills = env["account.move"].search_fetch(
        [
            *company_domain(env),
            ("move_type", "in", _BILL_TYPES),
            ("state", "in", BILL_STATES),
            ("invoice_date", ">=", date_from - timedelta(days=lookback_days(window))),
            ("invoice_date", "<=", date_to),
        ],
        [
            "name",
            "ref",
            "commercial_partner_id",
            "invoice_date",
            "invoice_date_due",
            "amount_total",
            "amount_residual",
            "state",
            "move_type",
            "company_id",
        ],
    )
    documents = [
        Document(
            bill.id,
            bill.company_id.id,
            bill.commercial_partner_id.id,
            to_cents(bill.amount_total),
            bill.invoice_date,
            bill.ref or "",
            kind=bill.move_type,
        )
        for bill in bills
    ]
    groups = [group for group in bill_duplicates(documents, window) if group.last_date >= date_from]
    return groups, {bill.id: bill for bill in bills}


@register(DOMAIN, 1, label="Duplicate bills")
def find_duplicate_bills(
    env,
    *,
    window_days: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict:
    """Vendor bills that look entered twice: same vendor and total, and the same vendor reference however typed
    (even months apart), or bill dates within a few days when the references cannot tell them apart.

    Posted and draft bills are compared, so a duplicate is caught before it is paid.

    Args:
        window_days: Largest gap in days between two copies whose references cannot tell them apart
            (default from the settings, 3).
        date_from: First bill date (default a year before date_to).
        date_to: Last bill date (default today).
        limit: Groups per page.
        offset: Groups to skip.
    """
    limit, offset = page(limit, offset)
    date_to = date_to or fields.Date.context_today(env.user)
    date_from = date_from or date_to - timedelta(days=365)
    window = _window_days(env, window_days)
    groups, by_id = duplicate_bill_groups(env, date_from, date_to, window)
    rows = [
        {
            "bills": [_bill_row(by_id[bill_id]) for bill_id in group.ids],
            "amount": group.amount / 100,
            "reasons": list(group.reasons),
        }
        for group in groups[offset : offset + limit]
    ]
    return paged(rows, len(groups), limit, offset, window_days=window)


@register(DOMAIN, 1, requires=(PURCHASE_MODULE,), label="Bill against purchase order")
def match_bill_to_po(env, bill_id: int) -> dict:
    """Compare a vendor bill's lines with the purchase order lines they bill: quantities and unit prices.

    Args:
        bill_id: The vendor bill (account.move id).
    """
    if not module_installed(env, PURCHASE_MODULE):
        return not_available("the Purchase app is not installed on this database")
    bill = browse_own(env, "account.move", bill_id)
    if not bill or bill.move_type not in _BILL_TYPES:
        raise ToolRefusal(f"no vendor bill {bill_id} in your companies")
    rows, unmatched = [], []
    for line in bill.invoice_line_ids.filtered(lambda aml: aml.display_type == "product"):
        po_line = line.purchase_line_id
        if not po_line:
            unmatched.append({"line_id": line.id, "label": line.name, "amount": money(line.price_subtotal)})
            continue
        rows.append(
            {
                "line_id": line.id,
                "label": line.name,
                "order": po_line.order_id.name,
                "billed_qty": line.quantity,
                "ordered_qty": po_line.product_qty,
                "received_qty": po_line.qty_received,
                "bill_price": line.price_unit,
                "order_price": po_line.price_unit,
                "price_differs": po_line.currency_id.compare_amounts(line.price_unit, po_line.price_unit) != 0,
                # qty_invoiced already counts this bill once it is posted.
                "billed_beyond_received": po_line.qty_invoiced > po_line.qty_received,
            }
        )
    return {"bill": _bill_row(bill), "matched": rows, "without_order": unmatched}


@register(DOMAIN, 1, label="Unpaid bills")
def get_unpaid_bills(
    env, partner_id: int | None = None, due_before: date | None = None, limit: int = 20, offset: int = 0
) -> dict:
    """Posted vendor bills with an amount still to pay, earliest due first.

    Args:
        partner_id: Only this vendor.
        due_before: Only bills due on or before this day.
        limit: Rows per page.
        offset: Rows to skip.
    """
    limit, offset = page(limit, offset)
    today = fields.Date.context_today(env.user)
    domain = [
        *company_domain(env),
        ("move_type", "=", "in_invoice"),
        ("state", "=", "posted"),
        ("payment_state", "in", ("not_paid", "partial")),
    ]
    if partner_id:
        domain.append(("commercial_partner_id", "=", partner_id))
    if due_before:
        domain.append(("invoice_date_due", "<=", due_before))
    count, residual, bills = residual_page(
        env["account.move"],
        domain,
        [
            "name",
            "ref",
            "commercial_partner_id",
            "invoice_date",
            "invoice_date_due",
            "amount_total",
            "amount_residual",
            "state",
        ],
        order="invoice_date_due, id",
        limit=limit,
        offset=offset,
    )
    return paged([_bill_row(bill, today) for bill in bills], count, limit, offset, total_residual=money(residual))


@register(DOMAIN, 1, label="Check bill taxes")
def verify_bill_taxes(
    env,
    *,
    bill_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict:
    """Bill lines whose taxes differ from what the product's purchase taxes and the vendor's fiscal position give.

    Args:
        bill_id: Check only this bill.
        date_from: First bill date (default 90 days before date_to).
        date_to: Last bill date (default today).
        limit: Rows per page.
        offset: Rows to skip.
    """
    limit, offset = page(limit, offset)
    domain = [
        *company_domain(env),
        ("move_id.move_type", "in", _BILL_TYPES),
        ("parent_state", "in", ("draft", "posted")),
        ("display_type", "=", "product"),
        ("product_id", "!=", False),
    ]
    if bill_id:
        domain.append(("move_id", "=", bill_id))
    else:
        date_to = date_to or fields.Date.context_today(env.user)
        domain += [("date", ">=", date_from or date_to - timedelta(days=90)), ("date", "<=", date_to)]
    lines = env["account.move.line"].search_fetch(domain, ["move_id", "product_id", "tax_ids", "company_id", "name"])
    mismatches = []
    for line in lines:
        move = line.move_id
        default = line.product_id.supplier_taxes_id.filtered(lambda tax, c=line.company_id: tax.company_id == c)
        expected = move.fiscal_position_id.map_tax(default) if move.fiscal_position_id else default
        if set(expected.ids) != set(line.tax_ids.ids):
            mismatches.append((line, expected))
    rows = [
        {
            "line_id": line.id,
            "bill": _bill_row(line.move_id),
            "label": line.name,
            "fiscal_position": ref(line.move_id.fiscal_position_id),
            "taxes": line.tax_ids.mapped("name"),
            "expected_taxes": expected.mapped("name"),
        }
        for line, expected in mismatches[offset : offset + limit]
    ]
    return paged(rows, len(mismatches), limit, offset, checked_lines=len(lines))


@register(DOMAIN, 1, label="Vendor payment schedule")
def get_payment_schedule(env, date_to: date | None = None, limit: int = 20, offset: int = 0) -> dict:
    """What we must pay vendors, week by week, and the bills due soonest (overdue included), for cash planning.

    Args:
        date_to: Last due day to plan for (default 60 days from today).
        limit: Bills per page.
        offset: Bills to skip.
    """
    limit, offset = page(limit, offset)
    today = fields.Date.context_today(env.user)
    date_to = date_to or today + timedelta(days=60)
    domain = [
        *company_domain(env),
        ("account_id.account_type", "=", "liability_payable"),
        ("parent_state", "=", "posted"),
        ("reconciled", "=", False),
        ("amount_residual", "<", 0.0),
        ("date_maturity", "<=", date_to),
    ]
    AML = env["account.move.line"]
    weeks = AML._read_group(domain, ["date_maturity:week"], ["__count", "amount_residual:sum"])
    count, total, lines = residual_page(
        AML,
        domain,
        ["move_id", "partner_id", "date_maturity", "amount_residual"],
        order="date_maturity, id",
        limit=limit,
        offset=offset,
    )
    return paged(
        [
            {
                "bill": line.move_id.name,
                "vendor": ref(line.partner_id),
                "due": line.date_maturity.isoformat(),
                "overdue": line.date_maturity < today,
                "to_pay": money(-line.amount_residual),
            }
            for line in lines
        ],
        count,
        limit,
        offset,
        total_to_pay=money(-total),
        by_week=[
            {"week_of": week.isoformat(), "count": n, "to_pay": money(-amount)} for week, n, amount in weeks if week
        ],
    )
