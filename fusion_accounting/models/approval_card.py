"""Approval cards of the chat panel: a tier-3 proposal in the words of design 6.3."""

import json

from odoo import api, models
from odoo.tools import format_amount

from odoo.addons.fusion_accounting_core.services.agent.result_view import result_view
from odoo.addons.fusion_accounting_core.services.tools import REGISTRY

from ..services.approval_card import CardFacts, card_lines

HISTORY_MODEL = "fusion.accounting.match.history"


class FusionApprovalCard(models.AbstractModel):
    _name = "fusion.accounting.approval.card"
    _description = "Fusion AI approval cards"

    @api.model
    def get_cards(self, proposal_ids):
        """One JSON-ready card per readable tier-3 proposal, in the order given."""
        wanted = list(dict.fromkeys(int(pid) for pid in proposal_ids))
        # search, not browse: record rules drop a forbidden id exactly like a missing one, so the
        # answer never tells another company's proposals from ids that do not exist (issue 18).
        readable = set(self.env[HISTORY_MODEL].search([("id", "in", wanted)]).ids)
        proposals = self.env[HISTORY_MODEL].browse([pid for pid in wanted if pid in readable])
        decisions = dict(proposals._fields["decision"]._description_selection(self.env))
        return [self._card(proposal, decisions) for proposal in proposals if proposal.tier == "3"]

    def _card(self, proposal, decisions):
        facts = self._facts(proposal)
        currency = proposal.currency_id
        view = result_view(proposal.tool_name, proposal.tool_result) if proposal.tool_result else None
        booked = proposal.decision == "approved" and proposal.execution_state == "done"
        return {
            "id": proposal.id,
            "tool": proposal.tool_name,
            "title": REGISTRY.title_of(proposal.tool_name),
            "confidence": proposal.ai_confidence or None,
            "reasoning": proposal.ai_reasoning or "",
            # Once it ran, the records show their state after it (an item's residual is what is left):
            # the card shows what was booked instead of the proposal recomputed on changed records.
            "lines": []
            if booked
            else [
                {"label": line.label, "amount": format_amount(self.env, line.amount, currency) if line.amount else ""}
                for line in card_lines(facts)
            ],
            "state": proposal.decision,
            "state_label": decisions.get(proposal.decision, proposal.decision),
            "execution_state": proposal.execution_state,
            # What was actually booked (or why it failed): a sentence, and the result as tables and facts.
            "result": view["text"] if view else "",
            "result_view": view if view and not view["text"] else None,
            "currency": currency.name or "",
            "rejection_reason": proposal.rejection_reason or "",
            "arguments_hash": proposal.arguments_hash,
        }

    def _facts(self, proposal):
        try:
            arguments = json.loads(proposal.tool_params or "{}")
        except ValueError:
            arguments = {}
        if not isinstance(arguments, dict):
            arguments = {}
        st_line = proposal.bank_statement_line_id
        lines = proposal.move_line_ids
        fee_account = self.env["account.account"]
        if arguments.get("fee_account_code") and isinstance(arguments["fee_account_code"], str):
            fee_account = fee_account.search(
                [("company_ids", "in", proposal.company_id.ids), ("code", "=", arguments["fee_account_code"])], limit=1
            )
        return CardFacts(
            tool=proposal.tool_name,
            bank_label=f"{st_line.date:%b %d} {st_line.payment_ref or ''}".strip() if st_line else "",
            bank_amount=st_line.amount if st_line else None,
            items=tuple((self._item_label(line), line.amount_residual) for line in lines),
            partner=proposal.partner_id.display_name or "",
            amount=proposal.amount or None,
            fee_account=fee_account.display_name or "",
            fee_amount=self._fee_amount(arguments),
            arguments=arguments,
            # What the tool's own addon states (fusion_accounting depends on none of them): see _card_facts.
            tool_lines=tuple(proposal._card_facts(arguments)),
        )

    @staticmethod
    def _fee_amount(arguments):
        fee = arguments.get("fee_amount")
        return float(fee) if isinstance(fee, (int, float)) and not isinstance(fee, bool) and fee > 0 else 0.0

    def _item_label(self, line):
        move = line.move_id
        return " ".join(filter(None, (move.name, move.ref if move.ref != move.name else "")))
