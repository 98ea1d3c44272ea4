from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    fusion_followup_level_id = fields.Many2one(
        "fusion.followup.level",
        string="Fusion Follow-up Level",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The highest follow-up level sent for this item.",
    )
    fusion_followup_last_run_date = fields.Date(string="Fusion Last Follow-up", copy=False, readonly=True)
