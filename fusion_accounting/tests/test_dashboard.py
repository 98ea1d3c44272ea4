from datetime import date
from itertools import pairwise

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.fusion_accounting_core.tests.common import FusionUsersMixin

from .common import DASHBOARD_CARDS, DashboardCase

TODAY = date(2026, 3, 20)


@tagged("post_install", "-at_install")
class TestDashboardCards(DashboardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids |= cls.env.ref("fusion_accounting_core.group_fusion_user")

    def _statement_line(self, amount, on):
        return self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "date": on,
                "amount": amount,
                "payment_ref": f"line {amount}",
            }
        )

    def test_six_cards_in_design_order(self):
        data = self.dashboard(TODAY)
        self.assertEqual(tuple(card["key"] for card in data["cards"]), DASHBOARD_CARDS)
        for card in data["cards"]:
            self.assertIn(card["light"], ("green", "yellow", "red", "unknown"))
            self.assertTrue(card["light_label"])
            self.assertTrue(card["prompt"], "a click on a card must have a question to ask")

    def test_empty_company_is_all_green_but_month_end_and_the_unchecked_audit(self):
        data = self.dashboard(TODAY)
        for key in ("bank", "ar", "ap", "hst"):
            self.assertLight(data, key, "green")
        # Nothing locked the previous month yet, but nothing is open either.
        self.assertLight(data, "month_end", "yellow")
        # The audit never ran: the card cannot say the books are clean.
        self.assertLight(data, "audit", "unknown")

    def test_empty_company_audited_today_scores_100(self):
        self.company_data["company"].fusion_audit_checked_on = TODAY
        card = self.card(self.dashboard(TODAY), "audit")
        self.assertEqual((card["value"], card["light"]), ("100", "green"))

    def test_bank_card_counts_unmatched_lines_in_absolute_amount(self):
        self._statement_line(100.0, date(2026, 3, 18))
        self._statement_line(-40.0, date(2026, 3, 19))
        data = self.dashboard(TODAY)
        card = self.card(data, "bank")
        self.assertEqual(card["value"], "2")
        self.assertIn("140.00", card["detail"])
        self.assertLight(data, "bank", "yellow")

    def test_bank_line_older_than_a_month_turns_red(self):
        self._statement_line(10.0, date(2026, 1, 2))
        self.assertLight(self.dashboard(TODAY), "bank", "red")

    def test_ar_card_turns_red_when_most_of_it_is_overdue(self):
        self._create_invoice_one_line(
            price_unit=1000.0,
            invoice_date="2026-01-01",
            invoice_date_due="2026-01-31",
            invoice_payment_term_id=False,
            post=True,
        )
        data = self.dashboard(TODAY)
        card = self.card(data, "ar")
        self.assertIn("1,000.00", card["value"])
        self.assertIn("1 customer overdue", card["detail"])
        self.assertLight(data, "ar", "red")

    def test_ap_card_is_yellow_when_a_bill_falls_due_this_week(self):
        self._create_invoice_one_line(
            move_type="in_invoice",
            price_unit=500.0,
            invoice_date="2026-03-18",
            invoice_date_due="2026-03-24",
            invoice_payment_term_id=False,
            post=True,
        )
        data = self.dashboard(TODAY)
        self.assertIn("500.00", self.card(data, "ap")["value"])
        self.assertLight(data, "ap", "yellow")

    def test_month_end_green_once_the_month_is_locked(self):
        self.company_data["company"].fiscalyear_lock_date = date(2026, 2, 28)
        self.assertLight(self.dashboard(TODAY), "month_end", "green")

    def test_month_end_counts_drafts_of_the_closed_month(self):
        self._create_invoice_one_line(price_unit=10.0, invoice_date="2026-02-10")
        card = self.card(self.dashboard(TODAY), "month_end")
        self.assertEqual(card["value"], "February 2026 open")
        self.assertIn("1 draft entry,", card["detail"])

    def test_month_end_names_the_month_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        dashboard = self.env["fusion.accounting.dashboard"].with_context(lang="fr_FR")
        card = self.card(dashboard.get_dashboard_data(today=TODAY), "month_end")
        self.assertIn("février 2026", card["value"])
        self.assertNotIn("2026-02", card["prompt"])

    def test_attention_rows_name_a_draft_once(self):
        """A forgotten draft bill reads "Draft Bill ... of <date>", never "Draft Draft Bill"."""
        company = self.company_data["company"]
        bill = self.init_invoice("in_invoice", amounts=[40.0], invoice_date=date(2026, 1, 10))
        self.env["fusion.accounting.audit.finding"]._audit_company(company, TODAY)
        rows = self.dashboard(TODAY)["needs_attention"]
        titles = [row["title"] for row in rows]
        self.assertIn(f"{bill.display_name} of 2026-01-10", titles)
        for title in titles:
            words = title.split()
            self.assertFalse([a for a, b in pairwise(words) if a == b], title)
            self.assertNotRegex(title, r"\b1 \w+(ies|s)\b", "one of a kind is singular")

    def test_other_companies_are_left_out(self):
        other = self.setup_other_company()
        self.env["account.bank.statement.line"].sudo().create(
            {"journal_id": other["default_journal_bank"].id, "date": TODAY, "amount": 5.0, "payment_ref": "elsewhere"}
        )
        # As superuser no record rule hides the other company: only the dashboard's own filter can.
        data = (
            self.env["fusion.accounting.dashboard"]
            .sudo()
            .with_context(allowed_company_ids=self.company_data["company"].ids)
            .get_dashboard_data(today=TODAY)
        )
        self.assertEqual(self.card(data, "bank")["value"], "0")

    def test_reports_its_own_timing(self):
        self.assertGreaterEqual(self.dashboard(TODAY)["server_ms"], 0)


@tagged("post_install", "-at_install")
class TestDashboardController(HttpCase, FusionUsersMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_fusion_users()
        cls.outsider = new_test_user(
            cls.env, login="fusion_outsider", groups="base.group_user,account.group_account_invoice"
        )

    def _data(self, login):
        self.authenticate(login, login)
        return self.make_jsonrpc_request("/fusion/dashboard/data", {})

    def test_staff_reads_the_dashboard(self):
        data = self._data("fusion_staff")
        self.assertEqual(len(data["cards"]), 6)

    def test_non_fusion_user_is_refused(self):
        self.authenticate("fusion_outsider", "fusion_outsider")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.make_jsonrpc_request("/fusion/dashboard/data", {})
