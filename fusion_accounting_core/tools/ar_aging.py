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
    groups = env["account.move.line"]._read_group(
        [
            ("company_id", "in", env.companies.ids),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
            ("amount_residual", "!=", 0),
        ],
        groupby=["company_id", "partner_id", "date_maturity:day"],
        aggregates=["amount_residual:sum"],
    )
    items = [
        OpenItem(company.currency_id.name, partner.display_name or "(no partner)", due, amount)
        for company, partner, due, amount in groups
    ]
    report = aging_report(items, as_of=as_of, top=max(1, min(top, MAX_TOP)))
    return {
        "as_of": report.as_of.isoformat(),
        "totals": report.totals,
        "partner_count": report.partner_count,
        "partners": [
            {"partner": p.partner, "currency": p.currency, **p.buckets, "total": p.total} for p in report.partners
        ],
    }
