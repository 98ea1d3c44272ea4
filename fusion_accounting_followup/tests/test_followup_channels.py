"""A level's channels beside the e-mail: SMS through Odoo's SMS app, the printed letter, activities, the statement."""

import io
import re
from unittest.mock import patch

from freezegun import freeze_time
from pypdf import PdfReader

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.fusion_accounting_core.tools.modules import module_installed
from odoo.addons.sms.tests.common import MockSMS

from .common import TODAY, FollowupCommon

LETTER = "fusion_accounting_followup.action_report_followup_letter"
STYLES = re.compile(r"<link[^>]*stylesheet[^>]*>|<style\b.*?</style>", re.IGNORECASE | re.DOTALL)


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
    def letter_pdf(self, partners):
        """The text of each page of the letters of ``partners`` printed as one real PDF (wkhtmltopdf), via pypdf.

        The PDF is Odoo's own print of the report's pages, with one change: without their style sheets.
        A wkhtmltopdf on an unpatched Qt (Debian's) draws the report's web fonts (Lato) as outlines, so a
        PDF of them carries no text to read back; unstyled, the text is set in a system font, embedded as
        text.  That Qt also ignores ``--header-html``: the letterhead is checked on the HTML (test below).
        """
        Report = type(self.env["ir.actions.report"])
        print_pdf = Report._run_wkhtmltopdf

        def in_a_system_font(report, bodies, **kwargs):
            return print_pdf(report, [STYLES.sub("", body) for body in bodies], **kwargs)

        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        with patch.object(Report, "_run_wkhtmltopdf", in_a_system_font):
            content, kind = report._render_qweb_pdf(LETTER, partners.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        return [_flat(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]

    def test_the_letter_pdf_lists_the_chased_invoices_days_late_and_total_not_the_disputed_one(self):
        self.reminder.sudo().fusion_channel_letter = True
        first = self.invoice(self.partner_a, 1200, 10)
        second = self.invoice(self.partner_a, 300, 12)
        disputed = self.invoice(self.partner_a, 999, 11)
        self.engine.record_dispute(disputed.id, "Damaged goods")
        self.scan()
        run = self.run_of(self.partner_a)
        self.assertEqual(run.fusion_letter_state, "to_print")
        (page,) = self.letter_pdf(self.partner_a)
        self.assertIn(first.name, page)
        self.assertIn(second.name, page)
        self.assertNotIn(disputed.name, page)
        self.assertIn("1,500.00", page)  # the total overdue, without the disputed 999
        self.assertRegex(page, rf"{re.escape(first.name)}.*\b10\b.*1,200\.00")  # days late beside its amount
        self.assertRegex(page, rf"{re.escape(second.name)}.*\b12\b.*300\.00")
        self.assertNotIn("999.00", page)
        self.assertIn(self.reminder.name, page)
        (paragraph, *_rest) = self.engine._letter(self.partner_a)["paragraphs"]
        self.assertIn(_flat(paragraph)[:60], page, "the level's text")
        html = self.env["ir.actions.report"]._render_qweb_html(LETTER, self.partner_a.ids)[0].decode()
        self.assertIn(self.env.company.name, html)  # the letterhead (web.external_layout's header)

    def test_the_batch_wizard_prints_every_letter_as_one_pdf(self):
        self.reminder.sudo().fusion_channel_letter = True
        first = self.invoice(self.partner_a, 100, 10)
        second = self.invoice(self.partner_b, 200, 10)
        self.scan()
        partners = self.partner_a | self.partner_b
        wizard = (
            self.env["fusion.batch.followup.wizard"]
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({})
        )
        action = wizard.action_print_letters()
        self.assertEqual(action["report_name"], "fusion_accounting_followup.report_followup_letter")
        self.assertEqual(sorted(action["context"]["active_ids"]), sorted(partners.ids))
        runs = self.env["fusion.followup.run"].search([("partner_id", "in", partners.ids)])
        self.assertEqual(set(runs.mapped("fusion_letter_state")), {"printed"})
        # What the download route prints for the action's records: one PDF, a page per customer, in order.
        pages = self.letter_pdf(self.env["res.partner"].browse(action["context"]["active_ids"]))
        self.assertEqual(len(pages), 2)
        by_invoice = {first.name: "100.00", second.name: "200.00"}
        for page, partner, invoice in zip(pages, partners, (first, second), strict=True):
            self.assertIn(partner.name, page)
            self.assertIn(invoice.name, page)
            self.assertIn(by_invoice[invoice.name], page)
            self.assertNotIn(((first | second) - invoice).name, page)

    def test_printing_more_letters_or_statements_costs_no_more_queries(self):
        """The documents of a batch are read together: 2 and 6 partners cost the same number of queries."""
        self.reminder.sudo().fusion_channel_letter = True
        partners = self.partner_a | self.partner_b
        partners |= self.env["res.partner"].create(
            [{"name": f"Letter customer {n}", "email": f"letter{n}@example.com"} for n in range(4)]
        )
        for partner in partners:
            self.invoice(partner, 100, 10)
            self.invoice(partner, 50, 40)
        self.pay(self.invoice(self.partner_a, 10, 5), TODAY)  # a payment for a statement to list

        for document, key in (("report_followup_letter", "letters"), ("report_followup_statement", "statements")):
            report = self.env[f"report.fusion_accounting_followup.{document}"]

            def queries(batch, report=report, key=key):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                values = report._get_report_values(batch.ids)
                self.assertEqual(len(values[key]), len(batch))
                return self.env.cr.sql_log_count - before

            queries(partners)  # warm the caches that do not depend on the batch (templates, translations)
            with self.subTest(document=document):
                self.assertEqual(queries(partners[:2]), queries(partners))

    def test_the_letter_links_each_invoice_to_the_portal_when_online_payment_is_installed(self):
        if not module_installed(self.env, "account_payment"):
            self.skipTest("account_payment is not installed in this database")
        invoice = self.invoice(self.partner_a, 100, 10)
        letter = self.engine._letter(self.partner_a)
        (row,) = letter["rows"]
        self.assertIn(f"/my/invoices/{invoice.id}", row["pay_link"])
        self.assertIn("access_token=", row["pay_link"])

    # ------------------------------------------------------------------ the e-mail switch
    def test_a_level_without_email_prints_its_letter_and_schedules_its_call_but_mails_nobody(self):
        self.reminder.sudo().write(
            {"fusion_send_email": False, "fusion_channel_letter": True, "fusion_channel_activity": True}
        )
        self.partner_a.user_id = self.salesperson
        self.partner_b.write({"email": False, "user_id": self.salesperson.id})  # no address: no e-mail needed
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 100, 10)
        self.scan()
        for partner in self.partner_a | self.partner_b:
            run = self.run_of(partner)
            self.assertRun(run, "sent", self.reminder)
            self.assertFalse(run.mail_id, partner.name)
            self.assertEqual(run.fusion_letter_state, "to_print")
            self.assertEqual(run.fusion_activity_id.user_id, self.salesperson)
            # (the call notifies the salesperson by e-mail: none goes to the customer)
            self.assertFalse(self.followup_mails(partner).filtered(lambda mail, p=partner: p in mail.recipient_ids))
            # With no e-mail in the chatter, a note says which level went.
            notes = partner.message_ids.filtered(lambda message: message.message_type == "notification")
            self.assertIn(f"Follow-up {self.reminder.name} sent.", notes.mapped("body")[0])
        self.assertLinesAtLevel(
            self.env["account.move"].search([("partner_id", "=", self.partner_b.id)]), self.reminder
        )

    def test_a_manual_send_of_a_letter_only_level_previews_no_recipient(self):
        self.reminder.sudo().write({"fusion_send_email": False, "fusion_channel_letter": True})
        self.invoice(self.partner_a, 100, 10)
        preview = self.engine.preview_send(self.partner_a)
        self.assertEqual((preview["can_send"], preview["email"], preview["recipients"]), (True, False, []))
        self.assertEqual(preview["channels"], ["Letter"])
        self.assertNotIn("subject", preview, "no e-mail is drafted")
        run = self.engine.send_followup_email(self.partner_a)
        self.assertRun(run, "sent", self.reminder)
        self.assertEqual((run.mail_id, run.fusion_letter_state), (self.env["mail.mail"], "to_print"))

    def test_the_preview_of_an_email_level_names_its_recipient_and_channels(self):
        self.reminder.sudo().write({"fusion_channel_letter": True, "fusion_attach_statement": True})
        self.invoice(self.partner_a, 100, 10)
        preview = self.engine.preview_send(self.partner_a)
        self.assertEqual(preview["recipients"], [self.partner_a.email_formatted])
        self.assertEqual(preview["channels"], ["E-mail", "Letter", "Statement"])
        self.assertTrue(preview["subject"])

    def test_a_level_with_no_channel_is_refused(self):
        for values in (
            {"fusion_send_email": False},
            {"fusion_send_email": False, "fusion_attach_statement": True},  # a statement rides on the e-mail
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, "at least one"),
                self.env.cr.savepoint(),
            ):
                self.reminder.sudo().write(values)
        self.assertTrue(self.reminder.fusion_send_email)
        if module_installed(self.env, "sms"):  # SMS alone is a channel where the SMS app is installed
            self.reminder.sudo().write({"fusion_send_email": False, "fusion_channel_sms": True})
            self.assertFalse(self.reminder._spec().channels.email)

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
