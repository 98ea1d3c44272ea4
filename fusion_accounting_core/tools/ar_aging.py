from datetime import date

from odoo import fields

from ..services.ar_aging_buckets import OpenItem, aging_report
from ..services.tools import REGISTRY, tool

STAFF = "fusion_accounting_core.group_fusion_user"
MAX_TOP = 100


@tool(domain="accounts_receivable", tier=1, groups=(STAFF,), registry=REGISTRY)
def get_ar_aging(env, as_of: date | None = None, top: int = 10) -> dict:
    """Accounts receivable aging: open customer amounts in buckets current, 1-30, 31-60, 61-90 and 90+ days late.

    Covers the companies the user has selected; amounts are in each company's currency.

    Args:
        as_of: Day the lateness is counted from (default: today).
        top: How many partners to list, largest total first (1 to 100).
    """
    as_of = as_of or fields.Date.context_today(env.user)
    open_receivable = [
        ("company_id", "in", env.companies.ids),
        ("account_id.account_type", "=", "asset_receivable"),
        ("parent_state", "=", "posted"),
        ("reconciled", "=", False),
        ("amount_residual", "!=", 0),
    ]
    Line = env["account.move.line"]
    # A line without a due date (a misc entry, an opening balance) ages from its
    # own date, as the follow-ups and Odoo's aged receivable count it.
    groups = Line._read_group(
        [*open_receivable, ("date_maturity", "!=", False)],
        groupby=["company_id", "partner_id", "date_maturity:day"],
        aggregates=["amount_residual:sum"],
    ) + Line._read_group(
        [*open_receivable, ("date_maturity", "=", False)],
        groupby=["company_id", "partner_id", "date:day"],
        aggregates=["amount_residual:sum"],
    )
    # Partners are keyed by id and only the listed ones are named: naming every
    # open partner would cost more than the aging itself.
    items = [OpenItem(company.currency_id.name, partner.id, due, amount) for company, partner, due, amount in groups]
    report = aging_report(items, as_of=as_of, top=max(1, min(top, MAX_TOP)))
    names = {
        partner.id: partner.display_name
        for partner in env["res.partner"].browse([row.partner for row in report.partners if row.partner])
    }
    return {
        "as_of": report.as_of.isoformat(),
        "totals": report.totals,
        "partner_count": report.partner_count,
        "partners": [
            {"partner": names.get(p.partner, "(no partner)"), "currency": p.currency, **p.buckets, "total": p.total}
            for p in report.partners
        ],
    }
