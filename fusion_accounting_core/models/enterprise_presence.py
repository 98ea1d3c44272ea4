from odoo import api, models

from ..tools.modules import module_installed

ENTERPRISE_FOLLOWUP = "account_followup"
ABSENT_GROUP = "fusion_accounting_core.group_fusion_show_when_enterprise_absent"


class FusionEnterprisePresence(models.AbstractModel):
    """Keeps ``group_fusion_show_when_enterprise_absent`` true to its name.

    Installing or removing a module reloads the registry, which calls
    :meth:`_register_hook`; the group is then re-synced.  While Enterprise
    ``account_followup`` is absent, ``base.group_user`` implies the group, so
    every internal user, including users created later, is in it.
    """

    _name = "fusion.enterprise.presence"
    _description = "Fusion: detection of optional Enterprise modules"

    @api.model
    def _sync_enterprise_absent_group(self):
        group = self.env.ref(ABSENT_GROUP, raise_if_not_found=False)
        if not group:  # our own module is being removed
            return
        group = group.sudo()
        internal = self.env.ref("base.group_user").sudo()
        if module_installed(self.env, ENTERPRISE_FOLLOWUP):
            if group in internal.implied_ids or group.user_ids:
                internal.write({"implied_ids": [(3, group.id)]})
                group.write({"user_ids": [(5, 0, 0)]})
        elif group not in internal.implied_ids:
            internal.write({"implied_ids": [(4, group.id)]})

    def _register_hook(self):
        super()._register_hook()
        self._sync_enterprise_absent_group()
