from odoo import fields, models

ADMIN = "fusion_accounting_core.group_fusion_admin"


class ResConfigSettings(models.TransientModel):
    """Design section 11; every value lives in ir.config_parameter under ``fusion_accounting.``."""

    _inherit = "res.config.settings"

    fusion_ai_provider = fields.Selection(
        [
            ("claude", "Claude (Anthropic)"),
            ("openai", "OpenAI"),
            ("openai_compatible", "OpenAI-compatible server (Ollama, vLLM)"),
            ("offline", "Offline (no model)"),
        ],
        string="AI Provider",
        default="claude",
        config_parameter="fusion_accounting.ai_provider",
    )
    fusion_anthropic_api_key = fields.Char(
        string="Anthropic API Key", config_parameter="fusion_accounting.anthropic_api_key", groups=ADMIN
    )
    fusion_openai_api_key = fields.Char(
        string="OpenAI API Key", config_parameter="fusion_accounting.openai_api_key", groups=ADMIN
    )
    fusion_openai_base_url = fields.Char(
        string="OpenAI-compatible Base URL",
        config_parameter="fusion_accounting.openai_base_url",
        help="For a local Ollama or vLLM server, e.g. http://127.0.0.1:11434/v1, so books never leave the premises.",
    )
    fusion_claude_model = fields.Char(
        string="Claude Model", default="claude-sonnet-4-20250514", config_parameter="fusion_accounting.claude_model"
    )
    fusion_openai_model = fields.Char(
        string="OpenAI Model", default="gpt-4o", config_parameter="fusion_accounting.openai_model"
    )
    fusion_promotion_threshold = fields.Float(
        string="Tier 3 Promotion Threshold", default=0.95, config_parameter="fusion_accounting.promotion_threshold"
    )
    fusion_min_sample_size = fields.Integer(
        string="Tier 3 Min Sample Size", default=30, config_parameter="fusion_accounting.min_sample_size"
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
