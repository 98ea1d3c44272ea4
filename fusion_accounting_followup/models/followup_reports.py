from odoo import api, models


class ReportFollowupLetter(models.AbstractModel):
    """Values of the printed follow-up letter: the engine's letter of each partner (no disputed invoice)."""

    _name = "report.fusion_accounting_followup.report_followup_letter"
    _description = "Fusion: follow-up letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        engine = self.env["fusion.followup.engine"]
        engine._check_right("fusion_accounting_core.group_fusion_user")
        partners = self.env["res.partner"].browse(docids).mapped("commercial_partner_id")
        return {
            "docs": partners,
            "company": self.env.company,
            "letters": {partner.id: engine._letter(partner) for partner in partners},
        }


class ReportFollowupStatement(models.AbstractModel):
    """Values of the customer statement: open items, recent payments, balance."""

    _name = "report.fusion_accounting_followup.report_followup_statement"
    _description = "Fusion: customer statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        engine = self.env["fusion.followup.engine"]
        engine._check_right("fusion_accounting_core.group_fusion_user")
        partners = self.env["res.partner"].browse(docids).mapped("commercial_partner_id")
        return {
            "docs": partners,
            "company": self.env.company,
            "statements": {partner.id: engine._statement(partner) for partner in partners},
        }
