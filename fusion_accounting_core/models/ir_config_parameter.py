from odoo import models
from odoo.exceptions import AccessError

from .settings_keys import SECRET_PARAMS


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    def get_param(self, key, default=False):
        # EXTENDS base: get_param reads with raw SQL, past the ir.rule that hides
        # the API keys, so the same guard is applied here for RPC callers.
        if (
            key in SECRET_PARAMS
            and not self.env.su
            and not self.env.user.has_group("fusion_accounting_core.group_fusion_admin")
        ):
            raise AccessError(self.env._("Only Fusion AI administrators can read the AI provider API keys."))
        return super().get_param(key, default=default)
