"""A level's channels beside the e-mail: SMS through Odoo's SMS app, the printed letter, activities, the statement."""

import io
import re

from freezegun import freeze_time
from pypdf import PdfReader

from odoo.tests import new_test_user, tagged

from odoo.addons.fusion_accounting_core.tools.modules import module_installed
from odoo.addons.sms.tests.common import MockSMS

from .common import TODAY, FollowupCommon

LETTER = "fusion_accounting_followup.action_report_followup_letter"


def _flat(text):
    return re.sub(r"\s+", " ", text)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupChannels(FollowupCommon, MockSMS):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(cls.env, login="fu_salesperson", groups="base.group_user")
        cls.collector = new_test_user(cls.env, login="fu_collector", groups="base.group_user")

    def scan(self):
        self.env["fusion.followup.cron"]._cron_daily_scan()

    def run_of(self, partner):
        return self.env["fusion.followup.run"].search([("partner_id", "=", partner.id)], limit=1)

    # ------------------------------------------------------------------ SMS
    def test_a_level_with_sms_texts_the_customer_through_odoo_sms(self):
        if not module_installed(self.env, "sms"):
            self.skipTest("the sms app is not installed in this database")
        self.reminder.sudo().fusion_channel_sms = True
        self.partner_a.phone = "+1 514 555 0101"
        invoice = self.invoice(self.partner_a, 250, 10)
        with self.mockSMSGateway():
            self.scan()
        run = self.run_of(self.partner_a)
        self.assertEqual((run.state, run.fusion_sms_state), ("sent", "queued"))
        sms = self.env["sms.sms"].search([("partner_id", "=", self.partner_a.id)])
        self.assertEqual(len(sms), 1)
        self.assertIn("250.00", sms.body)
        self.assertIn(invoice.name, sms.body)
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1, "the e-mail still goes out")

    def test_a_customer_without_a_phone_gets_the_email_and_the_run_says_so(self):
        if not module_installed(self.env, "sms"):
            self.skipTest("the sms app is not installed in this database")
        self.reminder.sudo().fusion_channel_sms = True
        self.partner_a.phone = False
        self.invoice(self.partner_a, 250, 10)
        with self.mockSMSGateway():
            self.scan()
        run = self.run_of(self.partner_a)
        self.assertEqual((run.state, run.fusion_sms_state), ("sent", "no_number"))
        self.assertFalse(self.env["sms.sms"].search([("partner_id", "=", self.partner_a.id)]))

    # ------------------------------------------------------------------ letter
    def letter_text(self, partners):
        """The letters' text, one string per partner, read back from the printed PDF.

        wkhtmltopdf prints one document per call in this environment (an unpatched Qt cannot merge several)
        and may embed fonts pypdf cannot read back: then the text is read from the HTML the PDF is printed
        from, after checking that the PDF itself was produced.
        """
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pages = []
        for partner in partners:
            content, kind = report._render_qweb_pdf(LETTER, partner.ids)
            self.assertEqual(kind, "pdf")
            reader = PdfReader(io.BytesIO(content))
            self.assertEqual(len(reader.pages), 1)
            text = _flat(reader.pages[0].extract_text())
            if not text.strip():
                html = self.env["ir.actions.report"]._render_qweb_html(LETTER, partner.ids)[0].decode()
                text = _flat(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("\xa0", " "))
            pages.append(text)
        return pages

    def test_the_letter_pdf_lists_the_chased_invoices_days_late_and_total_not_the_disputed_one(self):
        self.reminder.sudo().fusion_channel_letter = True
        first = self.invoice(self.partner_a, 1200, 10)
        second = self.invoice(self.partner_a, 300, 12)
        disputed = self.invoice(self.partner_a, 999, 11)
        self.engine.record_dispute(disputed.id, "Damaged goods")
        self.scan()
        run = self.run_of(self.partner_a)
        self.assertEqual(run.fusion_letter_state, "to_print")
        (page,) = self.letter_text(self.partner_a)
        self.assertIn(first.name, page)
        self.assertIn(second.name, page)
        self.assertNotIn(disputed.name, page)
        self.assertIn("1,500.00", page)  # the total overdue, without the disputed 999
        self.assertIn("1,200.00", page)
        self.assertRegex(page, r"\b12\b.*300\.00")  # days late beside its amount
        self.assertIn(self.reminder.name, page)
        self.assertIn(self.env.company.name, page)  # the letterhead
        self.assertNotIn("999.00", page)

    def test_the_batch_wizard_prints_every_letter_as_one_pdf(self):
        self.reminder.sudo().fusion_channel_letter = True
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 200, 10)
        self.scan()
        wizard = (
            self.env["fusion.batch.followup.wizard"]
            .with_context(active_model="res.partner", active_ids=(self.partner_a | self.partner_b).ids)
            .create({})
        )
        action = wizard.action_print_letters()
        self.assertEqual(action["report_name"], "fusion_accounting_followup.report_followup_letter")
        self.assertEqual(sorted(action["context"]["active_ids"]), sorted((self.partner_a | self.partner_b).ids))
        runs = self.env["fusion.followup.run"].search([("partner_id", "in", (self.partner_a | self.partner_b).ids)])
        self.assertEqual(set(runs.mapped("fusion_letter_state")), {"printed"})
        # The one document of the batch: a page per customer, in the order asked.
        html = self.env["ir.actions.report"]._render_qweb_html(LETTER, (self.partner_a | self.partner_b).ids)[0]
        text = _flat(re.sub(r"<[^>]+>", " ", html.decode()))
        self.assertEqual(text.count("Days Late"), 2)  # one table per letter
        self.assertLess(text.index(self.partner_a.name), text.index(self.partner_b.name))

    def test_the_letter_links_each_invoice_to_the_portal_when_online_payment_is_installed(self):
        if not module_installed(self.env, "account_payment"):
            self.skipTest("account_payment is not installed in this database")
        invoice = self.invoice(self.partner_a, 100, 10)
        letter = self.engine._letter(self.partner_a)
        (row,) = letter["rows"]
        self.assertIn(f"/my/invoices/{invoice.id}", row["pay_link"])
        self.assertIn("access_token=", row["pay_link"])

    # ------------------------------------------------------------------ activities
    def test_a_call_level_schedules_a_call_for_the_collector_else_the_salesperson(self):
        self.reminder.sudo().fusion_channel_activity = True
        self.partner_a.user_id = self.salesperson
        self.partner_b.user_id = self.salesperson
        self.partner_b.with_company(self.env.company).fusion_followup_collector_id = self.collector
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 100, 10)
        self.scan()
        call = self.env.ref("mail.mail_activity_data_call")
        for partner, user in ((self.partner_a, self.salesperson), (self.partner_b, self.collector)):
            activity = self.run_of(partner).fusion_activity_id
            self.assertEqual((activity.user_id, activity.activity_type_id), (user, call), partner.name)
            self.assertEqual((activity.res_model, activity.res_id), ("res.partner", partner.id))

    def test_a_level_that_needs_a_review_gets_a_person_a_todo_not_an_email(self):
        self.reminder.sudo().requires_manual_review = True
        self.reminder.sudo().fusion_activity_user_id = self.collector
        self.invoice(self.partner_a, 100, 10)
        self.scan()
        self.scan()  # the next day's scan must not pile up a second to-do
        sent = self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_a.id), ("state", "=", "sent")])
        self.assertFalse(sent, "nothing is sent to the customer")  # (the to-do notifies its assignee by e-mail)
        todos = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.partner_a.id)]
        )
        self.assertEqual((len(todos), todos.user_id), (1, self.collector))
        self.assertEqual(todos.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))

    # ------------------------------------------------------------------ statement
    def test_a_level_attaches_the_statement_to_its_email(self):
        self.reminder.sudo().fusion_attach_statement = True
        overdue = self.invoice(self.partner_a, 400, 10)
        upcoming = self.invoice(self.partner_a, 50, -5)
        disputed = self.invoice(self.partner_a, 70, 10)
        self.engine.record_dispute(disputed.id, "Price")
        self.assertRun(self.engine.send_followup_email(self.partner_a), "sent")
        (attachment,) = self.followup_mails(self.partner_a).attachment_ids
        # Test mode renders reports as HTML; the statement still lists every open item and the balance.
        text = _flat(attachment.raw.decode())
        self.assertIn(overdue.name, text)
        self.assertIn(upcoming.name, text)
        self.assertNotIn(disputed.name, text)
        self.assertIn("450.00", text)
