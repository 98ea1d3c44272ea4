"""The figures of the Fusion AI dashboard (design 6.2), read set-based.

Figures are aggregates (``_read_group``, ``search_count``, or one SQL pass with
``FILTER`` clauses over the rows of ``_search``; never a loop over records)
over the companies the user has selected (``env.companies``), run with the
user's rights so access rights and record rules apply: Staff see their own
conversations and proposals, Managers everyone's.  The colours, rates and
usage totals come from the pure ``services.dashboard`` package.
"""

import time
from dataclasses import asdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, format_amount

from ..services.dashboard import (
    ToolDecisions,
    ap_light,
    ar_light,
    audit_light,
    audit_score,
    bank_light,
    hst_light,
    month_end_light,
    tool_rates,
    usage_totals,
)

SESSION_MODEL = "fusion.accounting.session"
HISTORY_MODEL = "fusion.accounting.match.history"
FINDING_MODEL = "fusion.accounting.audit.finding"
LIST_LIMIT = 10


class FusionAccountingDashboard(models.AbstractModel):
    _name = "fusion.accounting.dashboard"
    _description = "Fusion AI dashboard figures"

    @api.model
    def get_dashboard_data(self, today=None):
        """Everything the dashboard shows, as JSON-ready dicts; ``server_ms`` is the time it took."""
        started = time.perf_counter()
        today = fields.Date.to_date(today) if today else fields.Date.context_today(self)
        period_start = today.replace(day=1)
        data = {
            "today": fields.Date.to_string(today),
            "period": {"date_from": fields.Date.to_string(period_start), "date_to": fields.Date.to_string(today)},
            "currency": self.env.company.currency_id.name,
            "companies": self.env.companies.mapped("name"),
            "cards": [
                self._card_bank(today),
                self._card_ar(today),
                self._card_ap(today),
                self._card_hst(today),
                self._card_audit(),
                self._card_month_end(today),
            ],
            "needs_attention": self._needs_attention(),
            "activity": self._recent_activity(),
            "tool_rates": self._tool_rates(),
            "usage": self._usage(period_start),
        }
        data["server_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return data

    # ------------------------------------------------------------------ helpers

    def _company_domain(self):
        return Domain("company_id", "in", self.env.companies.ids)

    def _per_company(self, model, domain, aggregates):
        """``[(company, *values)]``: ``aggregates(column)`` (SQL expressions) over the rows of ``domain``, per company.

        One pass over the rows instead of one ``_read_group`` per figure: at a
        million journal items each pass reads tens of thousands of rows from disk.
        ``_search`` applies the access rights and record rules.
        """
        Model = self.env[model]
        query = Model._search(domain)

        def column(name):
            return Model._field_to_sql(query.table, name, query)

        rows = self.env.execute_query(
            SQL(
                "SELECT %s, %s FROM %s WHERE %s GROUP BY 1",
                column("company_id"),
                SQL(", ").join(aggregates(column)),
                query.from_clause,
                query.where_clause,
            )
        )
        return [(self.env["res.company"].browse(company_id), *values) for company_id, *values in rows]

    def _to_main_currency(self, amounts_by_company, today):
        """Sum per-company amounts into the current company's currency (companies may differ)."""
        target = self.env.company.currency_id
        total = 0.0
        for company, amount in amounts_by_company:
            total += company.currency_id._convert(amount or 0.0, target, self.env.company, today)
        return total

    def _money(self, amount):
        return format_amount(self.env, amount, self.env.company.currency_id)

    def _card(self, key, title, light, *, value, detail, prompt):
        return {
            "key": key,
            "title": title,
            "light": light.value,
            "value": value,
            "detail": detail,
            # What the chat panel asks when the card is clicked (design 6.2).
            "prompt": prompt,
        }

    def _open_lines_domain(self, account_type):
        # Account ids, not ``account_type`` (a join): PostgreSQL then reads only those
        # accounts' open items, from the index ``fusion_accounting_core`` puts on them.
        accounts = (
            self.env["account.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("account_type", "=", account_type)])
        )
        return (
            self._company_domain()
            & Domain("account_id", "in", accounts.ids)
            & Domain("parent_state", "=", "posted")
            & Domain("reconciled", "=", False)
            & Domain("amount_residual", "!=", 0)
        )

    # ------------------------------------------------------------------ cards

    def _card_bank(self, today):
        _ = self.env._
        # Unmatched size is the absolute amount: deposits and withdrawals both wait.
        groups = self._per_company(
            "account.bank.statement.line",
            self._company_domain() & Domain("is_reconciled", "=", False),
            lambda column: [
                SQL("COUNT(*)"),
                SQL("SUM(ABS(%s))", column("amount")),
                SQL("MIN(%s)", column("date")),
            ],
        )
        count = sum(group[1] for group in groups)
        total = self._to_main_currency([(company, amount) for company, _c, amount, _d in groups], today)
        oldest = min((group[3] for group in groups if group[3]), default=today)
        light = bank_light(count, (today - oldest).days)
        return self._card(
            "bank",
            _("Bank Reconciliation"),
            light,
            value=str(count),
            detail=_("%(count)s unmatched lines, %(amount)s", count=count, amount=self._money(total)),
            prompt=_("Which bank statement lines are still unmatched, and what do you propose for them?"),
        )

    def _card_ar(self, today):
        _ = self.env._
        domain = self._open_lines_domain("asset_receivable") & Domain("amount_residual", ">", 0)
        groups = self._per_company(
            "account.move.line",
            domain,
            lambda column: [
                SQL("SUM(%s)", column("amount_residual")),
                SQL("SUM(%s) FILTER (WHERE %s < %s)", column("amount_residual"), column("date_maturity"), today),
                SQL("COUNT(*) FILTER (WHERE %s < %s)", column("date_maturity"), today),
            ],
        )
        total = self._to_main_currency([(company, amount) for company, amount, _o, _c in groups], today)
        overdue = self._to_main_currency([(company, amount) for company, _t, amount, _c in groups], today)
        overdue_count = sum(count for _company, _t, _o, count in groups)
        return self._card(
            "ar",
            _("AR Outstanding"),
            ar_light(total, overdue),
            value=self._money(total),
            detail=_("%(count)s overdue items, %(amount)s overdue", count=overdue_count, amount=self._money(overdue)),
            prompt=_("Show me the receivable aging and the overdue customers I should follow up first."),
        )

    def _card_ap(self, today):
        _ = self.env._
        domain = self._open_lines_domain("liability_payable") & Domain("amount_residual", "<", 0)
        week_end = today + timedelta(days=7)

        def aggregates(column):
            due = column("date_maturity")
            this_week = SQL("%s BETWEEN %s AND %s", due, today, week_end)
            return [
                SQL("SUM(%s)", column("amount_residual")),
                SQL("COUNT(*) FILTER (WHERE %s < %s)", due, today),
                SQL("SUM(%s) FILTER (WHERE %s)", column("amount_residual"), this_week),
                SQL("COUNT(*) FILTER (WHERE %s)", this_week),
            ]

        groups = self._per_company("account.move.line", domain, aggregates)
        total = -self._to_main_currency([(company, amount) for company, amount, *_rest in groups], today)
        overdue = sum(group[2] for group in groups)
        due_week = -self._to_main_currency([(company, amount) for company, _t, _o, amount, _c in groups], today)
        due_week_count = sum(group[4] for group in groups)
        return self._card(
            "ap",
            _("AP Due"),
            ap_light(overdue, due_week_count),
            value=self._money(total),
            detail=_(
                "%(week)s due this week, %(overdue)s bills overdue",
                week=self._money(due_week),
                overdue=overdue,
            ),
            prompt=_("Which vendor bills fall due this week, and are any already late?"),
        )

    def _card_hst(self, today):
        """Net sales tax of the current quarter: tax collected minus input tax credits."""
        _ = self.env._
        aml = self.env["account.move.line"]
        quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        domain = (
            self._company_domain()
            & Domain("tax_line_id", "!=", False)
            & Domain("date", ">=", quarter_start)
            & Domain("date", "<=", today)
        )
        posted = aml._read_group(
            domain & Domain("parent_state", "=", "posted"), ["company_id", "tax_line_id.type_tax_use"], ["balance:sum"]
        )
        collected = -self._to_main_currency([(c, b) for c, use, b in posted if use == "sale"], today)
        credits = self._to_main_currency([(c, b) for c, use, b in posted if use == "purchase"], today)
        net = collected - credits
        drafts = aml._read_group(domain & Domain("parent_state", "=", "draft"), [], ["move_id:count_distinct"])[0][0]
        return self._card(
            "hst",
            _("HST Balance"),
            hst_light(net, drafts),
            value=self._money(net),
            detail=_(
                "Collected %(collected)s, ITCs %(credits)s since %(start)s",
                collected=self._money(collected),
                credits=self._money(credits),
                start=fields.Date.to_string(quarter_start),
            ),
            prompt=_("What is my net HST position this quarter, and is anything missing tax?"),
        )

    def _card_audit(self):
        _ = self.env._
        by_severity = dict(self.env[FINDING_MODEL]._read_group(self._finding_domain(), ["severity"], ["__count"]))
        score = audit_score(by_severity)
        return self._card(
            "audit",
            _("Audit Score"),
            audit_light(score),
            value=str(score),
            detail=_("%(count)s active flags", count=sum(by_severity.values())),
            prompt=_("Summarise the open audit findings, most severe first."),
        )

    def _card_month_end(self, today):
        """The last closed month: locked, or how much still stands in its way."""
        _ = self.env._
        period_end = today.replace(day=1) - timedelta(days=1)
        period_start = period_end.replace(day=1)
        locked = all(
            max(filter(None, (company.fiscalyear_lock_date, company.hard_lock_date)), default=period_start)
            >= period_end
            for company in self.env.companies
        )
        drafts = self.env["account.move"].search_count(
            self._company_domain() & Domain("state", "=", "draft") & Domain("date", "<=", period_end)
        )
        unmatched = self.env["account.bank.statement.line"].search_count(
            self._company_domain() & Domain("is_reconciled", "=", False) & Domain("date", "<=", period_end)
        )
        open_items = drafts + unmatched
        month = fields.Date.to_string(period_start)[:7]
        return self._card(
            "month_end",
            _("Month-End Status"),
            month_end_light(locked, open_items),
            value=_("%(month)s locked", month=month) if locked else _("%(month)s open", month=month),
            detail=_("%(drafts)s draft entries, %(lines)s unmatched bank lines", drafts=drafts, lines=unmatched),
            prompt=_("Run the close checklist for %(month)s and tell me what is left.", month=month),
        )

    # ------------------------------------------------------------------ action center

    def _finding_domain(self):
        return self._company_domain() & Domain("state", "=", "open")

    def _needs_attention(self):
        """Open findings in the order the audit cron ranked them (``score``, the model's order)."""
        findings = self.env[FINDING_MODEL].search(self._finding_domain(), limit=LIST_LIMIT)
        return [
            {
                "id": finding.id,
                "title": finding.name,
                "severity": finding.severity,
                "amount": self._money(finding.amount) if finding.amount else "",
                "prompt": self.env._('Explain the audit finding "%(name)s" and how to fix it.', name=finding.name),
            }
            for finding in findings
        ]

    def _recent_activity(self):
        """Tier-2 actions, tier-3 proposals and the user's conversations, newest first."""
        entries = self.env[HISTORY_MODEL].search(self._company_domain(), order="id desc", limit=LIST_LIMIT)
        items = [
            {
                "kind": "action" if entry.tier == "2" else "approval" if entry.decision == "pending" else "decision",
                "title": entry.tool_name,
                "state": entry.decision,
                "date": fields.Datetime.to_string(entry.proposed_at),
                "session_id": entry.session_id.id,
            }
            for entry in entries
        ]
        sessions = self.env[SESSION_MODEL].search(
            self._company_domain() & Domain("user_id", "=", self.env.uid), order="write_date desc", limit=5
        )
        items += [
            {
                "kind": "conversation",
                "title": session.name,
                "state": session.state,
                "date": fields.Datetime.to_string(session.write_date),
                "session_id": session.id,
            }
            for session in sessions
        ]
        # Pending approvals first: they wait for someone; then everything by date.
        items.sort(key=lambda item: item["date"] or "", reverse=True)
        items.sort(key=lambda item: item["kind"] != "approval")
        return items[:LIST_LIMIT]

    def _tool_rates(self):
        """Tier-3 decisions per tool; tier-2 actions are never decided, so they stay out."""
        history = self.env[HISTORY_MODEL]
        domain = self._company_domain() & Domain("tier", "=", "3")
        counts = {}
        for tool, decision, count in history._read_group(domain, ["tool_name", "decision"], ["__count"]):
            counts.setdefault(tool, {})[decision] = count
        overridden = dict(
            history._read_group(domain & Domain("correct_action", "not in", (False, "")), ["tool_name"], ["__count"])
        )
        rows = [
            ToolDecisions(
                tool=tool,
                approved=by_decision.get("approved", 0),
                rejected=by_decision.get("rejected", 0),
                overridden=overridden.get(tool, 0),
                pending=by_decision.get("pending", 0),
            )
            for tool, by_decision in counts.items()
        ]
        return [asdict(rate) for rate in tool_rates(rows)]

    def _usage(self, period_start):
        """Tokens and cost of the conversations active this period (the platform prices turns in USD)."""
        domain = self._company_domain() & Domain("write_date", ">=", fields.Datetime.to_datetime(period_start))
        # Record rules scope it: Staff count their own conversations, Managers everyone's.
        sessions = self.env[SESSION_MODEL].search_fetch(domain, ["tokens_in", "tokens_out", "cost", "cost_complete"])
        rows = [(session.tokens_in, session.tokens_out, session.cost) for session in sessions]
        totals = usage_totals(rows)
        usd = self.env.ref("base.USD")
        return {
            "turns": totals.turns,
            "input_tokens": totals.input_tokens,
            "output_tokens": totals.output_tokens,
            "cost": totals.cost,
            "cost_display": format_amount(self.env, totals.cost, usd) if totals.cost is not None else "",
            # A turn on a model without a known price adds tokens but no cost.
            "cost_partial": not all(sessions.mapped("cost_complete")),
        }
