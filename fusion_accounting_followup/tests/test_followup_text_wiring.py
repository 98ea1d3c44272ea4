"""Follow-up text through the real wiring: settings -> provider -> vendor SDK -> a local vendor server.

Nothing here patches ``_text_completer`` nor the provider factory.  A vendor
without a base-URL setting is pointed at the local server by its SDK's own
environment variable.
"""

import os
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.fusion_accounting_core.services.providers import PROVIDER_PARAM, PROVIDERS, provider_config
from odoo.addons.fusion_accounting_core.tests.fake_vendor import (
    FakeVendor,
    Reply,
    anthropic_message,
    chat_body,
    responses_body,
    responses_text,
)

from ..models.followup_engine import TEXT_MAX_TOKENS
from .common import FollowupCommon

KEY = "sk-followup-wire-SECRET-42"
ANSWER = "Subject: A friendly reminder\n\nDear customer, your invoice is ten days overdue."


@tagged("post_install", "-at_install")
class TestFollowupTextWiring(FollowupCommon):
    def setUp(self):
        super().setUp()
        self.vendor = FakeVendor().__enter__()
        self.addCleanup(self.vendor.__exit__, None, None, None)
        today = fields.Date.context_today(self.engine)
        self.invoice(self.partner_a, 100, 10, today=today)

    def configure(self, name, model="", env_base_url=None):
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

    def assertAiText(self, text):
        self.assertEqual(text["source"], "ai", text["error"])
        self.assertEqual(text["subject"], "A friendly reminder")
        self.assertIn("ten days overdue", text["body_html"])
        (sent,) = self.vendor.received
        self.assertIn(KEY, sent.headers.get("x-api-key", sent.headers.get("authorization", "")))
        self.assertIn(self.partner_a.name, str(sent.body))
        self.assertNotIn("tools", sent.body)
        return sent

    def test_claude_text_uses_the_registry_default_model_when_the_setting_is_empty(self):
        entry = self.configure("claude", env_base_url=("ANTHROPIC_BASE_URL", ""))
        self.vendor.queue(Reply(body=anthropic_message({"type": "text", "text": ANSWER})))
        sent = self.assertAiText(self.engine.generate_followup_text(self.partner_a))
        self.assertEqual(sent.path, "/v1/messages")
        self.assertEqual(sent.body["model"], entry.default_model)
        self.assertEqual(sent.body["max_tokens"], TEXT_MAX_TOKENS)
        # the same model the agent would use: both read the settings through the registry's one function
        get = self.env["ir.config_parameter"].sudo().get_param
        self.assertEqual(provider_config("claude", get).model, sent.body["model"])

    def test_openai_text_goes_to_the_responses_api_with_the_configured_model(self):
        self.configure("openai", model="gpt-followup-test", env_base_url=("OPENAI_BASE_URL", "/v1"))
        self.vendor.queue(Reply(body=responses_body(responses_text(ANSWER))))
        sent = self.assertAiText(self.engine.generate_followup_text(self.partner_a))
        self.assertEqual(sent.path, "/v1/responses")
        self.assertEqual(sent.body["model"], "gpt-followup-test")

    def test_openai_compatible_text_uses_the_base_url_setting_and_the_default_model(self):
        entry = self.configure("openai_compatible")
        self.vendor.queue(Reply(body=chat_body(ANSWER)))
        sent = self.assertAiText(self.engine.generate_followup_text(self.partner_a))
        self.assertEqual(sent.path, "/v1/chat/completions")
        self.assertEqual(sent.body["model"], entry.default_model)  # was "" before the registry held defaults

    def test_a_vendor_failure_falls_back_to_the_template_and_says_why(self):
        self.configure("openai_compatible")
        self.vendor.queue(*[Reply(401, {"error": {"message": "bad key"}})] * 3)
        text = self.engine.generate_followup_text(self.partner_a)
        self.assertEqual(text["source"], "template")
        self.assertTrue(text["error"])
        self.assertNotIn(KEY, text["error"])
        self.assertTrue(self.vendor.received)

    def test_offline_writes_no_ai_text_and_calls_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param(PROVIDER_PARAM, "offline")
        self.assertEqual(self.engine.generate_followup_text(self.partner_a)["source"], "template")
        self.assertFalse(self.vendor.received)
