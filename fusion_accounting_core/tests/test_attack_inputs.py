"""Issue 18, failure 7: hostile input to the co-pilot routes, the dashboard, the chat cards and the tools.

Over real JSON-RPC with real users, every route answers bad input with a
sentence (a ``UserError``, ``AccessError``... whose message is words, never a
Python or PostgreSQL error), a chat turn that cannot run a tool keeps the
conversation, sizes are capped before anything is stored, and money arguments
are bounded before a proposal is stored.  Each attempt is counted by the attack
suite's yardstick: none may change a financial table.
"""

import base64
import json
from unittest.mock import patch
from urllib.parse import urljoin

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..services.agent import ScriptedProvider
from ..services.tools import REGISTRY
from ..services.uploads import MAX_UPLOAD_BYTES
from .agent_common import FusionAgentCase
from .attack_common import AttackSuiteMixin

SENTENCE_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.ValidationError",
}
# What a traceback or a raw error says; none of it may reach the user as the answer.
RAW_MARKERS = (
    "Traceback",
    "psycopg2",
    "Expected singleton",
    "object has no attribute",
    "invalid literal",
    "out of range",
    "NUL (0x00)",
    "not subscriptable",
    "unhashable",
    "KeyError",
    "TypeError",
    "OverflowError",
)
BIG = 2**31
HUGE = 10**20
NAN = float("nan")
INF = float("inf")


def refused(response):
    return "error" in response


