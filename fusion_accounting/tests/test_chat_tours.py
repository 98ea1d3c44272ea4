"""The chat panel in headless Chromium: the offline router, the tool picker, queued messages, reasons to reject."""

from datetime import date

from odoo.tests import tagged

from odoo.addons.fusion_accounting_core.services.agent import call, calls

from .common import CopilotTourCase


@tagged("post_install", "-at_install")
class TestChatTours(CopilotTourCase):
    """Each tour logs in as a Fusion Manager (see :class:`.common.CopilotTourCase`)."""

    def propose_match(self):
        return call("reconcile_payment_to_invoice", "c1", ai_confidence=0.9, **self.reconcile_args())

    def test_offline_router_answers_ar_aging_with_a_table(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("fusion_accounting.ai_provider", "claude")
        params.set_param("fusion_accounting.anthropic_api_key", "")
        for name, amount in (("Acme Clinic", 250.0), ("Bolt Dental", 125.0)):
            partner = self.env["res.partner"].create({"name": name})
            self.init_invoice("out_invoice", partner=partner, amounts=[amount], post=True)
        self.tour("fusion_ai_offline_aging")
        session = self.env["fusion.accounting.session"].search([("user_id", "=", self.manager.id)])
        self.assertEqual(session.provider, "offline")
        self.assertIn("get_ar_aging", session.transcript)
        self.assertFalse(session.history_ids, "a tier-1 read leaves no history row nor proposal")

    def test_tool_picker_runs_a_chosen_tool(self):
        journal = self.company_data["default_journal_bank"]
        self.env["account.bank.statement.line"].create(
            {"journal_id": journal.id, "date": date.today(), "amount": 80.0, "payment_ref": "tour deposit"}
        )
        self.tour("fusion_ai_tool_picker")

    def test_message_typed_while_a_proposal_waits_is_sent_after_the_decision(self):
        self.script(calls(self.propose_match()), "Reconciled as approved.", "Nothing else is open.")
        self.post(self.manager, "Match Northwind's payment")
        self.tour("fusion_ai_queued_message")
        self.assertPaidOnce()
        session = self.env["fusion.accounting.session"].search([("user_id", "=", self.manager.id)])
        self.assertIn("And is anything else open?", session.transcript)
        self.assertEqual(session.state, "idle")

    def test_reject_needs_a_reason(self):
        self.script(calls(self.propose_match()), "Understood.")
        self.post(self.manager, "Match Northwind's payment")
        self.tour("fusion_ai_reject_needs_a_reason")
        self.assertUnpaid()
        (proposal,) = self.history(tool_name="reconcile_payment_to_invoice")
        self.assertEqual((proposal.decision, proposal.rejection_reason), ("rejected", "Wrong customer"))

    def test_card_after_approval_shows_what_was_booked_not_the_proposal_recomputed(self):
        self.script(calls(self.propose_match()), "Done.")
        session = self.post(self.manager, "Match Northwind's payment")
        (proposal,) = session.history_ids
        proposal.with_user(self.manager).action_approve(arguments_hash=proposal.arguments_hash)
        self.assertPaidOnce()
        cards = self.env["fusion.accounting.approval.card"].with_user(self.manager)
        (card,) = cards.get_cards(proposal.ids)
        self.assertEqual((card["state"], card["execution_state"], card["lines"]), ("approved", "done", []))
        self.assertEqual(card["result"], "", "no error sentence: it was booked")
        self.assertTrue(card["result_view"]["tables"] or card["result_view"]["facts"])
        self.assertNotIn("write-off", str(card))
