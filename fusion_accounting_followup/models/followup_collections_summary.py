"""The collections dashboard's reads: a few set-based queries, figures from the pure ``collections_summary``.

Per company (its currency, promises and disputes): ``collections_summaries`` answers one
section per selected company and a total only when their currencies agree.
"""

from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from ..services.collections_summary import (
    AT_RISK_DAYS,
    COLLECTED_AFTER_DAYS,
    CollectionsInputs,
    PromiseRow,
    merge_inputs,
    summarize_collections,
)
from .followup_engine import FOLLOWUP_READ
from .followup_ledger import _open_receivable

DSO_WINDOW_DAYS = 90


class FusionFollowupCollectionsSummary(models.AbstractModel):
    _inherit = "fusion.followup.engine"

    @api.model
    def collections_summary(self):
        """Promises due this week, broken promises, open disputes, DSO, the 90+ share and cash after follow-ups."""
        self._check_right(FOLLOWUP_READ)
        return self._summary_values(self._collections_inputs())

    @api.model
    def collections_summaries(self):
        """``collections_summary`` for each selected company (``sections``, each in its currency) and their
        ``total``, only when more than one company is selected and they share a currency (else ``None``)."""
        self._check_right(FOLLOWUP_READ)
        sections, inputs = [], []
        for company in self.env.companies:
            company_inputs = self.with_company(company)._collections_inputs()
            inputs.append(company_inputs)
            sections.append(
                {
                    **self.with_company(company)._summary_values(company_inputs),
                    "company_id": company.id,
                    "company": company.name,
                    "currency_id": company.currency_id.id,
                }
            )
        currencies = {section["currency_id"] for section in sections}
        total = None
        if len(sections) > 1 and len(currencies) == 1:
            total = {**self._summary_values(merge_inputs(inputs)), "currency_id": sections[0]["currency_id"]}
        return {"sections": sections, "total": total}

    def _summary_values(self, inputs):
        summary = summarize_collections(inputs)
        return {**summary.to_dict(), "currency": self.env.company.currency_id.name, "window_days": DSO_WINDOW_DAYS}

    def _collections_inputs(self):
        """The current company's figures the summary is computed from (a ``CollectionsInputs``)."""
        today, company = self._today(), self.env.company
        ledger = self.env["fusion.followup.ledger"]
        ledger._flush()
        since = today - timedelta(days=DSO_WINDOW_DAYS)
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(SUM(aml.amount_residual), 0),
                          COALESCE(SUM(aml.amount_residual)
                                   FILTER (WHERE %s::date - COALESCE(aml.date_maturity, aml.date) > %s), 0)
                     FROM account_move_line aml JOIN account_account acc ON acc.id = aml.account_id
                    WHERE %s""",
                today,
                AT_RISK_DAYS,
                _open_receivable(company.id),
            )
        )
        receivable, over_90 = self.env.cr.fetchone()
        self.env["account.move"].flush_model(["amount_total_signed", "move_type", "state", "invoice_date"])
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(SUM(amount_total_signed), 0) FROM account_move
                    WHERE company_id = %s AND state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
                      AND invoice_date > %s AND invoice_date <= %s""",
                company.id,
                since,
                today,
            )
        )
        (sales,) = self.env.cr.fetchone()
        promises = (
            self.env["fusion.followup.promise"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    "|",
                    ("state", "=", "open"),
                    ("closed_on", ">=", today - timedelta(30)),
                ]
            )
        )
        disputes = (
            self.env["fusion.followup.dispute"].sudo().search([("company_id", "=", company.id), ("state", "=", "open")])
        )
        return CollectionsInputs(
            today=today,
            receivable=ledger._decimal(receivable),
            over_90=ledger._decimal(over_90),
            sales=ledger._decimal(sales),
            window_days=DSO_WINDOW_DAYS,
            promises=tuple(
                PromiseRow(p.promised_date, ledger._decimal(p.amount), p.state, p.closed_on or None) for p in promises
            ),
            open_disputes=len(disputes),
            disputed_amount=ledger._decimal(sum(disputes.mapped("move_id.amount_residual_signed"))),
            collected_after_followup=self._collected_after_followup(since),
        )

    def _collected_after_followup(self, since):
        """Payments applied to receivables within COLLECTED_AFTER_DAYS after a follow-up sent to that customer."""
        self.env["account.partial.reconcile"].flush_model(["debit_move_id", "max_date", "amount"])
        self.env["fusion.followup.run"].flush_model(["partner_id", "company_id", "state", "run_date"])
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(SUM(apr.amount), 0)
                     FROM account_partial_reconcile apr
                     JOIN account_move_line aml ON aml.id = apr.debit_move_id
                     JOIN account_account acc ON acc.id = aml.account_id
                    WHERE aml.company_id = %(company)s AND acc.account_type = 'asset_receivable'
                      AND apr.max_date > %(since)s
                      AND EXISTS (SELECT 1 FROM fusion_followup_run r
                                   WHERE r.partner_id = aml.partner_id AND r.company_id = aml.company_id
                                     AND r.state = 'sent' AND apr.max_date >= r.run_date
                                     AND apr.max_date <= r.run_date + %(days)s)""",
                company=self.env.company.id,
                since=since,
                days=COLLECTED_AFTER_DAYS,
            )
        )
        return self.env["fusion.followup.ledger"]._decimal(self.env.cr.fetchone()[0])