@tagged("post_install", "-at_install")
class TestAttackInputs(AttackSuiteMixin, FusionAgentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Session = cls.env["fusion.accounting.session"]
        cls.History = cls.env["fusion.accounting.match.history"]
        cls.company = cls.company_data["company"]

    # -- helpers ------------------------------------------------------------------------

    def raw_rpc(self, route, params):
        """The decoded JSON-RPC answer, error included (``make_jsonrpc_request`` keeps only its class name)."""
        body = json.dumps({"id": 0, "jsonrpc": "2.0", "method": "call", "params": params})  # NaN stays NaN
        response = self.opener.post(
            urljoin(self.base_url(), route), data=body, headers={"Content-Type": "application/json"}, timeout=30
        )
        self.assertEqual(response.status_code, 200, f"{route} {params!r}: HTTP {response.status_code}")
        return response.json()

    def assertSentence(self, label, response):
        """``response`` is a result, or an error of a user-facing class whose message is a sentence."""
        if "error" not in response:
            return
        data = response["error"].get("data") or {}
        message = data.get("message") or ""
        self.assertIn(data.get("name"), SENTENCE_ERRORS, f"{label}: raw error {data.get('name')}: {message[:300]}")
        self.assertTrue(message.strip(), f"{label}: an error without a message")
        for marker in RAW_MARKERS:
            self.assertNotIn(marker, message, f"{label}: the answer reads like a traceback: {message[:300]}")

    def hostile(self, table):
        """Send each ``(label, route, params)`` of ``table`` inside the attack yardstick; all answer sentences."""
        for label, route, params in table:
            with self.subTest(label):
                response = self.attack(label, lambda r=route, p=params: self.raw_rpc(r, p), refused_if=refused)
                self.assertSentence(label, response)

    def conversation(self, session):
        session.invalidate_recordset()
        return session.conversation or []

    def manager_proposal(self):
        """A pending proposal of the manager, for the decision routes."""
        session = self.Session.sudo().create(
            {"user_id": self.manager.id, "company_id": self.company.id, "name": "p", "state": "awaiting_approval"}
        )
        return self.History.sudo().create(
            {
                "session_id": session.id,
                "company_id": self.company.id,
                "user_id": self.manager.id,
                "tool_name": "reconcile_payment_to_invoice",
                "tier": "3",
                "tool_params": json.dumps(self.reconcile_args(), sort_keys=True, separators=(",", ":")),
                "arguments_hash": "0" * 64,
                "call_id": "c-hostile",
            }
        )

    # -- every route, a table of bad values ----------------------------------------------

    @mute_logger("odoo.http", "odoo.sql_db", "odoo.addons.fusion_accounting_core.models.fusion_agent")
    def test_ai_routes_answer_bad_values_with_a_sentence(self):
        proposal = self.manager_proposal()
        self.authenticate("fa_manager", "fa_manager")
        table = []
        for value in ("abc", -5, 0, BIG, HUGE, 1.5, NAN, [1], {"a": 1}, "1\x00", True):
            table += [
                (f"sessions limit={value!r}", "/fusion/ai/sessions", {"limit": value}),
                (f"sessions offset={value!r}", "/fusion/ai/sessions", {"offset": value}),
                (f"session session_id={value!r}", "/fusion/ai/session", {"session_id": value}),
                (f"approve proposal_id={value!r}", "/fusion/ai/approve", {"proposal_id": value, "arguments_hash": "x"}),
                (f"reject proposal_id={value!r}", "/fusion/ai/reject", {"proposal_id": value}),
                (f"message session_id={value!r}", "/fusion/ai/message", {"text": "hi", "session_id": value}),
            ]
        table += [
            ("session without id", "/fusion/ai/session", {}),
            ("session missing id", "/fusion/ai/session", {"session_id": BIG - 1}),
            ("approve without hash", "/fusion/ai/approve", {"proposal_id": proposal.id}),
            ("approve hash NUL", "/fusion/ai/approve", {"proposal_id": proposal.id, "arguments_hash": "a\x00"}),
            ("approve hash number", "/fusion/ai/approve", {"proposal_id": proposal.id, "arguments_hash": 5}),
            (
                "approve arguments text",
                "/fusion/ai/approve",
                {"proposal_id": proposal.id, "arguments_hash": "x", "arguments": "x"},
            ),
            (
                "approve arguments NaN",
                "/fusion/ai/approve",
                {"proposal_id": proposal.id, "arguments_hash": "x", "arguments": {"a": NAN}},
            ),
            ("reject reason NUL", "/fusion/ai/reject", {"proposal_id": proposal.id, "reason": "no\x00"}),
            ("reject reason list", "/fusion/ai/reject", {"proposal_id": proposal.id, "reason": ["no"]}),
            ("reject reason huge", "/fusion/ai/reject", {"proposal_id": proposal.id, "reason": "x" * 30_000}),
            ("decide without decisions", "/fusion/ai/decide", {}),
            ("decide a string", "/fusion/ai/decide", {"decisions": "approve all"}),
            ("decide an object", "/fusion/ai/decide", {"decisions": {"id": proposal.id}}),
            ("decide ints", "/fusion/ai/decide", {"decisions": [proposal.id]}),
            ("decide strings", "/fusion/ai/decide", {"decisions": ["x"]}),
            ("decide id text", "/fusion/ai/decide", {"decisions": [{"id": "abc"}]}),
            ("decide id huge", "/fusion/ai/decide", {"decisions": [{"id": BIG}]}),
            ("decide approve text", "/fusion/ai/decide", {"decisions": [{"id": proposal.id, "approve": "yes"}]}),
            ("decide reason NUL", "/fusion/ai/decide", {"decisions": [{"id": proposal.id, "reason": "\x00"}]}),
            ("decide too many", "/fusion/ai/decide", {"decisions": [{"id": 1}] * 1001}),
            ("tool without name", "/fusion/ai/tool", {}),
            ("tool name number", "/fusion/ai/tool", {"name": 5}),
            ("tool name NUL", "/fusion/ai/tool", {"name": "get_ar_aging\x00"}),
            ("tool unknown", "/fusion/ai/tool", {"name": "drop_everything"}),
            ("tool arguments text", "/fusion/ai/tool", {"name": "get_ar_aging", "arguments": "top=5"}),
            ("tool arguments list", "/fusion/ai/tool", {"name": "get_ar_aging", "arguments": [5]}),
            ("aging as_of 0001", "/fusion/ai/tool", {"name": "get_ar_aging", "arguments": {"as_of": "0001-01-01"}}),
            ("aging as_of 0000", "/fusion/ai/tool", {"name": "get_ar_aging", "arguments": {"as_of": "0000-00-00"}}),
            ("aging as_of 9999", "/fusion/ai/tool", {"name": "get_ar_aging", "arguments": {"as_of": "9999-12-31"}}),
            ("aging top NaN", "/fusion/ai/tool", {"name": "get_ar_aging", "arguments": {"top": NAN}}),
            ("aging top huge", "/fusion/ai/tool", {"name": "get_ar_aging", "arguments": {"top": BIG}}),
            ("aging top text", "/fusion/ai/tool", {"name": "get_ar_aging", "arguments": {"top": "ten"}}),
            (
                "bank journal huge",
                "/fusion/ai/tool",
                {"name": "get_unreconciled_bank_lines", "arguments": {"journal_id": BIG}},
            ),
            (
                "bank limit huge",
                "/fusion/ai/tool",
                {"name": "get_unreconciled_bank_lines", "arguments": {"limit": HUGE}},
            ),
            (
                "bank date NUL",
                "/fusion/ai/tool",
                {"name": "get_unreconciled_bank_lines", "arguments": {"date_from": "2026-01-01\x00"}},
            ),
            ("message text number", "/fusion/ai/message", {"text": 5}),
            ("message text NUL", "/fusion/ai/message", {"text": "hi\x00"}),
            ("message context text", "/fusion/ai/message", {"text": "hi", "context": "page"}),
            ("message domains text", "/fusion/ai/message", {"text": "hi", "domains": "ar"}),
            ("message domains ints", "/fusion/ai/message", {"text": "hi", "domains": [1]}),
            ("message domains NUL", "/fusion/ai/message", {"text": "hi", "domains": ["a\x00"]}),
            ("message files text", "/fusion/ai/message", {"text": "hi", "files": "a.csv"}),
            ("message file name number", "/fusion/ai/message", {"text": "hi", "files": [{"name": 1, "data": ""}]}),
            ("message file data number", "/fusion/ai/message", {"text": "hi", "files": [{"name": "a.csv", "data": 5}]}),
            (
                "message too many files",
                "/fusion/ai/message",
                {"text": "hi", "files": [{"name": "a.csv", "data": "YQ=="}] * 11},
            ),
        ]
        sessions_before = self.Session.sudo().search_count([])
        self.hostile(table)
        self.assertEqual(proposal.decision, "pending", "no hostile value decided the proposal")
        self.assertUnpaid()
        # Only the well-formed messages of the table (a string session id, a NUL-free context...) may start sessions.
        self.assertLessEqual(self.Session.sudo().search_count([]) - sessions_before, 2)

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_staff_gets_sentences_too(self):
        self.authenticate("fa_staff", "fa_staff")
        self.hostile(
            [
                ("staff sessions limit", "/fusion/ai/sessions", {"limit": "all"}),
                ("staff session NaN", "/fusion/ai/session", {"session_id": NAN}),
                ("staff decide string", "/fusion/ai/decide", {"decisions": "x"}),
                ("staff tool as_of", "/fusion/ai/tool", {"name": "get_ar_aging", "arguments": {"as_of": "0000-00-00"}}),
            ]
        )

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_dashboard_and_chat_cards_answer_bad_values_with_a_sentence(self):
        if "fusion.accounting.dashboard" not in self.env:
            self.skipTest("fusion_accounting is not installed")
        self.authenticate("fa_manager", "fa_manager")
        table = [
            (f"dashboard today={value!r}", "/fusion/dashboard/data", {"today": value})
            for value in ("0001-01-01", "0000-00-00", "9999-12-31", "2026-13-01", "abc", 5, [2026], "2026-01-01\x00")
        ]
        table += [
            (f"cards proposal_ids={value!r}", "/fusion/chat/cards", {"proposal_ids": value})
            for value in ("abc", 5, None, [BIG], ["x"], [{"id": 1}], [-1], [NAN], list(range(1, 300)))
        ]
        table.append(("cards without ids", "/fusion/chat/cards", {}))
        self.hostile(table)
        # The good values still work.
        self.assertIn("cards", self.raw_rpc("/fusion/dashboard/data", {"today": "2026-10-31"})["result"])
        self.assertEqual(self.raw_rpc("/fusion/chat/cards", {"proposal_ids": []})["result"], [])

    # -- a chat turn that cannot run keeps the conversation --------------------------------

    @mute_logger("odoo.addons.fusion_accounting_core.models.fusion_agent", "odoo.sql_db")
    def test_a_nan_or_infinity_tool_call_keeps_the_session_and_its_messages(self):
        self.authenticate("fa_staff", "fa_staff")
        first = self.make_jsonrpc_request("/fusion/ai/message", {"text": "/ar_aging"})
        self.run_jobs()
        session = self.Session.sudo().browse(first["session_id"])
        earlier = self.conversation(session)
        self.assertEqual(session.state, "idle")
        self.assertTrue(earlier)
        for constant in ("NaN", "Infinity", "-Infinity"):
            with self.subTest(constant):
                text = f'/tool get_ar_aging {{"top": {constant}}}'
                self.attack(
                    f"/tool with {constant}",
                    lambda t=text: self.make_jsonrpc_request(
                        "/fusion/ai/message", {"text": t, "session_id": session.id}
                    ),
                )
                self.run_jobs()
                session.invalidate_recordset()
                now = self.conversation(session)
                self.assertNotEqual(session.state, "failed", session.last_error)
                self.assertEqual(now[: len(earlier)], earlier, "the earlier messages are kept")
                texts = [block.get("text") for message in now for block in message["blocks"]]
                self.assertIn(text, texts, "the message that could not run is kept")
                self.assertTrue(texts[-1], "the last message answers in words")
                earlier = now
        view = self.make_jsonrpc_request("/fusion/ai/session", {"session_id": session.id})
        self.assertEqual(len(view["messages"]), len(earlier))

    @mute_logger("odoo.addons.fusion_accounting_core.models.fusion_agent")
    def test_a_crashing_turn_keeps_the_conversation_and_says_so(self):
        self.authenticate("fa_staff", "fa_staff")
        first = self.make_jsonrpc_request("/fusion/ai/message", {"text": "/ar_aging"})
        self.run_jobs()
        session = self.Session.sudo().browse(first["session_id"])
        earlier = self.conversation(session)

        def crash(*args, **kwargs):
            raise RuntimeError("boom")

        with patch.object(type(self.env["fusion.accounting.agent"]), "_store_result", crash):
            self.make_jsonrpc_request("/fusion/ai/message", {"text": "And the payables?", "session_id": session.id})
            self.run_jobs()
        now = self.conversation(session)
        self.assertEqual(now[: len(earlier)], earlier)
        self.assertEqual([b["text"] for b in now[len(earlier)]["blocks"]], ["And the payables?"])
        self.assertIn("failed unexpectedly", now[-1]["blocks"][0]["text"])
        self.assertNotIn("boom", json.dumps(now), "the exception itself is for the log, not the user")
        self.assertFalse(session.pending_input)
        # The conversation goes on.
        self.make_jsonrpc_request("/fusion/ai/message", {"text": "/ar_aging", "session_id": session.id})
        self.run_jobs()
        self.assertEqual(session.state, "idle")

    # -- sizes are capped before anything is stored ----------------------------------------

    @mute_logger("odoo.http")
    def test_an_oversized_message_is_refused_before_it_is_stored(self):
        self.authenticate("fa_staff", "fa_staff")
        first = self.make_jsonrpc_request("/fusion/ai/message", {"text": "/ar_aging"})
        self.run_jobs()
        session = self.Session.sudo().browse(first["session_id"])
        messages_before, sessions_before = len(self.conversation(session)), self.Session.sudo().search_count([])
        for label, params in [
            ("oversized message, new session", {"text": "x" * 20_001}),
            ("oversized message, existing session", {"text": "x" * 20_001, "session_id": session.id}),
        ]:
            response = self.attack(label, lambda p=params: self.raw_rpc("/fusion/ai/message", p), refused_if=refused)
            self.assertSentence(label, response)
            self.assertIn("error", response, f"{label}: accepted")
            self.assertIn("too long", response["error"]["data"]["message"])
        self.run_jobs()
        session.invalidate_recordset()
        self.assertEqual(len(self.conversation(session)), messages_before)
        self.assertEqual(self.Session.sudo().search_count([]), sessions_before)
        self.assertFalse(session.pending_input)
        # 20,000 characters is still a message.
        self.assertEqual(self.make_jsonrpc_request("/fusion/ai/message", {"text": "y" * 20_000})["state"], "queued")

    @mute_logger("odoo.http")
    def test_an_oversized_upload_is_refused_before_an_attachment_is_created(self):
        self.authenticate("fa_staff", "fa_staff")
        Attachment = self.env["ir.attachment"].sudo()
        domain = [("res_model", "=", "fusion.accounting.session")]
        attachments_before, sessions_before = Attachment.search_count(domain), self.Session.sudo().search_count([])
        data = base64.b64encode(b"a,b\n" + b"1" * MAX_UPLOAD_BYTES).decode()
        response = self.attack(
            "oversized upload",
            lambda: self.raw_rpc(
                "/fusion/ai/message", {"text": "Read this", "files": [{"name": "big.csv", "data": data}]}
            ),
            refused_if=refused,
        )
        self.assertSentence("oversized upload", response)
        self.assertIn("error", response, "an oversized file was accepted")
        self.assertIn("5 MB", response["error"]["data"]["message"])
        self.assertEqual(Attachment.search_count(domain), attachments_before, "no attachment for a refused file")
        self.assertEqual(self.Session.sudo().search_count([]), sessions_before, "no session for a refused message")

    # -- tool arguments -----------------------------------------------------------------------

    def test_a_negative_huge_fee_is_refused_before_a_proposal_is_stored(self):
        if "match_bank_line_to_payments" not in REGISTRY:
            self.skipTest("fusion_accounting is not installed")
        pending_before = self.History.sudo().search_count([("decision", "=", "pending")])
        for fee in ("-1e12", "-1", "1e12"):
            with self.subTest(fee):
                text = (
                    '/tool match_bank_line_to_payments {"statement_line_id": 1, "move_line_ids": [1], '
                    f'"fee_amount": {fee}}}'
                )
                self.attack(f"fee_amount {fee}", lambda t=text: self.post(self.manager, t))
                session = self.Session.sudo().search([("user_id", "=", self.manager.id)], limit=1)
                self.assertNotEqual(session.state, "awaiting_approval", f"a proposal with fee {fee} was stored")
                self.assertIn("fee_amount", session.transcript)
        self.assertEqual(self.History.sudo().search_count([("decision", "=", "pending")]), pending_before)

    @mute_logger("odoo.http")
    def test_the_same_entry_as_invoice_and_payment_answers_a_sentence(self):
        same = self.invoice.id
        text = f'/tool reconcile_payment_to_invoice {{"invoice_id": {same}, "payment_move_id": {same}}}'
        session = self.attack("invoice == payment, proposed", lambda: self.post(self.manager, text))
        self.assertNotEqual(session.state, "failed", session.last_error)
        (proposal,) = session.history_ids
        self.authenticate("fa_manager", "fa_manager")
        response = self.attack(
            "invoice == payment, approved",
            lambda: self.raw_rpc(
                "/fusion/ai/approve", {"proposal_id": proposal.id, "arguments_hash": proposal.arguments_hash}
            ),
            refused_if=lambda r: "error" in r or r["result"]["execution_state"] == "failed",
        )
        self.assertSentence("invoice == payment", response)
        result = response["result"]
        self.assertEqual(result["execution_state"], "failed")
        self.assertIn("two different journal entries", result["result"])
        self.assertNotIn("singleton", result["result"])
        self.assertUnpaid()

    # -- what the prompt is built from ----------------------------------------------------------

    def test_staff_prompts_carry_only_the_history_staff_may_read(self):
        theirs = self.manager_proposal()
        theirs.sudo().write(
            {"decision": "rejected", "decided_at": "2026-01-01 00:00:00", "rejection_reason": "MANAGER-ONLY-REASON"}
        )
        provider = ScriptedProvider("ok", "ok")
        self.startPatcher(
            patch.object(type(self.env["fusion.accounting.agent"]), "_get_provider", lambda agent: (provider, ""))
        )
        self.post(self.staff, "hello")
        self.assertNotIn("MANAGER-ONLY-REASON", provider.requests[0].system)
        self.post(self.manager, "hello")
        self.assertIn("MANAGER-ONLY-REASON", provider.requests[1].system, "a Manager reads every decision")
