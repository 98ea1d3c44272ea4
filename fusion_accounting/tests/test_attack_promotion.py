"""Issue 18, failure 2: one Manager cannot promote a tier-3 tool for his company by himself.

The reported attack: a Manager proposed ``reconcile_payment_to_invoice`` with a
payment that does not exist 30 times and approved each (every run failed); the
tool then ran at once as tier 2 and reconciled 5,000.00 between another
partner's invoice and credit note.  Failed runs, refusals and one person's
approvals now prove nothing, so the tool still asks for approval.
"""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.fusion_accounting_core.services.agent import gate
from odoo.addons.fusion_accounting_core.services.tools import REGISTRY, Tier
from odoo.addons.fusion_accounting_core.tests.attack_common import AttackSuiteMixin

from ..models.fusion_learning_hooks import GENERAL_SCENARIO
from .common import pending_proposal

TOOL = "reconcile_payment_to_invoice"
ATTEMPTS = 30


@tagged("post_install", "-at_install")
class TestAttackPromotion(AttackSuiteMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The thresholds the attacker met in the report: 30 decisions at 0.95.
        cls.env["ir.config_parameter"].set_param("fusion_accounting.min_sample_size", ATTEMPTS)
        cls.env["ir.config_parameter"].set_param("fusion_accounting.promotion_threshold", 0.95)
        cls.manager = new_test_user(
            cls.env,
            login="fusion_attack_promoter",
            groups="base.group_user,account.group_account_manager,fusion_accounting_core.group_fusion_manager",
            company_ids=[(6, 0, cls.env.company.ids)],
        )
        # Another partner's open invoice and credit note of 5,000.00: what the promoted tool reconciled.
        cls.invoice = cls.init_invoice("out_invoice", partner=cls.partner_b, amounts=[5000.0], taxes=[], post=True)
        cls.credit_note = cls.init_invoice("out_refund", partner=cls.partner_b, amounts=[5000.0], taxes=[], post=True)

    def propose(self, tool, arguments):
        """A pending tier-3 proposal of ``tool`` by the Manager, as the agent stores it."""
        return pending_proposal(self.env, tool, arguments, self.manager)

    def approve_failing_proposals(self, tool, arguments):
        """The Manager proposes ``arguments`` ATTEMPTS times and approves each; ``[{"execution_state", "result"}]``."""
        outcomes = []
        for _ in range(ATTEMPTS):
            outcomes += self.propose(tool, arguments).with_user(self.manager).action_approve().values()
        return outcomes

    def tier_seen_by_manager(self, tool):
        """The tier the gate gives the Manager's calls of ``tool``, with what was learned for the tool."""
        Tool = self.env["fusion.accounting.tool"].with_user(self.manager)
        spec = next(spec for spec in Tool._available_specs() if spec.name == tool)
        caller = self.env["fusion.accounting.agent"].with_user(self.manager)._caller()
        return gate(spec, caller, Tool._tool_tier(spec)).tier

    def test_thirty_failed_approvals_by_one_manager_leave_the_tool_at_tier_3(self):
        missing_payment = {"invoice_id": self.invoice.id, "payment_move_id": 999_999_999}
        outcomes = self.attack(
            "30 approvals of a failing reconcile",
            lambda: self.approve_failing_proposals(TOOL, missing_payment),
            refused_if=lambda outcomes: all(outcome["execution_state"] == "failed" for outcome in outcomes),
        )
        self.assertEqual([outcome["execution_state"] for outcome in outcomes], ["failed"] * ATTEMPTS)

        general = self.env["fusion.accounting.tool.scenario"].search(
            [("tool_name", "=", TOOL), ("scenario", "=", GENERAL_SCENARIO)]
        )
        self.assertEqual((general.state, general.total_approved, general.total_rejected), ("needs_approval", 0, 30))
        self.assertEqual(self.tier_seen_by_manager(TOOL), Tier.APPROVAL)
        reconcile = {"invoice_id": self.invoice.id, "payment_move_id": self.credit_note.id}
        Tool = self.env["fusion.accounting.tool"].with_user(self.manager)
        self.assertEqual(Tool._call_tier(REGISTRY.get(TOOL), reconcile), Tier.APPROVAL)
        agent = self.env["fusion.accounting.agent"].with_user(self.manager)
        self.attack("the 5,000.00 reconcile, run at once", lambda: agent.run_tool(TOOL, reconcile))
        self.assertEqual(self.invoice.amount_residual, 5000.0)
        with self.assertRaises(AccessError):
            agent.run_tool(TOOL, reconcile)

    def test_refusals_answered_as_results_count_as_failures(self):
        # unmatch_bank_line refuses a line that does not exist (ToolRefusal): the approval records it failed.
        tool = "unmatch_bank_line"
        outcomes = self.attack(
            "30 approvals of a refused unmatch",
            lambda: self.approve_failing_proposals(tool, {"statement_line_id": 999_999_999}),
            refused_if=lambda outcomes: all('"ok":false' in outcome["result"] for outcome in outcomes),
        )
        self.assertEqual([o["execution_state"] for o in outcomes], ["failed"] * ATTEMPTS, "a refusal is no success")
        general = self.env["fusion.accounting.tool.scenario"].search(
            [("tool_name", "=", tool), ("scenario", "=", GENERAL_SCENARIO)]
        )
        self.assertEqual((general.state, general.total_approved, general.total_rejected), ("needs_approval", 0, 30))
        self.assertEqual(self.tier_seen_by_manager(tool), Tier.APPROVAL)
