"""The dashboard in headless Chromium: the company switcher, an audit that never ran, a refresh after a change."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# A Fusion Manager who may also import bank lines (the refresh tour creates one).
MANAGER = ",".join(
    (
        "base.group_user",
        "account.group_account_manager",
        "account.group_account_basic",
        "fusion_accounting_core.group_fusion_manager",
    )
)


@tagged("post_install", "-at_install")
class TestDashboardTours(AccountTestInvoicingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company_data["company"]
        cls.company_a.name = "Tour Company A"
        cls.today = fields.Date.context_today(cls.env.user)

    def _lines(self, journal, count):
        for index in range(count):
            self.env["account.bank.statement.line"].create(
                {"journal_id": journal.id, "date": self.today, "amount": 10.0 + index, "payment_ref": f"tour {index}"}
            )

    def _user(self, login, companies):
        return new_test_user(
            self.env, login=login, groups=MANAGER, company_id=self.company_a.id, company_ids=[(6, 0, companies.ids)]
        )

    def test_company_switcher_decides_what_is_counted(self):
        data_b = self.setup_other_company(name="Tour Company B")
        self._lines(self.company_data["default_journal_bank"], 2)
        self._lines(data_b["default_journal_bank"], 3)
        user = self._user("tour_both", self.company_a | data_b["company"])
        self.start_tour("/odoo/fusion-ai", "fusion_dashboard_company_switch", login=user.login)

    def test_an_audit_that_never_ran_is_not_a_clean_score(self):
        self.init_invoice("out_invoice", amounts=[75.0], invoice_date=self.today - timedelta(days=90))
        user = self._user("tour_audit", self.company_a)
        self.start_tour("/odoo/fusion-ai", "fusion_dashboard_stale_audit", login=user.login)
        self.assertEqual(self.company_a.fusion_audit_checked_on, self.today)

    def test_books_changed_reloads_the_cards(self):
        self._lines(self.company_data["default_journal_bank"], 1)
        user = self._user("tour_refresh", self.company_a)
        self.start_tour("/odoo/fusion-ai", "fusion_dashboard_refresh_and_dark", login=user.login)
