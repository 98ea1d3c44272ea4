"""Follow-ups are computed for the companies selected in the company switcher, as the follow-up tools compute them.

Issue 22: the follow-up dashboard, its cards, the collections summary and the Overdue Customers
list showed the current company only, whatever the switcher said.  Follow-ups are per company
(ladder, currency, states), so the routes answer one section per selected company, in its
currency, and a total only when the currencies agree.  Company A and B keep their books in the
same currency, C in another; every figure is compared with the tools' answers for that company.
"""

from datetime import timedelta
from decimal import Decimal

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from ..tools.followup_tools import (
    followup_get_partner,
    followup_history,
    followup_list_overdue,
    followup_list_promises_disputes,
    followup_record_dispute,
    followup_record_promise,
)
from .common import MANAGER, TODAY, FollowupCommon, FollowupRoutes, FollowupTourCommon


class CompaniesBooks(FollowupCommon):
    """A: partner_a 10 days late, partner_b 40.  B (same currency): partner_a 70 days late.  C (EUR): partner_b 20."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.setup_other_company(name="Follow-up Company B")["company"]
        euro = cls.setup_other_currency("EUR")  # A and B keep their books in US dollars
        cls.company_c = cls.setup_other_company(name="Follow-up Company C", currency_id=euro.id)["company"]
        cls.outside = cls.env["res.company"].create({"name": "Follow-up Company D (not the user's)"})
        cls.user = new_test_user(
            cls.env,
            login="fu_companies",
            groups=MANAGER,
            company_id=cls.company_a.id,
            company_ids=[(6, 0, (cls.company_a | cls.company_b | cls.company_c).ids)],
        )
        cls.invoice(cls.partner_a, 100, 10)
        cls.invoice(cls.partner_b, 300, 40)
        cls.invoice_b = cls.invoice_in(cls.company_b, cls.partner_a, 700, 70)
        cls.invoice_in(cls.company_c, cls.partner_b, 50, 20)

    @classmethod
    def invoice_in(cls, company, partner, amount, days_overdue, move_type="out_invoice"):
        """A posted customer invoice (or credit note: ``move_type``) of ``company`` due ``days_overdue`` days ago.

        Issued the day before it falls due, but never after today: a move dated later is open in no aging.
        """
        due = TODAY - timedelta(days=days_overdue)
        issued = min(due - timedelta(days=1), TODAY)
        move = cls.init_invoice(move_type, partner=partner, amounts=[amount], invoice_date=issued, company=company)
        move.invoice_payment_term_id = False
        move.invoice_date_due = due
        move.action_post()
        return move

    def tool_env(self, company):
        """The tools' environment with ``company`` current: the chat asks them company by company."""
        return self.env(user=self.user, context={"allowed_company_ids": company.ids})

    def selections(self):
        return (
            ("A", self.company_a),
            ("B", self.company_b),
            ("A and B", self.company_a | self.company_b),
            ("A and C", self.company_a | self.company_c),
        )


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupRoutesFollowTheSwitcher(FollowupRoutes, CompaniesBooks, HttpCase):
    login = "fu_companies"

    def test_each_section_is_followup_list_overdue_of_its_company(self):
        for label, companies in self.selections():
            with self.subTest(selection=label):
                page = self.rpc("list_overdue", company_ids=companies.ids)
                self.assertEqual([section["company_id"] for section in page["sections"]], companies.ids)
                for section, company in zip(page["sections"], companies, strict=True):
                    tool = followup_list_overdue.function(self.tool_env(company), limit=80)
                    self.assertEqual(
                        (section["total"], section["total_overdue"]), (tool["total"], tool["total_overdue"])
                    )
                    self.assertEqual(section["currency_id"], company.currency_id.id)
                    self.assertEqual(
                        [(r["partner_id"], r["total_overdue"], r["status"], r["next_level"]) for r in section["rows"]],
                        [(r["partner_id"], r["total_overdue"], r["status"], r["next_level"]) for r in tool["rows"]],
                    )
                    self.assertEqual({row["company_id"] for row in section["rows"]}, {company.id})
                self.assertEqual(page["total"], sum(section["total"] for section in page["sections"]))

    def test_the_books_differ_per_company(self):
        counts = {label: self.rpc("list_overdue", company_ids=c.ids)["total"] for label, c in self.selections()}
        self.assertEqual(counts, {"A": 2, "B": 1, "A and B": 3, "A and C": 3})
        b_row = self.rpc("list_overdue", company_ids=self.company_b.ids)["sections"][0]["rows"][0]
        self.assertEqual((b_row["partner_id"], b_row["max_days_overdue"]), (self.partner_a.id, 70))

    def test_a_total_only_when_the_currencies_agree(self):
        both = self.rpc("list_overdue", company_ids=(self.company_a | self.company_b).ids)
        self.assertEqual(Decimal(both["total_overdue"]), sum(Decimal(s["total_overdue"]) for s in both["sections"]))
        self.assertEqual(both["currency_id"], self.company_a.currency_id.id)
        mixed = self.rpc("list_overdue", company_ids=(self.company_a | self.company_c).ids)
        self.assertIsNone(mixed["total_overdue"], "dollars and euros are not added")
        self.assertIsNone(mixed["currency_id"])
        self.assertEqual(
            {s["currency_id"] for s in mixed["sections"]}, {c.currency_id.id for c in self.company_a | self.company_c}
        )

    def test_a_customers_detail_is_followup_get_partner_in_the_section_company(self):
        for company in (self.company_a, self.company_b):
            with self.subTest(company=company.name):
                detail = self.rpc("get_partner", partner_id=self.partner_a.id, company_id=company.id)
                tool = followup_get_partner.function(self.tool_env(company), self.partner_a.id)
                self.assertEqual((detail["company_id"], detail["currency_id"]), (company.id, company.currency_id.id))
                self.assertEqual(
                    (detail["total_overdue"], detail["max_days_overdue"], detail["level"]["level"], detail["risk"]),
                    (tool["total_overdue"], tool["max_days_overdue"], tool["due_level"], tool["risk"]),
                )
        self.assertEqual(
            self.rpc("get_partner", partner_id=self.partner_a.id, company_id=self.company_b.id)["max_days_overdue"], 70
        )

    def test_a_send_from_a_section_is_that_companys_run(self):
        sent = self.rpc("send", partner_id=self.partner_a.id, company_id=self.company_b.id)
        self.assertEqual(sent["state"], "sent")
        run = self.env["fusion.followup.run"].browse(sent["id"])
        self.assertEqual(run.company_id, self.company_b)
        self.assertEqual(run.level_id.company_id, self.company_b, "B's own ladder")
        history = self.rpc("history", partner_id=self.partner_a.id, company_id=self.company_b.id)
        self.assertEqual(history, followup_history.function(self.tool_env(self.company_b), self.partner_a.id))
        self.assertEqual(self.rpc("history", partner_id=self.partner_a.id, company_id=self.company_a.id), [])

    def test_collections_sections_are_the_collection_tools_answers(self):
        followup_record_promise.function(
            self.tool_env(self.company_a), partner_id=self.partner_b.id, promised_date=TODAY + timedelta(days=2)
        )
        followup_record_dispute.function(
            self.tool_env(self.company_b), invoice_id=self.invoice_b.id, reason="Wrong price"
        )
        for label, companies in self.selections():
            with self.subTest(selection=label):
                answer = self.make_jsonrpc_request(
                    "/fusion/followup/collections_summary", {"company_ids": companies.ids}
                )
                self.assertEqual([s["company_id"] for s in answer["sections"]], companies.ids)
                for section, company in zip(answer["sections"], companies, strict=True):
                    listed = followup_list_promises_disputes.function(self.tool_env(company))
                    self.assertEqual(section["open_disputes"], len(listed["disputes"]))
                    week = [p for p in listed["promises"] if p["promised_date"] <= str(TODAY + timedelta(days=6))]
                    self.assertEqual(section["promises_due_this_week"], len(week))
                    self.assertEqual(Decimal(section["promised_this_week"]), sum(Decimal(p["amount"]) for p in week))
                    self.assertEqual(section["currency_id"], company.currency_id.id)
        both = self.make_jsonrpc_request(
            "/fusion/followup/collections_summary", {"company_ids": (self.company_a | self.company_b).ids}
        )
        self.assertEqual((both["total"]["open_disputes"], both["total"]["promises_due_this_week"]), (1, 1))
        mixed = self.make_jsonrpc_request(
            "/fusion/followup/collections_summary", {"company_ids": (self.company_a | self.company_c).ids}
        )
        self.assertIsNone(mixed["total"])
        self.assertIsNone(
            self.make_jsonrpc_request("/fusion/followup/collections_summary", {"company_ids": self.company_a.ids})[
                "total"
            ]
        )

    def test_a_company_outside_the_users_is_refused_and_nothing_is_sent(self):
        for endpoint, params in (
            ("list_overdue", {"company_ids": [self.outside.id]}),
            ("list_overdue", {"company_ids": [self.company_a.id, self.outside.id]}),
            ("get_partner", {"partner_id": self.partner_a.id, "company_id": self.outside.id}),
            ("send", {"partner_id": self.partner_a.id, "company_id": self.outside.id}),
            ("history", {"partner_id": self.partner_a.id, "company_id": self.outside.id}),
        ):
            with self.subTest(endpoint=endpoint, params=params):
                answer = self.rpc(endpoint, **params)
                self.assertEqual(answer, {"refused": True, "error": "Access to unauthorized or invalid companies."})
        answer = self.make_jsonrpc_request("/fusion/followup/collections_summary", {"company_ids": [self.outside.id]})
        self.assertTrue(answer["refused"])
        for bad in ("1;DROP", ["a"], [0], self.company_a.id, {"id": 1}):
            with self.subTest(company_ids=bad):
                self.assertTrue(self.rpc("list_overdue", company_ids=bad)["refused"])
        self.assertTrue(self.rpc("get_partner", partner_id=self.partner_a.id, company_id="B")["refused"])
        self.assertFalse(self.followup_mails(self.partner_a))

    def test_without_a_selection_the_current_company(self):
        page = self.rpc("list_overdue")
        self.assertEqual([s["company_id"] for s in page["sections"]], [self.company_a.id])


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestOverdueCustomersListFollowsTheSwitcher(CompaniesBooks):
    def partners(self, companies):
        return self.env["res.partner"].with_user(self.user).with_context(allowed_company_ids=companies.ids)

    def tool_row(self, company, partner):
        rows = followup_list_overdue.function(self.tool_env(company), limit=80)["rows"]
        return next((row for row in rows if row["partner_id"] == partner.id), None)

    def test_the_list_holds_the_customers_overdue_in_a_selected_company(self):
        for label, companies in self.selections():
            with self.subTest(selection=label):
                listed = self.partners(companies).search([("fusion_followup_overdue", "=", True)])
                expected = {
                    row["partner_id"]
                    for c in companies
                    for row in followup_list_overdue.function(self.tool_env(c), limit=80)["rows"]
                }
                self.assertEqual(set(listed.ids), expected)
        self.assertEqual(self.partners(self.company_b).search([("fusion_followup_overdue", "=", True)]), self.partner_a)

    def test_a_row_adds_its_companies_when_they_share_a_currency(self):
        partner = self.partners(self.company_a | self.company_b).browse(self.partner_a.id)
        in_a, in_b = self.tool_row(self.company_a, self.partner_a), self.tool_row(self.company_b, self.partner_a)
        self.assertAlmostEqual(
            partner.fusion_followup_amount_overdue,
            float(in_a["total_overdue"]) + float(in_b["total_overdue"]),
            places=2,
        )
        self.assertEqual(partner.fusion_followup_currency_id, self.company_a.currency_id)
        self.assertEqual(partner.fusion_followup_oldest_days, 70)
        self.assertEqual(
            partner.fusion_followup_next_level,
            f"{self.company_a.name}: {in_a['next_level']} · {self.company_b.name}: {in_b['next_level']}",
        )
        alone = self.partners(self.company_b).browse(self.partner_a.id)
        self.assertEqual(alone.fusion_followup_amount_overdue, float(in_b["total_overdue"]))
        self.assertEqual(alone.fusion_followup_next_level, in_b["next_level"], "one company: no company names")

    def test_a_row_over_two_currencies_is_converted_into_the_current_companys(self):
        partner = self.partners(self.company_a | self.company_c).browse(self.partner_b.id)
        in_a, in_c = self.tool_row(self.company_a, self.partner_b), self.tool_row(self.company_c, self.partner_b)
        converted = self.company_c.currency_id._convert(
            float(in_c["total_overdue"]), self.company_a.currency_id, self.company_c, TODAY
        )
        self.assertEqual(partner.fusion_followup_currency_id, self.company_a.currency_id)
        self.assertAlmostEqual(
            partner.fusion_followup_amount_overdue, float(in_a["total_overdue"]) + converted, places=2
        )
        self.assertEqual(partner.fusion_followup_live_status, "action_needed")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupCustomerInvoicesFollowTheSwitcher(CompaniesBooks):
    """A customer's reply is read against its invoices in every selected company, not only the current one."""

    def test_a_reply_on_an_invoice_of_a_selected_company_is_proposed(self):
        body = f"<p>Hello, we will pay {self.invoice_b.name} next Friday.</p>"
        message = self.invoice_b.message_post(body=body, message_type="email", author_id=self.partner_a.id)
        both = self.env(user=self.user, context={"allowed_company_ids": (self.company_a | self.company_b).ids})
        (proposal,) = both["fusion.followup.engine"].reply_proposals(self.partner_a)  # A is the current company
        # A's first invoice bears the same number: the e-mail on B's invoice names B's.
        same_number = self.env["account.move"].search([("name", "=", self.invoice_b.name)])
        self.assertLessEqual(self.company_a | self.company_b, same_number.company_id)
        self.assertEqual((proposal["message_id"], proposal["invoice_ids"]), (message.id, self.invoice_b.ids))
        self.assertEqual(self.tool_env(self.company_a)["fusion.followup.engine"].reply_proposals(self.partner_a), [])


@tagged("post_install", "-at_install")
class TestFollowupCompanySwitchTour(FollowupTourCommon):
    def test_switching_companies_adds_a_section_per_company(self):
        company_a = self.company_data["company"]
        company_a.name = "Follow-up Tour Company A"
        company_b = self.setup_other_company(name="Follow-up Tour Company B")["company"]
        customer = self.env["res.partner"].create(
            {"name": "Fusion Tour Two-Company Customer", "email": "t@example.com"}
        )
        self.overdue_invoice(customer, 400.0, 20)
        late = fields.Date.context_today(customer) - timedelta(days=45)
        in_b = self.init_invoice("out_invoice", partner=customer, amounts=[90.0], invoice_date=late, company=company_b)
        in_b.invoice_payment_term_id = False
        in_b.invoice_date_due = late
        in_b.action_post()
        user = new_test_user(
            self.env,
            login="fu_tour_both",
            groups=MANAGER + ",account.group_account_invoice",
            company_id=company_a.id,
            company_ids=[(6, 0, (company_a | company_b).ids)],
        )
        self.start_tour("/odoo/fusion-followups", "fusion_followup_company_switch", login=user.login)
