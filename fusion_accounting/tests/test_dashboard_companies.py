"""Every figure of the dashboard is computed for the companies the user selected, as the tools compute it.

Issue 22: with one company selected the dashboard summed every company the user
may see (bank 73 lines where the chat's tool said 43) and its AR total was not
``get_ar_aging``'s.  Here two companies hold different books; each card is
compared with the tools' answers for company A, for company B and for both.
"""

from datetime import date, timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import format_amount

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.fusion_accounting_core.services.ar_aging_buckets import BUCKETS
from odoo.addons.fusion_accounting_core.services.tools import ToolRefusal
from odoo.addons.fusion_accounting_core.tools.ar_aging import get_ar_aging
from odoo.addons.fusion_accounting_core.tools.bank_lines import get_unreconciled_bank_lines

from ..tools.hst import calculate_hst_balance
from ..tools.payables import get_ap_aging
from .common import DashboardAssertions

TODAY = date(2026, 3, 20)
STAFF = "base.group_user,account.group_account_invoice,fusion_accounting_core.group_fusion_user"
MANAGER = "base.group_user,account.group_account_invoice,fusion_accounting_core.group_fusion_manager"


def aging_total(answer):
    return round(sum(answer["totals"].values()), 2)


class CompanyBooks(AccountTestInvoicingCommon, DashboardAssertions):
    """Company A: 2 bank lines, one overdue invoice, one bill.  Company B: 3 bank lines, two invoices, no bill."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company_data["company"]
        cls.data_b = cls.setup_other_company(name="Dashboard Company B")
        cls.company_b = cls.data_b["company"]
        cls.both = cls.company_a | cls.company_b
        cls.user = new_test_user(
            cls.env,
            login="dash_both",
            groups=MANAGER,
            company_id=cls.company_a.id,
            company_ids=[(6, 0, cls.both.ids)],
        )
        for journal, amounts in (
            (cls.company_data["default_journal_bank"], (100.0, -40.0)),
            (cls.data_b["default_journal_bank"], (7.0, 8.0, -9.0)),
        ):
            for offset, amount in enumerate(amounts):
                cls.env["account.bank.statement.line"].create(
                    {
                        "journal_id": journal.id,
                        "date": TODAY - timedelta(days=offset + 1),
                        "amount": amount,
                        "payment_ref": f"line {amount}",
                    }
                )
        cls._posted(cls.company_a, "out_invoice", 1000.0, due=date(2026, 1, 31))
        cls._posted(cls.company_a, "in_invoice", 300.0, due=date(2026, 3, 24))
        cls._posted(cls.company_b, "out_invoice", 250.0, due=date(2026, 4, 30))
        cls._posted(cls.company_b, "out_invoice", 4000.0, due=date(2025, 11, 30))

    @classmethod
    def _posted(cls, company, move_type, amount, due):
        move = cls.init_invoice(move_type, amounts=[amount], invoice_date=due - timedelta(days=30), company=company)
        move.invoice_payment_term_id = False
        move.invoice_date_due = due
        move.action_post()
        return move

    def tool_env(self, companies):
        return self.env(user=self.user, context={"allowed_company_ids": companies.ids})

    def as_user(self, companies):
        return self.dashboard(TODAY, user=self.user, companies=companies)

    def selections(self):
        return (("A", self.company_a), ("B", self.company_b), ("A and B", self.both))


@tagged("post_install", "-at_install")
class TestDashboardCardsAreTheToolsAnswers(CompanyBooks):
    def test_bank_card_is_the_bank_lines_tool_count(self):
        counts = {}
        for label, companies in self.selections():
            with self.subTest(selection=label):
                tool = get_unreconciled_bank_lines.function(self.tool_env(companies))
                card = self.card(self.as_user(companies), "bank")
                self.assertEqual(card["value"], str(tool["count"]))
                counts[label] = tool["count"]
        self.assertEqual(counts, {"A": 2, "B": 3, "A and B": 5}, "the books differ per company")

    def test_ar_card_is_get_ar_aging_total(self):
        totals = {}
        for label, companies in self.selections():
            with self.subTest(selection=label):
                tool = get_ar_aging.function(self.tool_env(companies), as_of=TODAY)
                card = self.card(self.as_user(companies), "ar")
                self.assertAlmostEqual(card["amount"], aging_total(tool), places=2)
                totals[label] = card["amount"]
        self.assertAlmostEqual(totals["A and B"], totals["A"] + totals["B"], places=2)
        self.assertGreater(totals["B"], totals["A"])

    def test_ar_card_counts_the_overdue_customers_of_the_selection(self):
        self.assertIn("1 customer overdue", self.card(self.as_user(self.company_a), "ar")["detail"])
        # Company B's 250 is not due yet; its 4,000 is.
        self.assertIn("1 customer overdue", self.card(self.as_user(self.company_b), "ar")["detail"])

    def test_ap_card_is_get_ap_aging_total(self):
        for label, companies in self.selections():
            with self.subTest(selection=label):
                tool = get_ap_aging.function(self.tool_env(companies), as_of=TODAY)
                card = self.card(self.as_user(companies), "ap")
                self.assertAlmostEqual(card["amount"], aging_total(tool), places=2)
        self.assertEqual(self.card(self.as_user(self.company_b), "ap")["amount"], 0.0)

    def test_hst_card_is_calculate_hst_balance_of_the_quarter(self):
        for label, companies in self.selections():
            with self.subTest(selection=label):
                card = self.card(self.as_user(companies), "hst")
                env = self.tool_env(companies)
                try:
                    tool = calculate_hst_balance.function(env, date(2026, 1, 1), TODAY)
                except ToolRefusal:  # a chart without GST/HST accounts: the card must say so
                    self.assertEqual(card["light"], "unknown")
                    continue
                self.assertAlmostEqual(card["amount"], tool["net_owing"], places=2)

    def test_header_lists_only_the_selected_companies(self):
        self.assertEqual(self.as_user(self.company_b)["companies"], [self.company_b.name])
        self.assertEqual(set(self.as_user(self.both)["companies"]), {self.company_a.name, self.company_b.name})


def overdue(answer):
    """What the aging tool says is late: every bucket past ``current``."""
    return round(sum(amount for bucket, amount in answer["totals"].items() if bucket != BUCKETS[0]), 2)


def late_rows(rows):
    return sum(1 for row in rows if any(row.get(bucket) for bucket in BUCKETS[1:]))


@tagged("post_install", "-at_install")
class TestDashboardDetailsAreTheToolsAnswers(CompanyBooks):
    """The small print under each figure: the amounts and counts a newcomer reads there are the tools' too."""

    def money(self, amount):
        return format_amount(self.env, amount, self.company_a.currency_id)

    def test_bank_detail_is_the_bank_lines_tool_absolute_sum(self):
        for label, companies in self.selections():
            with self.subTest(selection=label):
                tool = get_unreconciled_bank_lines.function(self.tool_env(companies), limit=100)
                card = self.card(self.as_user(companies), "bank")
                self.assertAlmostEqual(card["amount"], sum(abs(line["amount"]) for line in tool["lines"]), places=2)
                self.assertIn(self.money(card["amount"]), card["detail"])
        self.assertEqual(self.card(self.as_user(self.company_b), "bank")["amount"], 24.0, "7 + 8 + |-9|")

    def test_ar_detail_is_get_ar_aging_past_current(self):
        for label, companies in self.selections():
            with self.subTest(selection=label):
                tool = get_ar_aging.function(self.tool_env(companies), as_of=TODAY)
                detail = self.card(self.as_user(companies), "ar")["detail"]
                late = late_rows(tool["partners"])
                self.assertIn(f"{late} customer{'' if late == 1 else 's'} overdue", detail)
                self.assertIn(f"{self.money(overdue(tool))} overdue", detail)
        both = get_ar_aging.function(self.tool_env(self.both), as_of=TODAY)
        self.assertAlmostEqual(overdue(both), 5000.0, places=2, msg="A's 1,000 and B's 4,000; B's 250 is current")

    def test_ap_detail_counts_get_ap_aging_late_vendors(self):
        for label, companies in self.selections():
            with self.subTest(selection=label):
                tool = get_ap_aging.function(self.tool_env(companies), as_of=TODAY)
                detail = self.card(self.as_user(companies), "ap")["detail"]
                late = late_rows(tool["vendors"])
                self.assertIn(f"{late} vendor{'' if late == 1 else 's'} overdue", detail)
        # Company A's bill of 300 falls due on the 24th: within the week, not late.
        self.assertIn(
            f"{self.money(300.0)} due this week, 0 vendors overdue",
            self.card(self.as_user(self.company_a), "ap")["detail"],
        )

    def test_hst_detail_is_calculate_hst_balance_collected_and_credits(self):
        for label, companies in self.selections():
            with self.subTest(selection=label):
                card = self.card(self.as_user(companies), "hst")
                try:
                    tool = calculate_hst_balance.function(self.tool_env(companies), date(2026, 1, 1), TODAY)
                except ToolRefusal:
                    continue  # covered by test_hst_card_is_calculate_hst_balance_of_the_quarter
                self.assertIn(f"Collected {self.money(tool['collected'])}", card["detail"])
                self.assertIn(f"ITCs {self.money(tool['input_tax_credits'])}", card["detail"])


