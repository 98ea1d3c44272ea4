"""The figures of the Fusion AI dashboard (design 6.2), read set-based.

Figures are aggregates (``_read_group``, ``search_count``, or one SQL pass with
``FILTER`` clauses over the rows of ``_search``; never a loop over records)
over the companies the user has selected (``env.companies``: the controller
passes the company switcher's selection), run with the user's rights so access
rights and record rules apply: Staff see their own conversations and proposals,
Managers everyone's.  A card whose figure a tool also answers reads it through
that tool's function (bank lines, AR/AP aging, HST balance), so the card and
the chat never disagree.  The audit card shows stored findings only while the
periodic audit is within its period for every selected company; otherwise it
says since when nothing was checked.  The colours, rates and usage totals come
from the pure ``services.dashboard`` package.
"""

import time
from dataclasses import asdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL, format_amount, format_date, format_datetime

from odoo.addons.fusion_accounting_core.services.ar_aging_buckets import BUCKETS
from odoo.addons.fusion_accounting_core.services.tools import REGISTRY, ToolRefusal
from odoo.addons.fusion_accounting_core.tools.ar_aging import open_amounts_by_bucket
from odoo.addons.fusion_accounting_core.tools.bank_lines import get_unreconciled_bank_lines

from ..services.dashboard import (
    Light,
    ToolDecisions,
    aging_figures,
    ap_light,
    ar_light,
    audit_light,
    audit_score,
    bank_light,
    freshness,
    hst_light,
    month_end_light,
    tool_rates,
    usage_totals,
)
from ..tools.hst import calculate_hst_balance
from ..tools.month_end import open_substantive_count
from .fusion_audit_finding import FREQUENCY_DAYS, FREQUENCY_PARAM

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
        audit = self._audit_freshness(today)
        data = {
            "today": fields.Date.to_string(today),
            "today_display": format_date(self.env, today),
            "period": {
                "date_from": fields.Date.to_string(period_start),
                "date_to": fields.Date.to_string(today),
                "date_from_display": format_date(self.env, period_start),
            },
            "currency": self.env.company.currency_id.name,
            "companies": self.env.companies.mapped("name"),
            "cards": [
                self._card_bank(today),
                self._card_ar(today),
                self._card_ap(today),
                self._card_hst(today),
                self._card_audit(audit),
                self._card_month_end(today),
            ],
            "needs_attention": self._needs_attention(),
            # The empty Needs Attention list says "well done" only when the audit is current.
            "audit_current": not audit.stale,
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

    def _card(self, key, title, light, *, value, detail, prompt, action=None, amount=None):
        return {
            "key": key,
            # The money figure behind ``value`` (current company's currency), for comparing with the tools.
            "amount": None if amount is None else round(amount, 2),
            "title": title,
            "light": light.value,
            # The light as words, for screen readers and the tooltip.
            "light_label": self._light_labels()[light],
            "value": value,
            "detail": detail,
            # What the chat panel asks when the card is clicked (design 6.2).
            "prompt": prompt,
            # ``{"name", "label"}`` of a button on the card (e.g. run the audit now), or None.
            "action": action,
        }

    def _light_labels(self):
        _ = self.env._
        return {
            Light.GREEN: _("All good"),
            Light.YELLOW: _("Needs a look"),
            Light.RED: _("Needs action"),
            Light.UNKNOWN: _("Not checked"),
        }

    def _to_main_currency_by_name(self, amounts_by_currency, today):
        """Sum ``{currency name: amount}`` into the current company's currency."""
        target = self.env.company.currency_id
        currencies = (
            self.env["res.currency"].with_context(active_test=False).search([("name", "in", list(amounts_by_currency))])
        )
        total = 0.0
        for currency in currencies:
            total += currency._convert(amounts_by_currency[currency.name], target, self.env.company, today)
        return total

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
        # The count and the oldest line are the bank-lines tool's answer (oldest first).
        lines = get_unreconciled_bank_lines.function(self.env, limit=1)
        count = lines["count"]
        oldest = fields.Date.to_date(lines["lines"][0]["date"]) if lines["lines"] else today
        # Unmatched size is the absolute amount: deposits and withdrawals both wait.
        groups = self._per_company(
            "account.bank.statement.line",
            self._company_domain() & Domain("is_reconciled", "=", False),
            lambda column: [SQL("SUM(ABS(%s))", column("amount"))],
        )
        total = self._to_main_currency(groups, today)
        light = bank_light(count, (today - oldest).days)
        return self._card(
            "bank",
            _("Bank Reconciliation"),
            light,
            amount=total,
            value=str(count),
            detail=(
                _("1 unmatched line, %(amount)s", amount=self._money(total))
                if count == 1
                else _("%(count)s unmatched lines, %(amount)s", count=count, amount=self._money(total))
            ),
            prompt=_("Which bank statement lines are still unmatched, and what do you propose for them?"),
        )

    def _aging(self, account_type, today, sign=1):
        """``(total, overdue, overdue partners)`` in the current company's currency, from the aging tools' rows."""
        rows = open_amounts_by_bucket(self.env, account_type, today)
        if sign < 0:
            rows = [type(row)(row.currency, row.partner, row.bucket, -row.amount) for row in rows]
        figures = aging_figures(rows, current=BUCKETS[0])
        total = self._to_main_currency_by_name({cur: f.total for cur, f in figures.items()}, today)
        overdue = self._to_main_currency_by_name({cur: f.overdue for cur, f in figures.items()}, today)
        return total, overdue, sum(f.overdue_partners for f in figures.values())

    def _card_ar(self, today):
        """``get_ar_aging``'s total; overdue is everything past its bucket ``current``."""
        _ = self.env._
        total, overdue, late_partners = self._aging("asset_receivable", today)
        return self._card(
            "ar",
            _("AR Outstanding"),
            ar_light(total, overdue),
            amount=total,
            value=self._money(total),
            detail=(
                _("1 customer overdue, %(amount)s overdue", amount=self._money(overdue))
                if late_partners == 1
                else _(
                    "%(count)s customers overdue, %(amount)s overdue",
                    count=late_partners,
                    amount=self._money(overdue),
                )
            ),
            prompt=_("Show me the receivable aging and the overdue customers I should follow up first."),
        )

    def _card_ap(self, today):
        """``get_ap_aging``'s total (what we owe is the opposite of the payable balance) and the week ahead."""
        _ = self.env._
        total, _overdue, late_vendors = self._aging("liability_payable", today, sign=-1)
        week_end = today + timedelta(days=7)
        domain = self._open_lines_domain("liability_payable") & Domain("amount_residual", "<", 0)

        def aggregates(column):
            this_week = SQL("%s BETWEEN %s AND %s", column("date_maturity"), today, week_end)
            return [
                SQL("SUM(%s) FILTER (WHERE %s)", column("amount_residual"), this_week),
                SQL("COUNT(*) FILTER (WHERE %s)", this_week),
            ]

        groups = self._per_company("account.move.line", domain, aggregates)
        due_week = -self._to_main_currency([(company, amount) for company, amount, _c in groups], today)
        due_week_count = sum(group[2] for group in groups)
        return self._card(
            "ap",
            _("AP Due"),
            ap_light(late_vendors, due_week_count),
            amount=total,
            value=self._money(total),
            detail=(
                _("%(week)s due this week, 1 vendor overdue", week=self._money(due_week))
                if late_vendors == 1
                else _(
                    "%(week)s due this week, %(overdue)s vendors overdue",
                    week=self._money(due_week),
                    overdue=late_vendors,
                )
            ),
            prompt=_("Which vendor bills fall due this week, and are any already late?"),
        )

    def _card_hst(self, today):
        """Net sales tax of the current quarter: ``calculate_hst_balance``'s answer for the quarter so far."""
        _ = self.env._
        quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        drafts = self.env["account.move.line"]._read_group(
            self._company_domain()
            & Domain("tax_line_id", "!=", False)
            & Domain("date", ">=", quarter_start)
            & Domain("date", "<=", today)
            & Domain("parent_state", "=", "draft"),
            [],
            ["move_id:count_distinct"],
        )[0][0]
        prompt = _("What is my net HST position this quarter, and is anything missing tax?")
        try:
            balance = calculate_hst_balance.function(self.env, quarter_start, today)
        except ToolRefusal:
            return self._card(
                "hst",
                _("HST Balance"),
                Light.UNKNOWN,
                value=_("Not set up"),
                detail=_("No GST/HST accounts found: pick them in the Fusion AI settings."),
                prompt=prompt,
            )
        net = balance["net_owing"]
        return self._card(
            "hst",
            _("HST Balance"),
            hst_light(net, drafts),
            amount=net,
            value=self._money(net),
            detail=_(
                "Collected %(collected)s, ITCs %(credits)s since %(start)s",
                collected=self._money(balance["collected"]),
                credits=self._money(balance["input_tax_credits"]),
                start=format_date(self.env, quarter_start),
            ),
            prompt=prompt,
        )

    def _audit_freshness(self, today):
        """Whether the stored findings cover every selected company within the audit's period."""
        frequency = self.env["ir.config_parameter"].sudo().get_param(FREQUENCY_PARAM) or "daily"
        return freshness(
            [company.fusion_audit_checked_on or None for company in self.env.companies],
            today,
            FREQUENCY_DAYS.get(frequency, 1),
        )

    def _may_run_audit(self):
        return self.env[FINDING_MODEL].has_access("create")

    def _card_audit(self, audit):
        _ = self.env._
        prompt = _("Summarise the open audit findings, most severe first.")
        if audit.stale:
            action = {"name": "run_audit", "label": _("Run the audit now")} if self._may_run_audit() else None
            return self._card(
                "audit",
                _("Audit Score"),
                Light.UNKNOWN,
                value=_("Not checked"),
                detail=(
                    _("The audit has never run for these books.")
                    if audit.never_checked
                    else _("Not checked since %(day)s.", day=format_date(self.env, audit.checked_on))
                ),
                prompt=prompt,
                action=action,
            )
        by_severity = dict(self.env[FINDING_MODEL]._read_group(self._finding_domain(), ["severity"], ["__count"]))
        score = audit_score(by_severity)
        flags = sum(by_severity.values())
        return self._card(
            "audit",
            _("Audit Score"),
            audit_light(score),
            value=str(score),
            detail=(
                _("1 active flag, checked %(day)s", day=format_date(self.env, audit.checked_on))
                if flags == 1
                else _(
                    "%(count)s active flags, checked %(day)s",
                    count=flags,
                    day=format_date(self.env, audit.checked_on),
                )
            ),
            prompt=prompt,
        )

    @api.model
    def action_run_audit(self):
        """The periodic audit, now, for each selected company (what the cron stores, with the user's rights)."""
        if not self._may_run_audit():
            raise AccessError(self.env._("Only a Fusion Manager can run the audit."))
        Finding = self.env[FINDING_MODEL]
        today = fields.Date.context_today(self)
        found = 0
        for company in self.env.companies:
            found += len(Finding._audit_company(company, today))
        return {"companies": len(self.env.companies), "new_findings": found}

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
        # What the close finds missing from the books counts too (issue 21), through the checklist's function.
        missing = 0 if locked else open_substantive_count(self.env, period_start, period_end)
        open_items = drafts + unmatched + missing
        # The month as the user reads it in their language ("November 2026", "novembre 2026"), not 2026-11.
        month = format_date(self.env, period_start, date_format="LLLL y")
        return self._card(
            "month_end",
            _("Month-End Status"),
            month_end_light(locked, open_items),
            value=_("%(month)s locked", month=month) if locked else _("%(month)s open", month=month),
            detail=self._month_end_detail(drafts, unmatched),
            prompt=_("Run the close checklist for %(month)s and tell me what is left.", month=month),
        )

    def _month_end_detail(self, drafts, unmatched):
        _ = self.env._
        entries = _("1 draft entry") if drafts == 1 else _("%(count)s draft entries", count=drafts)
        lines = _("1 unmatched bank line") if unmatched == 1 else _("%(count)s unmatched bank lines", count=unmatched)
        return _("%(entries)s, %(lines)s", entries=entries, lines=lines)

    # ------------------------------------------------------------------ action center

    def _finding_domain(self):
        return self._company_domain() & Domain("state", "=", "open")

    def _needs_attention(self):
        """Open findings in the order the audit cron ranked them (``score``, the model's order)."""
        findings = self.env[FINDING_MODEL].search(self._finding_domain(), limit=LIST_LIMIT)
        severities = self._selection_labels(FINDING_MODEL, "severity")
        return [
            {
                "id": finding.id,
                "title": finding.name,
                "severity": finding.severity,
                "severity_label": severities.get(finding.severity, finding.severity),
                "amount": self._money(finding.amount) if finding.amount else "",
                "prompt": self.env._('Explain the audit finding "%(name)s" and how to fix it.', name=finding.name),
            }
            for finding in findings
        ]

    def _recent_activity(self):
        """Tier-2 actions, tier-3 proposals and the user's conversations, newest first."""
        entries = self.env[HISTORY_MODEL].search(self._company_domain(), order="id desc", limit=LIST_LIMIT)
        decisions = self._selection_labels(HISTORY_MODEL, "decision")
        session_states = self._selection_labels(SESSION_MODEL, "state")
        items = [
            {
                "kind": "action" if entry.tier == "2" else "approval" if entry.decision == "pending" else "decision",
                "title": REGISTRY.title_of(entry.tool_name),
                "tool": entry.tool_name,
                "state": entry.decision,
                "state_label": decisions.get(entry.decision, entry.decision),
                "date": fields.Datetime.to_string(entry.proposed_at),
                "date_display": self._when(entry.proposed_at),
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
                "tool": "",
                "state": session.state,
                "state_label": session_states.get(session.state, session.state),
                "date": fields.Datetime.to_string(session.write_date),
                "date_display": self._when(session.write_date),
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
        return [{**asdict(rate), "label": REGISTRY.title_of(rate.tool)} for rate in tool_rates(rows)]

    def _when(self, moment):
        """A timestamp in the user's time zone and date format, to the minute."""
        return format_datetime(self.env, moment, dt_format="short") if moment else ""

    def _selection_labels(self, model, field):
        """``{value: translated label}`` of a selection field."""
        return dict(self.env[model]._fields[field]._description_selection(self.env))

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
