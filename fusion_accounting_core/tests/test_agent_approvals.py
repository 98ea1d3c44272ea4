from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..services.agent import arguments_hash, call, calls
from ..services.providers import Usage
from .agent_common import FusionAgentCase


@tagged("post_install", "-at_install")
class TestApprovalEnforcement(FusionAgentCase):
    """Every attempt to get around an approval is refused, and nothing of it is written."""

    def propose(self, user=None, **arguments):
        arguments = arguments or self.reconcile_args()
        self.script(
            calls(
                call("reconcile_payment_to_invoice", "c1", ai_reasoning="Same amount", ai_confidence=0.9, **arguments)
            ),
            "Reconciled as approved.",
        )
        session = self.post(user or self.manager, "Match Northwind's payment")
        self.assertEqual(session.state, "awaiting_approval")
        (proposal,) = session.history_ids
        return session, proposal

    def test_tier3_call_becomes_a_pending_proposal_and_nothing_runs(self):
        _session, proposal = self.propose()
        self.assertRecordValues(
            proposal,
            [
                {
                    "tool_name": "reconcile_payment_to_invoice",
                    "tier": "3",
                    "decision": "pending",
                    "ai_reasoning": "Same amount",
                    "ai_confidence": 0.9,
                    "user_id": self.manager.id,
                    "partner_id": self.customer.id,
                    "arguments_hash": arguments_hash(self.reconcile_args()),
                }
            ],
        )
        self.assertTrue(proposal.expires_at > fields.Datetime.now())
        self.assertUnpaid()

    def test_staff_cannot_run_tier2_or_tier3_directly(self):
        agent = self.env["fusion.accounting.agent"].with_user(self.staff)
        with self.assertRaises(AccessError):
            agent.run_tool("fusion_test_flag_move", {"move_id": self.invoice.id, "note": "x"})
        with self.assertRaises(AccessError):
            agent.run_tool("reconcile_payment_to_invoice", self.reconcile_args())
        self.assertUnpaid()
        self.assertFalse(self.history())

    def test_nobody_runs_tier3_directly(self):
        with self.assertRaises(AccessError):
            self.env["fusion.accounting.agent"].with_user(self.manager).run_tool(
                "reconcile_payment_to_invoice", self.reconcile_args()
            )
        self.assertUnpaid()

    def test_manager_runs_tier2_directly_and_it_is_logged(self):
        self.env["fusion.accounting.agent"].with_user(self.manager).run_tool(
            "fusion_test_flag_move", {"move_id": self.invoice.id, "note": "check"}
        )
        self.assertRecordValues(
            self.history(),
            [
                {
                    "tool_name": "fusion_test_flag_move",
                    "decision": "auto",
                    "decided_by": self.manager.id,
                    "execution_state": "done",
                }
            ],
        )

    def test_staff_cannot_approve(self):
        _session, proposal = self.propose()
        with self.assertRaises(AccessError):
            proposal.with_user(self.staff).action_approve(arguments_hash=proposal.arguments_hash)
        self.assertEqual(proposal.decision, "pending")
        self.assertUnpaid()

    def test_changed_arguments_are_refused(self):
        _session, proposal = self.propose()
        other = self._payment_entry(self.customer, 500.0, ref="Another payment")
        changed = self.reconcile_args(payment=other)
        for attempt in (
            {"arguments_hash": arguments_hash(changed)},
            {"arguments": changed, "arguments_hash": proposal.arguments_hash},
        ):
            with self.subTest(attempt=list(attempt)), self.assertRaises(UserError):
                proposal.with_user(self.manager).action_approve(**attempt)
        self.assertEqual(proposal.decision, "pending")
        self.assertUnpaid()

    def test_tampered_stored_arguments_are_refused(self):
        _session, proposal = self.propose()
        other = self._payment_entry(self.customer, 500.0, ref="Another payment")
        self.env.cr.execute(
            "UPDATE fusion_accounting_match_history SET tool_params = %s WHERE id = %s",
            [f'{{"invoice_id":{self.invoice.id},"payment_move_id":{other.id}}}', proposal.id],
        )
        proposal.invalidate_recordset()
        with self.assertRaises(UserError):
            proposal.with_user(self.manager).action_approve()
        self.assertUnpaid()

    def test_double_approval_executes_once(self):
        _session, proposal = self.propose()
        result = proposal.with_user(self.manager).action_approve(arguments_hash=proposal.arguments_hash)
        self.assertEqual(result[proposal.id]["execution_state"], "done")
        self.assertPaidOnce()
        with self.assertRaises(UserError):
            proposal.with_user(self.manager2).action_approve(arguments_hash=proposal.arguments_hash)
        self.assertPaidOnce()
        self.assertRecordValues(proposal, [{"decision": "approved", "decided_by": self.manager.id}])

    def test_expired_approval_is_refused(self):
        _session, proposal = self.propose()
        self.env.cr.execute(
            "UPDATE fusion_accounting_match_history SET expires_at = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(minutes=1), proposal.id],
        )
        proposal.invalidate_recordset()
        with self.assertRaises(UserError):
            proposal.with_user(self.manager).action_approve(arguments_hash=proposal.arguments_hash)
        self.assertEqual(proposal.decision, "pending")
        self.assertUnpaid()
        # the expiry job then settles it and the conversation goes on
        self.env["fusion.accounting.match.history"]._cron_expire_proposals()
        self.assertEqual(proposal.decision, "expired")

    def test_approval_runs_with_the_approvers_rights_and_the_conversation_continues(self):
        session, proposal = self.propose(user=self.manager)
        proposal.with_user(self.manager2).action_approve(arguments_hash=proposal.arguments_hash)
        self.assertEqual(session.state, "queued")
        self.run_jobs()
        self.assertEqual(session.state, "idle")
        self.assertPaidOnce()
        self.assertEqual(self.invoice.line_ids.matched_credit_ids.create_uid, self.manager2)
        self.assertIn("Reconciled as approved.", session.transcript)
        self.assertIn("Approved by the user and executed", session.transcript)

    def test_rejection_stores_reason_and_correct_action_and_continues(self):
        session, proposal = self.propose()
        proposal.with_user(self.manager).action_reject("Wrong customer", "Match it to INV/0002 instead")
        self.assertRecordValues(
            proposal,
            [
                {
                    "decision": "rejected",
                    "rejection_reason": "Wrong customer",
                    "correct_action": "Match it to INV/0002 instead",
                }
            ],
        )
        self.run_jobs()
        self.assertUnpaid()
        self.assertIn("Rejected by the user; nothing was executed. Reason: Wrong customer", session.transcript)
        with self.assertRaises(UserError):
            proposal.with_user(self.manager).action_approve()
        self.assertUnpaid()

    def test_batch_decisions_are_isolated(self):
        other_invoice = self.init_invoice("out_invoice", partner=self.customer, amounts=[80.0], post=True)
        other_payment = self._payment_entry(self.customer, other_invoice.amount_total, ref="Small payment")
        self.script(
            calls(
                call("reconcile_payment_to_invoice", "a", **self.reconcile_args()),
                call("reconcile_payment_to_invoice", "b", **self.reconcile_args(other_invoice, other_payment)),
            ),
            "Done.",
        )
        session = self.post(self.manager, "match both")
        first, second = session.history_ids.sorted("call_id")
        outcome = (
            self.env["fusion.accounting.match.history"]
            .with_user(self.manager)
            .decide_batch(
                [
                    {"id": first.id, "approve": True, "arguments_hash": first.arguments_hash},
                    {"id": second.id, "approve": False, "reason": "not yet"},
                    {"id": first.id, "approve": True, "arguments_hash": first.arguments_hash},
                    {"id": 999999, "approve": True},
                ]
            )
        )
        self.assertEqual([o["ok"] for o in outcome], [True, True, False, False])
        self.assertPaidOnce()
        self.assertUnpaid(other_invoice)
        self.assertEqual(session.state, "queued")
        with self.assertRaises(AccessError):
            self.env["fusion.accounting.match.history"].with_user(self.staff).decide_batch([])

    def test_session_tokens_and_cost(self):
        provider = self.script(
            calls(call("get_ar_aging", "c1"), usage=Usage(1000, 100, 5000, 200)),
            "Here is the aging.",
        )
        provider.model = "claude-sonnet-4-20250514"
        session = self.post(self.manager, "aging?")
        self.assertRecordValues(
            session,
            [
                {
                    "state": "idle",
                    "tokens_in": 1000,
                    "tokens_out": 100,
                    "tokens_cache_read": 5000,
                    "tokens_cache_write": 200,
                    "tool_call_count": 1,
                    "cost_complete": True,
                    "model_name": provider.model,
                }
            ],
        )
        self.assertAlmostEqual(session.cost, (1000 * 3 + 100 * 15 + 5000 * 0.3 + 200 * 3.75) / 1e6)
        tool = self.env["fusion.accounting.tool"].search([("name", "=", "get_ar_aging")])
        self.assertEqual(tool.usage_count, 1)


