from odoo.tests import TransactionCase, tagged

from .common import ADMIN, MANAGER, STAFF, FusionUsersMixin


@tagged("post_install", "-at_install")
class TestGroupChain(FusionUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_fusion_users()

    def test_manager_implies_staff_and_admin_implies_manager(self):
        self.assertInGroup(self.manager, STAFF)
        self.assertNotInGroup(self.manager, ADMIN)
        self.assertInGroup(self.fusion_admin, MANAGER)
        self.assertInGroup(self.fusion_admin, STAFF)

    def test_staff_is_only_staff(self):
        self.assertInGroup(self.staff, STAFF)
        self.assertNotInGroup(self.staff, MANAGER)

    def test_staff_reads_the_books_and_writes_none(self):
        # Read-only accounting rights: Invoicing would let Staff post and reconcile over RPC (issue 18).
        self.assertInGroup(self.staff, "account.group_account_readonly")
        self.assertNotInGroup(self.staff, "account.group_account_invoice")

    def test_managers_keep_odoo_invoicing_rights(self):
        self.assertInGroup(self.manager, "account.group_account_invoice")

    def test_staff_still_sees_accounting_and_fusion_ai(self):
        visible = self.env["ir.ui.menu"].with_user(self.staff)._visible_menu_ids()
        for xmlid in ("account.menu_finance", "fusion_accounting_core.menu_fusion_ai_root"):
            self.assertIn(self.env.ref(xmlid).id, visible, xmlid)

    def test_accounting_administrators_manage_the_copilot(self):
        accountant = self.env["res.users"].create(
            {
                "name": "Chief Accountant",
                "login": "fusion_chief_accountant",
                "group_ids": [(6, 0, [self.env.ref("account.group_account_manager").id])],
            }
        )
        self.assertInGroup(accountant, MANAGER)
        self.assertNotInGroup(accountant, ADMIN)

    def test_odoo_administrator_is_fusion_admin(self):
        self.assertInGroup(self.env.ref("base.user_admin"), ADMIN)
