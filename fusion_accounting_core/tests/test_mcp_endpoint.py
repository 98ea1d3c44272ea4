import asyncio
import json
from datetime import timedelta

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from mcp_types.version import LATEST_HANDSHAKE_VERSION, LATEST_PROTOCOL_VERSION

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME

from ..services.agent import arguments_hash
from ..services.mcp import PROPOSAL_STATUS, RESULT_PAGE
from .agent_common import INJECTION, FusionAgentCase
from .attack_common import AttackSuiteMixin

FLAG = "fusion_test_flag_move"
RECONCILE = "reconcile_payment_to_invoice"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": LATEST_HANDSHAKE_VERSION,
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}


@tagged("post_install", "-at_install")
class TestMcpEndpoint(AttackSuiteMixin, FusionAgentCase):
    """The official MCP SDK client against the real Odoo: the chat's tools, the chat's gate, the chat's proposals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff_key = cls.api_key(cls.staff, "Staff laptop")
        cls.manager_key = cls.api_key(cls.manager, "Claude Code")
        company_b = cls.setup_other_company(name="MCP Company B")["company"]
        cls.move_b = cls.init_invoice("out_invoice", amounts=[321.0], post=True, company=company_b)

    @classmethod
    def api_key(cls, user, name, days=1):
        expiry = fields.Datetime.now() + timedelta(days=days)
        return cls.env["res.users.apikeys"].with_user(user).sudo()._generate(None, name, expiry)

    # -- the SDK client --------------------------------------------------------------

    def mcp(self, key, script, mode="legacy"):
        """Run ``script(client)`` with the SDK's Streamable HTTP client connected to /fusion/mcp with ``key``.

        ``legacy``: the ``initialize`` handshake and its session; ``auto``: the SDK's default, which
        discovers the 2026-07-28 protocol.  The SDK's task groups wrap errors: the one raised is unwrapped.
        """
        headers = {"Authorization": f"Bearer {key}", "X-Odoo-Database": self.env.cr.dbname}

        async def run(cookies):
            async with httpx2.AsyncClient(headers=headers, cookies=cookies, timeout=httpx2.Timeout(60.0)) as http:
                transport = streamable_http_client(f"{self.base_url()}/fusion/mcp", http_client=http)
                async with Client(transport, mode=mode, cache=None) as client:
                    return await script(client)

        self.env.flush_all()
        try:
            # The test server serves only requests carrying the test's cookie (not a session: the key is the login).
            with self.allow_requests():
                return asyncio.run(run({TEST_CURSOR_COOKIE_NAME: self.http_request_key}))
        except Exception as error:
            while len(getattr(error, "exceptions", ())) == 1:
                error = error.exceptions[0]
            raise error from None
        finally:
            self.env.invalidate_all()

    def call(self, key, name, mode="legacy", **arguments):
        async def script(client):
            return await client.call_tool(name, arguments)

        return self.mcp(key, script, mode)

    def tool_names(self, key):
        async def script(client):
            return (await client.list_tools()).tools

        return {tool.name: tool for tool in self.mcp(key, script)}

    def raw_post(self, body, key=None, **headers):
        headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", **headers}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self.env.flush_all()
        return self.url_open("/fusion/mcp", data=json.dumps(body), headers=headers)

    def mcp_rows(self, **domain):
        return self.history(channel="mcp", **domain)

    # -- connecting and listing ---------------------------------------------------------

    def test_initialize_negotiates_the_handshake_version_and_names_the_server(self):
        async def script(client):
            return client.protocol_version, client.server_info.name, client.server_capabilities.tools

        version, name, tools = self.mcp(self.manager_key, script)
        self.assertEqual((version, name), (LATEST_HANDSHAKE_VERSION, "fusion-accounting"))
        self.assertIsNotNone(tools)

    def test_a_2026_client_discovers_the_protocol_and_meets_the_same_gate(self):
        async def script(client):
            return client.protocol_version, {tool.name for tool in (await client.list_tools()).tools}

        version, names = self.mcp(self.staff_key, script, mode="auto")
        self.assertEqual(version, LATEST_PROTOCOL_VERSION)
        self.assertNotIn(RECONCILE, names)
        refused = self.call(self.staff_key, RECONCILE, mode="auto", **self.reconcile_args())
        self.assertTrue(refused.is_error)
        proposed = self.call(self.manager_key, RECONCILE, mode="auto", **self.reconcile_args()).structured_content
        self.assertEqual(proposed["status"], "proposed")
        self.assertUnpaid()
        self.assertEqual(self.mcp_rows().mapped("decision"), ["pending", "refused"])
        self.assertFalse(any(self.mcp_rows().mapped("mcp_session")), "this era has no sessions")

    def test_tools_are_the_chats_with_honest_annotations_and_staff_see_fewer(self):
        agent = self.env["fusion.accounting.agent"]
        for user, key in ((self.staff, self.staff_key), (self.manager, self.manager_key)):
            with self.subTest(user=user.login):
                chat = {spec.name for spec in agent.with_user(user)._offered_tools(agent.with_user(user)._caller())}
                tools = self.tool_names(key)
                self.assertEqual(set(tools) - {PROPOSAL_STATUS, RESULT_PAGE}, chat)
        staff, manager = self.tool_names(self.staff_key), self.tool_names(self.manager_key)
        self.assertNotIn(RECONCILE, staff)
        self.assertNotIn(FLAG, staff)
        self.assertLess(set(staff), set(manager))
        read, proposal = manager["get_ar_aging"], manager[RECONCILE]
        self.assertTrue(read.annotations.read_only_hint)
        self.assertFalse(proposal.annotations.read_only_hint)
        self.assertTrue(proposal.annotations.destructive_hint)
        self.assertIn("proposal", proposal.description)
        self.assertIn("approves it in Odoo", proposal.description)
        self.assertEqual(proposal.input_schema["required"], ["invoice_id", "payment_move_id"])
        self.assertFalse(manager[FLAG].annotations.destructive_hint)

    # -- calling through the gate ---------------------------------------------------------

    def test_a_tier1_call_runs_and_is_logged_with_the_channel_and_the_key(self):
        result = self.attack("tier-1 read", lambda: self.call(self.staff_key, "get_ar_aging", as_of="2030-01-01"))
        self.assertFalse(result.is_error)
        partners = [row["partner"] for row in result.structured_content["partners"]]
        self.assertIn(self.customer.name, partners)
        self.assertRecordValues(
            self.mcp_rows(tool_name="get_ar_aging"),
            [{"tier": "1", "decision": "auto", "execution_state": "done", "mcp_key_name": "Staff laptop"}],
        )
        self.assertEqual(self.mcp_rows().user_id, self.staff)

    def test_a_tier3_call_is_a_proposal_that_runs_once_when_approved_in_odoo(self):
        arguments = self.reconcile_args()
        result = self.attack(
            "tier-3 call", lambda: self.call(self.manager_key, RECONCILE, ai_reasoning="Same amount", **arguments)
        )
        self.assertFalse(result.is_error)
        answer = result.structured_content
        self.assertEqual(answer["status"], "proposed")
        self.assertIn(
            f"/odoo/action-fusion_accounting_core.fusion_history_action/{answer['proposal_id']}", answer["approve_url"]
        )
        proposal = self.env["fusion.accounting.match.history"].browse(answer["proposal_id"])
        self.assertRecordValues(
            proposal,
            [
                {
                    "tier": "3",
                    "decision": "pending",
                    "channel": "mcp",
                    "mcp_key_name": "Claude Code",
                    "ai_reasoning": "Same amount",
                    "arguments_hash": arguments_hash(arguments),
                    "partner_id": self.customer.id,
                }
            ],
        )
        self.assertGreater(proposal.expires_at, fields.Datetime.now())
        self.assertIn(fields.Datetime.to_string(proposal.expires_at), answer["expires_at"])
        self.assertUnpaid()
        status = self.call(self.manager_key, PROPOSAL_STATUS, proposal_id=proposal.id).structured_content
        self.assertEqual(status["decision"], "pending")

        proposal.with_user(self.manager2).action_approve(arguments_hash=answer["arguments_hash"])
        self.assertPaidOnce()
        status = self.call(self.manager_key, PROPOSAL_STATUS, proposal_id=proposal.id).structured_content
        self.assertEqual((status["decision"], status["execution_state"]), ("approved", "done"))
        self.assertIn("invoice_payment_state", status["result"])
        # The same call again is a new proposal, never a second execution.
        again = self.call(self.manager_key, RECONCILE, **arguments).structured_content
        self.assertNotEqual(again["proposal_id"], proposal.id)
        self.assertPaidOnce()

    def test_a_manager_runs_tier2_and_it_is_logged(self):
        result = self.call(self.manager_key, FLAG, move_id=self.invoice.id, note="check over MCP")
        self.assertFalse(result.is_error, result.content)
        self.assertRecordValues(
            self.mcp_rows(tool_name=FLAG),
            [{"tier": "2", "decision": "auto", "execution_state": "done", "user_id": self.manager.id}],
        )

    def test_a_staff_key_cannot_run_tier2_or_tier3(self):
        messages = len(self.invoice.message_ids)
        for name, arguments in ((FLAG, {"move_id": self.invoice.id, "note": "x"}), (RECONCILE, self.reconcile_args())):
            with self.subTest(tool=name):
                result = self.attack(
                    f"staff calls {name}",
                    lambda name=name, arguments=arguments: self.call(self.staff_key, name, **arguments),
                    refused_if=lambda result: result.is_error,
                )
                self.assertTrue(result.is_error)
                self.assertRegex(result.content[0].text, "only a Fusion Manager may use it|may not use the tool")
        self.assertUnpaid()
        self.assertEqual(self.mcp_rows().mapped("decision"), ["refused", "refused"])
        self.assertFalse(self.history(decision="pending"))
        self.assertEqual(len(self.invoice.message_ids), messages, "no note was posted")

    def test_another_companys_record_id_is_refused(self):
        messages = len(self.move_b.message_ids)
        result = self.attack(
            "flag company B's entry",
            lambda: self.call(self.manager_key, FLAG, move_id=self.move_b.id, note="from company A"),
            refused_if=lambda result: result.is_error,
        )
        self.assertTrue(result.is_error)
        self.assertNotIn("Traceback", result.content[0].text)
        self.assertEqual(len(self.move_b.sudo().message_ids), messages)
        self.assertRecordValues(self.mcp_rows(tool_name=FLAG), [{"execution_state": "failed"}])

    def test_an_injected_instruction_in_a_tool_result_changes_nothing(self):
        self.customer.name = INJECTION
        result = self.attack("injection in a result", lambda: self.call(self.manager_key, "get_ar_aging"))
        self.assertIn(INJECTION, result.content[0].text)
        self.assertFalse(self.history(decision="pending"), "a result never proposes anything")
        self.assertEqual(self.mcp_rows().mapped("tool_name"), ["get_ar_aging"])
        self.assertUnpaid()

    # -- keys -------------------------------------------------------------------------------

    def test_a_revoked_or_expired_key_is_refused(self):
        revoked = self.api_key(self.manager, "Revoked")
        expired = self.api_key(self.manager, "Expired")
        self.env["res.users.apikeys"].sudo().search([("name", "=", "Revoked")]).unlink()
        self.env.cr.execute(
            "UPDATE res_users_apikeys SET expiration_date = %s WHERE name = 'Expired'",
            [fields.Datetime.now() - timedelta(minutes=1)],
        )
        for key in (revoked, expired, "not-a-key-at-all", None):
            with self.subTest(key=key and key[:4]):
                response = self.attack(
                    "a refused key",
                    lambda key=key: self.raw_post(INITIALIZE, key),
                    refused_if=lambda r: r.status_code == 401,
                )
                self.assertEqual(response.status_code, 401)
                self.assertIn("Bearer", response.headers["WWW-Authenticate"])
                self.assertNotIn("Traceback", response.text)
        with self.assertRaises(MCPError):
            self.call(revoked, "get_ar_aging")
        self.assertFalse(self.mcp_rows())

    def test_a_session_cookie_is_not_a_credential(self):
        self.authenticate("fa_manager", "fa_manager")
        response = self.raw_post(INITIALIZE)
        self.assertEqual(response.status_code, 401)

    def test_a_key_of_someone_outside_fusion_ai_is_refused(self):
        outsider = new_test_user(self.env, login="fa_outsider", groups="base.group_user")
        response = self.raw_post(INITIALIZE, self.api_key(outsider, "Outsider"))
        self.assertEqual(response.status_code, 403)

    # -- protocol -------------------------------------------------------------------------

    def test_sessions_are_required_and_bound_to_their_key(self):
        opened = self.raw_post(INITIALIZE, self.manager_key)
        session = opened.headers["Mcp-Session-Id"]
        listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
        self.assertEqual(self.raw_post(listing, self.manager_key).status_code, 400)
        self.assertEqual(self.raw_post(listing, self.staff_key, **{"Mcp-Session-Id": session}).status_code, 404)
        answer = self.raw_post(listing, self.manager_key, **{"Mcp-Session-Id": session})
        self.assertEqual(answer.status_code, 200)
        self.assertIn("tools", answer.json()["result"])
        self.assertEqual(
            self.url_open("/fusion/mcp", headers={"Authorization": f"Bearer {self.manager_key}"}).status_code, 405
        )

    def test_an_unknown_tool_is_a_protocol_error_with_a_sentence(self):
        with self.assertRaises(MCPError) as caught:
            self.call(self.manager_key, "drop_all_tables")
        self.assertIn("Unknown tool", str(caught.exception))

    # -- limits -------------------------------------------------------------------------------

    def test_the_key_rate_limit_and_the_session_limit(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("fusion_accounting.mcp_calls_per_minute", 2)

        async def three_calls(client):
            return [await client.call_tool("get_ar_aging", {}) for _ in range(3)]

        results = self.mcp(self.staff_key, three_calls)
        self.assertEqual([r.is_error for r in results], [False, False, True])
        self.assertIn("at most 2 a minute", results[2].content[0].text)

        params.set_param("fusion_accounting.mcp_calls_per_minute", 100)
        params.set_param("fusion_accounting.mcp_calls_per_session", 1)
        results = self.mcp(self.manager_key, three_calls)
        self.assertEqual([r.is_error for r in results], [False, True, True])
        self.assertIn("Reconnect", results[1].content[0].text)
        self.assertFalse(self.call(self.manager_key, "get_ar_aging").is_error, "a new session starts afresh")

    def test_a_long_result_comes_in_pages(self):
        self.env["ir.config_parameter"].sudo().set_param("fusion_accounting.mcp_result_page_chars", 1000)
        journal = self.company_data["default_journal_bank"]
        self.env["account.bank.statement.line"].create(
            [
                {"journal_id": journal.id, "date": "2026-10-01", "amount": 10.0 + n, "payment_ref": f"Deposit {n:03}"}
                for n in range(40)
            ]
        )

        async def read_all(client):
            first = await client.call_tool("get_unreconciled_bank_lines", {"limit": 40})
            pages, marker = [first], first.meta["fusion/next_page"]
            while marker:
                page = await client.call_tool(RESULT_PAGE, {"history_id": marker["history_id"], "page": marker["page"]})
                pages.append(page)
                marker = (page.meta or {}).get("fusion/next_page")
            return pages

        pages = self.mcp(self.staff_key, read_all)
        self.assertGreater(len(pages), 2)
        text = "".join(page.content[0].text.split("\n\n[Result truncated")[0] for page in pages)
        self.assertEqual(len(json.loads(text)["lines"]), 40)
        self.assertIsNone(pages[0].structured_content, "a paged result is not repeated whole")
        self.assertEqual(len(self.mcp_rows()), 1, "reading pages re-runs nothing")
