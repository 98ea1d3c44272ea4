"""JSON-RPC entry point of the Fusion AI dashboard."""

from odoo.exceptions import AccessError
from odoo.http import Controller, request, route

USER_GROUP = "fusion_accounting_core.group_fusion_user"


class FusionDashboardController(Controller):
    @route("/fusion/dashboard/data", type="jsonrpc", auth="user", readonly=True)
    def dashboard_data(self, today=None):
        """The six health cards, the action center, tool rates and AI usage (see ``fusion.accounting.dashboard``)."""
        if not request.env.user.has_group(USER_GROUP):
            raise AccessError(request.env._("The Fusion AI dashboard is for Fusion Accounting users."))
        return request.env["fusion.accounting.dashboard"].get_dashboard_data(today=today)
