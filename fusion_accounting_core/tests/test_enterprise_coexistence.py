"""The enterprise-absent group, on whichever database the suite runs.

``make test-odoo`` runs these on a Community database and, when the server has
Enterprise ``account_followup``, again on a database where that module is
installed after ours and then removed (tag ``fusion_coexistence``).
"""

from odoo.tests import TransactionCase, new_test_user, tagged

from ..tools.modules import module_installed
from .common import ABSENT, FusionUsersMixin


@tagged("post_install", "-at_install", "fusion_coexistence")
class TestEnterpriseAbsentGroup(FusionUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enterprise_followup = module_installed(cls.env, "account_followup")

    def test_every_internal_user_is_in_it_while_enterprise_is_absent(self):
        if self.enterprise_followup:
            self.skipTest("Enterprise account_followup is installed on this database")
        internal = self.env["res.users"].search([("share", "=", False)])
        group = self.env.ref(ABSENT)
        self.assertEqual(group.all_user_ids & internal, internal)
        later = new_test_user(self.env, login="fusion_created_later", groups="base.group_user")
        self.assertInGroup(later, ABSENT)

    def test_portal_users_are_never_in_it(self):
        portal = new_test_user(self.env, login="fusion_portal", groups="base.group_portal")
        self.assertNotInGroup(portal, ABSENT)

    def test_nobody_is_in_it_while_enterprise_is_installed(self):
        if not self.enterprise_followup:
            self.skipTest(
                "Enterprise account_followup is not installed on this database; make test-odoo checks it "
                "in a second database when the server has that module"
            )
        self.assertFalse(self.env.ref(ABSENT).all_user_ids)
        later = new_test_user(self.env, login="fusion_created_later", groups="base.group_user")
        self.assertNotInGroup(later, ABSENT)

    def test_sync_is_idempotent(self):
        group = self.env.ref(ABSENT)
        before = group.all_user_ids
        self.env["fusion.enterprise.presence"]._sync_enterprise_absent_group()
        self.assertEqual(group.all_user_ids, before)
