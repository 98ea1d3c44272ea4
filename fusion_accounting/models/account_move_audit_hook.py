"""Optional audit right after posting (design 2.1), behind the setting ``fusion_accounting.post_action_audit_hook``."""

from odoo import fields, models
from odoo.tools import str2bool

HOOK_PARAM = "fusion_accounting.post_action_audit_hook"
# Entry-level checks only (audit rules first): account-level and hash checks belong to the periodic audit.
HOOK_CHECKS = ("rules", "entries", "tax", "sequence")


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        # EXTENDS 'account'
        posted = super()._post(soft=soft)
        if posted and str2bool(self.env["ir.config_parameter"].sudo().get_param(HOOK_PARAM) or "False"):
            posted._fusion_audit_after_post()
        return posted

    def _fusion_audit_after_post(self):
        """Store the findings of the entry-level checks on the entries just posted, per company."""
        today = fields.Date.context_today(self)
        Finding = self.env["fusion.accounting.audit.finding"].sudo()
        for company, moves in self.grouped("company_id").items():
            engine = self.env["fusion.audit.engine"].with_company(company)
            findings = engine.run_all(
                min(moves.mapped("date")), max(moves.mapped("date")), checks=HOOK_CHECKS, move_ids=moves.ids
            )
            Finding.with_company(company)._store(company, findings, today)
