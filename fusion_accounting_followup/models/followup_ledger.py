from datetime import timedelta
from decimal import Decimal

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.fusion_accounting_core.services.ar_aging_buckets import AGING_BUCKETS

from ..services.open_item import OpenItem

HISTORY_DAYS = 365  # payment behaviour older than a year says little about today's risk
PAGE_ORDERS = {
    "overdue": SQL("pp.overdue DESC"),
    "days": SQL("pp.max_days DESC NULLS LAST"),
    "name": SQL("rp.name"),
}
AML_FIELDS = (
    "amount_residual",
    "balance",
    "reconciled",
    "parent_state",
    "partner_id",
    "date_maturity",
    "no_followup",
    "fusion_followup_level_id",
    "fusion_followup_last_run_date",
)


# An item belongs to its partner's commercial partner, the one a follow-up is sent to: a misc entry
# (an ADP split, an opening balance) may name a contact where an invoice names the company.
PARTNER_JOIN = SQL("JOIN res_partner amlp ON amlp.id = aml.partner_id")
COMMERCIAL = SQL("amlp.commercial_partner_id")


# Whether a line is left out of follow-ups.  Community ticks ``no_followup`` on every line of a
# misc entry by default (``is_entry``), so there the flag says nothing about the debt: a receivable
# debit booked by an entry (a third-party payer's share moved by a split entry, an opening balance)
# is dunned like an invoice, as it is aged like one.  On invoices the flag is the person's choice.
EXCLUDED = SQL(
    """(COALESCE(aml.no_followup, FALSE) AND NOT (
            m.move_type = 'entry' AND m.origin_payment_id IS NULL AND aml.balance > 0))"""
)
MOVE_JOIN = SQL("JOIN account_move m ON m.id = aml.move_id")


def _open_receivable(company_id):
    """WHERE clause of a company's open receivable lines (``aml`` joined to ``acc`` and ``amlp``)."""
    return SQL(
        """aml.company_id = %s
           AND acc.account_type = 'asset_receivable'
           AND aml.parent_state = 'posted'
           AND aml.reconciled IS NOT TRUE
           AND aml.amount_residual != 0
           AND aml.partner_id IS NOT NULL""",
        company_id,
    )


def _bucket_condition(bucket, days):
    """SQL test of ``bucket`` on a days-overdue expression, built from the pure bucket table."""
    parts = []
    if bucket.min_days is not None:
        parts.append(SQL("%s >= %s", days, bucket.min_days))
    if bucket.max_days is not None:
        parts.append(SQL("%s <= %s", days, bucket.max_days))
    return SQL(" AND ").join(parts)


