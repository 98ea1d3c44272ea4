"""The co-pilot's screens in headless Chromium (design 6): dashboard, chat, approval cards."""

from datetime import date

from odoo.tests import tagged

from odoo.addons.fusion_accounting_core.services.agent import call, calls

from .common import CopilotTourCase


@tagged("post_install", "-at_install")
class TestCopilotTours(CopilotTourCase):
    """Each tour logs in as a Fusion Manager (see :class:`.common.CopilotTourCase`)."""

    def propose_match(self, invoice=None, payment=None, call_id="c1"):
        return call(
            "reconcile_payment_to_invoice",
            call_id,
            ai_reasoning="Same customer, same amount, paid two days after the invoice",
            ai_confidence=0.94,
            **self.reconcile_args(invoice, payment),
        )

    def test_dashboard_card(self):
        journal = self.company_data["default_journal_bank"]
        for amount in (120.0, -30.0):
            self.env["account.bank.statement.line"].create(
                {"journal_id": journal.id, "date": date.today(), "amount": amount, "payment_ref": f"tour {amount}"}
            )
        self.tour("fusion_ai_dashboard_card")

    def test_ask_gets_a_tier1_answer(self):
        self.script(calls(call("get_ar_aging", "c1")), "Northwind Medical owes 500.00; nothing is overdue.")
        self.tour("fusion_ai_ask_tier1")
        session = self.env["fusion.accounting.session"].search([("user_id", "=", self.manager.id)])
        self.assertEqual(session.state, "idle")
        self.assertFalse(session.history_ids, "a tier-1 answer leaves no proposal behind")

    def test_approve_changes_the_books(self):
        self.script(calls(self.propose_match()), "Reconciled as approved.")
        self.post(self.manager, "Match Northwind's payment")
        self.assertUnpaid()
        self.tour("fusion_ai_approve")
        self.assertPaidOnce()
        (proposal,) = self.history(tool_name="reconcile_payment_to_invoice")
        self.assertEqual((proposal.decision, proposal.decided_by), ("approved", self.manager))

    def test_reject_with_a_reason(self):
        self.script(calls(self.propose_match()), "Understood, I will not match it.")
        self.post(self.manager, "Match Northwind's payment")
        self.tour("fusion_ai_reject")
        self.assertUnpaid()
        (proposal,) = self.history(tool_name="reconcile_payment_to_invoice")
        self.assertEqual(proposal.decision, "rejected")
        self.assertIn("Wrong customer", proposal.rejection_reason)

    def test_batch_approve(self):
        other_invoice = self.init_invoice("out_invoice", partner=self.customer, amounts=[250.0], post=True)
        other_payment = self._payment_entry(self.customer, other_invoice.amount_total, ref="Second payment")
        self.script(
            calls(self.propose_match(), self.propose_match(other_invoice, other_payment, call_id="c2")),
            "Both matched.",
        )
        self.post(self.manager, "Match Northwind's payments")
        self.tour("fusion_ai_batch_approve")
        self.assertPaidOnce()
        self.assertPaidOnce(other_invoice)
