"""Settings pick accounts per company (no more codes typed as free text) and sit under Accounting > Fusion AI."""

from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..models.res_config_settings import ROLE_PARAMS
from ..models.res_config_settings_payroll_close import ACCRUAL_CODES_PARAM
from ..tools.month_end import get_accrual_status

ROLES = "fusion.account.roles"


class PickerCase(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company_data["company"]
        cls.company_b = cls.setup_other_company(name="Settings Company B")["company"]
        cls.fee_a = cls.company_data["default_account_expense"]
        # Fusion Administrators edit these settings (the form also holds the API keys).
        cls.env.user.group_ids |= cls.env.ref("fusion_accounting_core.group_fusion_admin")
        cls.env.user.company_ids |= cls.company_b

    def _settings(self, company, **values):
        settings = self.env["res.config.settings"].with_company(company).create(values)
        settings.execute()
        return settings


@tagged("post_install", "-at_install")
class TestAccountPickersPerCompany(PickerCase):
    def test_a_picked_account_is_the_roles_account_of_that_company_only(self):
        self._settings(self.company_a, fusion_card_fee_account_id=self.fee_a.id)
        self.assertEqual(self.company_a.fusion_card_fee_account_id, self.fee_a)
        self.assertEqual(self.env[ROLES]._account(self.company_a, "card_fee"), self.fee_a)
        self.assertFalse(self.company_b.fusion_card_fee_account_id, "company B keeps its own (empty) choice")
        self.assertNotEqual(self.env[ROLES]._account(self.company_b, "card_fee"), self.fee_a)

    def test_the_settings_show_the_account_of_their_company(self):
        self.company_a.fusion_hst_itc_account_id = self.fee_a
        settings_a = self.env["res.config.settings"].with_company(self.company_a).create({})
        settings_b = self.env["res.config.settings"].with_company(self.company_b).create({})
        self.assertEqual(settings_a.fusion_hst_itc_account_id, self.fee_a)
        self.assertFalse(settings_b.fusion_hst_itc_account_id)

    def test_an_account_of_another_company_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "does not belong to"):
            self.company_b.fusion_card_fee_account_id = self.fee_a

    def test_a_picked_account_wins_over_an_old_code_setting(self):
        other = self.company_data["default_account_revenue"]
        self.env["ir.config_parameter"].sudo().set_param(ROLE_PARAMS["card_fee"], other.code)
        self.assertEqual(self.env[ROLES]._account(self.company_a, "card_fee"), other, "the old code still works")
        self.company_a.fusion_card_fee_account_id = self.fee_a
        self.assertEqual(self.env[ROLES]._account(self.company_a, "card_fee"), self.fee_a)

    def test_the_upgrade_picks_the_account_each_chart_holds_under_the_old_code(self):
        self.env["ir.config_parameter"].sudo().set_param(ROLE_PARAMS["card_fee"], self.fee_a.code)
        self.env["ir.config_parameter"].sudo().set_param(ROLE_PARAMS["stock"], "no-such-code")
        self.env[ROLES]._adopt_legacy_codes()
        self.assertEqual(self.company_a.fusion_card_fee_account_id, self.fee_a)
        fee_b = self.company_b.fusion_card_fee_account_id
        if fee_b:
            # Codes are per company in Odoo 19: read B's code as company B.
            self.assertEqual(
                fee_b.with_company(self.company_b).code, self.fee_a.code, "company B gets the account of its own chart"
            )
            self.assertIn(self.company_b, fee_b.company_ids)
        self.assertFalse(self.company_a.fusion_stock_account_id, "a code no chart holds picks nothing")

    def test_a_picked_payroll_journal_is_the_payroll_journal(self):
        journal = self.company_data["default_journal_misc"]
        self.company_a.fusion_payroll_journal_id = journal
        journals = self.env[ROLES].with_context(allowed_company_ids=self.company_a.ids)._payroll_journals()
        self.assertEqual(journals, journal)


