"""Approval cards for the chat panel, beside the platform's ``/fusion/ai/*`` API."""

from odoo.http import Controller, request, route


class FusionChatCardsController(Controller):
    @route("/fusion/chat/cards", type="jsonrpc", auth="user", readonly=True)
    def approval_cards(self, proposal_ids):
        """Design 6.3 cards for the given tier-3 proposals (record rules decide which ones the user sees)."""
        return request.env["fusion.accounting.approval.card"].get_cards(proposal_ids)
