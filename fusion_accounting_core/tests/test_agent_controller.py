import logging

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from ..services.agent import call, calls
from .agent_common import FusionAgentCase

SECRET = "sk-ant-api03-PLATFORM-TEST-SECRET-0123456789"


@tagged("post_install", "-at_install")
class TestAgentController(FusionAgentCase):
    def rpc(self, route, **params):
        return self.make_jsonrpc_request(route, params)

    def test_approval_round_trip_through_the_controller(self):
        self.script(
            calls(
                call("reconcile_payment_to_invoice", "c1", ai_confidence=0.97, **self.reconcile_args()),
                text="The payment matches the invoice.",
            ),
            "The invoice is now paid.",
        )
        self.authenticate("fa_manager", "fa_manager")
        posted = self.rpc("/fusion/ai/message", text="Match Northwind's payment")
        self.assertEqual(posted["state"], "queued")  # the request returns before the turn runs
        self.run_jobs()

        session = self.rpc("/fusion/ai/session", session_id=posted["session_id"])
        self.assertEqual(session["state"], "awaiting_approval")
        (proposal,) = [p for p in session["proposals"] if p["decision"] == "pending"]
        self.assertEqual(proposal["ai_confidence"], 0.97)
        # The panel's pending line reads the label; the key is for debug mode.
        (pending_call,) = [c for m in session["messages"] for c in m.get("tool_calls", [])]
        self.assertEqual(
            (pending_call["name"], pending_call["label"]),
            ("reconcile_payment_to_invoice", "Reconcile a payment with an invoice"),
        )
        self.assertUnpaid()

        result = self.rpc("/fusion/ai/approve", proposal_id=proposal["id"], arguments_hash=proposal["arguments_hash"])
        self.assertEqual(result["execution_state"], "done")
        self.run_jobs()
        session = self.rpc("/fusion/ai/session", session_id=posted["session_id"])
        self.assertEqual(session["state"], "idle")
        self.assertEqual(session["messages"][-1]["text"], "The invoice is now paid.")
        self.assertPaidOnce()
        self.assertEqual([s["id"] for s in self.rpc("/fusion/ai/sessions")], [posted["session_id"]])

    @mute_logger("odoo.http")
    def test_staff_over_rpc_refused_and_nothing_written(self):
        self.script(calls(call("reconcile_payment_to_invoice", "c1", **self.reconcile_args())), "ok")
        manager_session = self.post(self.manager, "match")
        (proposal,) = manager_session.history_ids
        self.authenticate("fa_staff", "fa_staff")
        for route, params in [
            ("/fusion/ai/tool", {"name": "reconcile_payment_to_invoice", "arguments": self.reconcile_args()}),
            (
                "/fusion/ai/tool",
                {"name": "fusion_test_flag_move", "arguments": {"move_id": self.invoice.id, "note": "x"}},
            ),
            ("/fusion/ai/approve", {"proposal_id": proposal.id, "arguments_hash": proposal.arguments_hash}),
            ("/fusion/ai/reject", {"proposal_id": proposal.id, "reason": "no"}),
            ("/fusion/ai/decide", {"decisions": [{"id": proposal.id, "approve": True}]}),
            ("/fusion/ai/session", {"session_id": manager_session.id}),
            ("/fusion/ai/message", {"text": "hi", "session_id": manager_session.id}),
        ]:
            with self.subTest(route=route), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self.rpc(route, **params)
        # Calling the model method directly over the generic RPC is refused too.
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "fusion.accounting.match.history",
                    "method": "action_approve",
                    "args": [[proposal.id]],
                    "kwargs": {},
                },
            )
        self.assertEqual(proposal.decision, "pending")
        self.assertFalse(self.history(decision="auto"))
        self.assertUnpaid()

    def test_api_keys_never_reach_messages_or_logs(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("fusion_accounting.ai_provider", "openai_compatible")
        params.set_param("fusion_accounting.openai_api_key", SECRET)
        params.set_param("fusion_accounting.openai_base_url", "http://127.0.0.1:9/v1")  # nothing listens
        with self.assertLogs("odoo.addons.fusion_accounting_core", logging.DEBUG) as logs:
            logging.getLogger("odoo.addons.fusion_accounting_core").debug("capture start")
            session = self.post(self.manager, "aging?")
        self.assertEqual(session.state, "failed")
        self.assertIn("could not be reached", session.last_error)
        for text in (session.last_error, session.transcript, str(session.conversation), "\n".join(logs.output)):
            self.assertNotIn(SECRET, text)
        # Staff cannot read the key back either
        with self.assertRaises(AccessError):
            self.env["ir.config_parameter"].with_user(self.staff).get_param("fusion_accounting.openai_api_key")

    def test_missing_key_falls_back_to_offline_and_says_why(self):
        self.env["ir.config_parameter"].sudo().set_param("fusion_accounting.ai_provider", "claude")
        self.env["ir.config_parameter"].sudo().set_param("fusion_accounting.anthropic_api_key", "")
        session = self.post(self.manager, "/ar_aging")
        self.assertEqual(session.provider, "offline")
        self.assertEqual(session.last_error, "Claude selected, no API key: set it in Settings.")
        self.assertIn("get_ar_aging answered", session.transcript)

    def test_status_says_exactly_what_is_missing(self):
        params = self.env["ir.config_parameter"].sudo()
        self.authenticate("fa_staff", "fa_staff")
        for provider, key, expected in [
            ("claude", "", (False, "api_key", "Claude selected, no API key: set it in Settings.")),
            ("openai", "", (False, "api_key", "OpenAI selected, no API key: set it in Settings.")),
            ("claude", SECRET, (True, "", "")),
        ]:
            params.set_param("fusion_accounting.ai_provider", provider)
            params.set_param("fusion_accounting.anthropic_api_key", key)
            params.set_param("fusion_accounting.openai_api_key", "")
            with self.subTest(provider=provider, key=bool(key)):
                status = self.rpc("/fusion/ai/status")
                self.assertEqual((status["ready"], status["missing"], status["message"]), expected)
                self.assertNotIn(SECRET, str(status))

    def test_offline_plain_question_runs_the_tool_through_the_gate_and_shows_a_table(self):
        acme = self.env["res.partner"].create({"name": "Acme Clinic"})
        self.init_invoice("out_invoice", partner=acme, amounts=[250.0], post=True)
        self.authenticate("fa_staff", "fa_staff")
        posted = self.rpc("/fusion/ai/message", text="What is my AR aging?")
        self.run_jobs()
        session = self.rpc("/fusion/ai/session", session_id=posted["session_id"])
        ran = [c["name"] for m in session["messages"] for c in m.get("tool_calls", [])]
        self.assertEqual(ran, ["get_ar_aging"])
        (result,) = [r for m in session["messages"] for r in m.get("results", [])]
        (table,) = [t for t in result["view"]["tables"] if t["key"] == "partners"]
        links = [row["partner"] for row in table["rows"]]
        self.assertIn({"model": "res.partner", "id": acme.id, "name": "Acme Clinic"}, links)
        self.assertIn("total", {c["key"] for c in table["columns"] if c["kind"] == "money"})
        self.assertIn(self.invoice.currency_id.name, session["currency_ids"])
        self.assertIn('"partners"', result["content"])

    def test_offline_router_never_offers_a_write_to_staff_and_asks_for_arguments(self):
        self.authenticate("fa_staff", "fa_staff")
        offered = self.rpc("/fusion/ai/tools", question="reconcile payment to invoice")
        self.assertNotIn("reconcile_payment_to_invoice", [c["name"] for c in offered])
        self.authenticate("fa_manager", "fa_manager")
        (choice, *_rest) = self.rpc("/fusion/ai/tools", question="reconcile payment to invoice")
        self.assertEqual((choice["name"], choice["action"]), ("reconcile_payment_to_invoice", "suggest"))
        self.assertEqual([f["name"] for f in choice["fields"] if f["required"]], ["invoice_id", "payment_move_id"])
        picked = [c["name"] for c in self.rpc("/fusion/ai/tools", query="aging")]
        self.assertIn("get_ar_aging", picked)

    def test_tool_command_takes_part_of_a_name(self):
        session = self.post(self.staff, "/tool ar_aging")
        self.assertEqual(self.history(session_id=session.id, tool_name="get_ar_aging").ids, [])  # tier 1: not logged
        self.assertIn("get_ar_aging answered", session.transcript)
        self.assertNotIn("'tool'", session.transcript)

    @mute_logger("odoo.http")
    def test_reject_needs_a_reason(self):
        self.script(calls(call("reconcile_payment_to_invoice", "c1", **self.reconcile_args())), "ok")
        session = self.post(self.manager, "match")
        (proposal,) = session.history_ids
        self.authenticate("fa_manager", "fa_manager")
        for reason in ("", "   "):
            with self.subTest(reason=reason), self.assertRaisesRegex(JsonRpcException, "UserError"):
                self.rpc("/fusion/ai/reject", proposal_id=proposal.id, reason=reason)
        with self.assertRaisesRegex(UserError, "learns from your reason"):
            proposal.with_user(self.manager).action_reject("  ")
        outcome = self.rpc("/fusion/ai/decide", decisions=[{"id": proposal.id, "approve": False, "reason": ""}])
        self.assertEqual([o["ok"] for o in outcome], [False])
        self.assertEqual(proposal.decision, "pending")
        self.rpc("/fusion/ai/reject", proposal_id=proposal.id, reason="Wrong customer")
        self.assertEqual((proposal.decision, proposal.rejection_reason), ("rejected", "Wrong customer"))
