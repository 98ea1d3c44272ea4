from odoo import api, fields, models

from ..services.providers import DEFAULT_PROVIDER, PROVIDER_PARAM, PROVIDERS, model_defaults
from .settings_keys import ANTHROPIC_API_KEY, OPENAI_API_KEY, PREFIX

ADMIN = "fusion_accounting_core.group_fusion_admin"
# The providers' settings come from the provider registry: one entry per provider.
PROVIDER_CHOICES = [(entry.name, entry.label) for entry in PROVIDERS.values()]
MODEL_DEFAULTS = model_defaults()


class ResConfigSettings(models.TransientModel):
    """Design section 11; every value lives in ir.config_parameter under ``fusion_accounting.``."""

    _inherit = "res.config.settings"

    fusion_ai_provider = fields.Selection(
        PROVIDER_CHOICES, string="AI Provider", default=DEFAULT_PROVIDER, config_parameter=PROVIDER_PARAM
    )
    # What the chosen provider's registry entry takes; the form shows its settings by these, not by names.
    fusion_ai_provider_takes_base_url = fields.Boolean(compute="_compute_fusion_ai_provider_settings")
    fusion_ai_provider_model_param = fields.Char(compute="_compute_fusion_ai_provider_settings")
    fusion_ai_provider_key_param = fields.Char(compute="_compute_fusion_ai_provider_settings")
    fusion_anthropic_api_key = fields.Char(string="Anthropic API Key", config_parameter=ANTHROPIC_API_KEY, groups=ADMIN)
    fusion_openai_api_key = fields.Char(string="OpenAI API Key", config_parameter=OPENAI_API_KEY, groups=ADMIN)
    fusion_openai_base_url = fields.Char(
        string="OpenAI-compatible Base URL",
        config_parameter=PREFIX + "openai_base_url",
        help="For a local Ollama or vLLM server, e.g. http://127.0.0.1:11434/v1, so books never leave the premises.",
    )
    fusion_claude_model = fields.Char(
        string="Claude Model",
        default=MODEL_DEFAULTS[PREFIX + "claude_model"],
        config_parameter=PREFIX + "claude_model",
    )
    fusion_openai_model = fields.Char(
        string="OpenAI Model",
        default=MODEL_DEFAULTS[PREFIX + "openai_model"],
        config_parameter=PREFIX + "openai_model",
    )
    fusion_promotion_threshold = fields.Float(
        string="Tier 3 Promotion Threshold", default=0.95, config_parameter="fusion_accounting.promotion_threshold"
    )
    fusion_min_sample_size = fields.Integer(
        string="Tier 3 Min Sample Size", default=30, config_parameter="fusion_accounting.min_sample_size"
    )
    fusion_promotion_min_span_days = fields.Integer(
        string="Tier 3 Min Span (days)",
        default=14,
        config_parameter="fusion_accounting.promotion_min_span_days",
        help="A tool is promoted only on successful approvals spread over at least this many days, "
        "by at least two different people.",
    )
    fusion_audit_cron_frequency = fields.Selection(
        [("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly")],
        string="Audit Cron Frequency",
        default="daily",
        config_parameter="fusion_accounting.audit_cron_frequency",
    )
    fusion_match_history_in_prompt = fields.Integer(
        string="Match History in Prompt", default=50, config_parameter="fusion_accounting.match_history_in_prompt"
    )
    fusion_max_tool_calls_per_turn = fields.Integer(
        string="Max Tool Calls Per Turn", default=20, config_parameter="fusion_accounting.max_tool_calls_per_turn"
    )
    fusion_post_action_audit_hook = fields.Boolean(
        string="Enable Post-Action Audit Hook", config_parameter="fusion_accounting.post_action_audit_hook"
    )

    @api.depends("fusion_ai_provider")
    def _compute_fusion_ai_provider_settings(self):
        for settings in self:
            entry = PROVIDERS.get(settings.fusion_ai_provider)
            settings.fusion_ai_provider_takes_base_url = bool(entry and entry.takes_base_url)
            settings.fusion_ai_provider_model_param = entry.model_param if entry else ""
            settings.fusion_ai_provider_key_param = entry.key_param if entry else ""
