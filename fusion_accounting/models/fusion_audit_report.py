"""Values of the PDF audit report (``report/audit_report_template.xml``): a company's open findings, ranked."""

from collections import Counter

from odoo import api, models

from ..services.audit_ranking import SEVERITIES


class FusionAuditReport(models.AbstractModel):
    _name = "report.fusion_accounting.report_audit"
    _description = "Fusion: audit report values"

    @api.model
    def _get_report_values(self, docids, data=None):
        companies = self.env["res.company"].browse(docids)
        findings = self.env["fusion.accounting.audit.finding"].search(
            [("company_id", "in", companies.ids), ("state", "=", "open")], order="score desc, id desc"
        )
        counts = Counter(findings.mapped("severity"))
        return {
            "doc_ids": docids,
            "doc_model": "res.company",
            "docs": companies,
            "findings": findings,
            "severity_counts": [(severity, counts.get(severity, 0)) for severity in SEVERITIES],
        }
