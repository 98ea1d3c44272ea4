"""Follow-up settings on the Fusion AI settings page."""

from odoo import fields, models

from .followup_engine import SKIP_LEVELS_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fusion_followup_skip_levels = fields.Boolean(
        string="Follow-ups May Skip Levels",
        config_parameter=SKIP_LEVELS_PARAM,
        help="Off (the default): a customer's first follow-up is the first level of the ladder and each send climbs "
        "one level. On: a send goes straight to the level due by days overdue.",
    )
