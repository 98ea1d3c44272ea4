"""Several follow-up letters (or statements) as one PDF, whatever the wkhtmltopdf.

Odoo prints several records in one wkhtmltopdf call with one input file each,
which a wkhtmltopdf built on an unpatched Qt refuses ("Tried to convert
multiple documents ..."): the batch print of the follow-up wizard would then
fail.  For our documents on such a wkhtmltopdf, the HTML is still rendered
once for all partners (one batch read of the ledger), then each partner's page
is printed on its own; Odoo's ``_render_qweb_pdf`` merges the streams into the
one PDF the user downloads (pypdf's writer, ``_merge_pdfs``).
"""

import io
from collections import OrderedDict

from odoo import models

from odoo.addons.base.models.ir_actions_report import _wkhtml

DOCUMENTS = (
    "fusion_accounting_followup.report_followup_letter",
    "fusion_accounting_followup.report_followup_statement",
)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        # EXTENDS base: one wkhtmltopdf call per partner of our documents when Qt cannot print several at once.
        report = self._get_report(report_ref)
        ids = list(dict.fromkeys(res_ids or ()))
        if report.report_name not in DOCUMENTS or len(ids) < 2 or ids != list(res_ids) or _wkhtml().is_patched_qt:
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        data = {**(data or {}), "report_type": "pdf", "debug": False}
        printer = self.with_context(debug=False)
        html = printer._render_qweb_html(report_ref, ids, data=data)[0]
        bodies, html_ids, header, footer, paperformat_args = report.with_context(debug=False)._prepare_html(
            html, report_model=report.model
        )
        if sorted(html_ids) != sorted(ids):  # a page without its partner: let Odoo say what is wrong
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        pages = dict(zip(html_ids, bodies, strict=True))
        streams = OrderedDict()
        for res_id in ids:
            content = printer._run_wkhtmltopdf(
                [pages[res_id]],
                report_ref=report_ref,
                header=header,
                footer=footer,
                landscape=self.env.context.get("landscape"),
                specific_paperformat_args=paperformat_args,
                set_viewport_size=self.env.context.get("set_viewport_size"),
            )
            streams[res_id] = {"stream": io.BytesIO(content), "attachment": None}
        return streams
