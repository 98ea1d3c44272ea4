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

    def test_staff_reads_invoices_with_its_own_rights(self):
        self.assertInGroup(self.staff, "account.group_account_invoice")

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
