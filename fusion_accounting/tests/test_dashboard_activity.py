"""The dashboard and the approval cards read what the platform recorded."""

from odoo.tests import tagged

from odoo.addons.fusion_accounting_core.services.agent import call, calls
from odoo.addons.fusion_accounting_core.services.providers import Usage
from odoo.addons.fusion_accounting_core.tests.agent_common import FusionAgentCase

from .common import DashboardAssertions


@tagged("post_install", "-at_install")
class TestDashboardActivity(FusionAgentCase, DashboardAssertions):
    def propose(self, reasoning="Same amount", confidence=0.94):
        self.script(
            calls(
                call(
                    "reconcile_payment_to_invoice",
                    "c1",
                    ai_reasoning=reasoning,
                    ai_confidence=confidence,
                    **self.reconcile_args(),
                )
            ),
            "Done.",
        )
        session = self.post(self.manager, "Match Northwind's payment")
        return session, session.history_ids

    def test_pending_approval_leads_recent_activity(self):
        session, proposal = self.propose()
        activity = self.dashboard(None, user=self.manager)["activity"]
        self.assertEqual(activity[0]["kind"], "approval")
        self.assertEqual((activity[0]["tool"], activity[0]["session_id"]), (proposal.tool_name, session.id))
        # People read a sentence and a translated state, never the identifiers.
        self.assertEqual(
            (activity[0]["title"], activity[0]["state_label"]), ("Reconcile a payment with an invoice", "Pending")
        )
        conversation = next(item for item in activity if item["kind"] == "conversation")
        self.assertNotIn("_", conversation["state_label"])
        self.assertIn("conversation", [item["kind"] for item in activity])

    def test_rates_count_tier3_decisions_and_overrides(self):
        _session, proposal = self.propose()
        proposal.with_user(self.manager).action_reject("Wrong invoice", "Match INV/2 instead")
        (rate,) = self.dashboard(None, user=self.manager)["tool_rates"]
        self.assertEqual(
            (rate["tool"], rate["decided"], rate["approval_rate"], rate["override_rate"]),
            ("reconcile_payment_to_invoice", 1, 0.0, 1.0),
        )
        self.assertEqual(rate["label"], "Reconcile a payment with an invoice")

    def test_usage_sums_this_months_conversations(self):
        provider = self.script(calls(call("get_ar_aging", "c1"), usage=Usage(1000, 100)), "Here is the aging.")
        provider.model = "claude-sonnet-4-20250514"
        self.post(self.manager, "aging?")
        usage = self.dashboard(None, user=self.manager)["usage"]
        self.assertEqual((usage["turns"], usage["input_tokens"], usage["output_tokens"]), (1, 1000, 100))

    def test_staff_sees_only_its_own_usage(self):
        self.script("Hello.")
        self.post(self.manager, "hi")
        self.assertEqual(self.dashboard(None, user=self.staff)["usage"]["turns"], 0)

    def test_approval_card_says_what_will_be_reconciled(self):
        _session, proposal = self.propose(reasoning="Paid two days after the invoice")
        (card,) = self.env["fusion.accounting.approval.card"].with_user(self.manager).get_cards(proposal.ids)
        self.assertEqual(card["title"], "Reconcile a payment with an invoice")
        self.assertEqual((card["confidence"], card["state"]), (0.94, "pending"))
        self.assertEqual(card["reasoning"], "Paid two days after the invoice")
        self.assertEqual(card["arguments_hash"], proposal.arguments_hash)
        labels = [line["label"] for line in card["lines"]]
        self.assertEqual(labels[0], "Counterpart: Northwind Medical")
        self.assertIn(self.invoice.name, labels[1] + labels[2])
        self.assertNotIn("Difference", labels, "the payment settles the invoice exactly")

    def test_cards_follow_the_decision(self):
        _session, proposal = self.propose()
        proposal.with_user(self.manager).action_reject("Not this one")
        (card,) = self.env["fusion.accounting.approval.card"].with_user(self.manager).get_cards(proposal.ids)
        self.assertEqual((card["state"], card["rejection_reason"]), ("rejected", "Not this one"))
