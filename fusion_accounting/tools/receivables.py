"""Domain 3, accounts receivable (design 3.4).

``get_ar_aging`` and ``reconcile_payment_to_invoice`` are the platform's
(``fusion_accounting_core/tools``); the follow-up tools go through the
follow-up engine of the other product addon when it is installed.
"""

from datetime import date

from odoo import fields
from odoo.exceptions import AccessError, UserError

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

DOMAIN = "accounts_receivable"
FOLLOWUP_ENGINE = "fusion.followup.engine"
_OPEN_TYPES = ("asset_receivable", "liability_payable")


def _contact(partner):
    return {"id": partner.id, "name": partner.display_name, "email": partner.email or "", "phone": partner.phone or ""}


def _open_item_row(aml, today):
    due = aml.date_maturity or aml.date
    return {
        "id": aml.id,
        "move": aml.move_id.name,
        "date": aml.date.isoformat(),
        "due": due.isoformat(),
        "days_overdue": max(0, (today - due).days),
        "account": aml.account_id.code,
        "residual": money(aml.amount_residual),
    }


@register(DOMAIN, 1, label="Overdue invoices")
def get_overdue_invoices(
    env, as_of: date | None = None, partner_id: int | None = None, limit: int = 20, offset: int = 0
) -> dict:
    """Customer invoices past their due date and not fully paid, oldest due first, with the customer's contact data.

    Args:
        as_of: Day lateness is counted on (default today).
        partner_id: Only this customer.
        limit: Rows per page.
        offset: Rows to skip.
    """
    limit, offset = page(limit, offset)
    as_of = as_of or fields.Date.context_today(env.user)
    domain = [
        *company_domain(env),
        ("move_type", "=", "out_invoice"),
        ("state", "=", "posted"),
        ("payment_state", "in", ("not_paid", "partial")),
        ("invoice_date_due", "<", as_of),
    ]
    if partner_id:
        domain.append(("commercial_partner_id", "=", partner_id))
    Move = env["account.move"]
    [(count, residual)] = Move._read_group(domain, aggregates=["__count", "amount_residual_signed:sum"])
    invoices = Move.search_fetch(
        domain,
        ["name", "invoice_date", "invoice_date_due", "commercial_partner_id", "amount_total", "amount_residual"],
        order="invoice_date_due, id",
        limit=limit,
        offset=offset,
    )
    rows = [
        {
            "id": invoice.id,
            "name": invoice.name,
            "invoice_date": invoice.invoice_date.isoformat(),
            "due": invoice.invoice_date_due.isoformat(),
            "days_overdue": (as_of - invoice.invoice_date_due).days,
            "total": money(invoice.amount_total),
            "residual": money(invoice.amount_residual),
            "customer": _contact(invoice.commercial_partner_id),
        }
        for invoice in invoices
    ]
    return paged(rows, count, limit, offset, total_residual=money(residual), as_of=as_of.isoformat())


@register(DOMAIN, 1, label="Partner balance")
def get_partner_balance(env, partner_id: int, limit: int = 20, offset: int = 0) -> dict:
    """One partner's receivable and payable balance and its open items, oldest due first.

    Args:
        partner_id: The customer or vendor.
        limit: Open items per page.
        offset: Open items to skip.
    """
    limit, offset = page(limit, offset)
    partner = browse_own(env, "res.partner", partner_id).commercial_partner_id
    if not partner:
        raise ToolRefusal(f"no partner {partner_id}")
    today = fields.Date.context_today(env.user)
    domain = [
        *company_domain(env),
        ("partner_id", "child_of", partner.id),
        ("account_id.account_type", "in", _OPEN_TYPES),
        ("parent_state", "=", "posted"),
        ("reconciled", "=", False),
        ("amount_residual", "!=", 0.0),
    ]
    AML = env["account.move.line"]
    balances = dict(AML._read_group(domain, ["account_type"], ["amount_residual:sum"]))
    total = AML.search_count(domain)
    items = AML.search_fetch(
        domain,
        ["move_id", "date", "date_maturity", "account_id", "amount_residual"],
        order="date_maturity, id",
        limit=limit,
        offset=offset,
    )
    return paged(
        [_open_item_row(aml, today) for aml in items],
        total,
        limit,
        offset,
        partner=_contact(partner),
        receivable=money(balances.get("asset_receivable")),
        payable=money(balances.get("liability_payable")),
    )


