from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS base: every company starts with the default follow-up ladder.
        companies = super().create(vals_list)
        self.env["fusion.followup.level"]._create_default_levels(companies)
        return companies
