"""Approval cards for the chat panel, beside the platform's ``/fusion/ai/*`` API."""

from odoo.exceptions import UserError
from odoo.http import Controller, request, route

from odoo.addons.fusion_accounting_core.services.route_inputs import RouteInputError, id_list

MAX_CARDS = 200  # cards one request may ask for


class FusionChatCardsController(Controller):
    @route("/fusion/chat/cards", type="jsonrpc", auth="user", readonly=True)
    def approval_cards(self, proposal_ids=None):
        """Design 6.3 cards for the given tier-3 proposals (record rules decide which ones the user sees).

        ``proposal_ids`` must be a list of record ids; anything else is answered with a sentence.
        """
        try:
            ids = id_list(proposal_ids, "proposal_ids", max_items=MAX_CARDS)
        except RouteInputError as error:
            raise UserError(str(error)) from None
        return request.env["fusion.accounting.approval.card"].get_cards(ids)
