from datetime import date

from odoo import fields
from odoo.tools import SQL

from ..services.ar_aging_buckets import AGING_BUCKETS, BucketAmount, bucketed_report
from ..services.tools import REGISTRY, tool

STAFF = "fusion_accounting_core.group_fusion_user"
MAX_TOP = 100


def open_amounts_by_bucket(env, account_type, as_of):
    """``BucketAmount`` rows of the user's companies: what was open on ``as_of`` on the accounts of
    ``account_type``, summed per company, partner and aging bucket (debit positive).

    Open on ``as_of`` means posted with a date up to ``as_of`` and not settled by then: the part of a
    line settled by a reconciliation dated after ``as_of`` still counts, as in Odoo's aged balances.
    A line without a due date (a misc entry, an opening balance) ages from its own date.
    """
    Line = env["account.move.line"]
    # _search applies the access rights and record rules; the rest is plain SQL
    # aggregates over its rows, about as cheap as a hand-written query.
    query = Line._search(
        [
            ("company_id", "in", env.companies.ids),
            ("account_id.account_type", "=", account_type),
            ("parent_state", "=", "posted"),
            ("date", "<=", as_of),
        ]
    )
    column = {
        name: Line._field_to_sql(query.table, name, query)
        for name in ("id", "company_id", "partner_id", "amount_residual", "reconciled", "date_maturity", "date")
    }
    days_late = SQL("(%s::date - COALESCE(%s, %s))", as_of, column["date_maturity"], column["date"])
    bucket = aging_bucket_sql(days_late)
    keys = SQL("%s, %s, %s", column["company_id"], column["partner_id"], bucket)
    # Open on as_of: today's residual of the unreconciled lines...
    rows = env.execute_query(
        SQL(
            "SELECT %(keys)s, SUM(%(residual)s) FROM %(tables)s"
            " WHERE %(where)s AND NOT %(reconciled)s AND %(residual)s != 0 GROUP BY 1, 2, 3",
            keys=keys,
            residual=column["amount_residual"],
            reconciled=column["reconciled"],
            tables=query.from_clause,
            where=query.where_clause,
        )
    )
    # ... plus what reconciliations dated after as_of took from a line (debit
    # side) or gave it (credit side), whether the line is reconciled today or not.
    # Usually there are none: asked first, they cost one small scan.
    later = dict(
        env.execute_query(
            SQL(
                """SELECT line_id, SUM(amount) FROM (
                    SELECT debit_move_id AS line_id, amount FROM account_partial_reconcile WHERE max_date > %(as_of)s
                    UNION ALL
                    SELECT credit_move_id, -amount FROM account_partial_reconcile WHERE max_date > %(as_of)s
                ) partial GROUP BY line_id""",
                as_of=as_of,
            )
        )
    )
    if later:
        touched = env.execute_query(
            SQL(
                "SELECT %s, %s FROM %s WHERE %s AND %s = ANY(%s)",
                keys,
                column["id"],
                query.from_clause,
                query.where_clause,
                column["id"],
                list(later),
            )
        )
        rows += [(company_id, partner_id, name, later[line_id]) for company_id, partner_id, name, line_id in touched]
    # Only the fields read are fetched: a cold company record would load every column.
    env.companies.fetch(["currency_id"])
    env.companies.currency_id.fetch(["name"])
    currencies = {company.id: company.currency_id.name for company in env.companies}
    return [
        BucketAmount(currencies[company_id], partner_id, name, float(amount))
        for company_id, partner_id, name, amount in rows
    ]


def aging_bucket_sql(days_late):
    """SQL ``CASE`` placing a days-late expression in its bucket of :data:`AGING_BUCKETS` (oldest in ELSE)."""
    *bounded, oldest = AGING_BUCKETS
    return SQL(
        "CASE %s ELSE %s END",
        SQL(" ").join(SQL("WHEN %s <= %s THEN %s", days_late, bucket.max_days, bucket.key) for bucket in bounded),
        oldest.key,
    )


@tool(domain="accounts_receivable", tier=1, groups=(STAFF,), registry=REGISTRY, label="Receivables aging")
def get_ar_aging(env, as_of: date | None = None, top: int = 10) -> dict:
    """Accounts receivable aging: open customer amounts in buckets current, 1-30, 31-60, 61-90, 91-120, 120+ days late.

    Covers the companies the user has selected; amounts are in each company's currency.

    Args:
        as_of: Day of the aging: what was open that day, late as counted that day (default today).
        top: How many partners to list, largest total first (1 to 100).
    """
    as_of = as_of or fields.Date.context_today(env.user)
    amounts = open_amounts_by_bucket(env, "asset_receivable", as_of)
    report = bucketed_report(amounts, as_of=as_of, top=max(1, min(top, MAX_TOP)))
    # Partners are keyed by id and only the listed ones are named: naming every
    # open partner would cost more than the aging itself.
    # complete_name is the stored display name (display_name adds only what the context asks for).
    listed = env["res.partner"].browse([row.partner for row in report.partners if row.partner])
    listed.fetch(["complete_name"])
    names = {partner.id: partner.complete_name for partner in listed}
    return {
        "as_of": report.as_of.isoformat(),
        "totals": report.totals,
        "partner_count": report.partner_count,
        "partners": [
            {
                "partner": names.get(p.partner, "(no partner)"),
                **({"partner_id": p.partner} if p.partner else {}),  # the chat links the row to the partner
                "currency": p.currency,
                **p.buckets,
                "total": p.total,
            }
            for p in report.partners
        ],
    }
