"""Setting of the substantive close (issue 21): the capitalization threshold of purchases."""

from odoo import fields, models

from ..tools.close_adjustments import THRESHOLD_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fusion_close_capitalization_threshold = fields.Float(
        string="Capitalization Threshold",
        config_parameter=THRESHOLD_PARAM,
        help="A purchase line at or above this amount on an expense account is proposed as a fixed asset "
        "by the month-end close. Zero turns the check off.",
    )