class FusionFollowupLedger(models.AbstractModel):
    """Set-based reads of the receivable ledger for the follow-up engine.

    No access checks and no writes: the engine checks rights first.  Every
    method reads one company, ``self.env.company``, in its currency.
    """

    _name = "fusion.followup.ledger"
    _description = "Fusion: follow-up ledger reads"

    def _flush(self):
        self.env["account.move.line"].flush_model(AML_FIELDS)
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["account.move"].flush_model(["move_type", "origin_payment_id", "name"])

    def _decimal(self, amount):
        return Decimal(f"{amount or 0:.{self.env.company.currency_id.decimal_places}f}")

    @api.model
    def _open_items(self, partner_id):
        """Every open receivable item of one partner, as :class:`OpenItem` values."""
        return self._open_items_by_partner([partner_id]).get(partner_id, [])

    @api.model
    def _open_items_by_partner(self, partner_ids):
        """``{partner_id: [OpenItem, ...]}`` for the partners of ``partner_ids`` that have open items, in one query."""
        self._flush()
        self.env.cr.execute(
            SQL(
                """
                SELECT %(commercial)s, aml.id, aml.amount_residual, COALESCE(aml.date_maturity, aml.date), m.name,
                       aml.fusion_followup_level_id, %(excluded)s, aml.fusion_followup_last_run_date
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                  %(move)s
                  %(join)s
                 WHERE %(open)s AND %(commercial)s = ANY(%(partners)s)
                """,
                commercial=COMMERCIAL,
                join=PARTNER_JOIN,
                move=MOVE_JOIN,
                excluded=EXCLUDED,
                open=_open_receivable(self.env.company.id),
                partners=list(partner_ids),
            )
        )
        items = {}
        for partner_id, line_id, residual, due, name, level_id, excluded, sent_on in self.env.cr.fetchall():
            item = OpenItem(line_id, self._decimal(residual), due, name or "", level_id, excluded, sent_on)
            items.setdefault(partner_id, []).append(item)
        return items

    def _per_partner_cte(self, today, partner_ids=None):
        """``per_partner``: one row per partner with open items, its totals and aging buckets."""
        days = SQL("(%s::date - COALESCE(aml.date_maturity, aml.date))", today)
        buckets = SQL(", ").join(
            SQL(
                "COALESCE(SUM(aml.amount_residual) FILTER (WHERE %s), 0) AS %s",
                _bucket_condition(bucket, days),
                SQL.identifier(f"aging_{index}"),  # bucket keys such as "120+" are no SQL names
            )
            for index, bucket in enumerate(AGING_BUCKETS)
        )
        partner_filter = SQL("AND %s = ANY(%s)", COMMERCIAL, list(partner_ids)) if partner_ids is not None else SQL()
        return SQL(
            """
            per_partner AS (
                SELECT %(commercial)s AS partner_id,
                       SUM(aml.amount_residual) AS total_due,
                       COALESCE(SUM(aml.amount_residual) FILTER (WHERE %(days)s > 0), 0) AS overdue,
                       MAX(%(days)s) FILTER (
                           WHERE %(days)s > 0 AND aml.amount_residual > 0 AND NOT %(excluded)s
                       ) AS max_days,
                       %(buckets)s
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                  %(move)s
                  %(join)s
                 WHERE %(open)s %(partner_filter)s
                 GROUP BY %(commercial)s
            )
            """,
            commercial=COMMERCIAL,
            join=PARTNER_JOIN,
            move=MOVE_JOIN,
            excluded=EXCLUDED,
            days=days,
            buckets=buckets,
            open=_open_receivable(self.env.company.id),
            partner_filter=partner_filter,
        )

    def _row_to_dict(self, data):
        aging = {bucket.key: str(self._decimal(data[f"aging_{index}"])) for index, bucket in enumerate(AGING_BUCKETS)}
        return {
            "partner_id": data["partner_id"],
            "total_due": str(self._decimal(data["total_due"])),
            "total_overdue": str(self._decimal(data["overdue"])),
            "max_days_overdue": data["max_days"] or 0,
            "aging": aging,
            **{key: data[key] for key in ("name", "email") if key in data},
        }

    @api.model
    def _overdue_page(self, today, offset=0, limit=80, search=None, order="overdue"):
        """One page of partners with an overdue balance, and the totals over all of them, in ONE query.

        Returns ``{"total": int, "total_overdue": str, "rows": [...]}``; ``order`` is
        one of :data:`PAGE_ORDERS`.  The list holds the partners whose overdue balance, net of
        their past-due credits, is positive; ``total_overdue`` is what every partner (of the
        search) owes overdue, as the aged receivable sums it: a customer with only a credit
        note past due is not listed, yet its credit lowers the total.
        """
        self._flush()
        self.env["res.partner"].flush_model(["name", "email"])
        name_filter = SQL("rp.name ILIKE %s", f"%{search}%") if search else SQL("TRUE")
        self.env.cr.execute(
            SQL(
                """
                WITH %(cte)s,
                totals AS (
                    SELECT COUNT(*) FILTER (WHERE pp.overdue > 0) AS total_count,
                           COALESCE(SUM(pp.overdue), 0) AS grand_overdue
                      FROM per_partner pp
                      JOIN res_partner rp ON rp.id = pp.partner_id
                     WHERE %(name_filter)s
                )
                SELECT pp.*, rp.name, rp.email, t.total_count, t.grand_overdue
                  FROM totals t
                  LEFT JOIN (per_partner pp JOIN res_partner rp ON rp.id = pp.partner_id)
                         ON pp.overdue > 0 AND %(name_filter)s
                 ORDER BY %(order)s, pp.partner_id
                 LIMIT %(limit)s OFFSET %(offset)s
                """,
                cte=self._per_partner_cte(today),
                name_filter=name_filter,
                order=PAGE_ORDERS[order],
                limit=limit,
                offset=offset,
            )
        )
        columns = [column.name for column in self.env.cr.description]
        rows = [dict(zip(columns, row, strict=True)) for row in self.env.cr.fetchall()]
        # Without an overdue partner, the totals come alone (the join's one empty row).
        return {
            "total": rows[0]["total_count"] if rows else 0,
            "total_overdue": str(self._decimal(rows[0]["grand_overdue"] if rows else 0)),
            "rows": [self._row_to_dict(row) for row in rows if row["partner_id"] is not None],
        }

    @api.model
    def _partner_aggregates(self, today, partner_ids=None):
        """``{partner_id: {"total_due", "overdue", "max_days"}}`` for partners with open items."""
        self._flush()
        self.env.cr.execute(
            SQL(
                "WITH %s SELECT partner_id, total_due, overdue, max_days FROM per_partner",
                self._per_partner_cte(today, partner_ids),
            )
        )
        return {
            partner_id: {"total_due": self._decimal(due), "overdue": self._decimal(overdue), "max_days": days or 0}
            for partner_id, due, overdue, days in self.env.cr.fetchall()
        }

    @api.model
    def _payment_history(self, today, partner_ids):
        """``{partner_id: (paid_count, paid_late_count, avg_days_late)}`` over the last year.

        An invoice's payment date is the latest ``max_date`` of the partial
        reconciliations that settled it, so partial payments count at the date
        the invoice became fully paid.  Lateness is clamped at zero before averaging.
        """
        self.env["account.partial.reconcile"].flush_model(["debit_move_id", "max_date"])
        self._flush()
        self.env.cr.execute(
            SQL(
                """
                WITH paid AS (
                    SELECT %(commercial)s AS partner_id, COALESCE(aml.date_maturity, aml.date) AS due,
                           MAX(apr.max_date) AS paid_on
                      FROM account_move_line aml
                      JOIN account_account acc ON acc.id = aml.account_id
                      JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
                      %(join)s
                     WHERE aml.company_id = %(company)s
                       AND %(commercial)s = ANY(%(partners)s)
                       AND acc.account_type = 'asset_receivable'
                       AND aml.parent_state = 'posted'
                       AND aml.reconciled
                       AND aml.balance > 0
                       AND COALESCE(aml.date_maturity, aml.date) >= %(since)s
                     GROUP BY aml.id, %(commercial)s
                )
                SELECT partner_id, COUNT(*), COUNT(*) FILTER (WHERE paid_on > due),
                       COALESCE(AVG(GREATEST(paid_on - due, 0)), 0)
                  FROM paid
                 GROUP BY partner_id
                """,
                commercial=COMMERCIAL,
                join=PARTNER_JOIN,
                company=self.env.company.id,
                partners=list(partner_ids),
                since=today - timedelta(days=HISTORY_DAYS),
            )
        )
        return {
            partner_id: (paid, late, float(avg_late)) for partner_id, paid, late, avg_late in self.env.cr.fetchall()
        }

    @api.model
    def _candidate_partner_ids(self, today, min_delay):
        """Partners with an item at least ``min_delay`` days past due that is not excluded from follow-ups."""
        self._flush()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT %(commercial)s
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                  %(move)s
                  %(join)s
                 WHERE %(open)s
                   AND aml.amount_residual > 0
                   AND NOT %(excluded)s
                   AND COALESCE(aml.date_maturity, aml.date) <= %(until)s
                 ORDER BY 1
                """,
                commercial=COMMERCIAL,
                join=PARTNER_JOIN,
                move=MOVE_JOIN,
                excluded=EXCLUDED,
                open=_open_receivable(self.env.company.id),
                until=today - timedelta(days=min_delay),
            )
        )
        return [partner_id for (partner_id,) in self.env.cr.fetchall()]
