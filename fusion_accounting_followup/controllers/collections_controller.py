"""JSON-RPC route of the collections summary (promises, disputes, DSO, 90+ share, cash after follow-ups).

One section per company selected in the company switcher (``company_ids``), each in its
currency; a company outside the user's is refused.  Like the dashboard's routes, a refusal
answers ``{"refused": true, "error": "<one sentence>"}``.
"""

from odoo import http
from odoo.exceptions import AccessError, UserError

from odoo.addons.fusion_accounting_core.services.route_inputs import RouteInputError

from .followup_controller import selected_companies


class FusionCollectionsController(http.Controller):
    @http.route("/fusion/followup/collections_summary", type="jsonrpc", auth="user")
    def collections_summary(self, company_ids=None):
        try:
            companies = selected_companies(company_ids)
            engine = companies.env["fusion.followup.engine"].with_context(allowed_company_ids=companies.ids)
            return engine.collections_summaries()
        except RouteInputError as error:
            return {"refused": True, "error": error.sentence, "field": error.name}
        except (AccessError, UserError) as error:
            return {"refused": True, "error": error.args[0] if error.args else str(error)}
