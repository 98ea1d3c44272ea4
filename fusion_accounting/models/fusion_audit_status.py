"""Review status of an account for a period, for databases without Enterprise's ``account.audit.account.status``."""

from odoo import fields, models

AUDIT_STATUSES = [("todo", "To Review"), ("reviewed", "Reviewed"), ("supervised", "Supervised"), ("anomaly", "Anomaly")]


class FusionAuditStatus(models.Model):
    _name = "fusion.accounting.audit.status"
    _description = "Fusion: account review status per period"
    _order = "date_to desc, account_id"
    _check_company_auto = True

    account_id = fields.Many2one("account.account", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    status = fields.Selection(AUDIT_STATUSES, required=True, default="todo")
    note = fields.Text()

    _account_period_uniq = models.Constraint(
        "UNIQUE(company_id, account_id, date_from, date_to)", "An account has one review status per period."
    )
    _period_order = models.Constraint("CHECK(date_from <= date_to)", "The period must start before it ends.")
