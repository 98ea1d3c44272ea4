"""JSON-RPC entry point of the Fusion AI dashboard."""

from odoo.exceptions import AccessError, UserError
from odoo.http import Controller, request, route

from odoo.addons.fusion_accounting_core.services.route_inputs import RouteInputError, odoo_date

USER_GROUP = "fusion_accounting_core.group_fusion_user"


class FusionDashboardController(Controller):
    @route("/fusion/dashboard/data", type="jsonrpc", auth="user", readonly=True)
    def dashboard_data(self, today=None):
        """The six health cards, the action center, tool rates and AI usage (see ``fusion.accounting.dashboard``).

        ``today`` (optional, ``YYYY-MM-DD``) is checked first: a day Odoo cannot compute with is answered
        with a sentence, never a traceback.
        """
        if not request.env.user.has_group(USER_GROUP):
            raise AccessError(request.env._("The Fusion AI dashboard is for Fusion Accounting users."))
        try:
            today = odoo_date(today, "today")
        except RouteInputError as error:
            raise UserError(str(error)) from None
        return request.env["fusion.accounting.dashboard"].get_dashboard_data(today=today)
