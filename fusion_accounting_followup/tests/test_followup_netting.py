"""The follow-up's overdue is the AR aging's: open credit notes and unapplied payments lower it.

On the demo company the follow-up header said 74,452.92 overdue and ``get_ar_aging`` 74,005.44:
five open credit notes of customers with nothing else overdue were left out.  Here, in two
companies of one currency, every follow-up figure (the header of each section and of the
selection, each card, each detail) is compared with ``get_ar_aging``'s overdue (every bucket past
current) for the same companies and customers; the e-mail and the letter list the credits they
net, and an entry without a due date is listed from its date, as the aging counts it.  A customer
whose credits cover what it owes is listed only while the aging says it is overdue, and never chased.
"""

from datetime import timedelta
from decimal import Decimal

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools.misc import format_amount, format_date

from odoo.addons.fusion_accounting_core.services.ar_aging_buckets import BUCKETS
from odoo.addons.fusion_accounting_core.tools.ar_aging import get_ar_aging

from .common import TODAY, FollowupRoutes
from .test_followup_companies import CompaniesBooks

CREDITS_COVER = "The customer's open credits (credit notes, payments) cover what it owes."


def aging_overdue(row):
    """What an aging row (the totals or a partner's) says is overdue: every bucket past current."""
    return Decimal(str(round(sum(row[key] for key in BUCKETS[1:]), 2)))


