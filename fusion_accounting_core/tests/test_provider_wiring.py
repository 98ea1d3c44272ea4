"""Settings -> provider -> vendor SDK -> a local server speaking the vendor's wire format.

Nothing here patches the provider factory: the agent reads the settings from
``ir.config_parameter``, the registry builds the provider and the real SDK
sends the request.  A vendor without a base-URL setting is pointed at the local
server by its SDK's own environment variable (``ANTHROPIC_BASE_URL``,
``OPENAI_BASE_URL``).
"""

import json
import os
from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from ..services.providers import PROVIDER_PARAM, PROVIDERS
from ..services.tools import REGISTRY
from .agent_common import FusionAgentCase
from .fake_vendor import (
    FakeVendor,
    Reply,
    anthropic_message,
    anthropic_tool_use,
    chat_body,
    responses_body,
    responses_call,
    responses_text,
)

KEY = "sk-wire-test-SECRET-0123456789"
FINAL = "Aging is in: nothing overdue beyond 30 days."


@tagged("post_install", "-at_install")
class TestProviderWiring(FusionAgentCase):
    def setUp(self):
        super().setUp()
        self.vendor = FakeVendor().__enter__()
        self.addCleanup(self.vendor.__exit__, None, None, None)
        self.aging_schema = REGISTRY.get("get_ar_aging").parameters

    def configure(self, name, model="", env_base_url=None):
        """Save the settings of provider ``name`` as an administrator would (model "" = the default)."""
        entry = PROVIDERS[name]
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(PROVIDER_PARAM, name)
        params.set_param(entry.model_param, model or False)  # False: the setting is empty
        params.set_param(entry.key_param, KEY)
        if entry.takes_base_url:
            params.set_param(entry.base_url_param, self.vendor.url + "/v1")
        if env_base_url:
            variable, suffix = env_base_url
            self.startPatcher(patch.dict(os.environ, {variable: self.vendor.url + suffix}))
        return entry

    def assertKeySent(self, received):
        self.assertIn(KEY, received.headers.get("x-api-key", received.headers.get("authorization", "")))

    def assertTurn(self, session, entry, model):
        self.assertEqual(session.state, "idle", session.last_error)
        self.assertFalse(session.last_error)
        self.assertEqual((session.provider, session.model_name), (entry.name, model))
        self.assertIn("calls get_ar_aging", session.transcript)
        self.assertIn("tool get_ar_aging: ", session.transcript)  # the tool ran, without error
        self.assertTrue(session.transcript.endswith(f"assistant: {FINAL}"), session.transcript)
        for text in (session.transcript, str(session.conversation)):
            self.assertNotIn(KEY, text)

    def test_claude_settings_reach_the_messages_api_with_the_default_model(self):
        entry = self.configure("claude", env_base_url=("ANTHROPIC_BASE_URL", ""))
        self.vendor.queue(
            Reply(
                body=anthropic_message(
                    anthropic_tool_use("toolu_1", "get_ar_aging", {"top": 3}), stop_reason="tool_use"
                )
            ),
            Reply(body=anthropic_message({"type": "text", "text": FINAL})),
        )
        session = self.post(self.manager, "How old are our receivables?")
        self.assertTurn(session, entry, entry.default_model)
        first, second = self.vendor.received
        self.assertEqual(first.path, "/v1/messages")
        self.assertEqual(first.body["model"], entry.default_model)
        self.assertKeySent(first)
        tools = {tool["name"]: tool for tool in first.body["tools"]}
        self.assertEqual(tools["get_ar_aging"]["input_schema"], self.aging_schema)
        self.assertIn("How old are our receivables?", json.dumps(first.body["messages"]))
        (result,) = [b for b in second.body["messages"][-1]["content"] if b["type"] == "tool_result"]
        self.assertEqual(result["tool_use_id"], "toolu_1")
        self.assertKeySent(second)

    def test_openai_settings_reach_the_responses_api_with_the_configured_model(self):
        entry = self.configure("openai", model="gpt-wire-test", env_base_url=("OPENAI_BASE_URL", "/v1"))
        self.vendor.queue(
            Reply(body=responses_body(responses_call("call_1", "get_ar_aging", json.dumps({"top": 3})))),
            Reply(body=responses_body(responses_text(FINAL))),
        )
        session = self.post(self.manager, "How old are our receivables?")
        self.assertTurn(session, entry, "gpt-wire-test")
        first, second = self.vendor.received
        self.assertEqual(first.path, "/v1/responses")
        self.assertEqual(first.body["model"], "gpt-wire-test")
        self.assertKeySent(first)
        tools = {tool["name"]: tool for tool in first.body["tools"]}
        self.assertEqual(tools["get_ar_aging"]["parameters"], self.aging_schema)
        outputs = [item for item in second.body["input"] if item.get("type") == "function_call_output"]
        self.assertEqual([item["call_id"] for item in outputs], ["call_1"])

    def test_openai_compatible_settings_reach_chat_completions_by_the_base_url_setting(self):
        entry = self.configure("openai_compatible")
        self.vendor.queue(
            Reply(body=chat_body(tool_calls=[("call_1", "get_ar_aging", "{}")], finish_reason="tool_calls")),
            Reply(body=chat_body(FINAL)),
        )
        session = self.post(self.manager, "How old are our receivables?")
        self.assertTurn(session, entry, entry.default_model)
        first, second = self.vendor.received
        self.assertEqual(first.path, "/v1/chat/completions")
        self.assertEqual(first.body["model"], entry.default_model)
        self.assertKeySent(first)
        tools = {tool["function"]["name"]: tool["function"] for tool in first.body["tools"]}
        self.assertEqual(tools["get_ar_aging"]["parameters"], self.aging_schema)
        self.assertEqual(second.body["messages"][-1]["role"], "tool")
        self.assertEqual(second.body["messages"][-1]["tool_call_id"], "call_1")

    def test_the_settings_form_offers_every_registry_entry_and_shows_its_settings(self):
        field = self.env["res.config.settings"]._fields["fusion_ai_provider"]
        self.assertEqual(field.selection, [(entry.name, entry.label) for entry in PROVIDERS.values()])
        for entry in PROVIDERS.values():
            with self.subTest(provider=entry.name):
                settings = self.env["res.config.settings"].new({"fusion_ai_provider": entry.name})
                self.assertEqual(settings.fusion_ai_provider_takes_base_url, entry.takes_base_url)
                self.assertEqual(settings.fusion_ai_provider_key_param or "", entry.key_param)
                self.assertEqual(settings.fusion_ai_provider_model_param or "", entry.model_param)
        # the form hides and shows provider settings by those fields (they reach the client)
        admin = new_test_user(
            self.env, login="fa_wiring_admin", groups="base.group_system,fusion_accounting_core.group_fusion_admin"
        )
        form = self.env["res.config.settings"].with_user(admin).get_views([(False, "form")])["views"]["form"]
        arch = form["arch"]
        self.assertIn('name="fusion_ai_provider"', arch)
        for name in ("fusion_ai_provider_key_param", "fusion_ai_provider_takes_base_url"):
            self.assertIn(f'name="{name}"', arch)
