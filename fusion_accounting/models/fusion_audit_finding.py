"""Audit findings: what ``run_full_audit`` found, kept until resolved, ranked for the dashboard."""

from datetime import timedelta

from odoo import api, fields, models

from ..services.audit_ranking import SEVERITIES, finding_score

FREQUENCY_PARAM = "fusion_accounting.audit_cron_frequency"
LAST_RUN_PARAM = "fusion_accounting.audit_cron_last_run"
# Minimum days between two audits for each setting; the cron itself wakes daily.
FREQUENCY_DAYS = {"daily": 1, "weekly": 7, "monthly": 28}
# How far back the periodic audit looks.
AUDIT_WINDOW_DAYS = 365


class FusionAuditFinding(models.Model):
    _name = "fusion.accounting.audit.finding"
    _description = "Fusion: audit finding"
    _order = "score desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    kind = fields.Char(required=True, index=True, help="What check found it, e.g. duplicate_bill, sequence_gap.")
    severity = fields.Selection([(s, s.title()) for s in SEVERITIES], required=True, default="medium")
    message = fields.Text()
    recommendation = fields.Text()
    res_model = fields.Char(string="Record Model")
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model")
    account_id = fields.Many2one("account.account", index=True)
    rule_id = fields.Many2one(
        "fusion.accounting.rule", index="btree_not_null", ondelete="set null", help="The audit rule that flagged it."
    )
    amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    score = fields.Float(help="Severity band plus the amount at stake: the Needs Attention order.")
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved"), ("dismissed", "Dismissed")], default="open", required=True
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    fingerprint = fields.Char(required=True, index=True, help="kind, record, account and rule: one open finding each.")
    last_seen = fields.Date()

    _fingerprint_company_uniq = models.UniqueIndex("(company_id, fingerprint) WHERE state = 'open'")

    @api.model
    def _fingerprint(self, values):
        parts = (
            values["kind"],
            values.get("res_model") or "",
            values.get("res_id") or 0,
            values.get("account_id") or 0,
        )
        # Two audit rules flagging one entry are two findings.
        rule = (f"rule{values['rule_id']}",) if values.get("rule_id") else ()
        return ":".join(str(part) for part in parts + rule)

    @api.model
    def _store(self, company, findings, today, resolve_kinds=()):
        """Create or refresh one open finding per fingerprint and return the new ones.

        Open findings of ``resolve_kinds`` that this run did not see again are
        resolved: a full audit passes every kind it checked, a partial run
        (the post hook) passes none.
        """
        existing = {f.fingerprint: f for f in self.search([("company_id", "=", company.id), ("state", "=", "open")])}
        seen, to_create = set(), []
        for values in findings:
            fingerprint = self._fingerprint(values)
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            vals = {
                "name": values["name"],
                "kind": values["kind"],
                "severity": values["severity"],
                "message": values.get("message"),
                "recommendation": values.get("recommendation"),
                "res_model": values.get("res_model"),
                "res_id": values.get("res_id") or False,
                "account_id": values.get("account_id") or False,
                "rule_id": values.get("rule_id") or False,
                "amount": values.get("amount") or 0.0,
                "score": finding_score(values["severity"], values.get("amount") or 0.0),
                "last_seen": today,
            }
            if fingerprint in existing:
                existing[fingerprint].write(vals)
            else:
                to_create.append({**vals, "company_id": company.id, "fingerprint": fingerprint})
        created = self.create(to_create)
        stale = [f.id for fp, f in existing.items() if fp not in seen and f.kind in set(resolve_kinds)]
        self.browse(stale).write({"state": "resolved"})
        return created

    def action_open_record(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
        }

    @api.model
    def _cron_run_audit(self):
        """Periodic audit (design 2.1): at the frequency set in the settings, audit each company and store findings."""
        icp = self.env["ir.config_parameter"].sudo()
        today = fields.Date.context_today(self)
        frequency = icp.get_param(FREQUENCY_PARAM) or "daily"
        last_run = fields.Date.to_date(icp.get_param(LAST_RUN_PARAM) or False)
        if last_run and (today - last_run).days < FREQUENCY_DAYS.get(frequency, 1):
            return
        companies = self.env["res.company"].search([("chart_template", "!=", False)])
        for index, company in enumerate(companies):
            self._audit_company(company, today)
            self.env["ir.cron"]._commit_progress(1, remaining=len(companies) - index - 1)
        icp.set_param(LAST_RUN_PARAM, fields.Date.to_string(today))

    @api.model
    def _audit_company(self, company, today):
        engine = self.env["fusion.audit.engine"].with_company(company).with_context(allowed_company_ids=company.ids)
        findings = engine.run_all(today - timedelta(days=AUDIT_WINDOW_DAYS), today)
        created = self.with_company(company)._store(company, findings, today, resolve_kinds=engine._ALL_KINDS)
        # The dashboard trusts stored findings only within the audit's period (see its Audit Score card).
        company.sudo().fusion_audit_checked_on = today
        return created