@register(DOMAIN, 1, label="Unmatched payments")
def get_unmatched_payments(env, partner_id: int | None = None, limit: int = 20, offset: int = 0) -> dict:
    """Registered payments not matched to any invoice or bill yet (open on the receivable or payable account).

    Args:
        partner_id: Only this partner's payments.
        limit: Rows per page.
        offset: Rows to skip.
    """
    limit, offset = page(limit, offset)
    domain = [
        *company_domain(env),
        ("payment_id", "!=", False),
        ("account_id.account_type", "in", _OPEN_TYPES),
        ("parent_state", "=", "posted"),
        ("reconciled", "=", False),
        ("amount_residual", "!=", 0.0),
    ]
    if partner_id:
        domain.append(("partner_id", "child_of", partner_id))
    count, residual, lines = residual_page(
        env["account.move.line"],
        domain,
        ["payment_id", "date", "partner_id", "account_id", "amount_residual"],
        order="date, id",
        limit=limit,
        offset=offset,
    )
    rows = [
        {
            "payment": ref(line.payment_id),
            "date": line.date.isoformat(),
            "partner": ref(line.partner_id),
            "account": line.account_id.code,
            "unmatched": money(line.amount_residual),
        }
        for line in lines
    ]
    return paged(rows, count, limit, offset, total_unmatched=money(residual))


def _engine(env):
    return env[FOLLOWUP_ENGINE] if FOLLOWUP_ENGINE in env else None


@register(DOMAIN, 2, label="Send a payment reminder")
def send_followup(env, partner_id: int, preview_only: bool = True) -> dict:
    """Prepare, or send, a customer's due payment reminder through the follow-up engine.

    By default only the draft (subject and body) is returned for review;
    with ``preview_only`` false the engine sends it, respecting its schedule
    and any pause, and returns the run it recorded.

    Args:
        partner_id: The customer.
        preview_only: Return the draft without sending it.
    """
    engine = _engine(env)
    if engine is None:
        return not_available("the Fusion follow-up module is not installed on this database")
    partner = browse_own(env, "res.partner", partner_id)
    if not partner:
        raise ToolRefusal(f"no partner {partner_id}")
    try:
        if preview_only:
            return {"ok": True, "sent": False, "draft": engine.generate_followup_text(partner)}
        run = engine.send_followup_email(partner)
    except (UserError, AccessError) as error:
        raise ToolRefusal(str(error)) from None
    return {
        "ok": True,
        "sent": run.state == "sent",
        "run": {"id": run.id, "state": run.state, "skip_reason": run.skip_reason or "", "level": ref(run.level_id)},
    }


@register(DOMAIN, 1, label="Customer follow-up report")
def get_followup_report(env, partner_id: int, limit: int = 20, offset: int = 0) -> dict:
    """A customer's follow-up report: open items with their lateness and, with the follow-up module, its state.

    Args:
        partner_id: The customer.
        limit: Open items per page.
        offset: Open items to skip.
    """
    balance = get_partner_balance.function(env, partner_id, limit=limit, offset=offset)  # refuses an unknown partner
    engine = _engine(env)
    if engine is None:
        return {**balance, "followup": not_available("the Fusion follow-up module is not installed on this database")}
    try:
        state = engine.get_followup_state(partner_id)
        level = engine.compute_followup_level(partner_id)
    except (UserError, AccessError) as error:
        return {**balance, "followup": {"ok": False, "error": str(error)}}  # the balance stands; the state says why not
    return {
        **balance,
        "followup": {
            "state": state,
            "due_level": ref(env["fusion.followup.level"].browse(level.level.id)) if level.level else None,
            "needs_action": level.needs_action,
        },
    }