@tagged("post_install", "-at_install")
class TestAccrualAccountsPerCompany(PickerCase):
    """The accounts the close reviews as accruals are picked per company, like the role accounts."""

    def _liability(self, company, code, name):
        return self.env["account.account"].create(
            {"code": code, "name": name, "account_type": "liability_current", "company_ids": [company.id]}
        )

    def test_picked_accruals_are_the_accounts_the_close_reviews_in_that_company_only(self):
        bonus_a = self._liability(self.company_a, "239901", "Bonus owed")
        self._liability(self.company_b, "239901", "Bonus owed")
        self._settings(self.company_a, fusion_accrual_account_ids=[(6, 0, bonus_a.ids)])
        self.assertEqual(self.company_a.fusion_accrual_account_ids, bonus_a)
        self.assertFalse(self.company_b.fusion_accrual_account_ids, "company B keeps its own (empty) choice")
        Roles = self.env[ROLES]
        self.assertEqual(Roles._accrual_accounts(self.company_a), bonus_a)
        named_b = Roles._accrual_accounts(self.company_b)
        self.assertNotIn(bonus_a, named_b)
        for account in named_b:  # nothing picked in B: its liabilities named like accruals
            self.assertRegex(account.name.lower(), "accru|vacation|sick|holiday pay")
        status = get_accrual_status.function(
            self.env(context={"allowed_company_ids": self.company_a.ids}), date.today()
        )
        self.assertEqual([row["account"]["id"] for row in status["accounts"]], bonus_a.ids)

    def test_an_accrual_account_of_another_company_is_refused(self):
        bonus_a = self._liability(self.company_a, "239902", "Bonus owed")
        with self.assertRaisesRegex(ValidationError, "does not belong to"):
            self.company_b.fusion_accrual_account_ids = bonus_a

    def test_the_upgrade_maps_the_old_accrual_codes_to_each_company_s_accounts(self):
        vacation_a = self._liability(self.company_a, "239903", "Staff leave owed")
        sick_a = self._liability(self.company_a, "239904", "Leave reserve")
        vacation_b = self._liability(self.company_b, "239903", "Staff leave owed")
        self.env["ir.config_parameter"].sudo().set_param(ACCRUAL_CODES_PARAM, " 239903, 239904 ,, no-such-code")
        self.env[ROLES]._adopt_legacy_codes()
        self.assertEqual(self.company_a.fusion_accrual_account_ids, vacation_a | sick_a)
        self.assertEqual(self.company_b.fusion_accrual_account_ids, vacation_b, "B gets the accounts of its own chart")
        # Run again (a second upgrade): a company's own choice is never overwritten.
        self.company_a.fusion_accrual_account_ids = sick_a
        self.env[ROLES]._adopt_legacy_codes()
        self.assertEqual(self.company_a.fusion_accrual_account_ids, sick_a)


@tagged("post_install", "-at_install")
class TestConfigurationMenu(TransactionCase):
    def test_configuration_sits_under_accounting_fusion_ai(self):
        menu = self.env.ref("fusion_accounting_core.menu_fusion_ai_configuration")
        self.assertEqual(menu.parent_id, self.env.ref("fusion_accounting_core.menu_fusion_ai_root"))
        self.assertEqual(menu.parent_id.parent_id, self.env.ref("account.menu_finance"))
        action = menu.action
        self.assertEqual(
            (action.res_model, action.context and "fusion_accounting_core" in action.context),
            (
                "res.config.settings",
                True,
            ),
        )

    def test_the_settings_form_offers_account_pickers_not_code_boxes(self):
        arch = self.env["res.config.settings"].get_view(view_type="form")["arch"]
        for role in ROLE_PARAMS:
            self.assertIn(f'name="fusion_{role}_account_id"', arch)
        self.assertIn('name="fusion_accrual_account_ids"', arch)
        old_boxes = (
            "fusion_card_fee_account_code",
            "fusion_payroll_wages_account_code",
            "fusion_payroll_journal_code",
            "fusion_accrual_account_codes",
        )
        for old in old_boxes:
            self.assertNotIn(old, arch)