@tagged("post_install", "-at_install")
class TestPromptHistory(FusionAgentCase):
    """The match history the model learns from holds people's decisions, not MCP clients' traffic."""

    def _mcp_row(self, session, decision, tool_name="get_ar_aging", tier="1"):
        return (
            self.env["fusion.accounting.match.history"]
            .sudo()
            .create(
                {
                    "company_id": session.company_id.id,
                    "user_id": self.manager.id,
                    "channel": "mcp",
                    "mcp_key_name": "Reporting script",
                    "tool_name": tool_name,
                    "tier": tier,
                    "tool_params": "{}",
                    "arguments_hash": arguments_hash({}),
                    "decision": decision,
                    "decided_at": fields.Datetime.now(),
                    "decided_by": self.manager.id,
                }
            )
        )

    def test_mcp_reads_and_refusals_stay_out_and_decided_mcp_proposals_count(self):
        self.script(
            calls(call("reconcile_payment_to_invoice", "c1", ai_confidence=0.9, **self.reconcile_args())), "Ok."
        )
        session = self.post(self.manager, "Match Northwind's payment")
        (proposal,) = session.history_ids
        proposal.with_user(self.manager).action_reject("Wrong customer", "Use INV/0002")
        self._mcp_row(session, "auto")
        self._mcp_row(session, "refused", tool_name="reconcile_payment_to_invoice", tier="3")
        self._mcp_row(session, "approved", tool_name="reconcile_payment_to_invoice", tier="3")
        agent = self.env["fusion.accounting.agent"].with_user(self.manager)
        learned = sorted((entry.tool_name, entry.decision) for entry in agent._prompt_history(session, ()))
        self.assertEqual(
            learned,
            [("reconcile_payment_to_invoice", "approved"), ("reconcile_payment_to_invoice", "rejected")],
        )
