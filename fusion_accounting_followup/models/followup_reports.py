from odoo import api, models

from .followup_engine import FOLLOWUP_READ


class FusionFollowupDocument(models.AbstractModel):
    """The values of a follow-up document on the company letterhead: the engine's batch read of its partners.

    Each report names the engine method that reads all its partners at once (``_documents``)
    and the key its template reads them under (``_documents_key``).
    """

    _name = "fusion.followup.document"
    _description = "Fusion: follow-up document"
    _documents = None
    _documents_key = None

    @api.model
    def _get_report_values(self, docids, data=None):
        engine = self.env["fusion.followup.engine"]
        engine._check_right(FOLLOWUP_READ)
        partners = self.env["res.partner"].browse(docids).commercial_partner_id
        return {
            "docs": partners,
            "company": self.env.company,
            self._documents_key: getattr(engine, self._documents)(partners),
        }


class ReportFollowupLetter(models.AbstractModel):
    """The printed follow-up letter: the level, its text, the chased invoices with days late (no disputed one)."""

    _name = "report.fusion_accounting_followup.report_followup_letter"
    _inherit = "fusion.followup.document"
    _description = "Fusion: follow-up letter"
    _documents = "_letters"
    _documents_key = "letters"


class ReportFollowupStatement(models.AbstractModel):
    """The customer statement: open items, recent payments, balance."""

    _name = "report.fusion_accounting_followup.report_followup_statement"
    _inherit = "fusion.followup.document"
    _description = "Fusion: customer statement"
    _documents = "_statements"
    _documents_key = "statements"
