from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from ..models.settings_keys import ANTHROPIC_API_KEY, OPENAI_API_KEY, PREFIX, SECRET_PARAMS
from .common import FusionUsersMixin

SECRET_FIELDS = ("fusion_anthropic_api_key", "fusion_openai_api_key")


@tagged("post_install", "-at_install")
class TestSettings(FusionUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_fusion_users()

    def _save(self, user, values):
        settings = self.env["res.config.settings"].with_user(user).create(values)
        settings.execute()

    def test_every_setting_round_trips_under_the_prefix(self):
        values = {
            "fusion_ai_provider": "openai_compatible",
            "fusion_anthropic_api_key": "sk-ant-roundtrip",
            "fusion_openai_api_key": "sk-oai-roundtrip",
            "fusion_openai_base_url": "http://127.0.0.1:11434/v1",
            "fusion_claude_model": "claude-test",
            "fusion_openai_model": "gpt-test",
            "fusion_promotion_threshold": 0.9,
            "fusion_min_sample_size": 12,
            "fusion_promotion_min_span_days": 21,
            "fusion_audit_cron_frequency": "weekly",
            "fusion_match_history_in_prompt": 7,
            "fusion_max_tool_calls_per_turn": 5,
            "fusion_post_action_audit_hook": True,
        }
        self._save(self.fusion_admin, values)
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param(PREFIX + "ai_provider"), "openai_compatible")
        self.assertEqual(params.get_param(ANTHROPIC_API_KEY), "sk-ant-roundtrip")
        self.assertEqual(params.get_param(PREFIX + "min_sample_size"), "12")
        fresh = self.env["res.config.settings"].with_user(self.fusion_admin).create({})
        for name, value in values.items():
            self.assertEqual(fresh[name], value, name)

    def test_design_defaults(self):
        fresh = self.env["res.config.settings"].create({})
        self.assertEqual(fresh.fusion_ai_provider, "claude")
        self.assertEqual(fresh.fusion_claude_model, "claude-sonnet-4-20250514")
        self.assertEqual(fresh.fusion_openai_model, "gpt-4o")
        self.assertEqual(fresh.fusion_promotion_threshold, 0.95)
        self.assertEqual(fresh.fusion_min_sample_size, 30)
        self.assertEqual(fresh.fusion_promotion_min_span_days, 14)
        self.assertEqual(fresh.fusion_audit_cron_frequency, "daily")
        self.assertEqual(fresh.fusion_match_history_in_prompt, 50)
        self.assertEqual(fresh.fusion_max_tool_calls_per_turn, 20)
        self.assertFalse(fresh.fusion_post_action_audit_hook)

    def test_secret_keys_of_the_rule_match_the_code(self):
        domain = self.env.ref("fusion_accounting_core.rule_config_parameter_hide_fusion_secrets").domain_force
        self.assertIn(str(sorted(SECRET_PARAMS)), domain)


@tagged("post_install", "-at_install")
class TestApiKeysAreAdminOnly(FusionUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_fusion_users()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param(ANTHROPIC_API_KEY, "sk-ant-secret")
        params.set_param(OPENAI_API_KEY, "sk-oai-secret")

    def test_fusion_admin_reads_the_keys(self):
        settings = self.env["res.config.settings"].with_user(self.fusion_admin).create({})
        self.assertEqual(settings.fusion_anthropic_api_key, "sk-ant-secret")
        params = self.env["ir.config_parameter"].with_user(self.fusion_admin)
        self.assertEqual(params.get_param(OPENAI_API_KEY), "sk-oai-secret")
        self.assertEqual(len(params.search([("key", "in", list(SECRET_PARAMS))])), 2)

    def test_no_other_user_reads_the_keys_by_any_route(self):
        for user in (self.staff, self.manager, self.system_only):
            with self.subTest(user=user.login):
                self._assert_cannot_read_keys(user)

    def _assert_cannot_read_keys(self, user):
        Settings = self.env["res.config.settings"].with_user(user)
        Params = self.env["ir.config_parameter"].with_user(user)
        # read / search_read / fields_get on the settings model
        with self.assertRaises(AccessError):
            Settings.create({}).read(list(SECRET_FIELDS))
        with self.assertRaises(AccessError):
            Settings.search_read([], list(SECRET_FIELDS))
        self.assertFalse(set(SECRET_FIELDS) & set(Settings.fields_get()))
        # ir.config_parameter: get_param, search_read and browse/read
        for key in SECRET_PARAMS:
            with self.assertRaises(AccessError):
                Params.get_param(key)
        try:
            found = Params.search_read([("key", "in", list(SECRET_PARAMS))], ["value"])
        except AccessError:
            found = []
        self.assertEqual(found, [])
        record = self.env["ir.config_parameter"].sudo().search([("key", "=", ANTHROPIC_API_KEY)])
        with self.assertRaises(AccessError):
            record.with_user(user).read(["value"])
