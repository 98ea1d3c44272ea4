from odoo.tests import new_test_user

STAFF = "fusion_accounting_core.group_fusion_user"
MANAGER = "fusion_accounting_core.group_fusion_manager"
ADMIN = "fusion_accounting_core.group_fusion_admin"
ABSENT = "fusion_accounting_core.group_fusion_show_when_enterprise_absent"


class FusionUsersMixin:
    """One user per Fusion role, for tests that check who may do what."""

    @classmethod
    def _create_fusion_users(cls):
        cls.staff = new_test_user(cls.env, login="fusion_staff", groups=f"base.group_user,{STAFF}")
        cls.manager = new_test_user(cls.env, login="fusion_manager", groups=f"base.group_user,{MANAGER}")
        cls.fusion_admin = new_test_user(
            cls.env, login="fusion_admin", groups=f"base.group_user,base.group_system,{ADMIN}"
        )
        # A settings administrator who is not a Fusion administrator.
        cls.system_only = new_test_user(cls.env, login="fusion_system_only", groups="base.group_user,base.group_system")

    def assertInGroup(self, user, xmlid):
        self.assertTrue(user.has_group(xmlid), f"{user.login} should be in {xmlid}")

    def assertNotInGroup(self, user, xmlid):
        self.assertFalse(user.has_group(xmlid), f"{user.login} should not be in {xmlid}")
