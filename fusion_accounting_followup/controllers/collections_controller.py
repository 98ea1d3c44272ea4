"""JSON-RPC route of the collections summary (promises, disputes, DSO, 90+ share, cash after follow-ups).

Like the dashboard's routes, a refusal answers ``{"refused": true, "error": "<one sentence>"}``.
"""

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request


class FusionCollectionsController(http.Controller):
    @http.route("/fusion/followup/collections_summary", type="jsonrpc", auth="user")
    def collections_summary(self):
        try:
            return request.env["fusion.followup.engine"].collections_summary()
        except (AccessError, UserError) as error:
            return {"refused": True, "error": error.args[0] if error.args else str(error)}
