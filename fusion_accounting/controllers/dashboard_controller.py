"""JSON-RPC entry points of the Fusion AI dashboard."""

from odoo.exceptions import AccessError, UserError
from odoo.http import Controller, request, route

from odoo.addons.fusion_accounting_core.services.route_inputs import RouteInputError, id_list, odoo_date

USER_GROUP = "fusion_accounting_core.group_fusion_user"


def _dashboard(company_ids):
    """The dashboard model for the companies the user selected in the company switcher.

    A plain ``rpc`` carries no context, so without ``company_ids`` ``env.companies``
    would be every company the user may see.  ``env.companies`` refuses a company the
    user is not allowed in (``AccessError``).
    """
    if not request.env.user.has_group(USER_GROUP):
        raise AccessError(request.env._("The Fusion AI dashboard is for Fusion Accounting users."))
    try:
        companies = id_list(company_ids, "company_ids") if company_ids else []
    except RouteInputError as error:
        raise UserError(str(error)) from None
    model = request.env["fusion.accounting.dashboard"]
    if companies:
        model = model.with_context(allowed_company_ids=companies)
        # Reading env.companies refuses a company the user is not in: now, rather than halfway through a card.
        if not model.env.companies:
            raise AccessError(request.env._("Select at least one company."))
    return model


class FusionDashboardController(Controller):
    @route("/fusion/dashboard/data", type="jsonrpc", auth="user", readonly=True)
    def dashboard_data(self, today=None, company_ids=None):
        """The six health cards, the action center, tool rates and AI usage (see ``fusion.accounting.dashboard``).

        ``today`` (optional, ``YYYY-MM-DD``) is checked first: a day Odoo cannot compute with is answered
        with a sentence, never a traceback.  ``company_ids``: the companies selected in the switcher
        (the web client's ``allowed_company_ids``).
        """
        model = _dashboard(company_ids)
        try:
            today = odoo_date(today, "today")
        except RouteInputError as error:
            raise UserError(str(error)) from None
        return model.get_dashboard_data(today=today)

    @route("/fusion/dashboard/run_audit", type="jsonrpc", auth="user")
    def run_audit(self, company_ids=None):
        """Run the periodic audit now for the selected companies (the Audit Score card's button)."""
        return _dashboard(company_ids).action_run_audit()