@tagged("post_install", "-at_install")
class TestDashboardAuditIsNeverGreenUnchecked(CompanyBooks):
    def test_never_audited_books_are_not_checked_rather_than_100(self):
        card = self.card(self.as_user(self.company_a), "audit")
        self.assertEqual(card["light"], "unknown")
        self.assertNotEqual(card["value"], "100")
        self.assertEqual(card["action"]["name"], "run_audit")
        self.assertFalse(self.as_user(self.company_a)["audit_current"])

    def test_running_it_now_stores_findings_and_dates_the_check(self):
        model = (
            self.env["fusion.accounting.dashboard"]
            .with_user(self.user)
            .with_context(allowed_company_ids=self.company_a.ids)
        )
        model.action_run_audit()
        self.assertTrue(self.company_a.fusion_audit_checked_on)
        self.assertFalse(self.company_b.fusion_audit_checked_on, "only the selected company was audited")
        data = model.get_dashboard_data(today=self.company_a.fusion_audit_checked_on)
        card = self.card(data, "audit")
        self.assertNotEqual(card["light"], "unknown")
        self.assertIsNone(card["action"])
        self.assertTrue(data["audit_current"])
        # B was never audited: with both selected the card cannot vouch for them.
        both = self.dashboard(self.company_a.fusion_audit_checked_on, user=self.user, companies=self.both)
        self.assertEqual(self.card(both, "audit")["light"], "unknown")

    def test_an_audit_older_than_its_period_is_stale(self):
        self.env["ir.config_parameter"].sudo().set_param("fusion_accounting.audit_cron_frequency", "weekly")
        self.company_a.fusion_audit_checked_on = TODAY - timedelta(days=7)
        self.assertNotEqual(self.card(self.as_user(self.company_a), "audit")["light"], "unknown")
        self.company_a.fusion_audit_checked_on = TODAY - timedelta(days=8)
        card = self.card(self.as_user(self.company_a), "audit")
        self.assertEqual(card["light"], "unknown")
        self.assertIn("Not checked since", card["detail"])

    def test_staff_are_told_but_get_no_button(self):
        staff = new_test_user(
            self.env, login="dash_staff", groups=STAFF, company_id=self.company_a.id, company_ids=self.company_a.ids
        )
        card = self.card(self.dashboard(TODAY, user=staff, companies=self.company_a), "audit")
        self.assertEqual(card["light"], "unknown")
        self.assertIsNone(card["action"])


@tagged("post_install", "-at_install")
class TestDashboardRouteTakesTheSwitcher(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Route Company B"})
        cls.company_c = cls.env["res.company"].create({"name": "Route Company C (not the user's)"})
        new_test_user(
            cls.env,
            login="dash_route",
            groups=STAFF,
            company_id=cls.company_a.id,
            company_ids=[(6, 0, (cls.company_a | cls.company_b).ids)],
        )

    def _data(self, **params):
        self.authenticate("dash_route", "dash_route")
        return self.make_jsonrpc_request("/fusion/dashboard/data", params)

    def test_the_selected_companies_only(self):
        self.assertEqual(self._data(company_ids=[self.company_b.id])["companies"], ["Route Company B"])

    def test_without_a_selection_every_allowed_company(self):
        self.assertEqual(len(self._data()["companies"]), 2)

    def test_a_company_outside_the_users_is_refused(self):
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._data(company_ids=[self.company_c.id])
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._data(company_ids="1;DROP")