class NettingBooks(CompaniesBooks):
    """Beside CompaniesBooks' invoices (A: partner_a 100, partner_b 300; B: partner_a 700):

    A: partner_a's credit note of 30 past due, partner_b's unapplied payment of 50, a customer with
    only a credit note of 25 past due, a payer's share of 400 booked 12 days ago by an entry without
    a due date, a customer owing 100 (10 days late) with a credit note of 150 past due, and one owing
    200 (10 days late) who paid it today (the payment not reconciled yet).  B: the credit-only
    customer's credit note of 40, partner_a's credit note not due yet.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.credit_only = cls.env["res.partner"].create({"name": "Credit-only Customer", "email": "c@example.com"})
        cls.payer = cls.env["res.partner"].create({"name": "Netting Payer", "email": "payer@example.com"})
        cls.covered = cls.env["res.partner"].create({"name": "Covered Customer", "email": "cov@example.com"})
        cls.paid_today = cls.env["res.partner"].create({"name": "Paid-today Customer", "email": "pt@example.com"})
        cls.invoice_in(cls.company_a, cls.covered, 100, 10)
        cls.invoice_in(cls.company_a, cls.covered, 150, 20, "out_refund")
        cls.invoice_in(cls.company_a, cls.paid_today, 200, 10)
        cls.refund_a = cls.invoice_in(cls.company_a, cls.partner_a, 30, 20, "out_refund")
        cls.invoice_in(cls.company_a, cls.credit_only, 25, 15, "out_refund")
        cls.invoice_in(cls.company_b, cls.credit_only, 40, 30, "out_refund")
        cls.invoice_in(cls.company_b, cls.partner_a, 70, -10, "out_refund")
        cls.payment = cls.unapplied_payment(cls.partner_b, 50.0, TODAY - timedelta(days=5))
        cls.unapplied_payment(cls.paid_today, 200.0, TODAY)
        cls.share = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": TODAY - timedelta(days=12),
                "line_ids": [
                    Command.create(
                        {
                            "account_id": cls.company_data["default_account_receivable"].id,
                            "partner_id": cls.payer.id,
                            "balance": 400.0,
                            "name": "Payer's share",
                        }
                    ),
                    Command.create({"account_id": cls.company_data["default_account_revenue"].id, "balance": -400.0}),
                ],
            }
        )
        cls.share.action_post()

    @classmethod
    def unapplied_payment(cls, partner, amount, on):
        """A posted customer payment of company A, reconciled with no invoice: an open credit on the receivable."""
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "amount": amount,
                "date": on,
                "journal_id": cls.company_data["default_journal_bank"].id,
            }
        )
        payment.action_post()
        return payment

    def engine_in(self, company):
        """The engine as the follow-up user working in ``company``."""
        return self.engine.with_user(self.user).with_context(allowed_company_ids=company.ids)

    def aging(self, companies):
        return get_ar_aging.function(self.tool_env(companies), as_of=TODAY, top=100)

    def aging_by_partner(self, company):
        return {row["partner_id"]: aging_overdue(row) for row in self.aging(company)["partners"]}


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupTotalsAreTheAgingsOverdue(FollowupRoutes, NettingBooks, HttpCase):
    login = "fu_companies"

    def test_the_books_hold_what_the_case_says(self):
        self.assertTrue(self.payment.move_id, "the payment is booked on the receivable")
        self.assertFalse(self.share.line_ids.filtered("debit").date_maturity, "the entry has no due date")
        self.assertEqual(
            self.aging_by_partner(self.company_a),
            {
                self.partner_a.id: Decimal("70.00"),
                self.partner_b.id: Decimal("250.00"),
                self.credit_only.id: Decimal("-25.00"),
                self.payer.id: Decimal("400.00"),
                self.covered.id: Decimal("-50.00"),
                self.paid_today.id: Decimal("200.00"),  # today's payment is current: it lowers no overdue
            },
        )

    def test_the_header_is_get_ar_aging_overdue_for_the_same_companies(self):
        for label, companies, expected in (
            ("A", self.company_a, "845.00"),
            ("B", self.company_b, "660.00"),
            ("A and B", self.company_a | self.company_b, "1505.00"),
        ):
            with self.subTest(selection=label):
                page = self.rpc("list_overdue", company_ids=companies.ids)
                self.assertEqual(Decimal(page["total_overdue"]), aging_overdue(self.aging(companies)["totals"]))
                self.assertEqual(page["total_overdue"], expected)
                for section, company in zip(page["sections"], companies, strict=True):
                    self.assertEqual(
                        Decimal(section["total_overdue"]), aging_overdue(self.aging(company)["totals"]), company.name
                    )
        # The credit-only and covered customers are listed nowhere (nothing overdue); their credits lower the totals.
        page = self.rpc("list_overdue", company_ids=(self.company_a | self.company_b).ids)
        listed = {row["partner_id"] for section in page["sections"] for row in section["rows"]}
        self.assertFalse({self.credit_only.id, self.covered.id} & listed)
        self.assertEqual(page["total"], 5, "A: partner_a, partner_b, the payer, the paid-today customer; B: partner_a")

    def test_a_customer_paid_today_is_listed_overdue_but_not_due_a_follow_up(self):
        section = self.rpc("list_overdue", company_ids=self.company_a.ids)["sections"][0]
        row = next(row for row in section["rows"] if row["partner_id"] == self.paid_today.id)
        self.assertEqual((row["total_overdue"], row["status"], row["can_send"]), ("200.00", "overdue", False))
        detail = self.rpc("get_partner", partner_id=self.paid_today.id, company_id=self.company_a.id)
        self.assertEqual(detail["next_send"]["skip_reason"], CREDITS_COVER)

    def test_each_card_and_detail_is_the_customers_aging_overdue(self):
        for company in (self.company_a, self.company_b):
            aging = self.aging_by_partner(company)
            section = self.rpc("list_overdue", company_ids=company.ids)["sections"][0]
            for row in section["rows"]:
                with self.subTest(company=company.name, partner=row["name"]):
                    self.assertEqual(Decimal(row["total_overdue"]), aging[row["partner_id"]])
                    detail = self.rpc("get_partner", partner_id=row["partner_id"], company_id=company.id)
                    self.assertEqual(Decimal(detail["total_overdue"]), aging[row["partner_id"]])
        b_card = self.rpc("list_overdue", company_ids=self.company_b.ids)["sections"][0]["rows"][0]
        self.assertEqual(b_card["total_overdue"], "700.00", "a credit note not due yet lowers no overdue")

    def test_the_overdue_customers_list_amount_is_net(self):
        partner = self.env["res.partner"].with_user(self.user).with_context(allowed_company_ids=self.company_a.ids)
        self.assertEqual(partner.browse(self.partner_a.id).fusion_followup_amount_overdue, 70.0)
        self.assertEqual(partner.browse(self.partner_b.id).fusion_followup_amount_overdue, 250.0)
        self.assertFalse(partner.search([("id", "=", self.credit_only.id), ("fusion_followup_overdue", "=", True)]))


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupLettersListTheCredits(NettingBooks):
    def money(self, amount):
        return format_amount(self.env, amount, self.company_a.currency_id)

    def test_the_email_lists_the_credit_note_and_its_total_adds_up(self):
        preview = self.engine_in(self.company_a).preview_send(self.partner_a)
        self.assertTrue(preview["can_send"], preview["reason"])
        body = preview["body_html"]
        self.assertIn(self.refund_a.name, body)
        self.assertIn(self.money(-30.0), body)
        self.assertIn("Total overdue", body)
        self.assertIn(self.money(70.0), body)

    def test_the_unapplied_payment_is_a_line_of_the_email(self):
        body = self.engine_in(self.company_a).preview_send(self.partner_b)["body_html"]
        self.assertIn(self.payment.move_id.name, body)
        self.assertIn(self.money(-50.0), body)
        self.assertIn(self.money(250.0), body)

    def test_an_entry_without_due_date_is_listed_due_from_its_date(self):
        body = self.engine_in(self.company_a).preview_send(self.payer)["body_html"]
        self.assertIn(self.share.name, body)
        self.assertIn(format_date(self.env, self.share.date), body)

    def test_the_letter_rows_add_up_to_its_total(self):
        invoice = self.env["account.move"].search(
            [
                ("partner_id", "=", self.partner_a.id),
                ("company_id", "=", self.company_a.id),
                ("move_type", "=", "out_invoice"),
            ]
        )
        letter = self.engine_in(self.company_a)._letter(self.partner_a)
        # Oldest due first: the credit note fell due 20 days ago, the invoice 10.
        self.assertEqual(
            [(row["reference"], row["amount"]) for row in letter["rows"]],
            [(self.refund_a.name, -30.0), (invoice.name, 100.0)],
        )
        self.assertEqual(letter["total"], 70.0)

    def test_the_letter_dates_an_entry_without_due_date_by_its_date(self):
        letter = self.engine_in(self.company_a)._letter(self.payer)
        self.assertEqual(
            [(row["reference"], row["date_maturity"], row["days_late"]) for row in letter["rows"]],
            [(self.share.name, self.share.date, 12)],
        )
        self.assertEqual(letter["total"], 400.0)

    def test_the_mail_composer_lists_what_a_send_lists(self):
        # Rendered outside a send (no lines in the context), the template plans the customer itself.
        template = self.reminder.mail_template_id.with_company(self.company_a)
        body = str(template._render_field("body_html", self.partner_a.ids, compute_lang=True)[self.partner_a.id])
        self.assertIn(self.refund_a.name, body)
        self.assertIn(self.money(-30.0), body)
        self.assertIn(self.money(70.0), body)

    def test_the_offline_text_states_the_net_total(self):
        engine = self.engine_in(self.company_a)
        planned = engine._plan(self.partner_a)
        request = engine._text_request(self.partner_a, planned.level, planned.overdue, "gentle")
        self.assertEqual(request.total_overdue, Decimal("70.00"))
        self.assertEqual([item.amount for item in request.items], [Decimal("-30.00"), Decimal("100.00")])
        self.assertEqual(planned.plan.level.id, self.reminder.id, "the credit chose no level: 10 days late")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupCreditsStopTheChase(NettingBooks):
    """A customer whose credits cover what it owes gets no follow-up: not from a person, not from the scan."""

    def test_the_send_confirmation_says_the_credits_cover_it(self):
        for customer in (self.covered, self.paid_today):
            with self.subTest(customer=customer.name):
                preview = self.engine_in(self.company_a).preview_send(customer)
                self.assertEqual((preview["can_send"], preview["reason"]), (False, CREDITS_COVER))
                self.assertNotIn("body_html", preview, "no draft of a letter asking for nothing")

    def test_a_forced_send_is_refused_and_recorded_as_skipped(self):
        run = self.engine_in(self.company_a).send_followup_email(self.covered, force=True)
        self.assertRun(run, "skipped")
        self.assertEqual(run.skip_reason, CREDITS_COVER)
        self.assertFalse(self.followup_mails(self.covered))

    def test_the_scan_chases_the_others_for_their_net_and_leaves_the_covered_alone(self):
        self.env["fusion.followup.cron"]._cron_daily_scan()
        self.assertFalse(self.followup_mails(self.covered) | self.followup_mails(self.paid_today))
        self.assertPartnerFollowup(self.covered, "no_action")  # 50 in credit overdue
        self.assertPartnerFollowup(self.paid_today, "overdue")  # the aging's 200 overdue, nothing owed
        mail = self.followup_mails(self.partner_a).filtered(lambda m: self.refund_a.name in m.body_html)
        self.assertEqual(len(mail), 1, "company A's e-mail to partner_a lists its credit note")
        self.assertIn(format_amount(self.env, 70.0, self.company_a.currency_id), mail.body_html)
        run = self.env["fusion.followup.run"].search([("mail_id", "=", mail.id)])
        self.assertEqual(run.amount_overdue, 70.0)
