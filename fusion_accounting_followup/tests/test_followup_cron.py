from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY, FollowupCommon

CRON_LOGGER = "odoo.addons.fusion_accounting_followup.models.followup_cron"
SCAN_LOGGER = "odoo.addons.fusion_accounting_followup.models.followup_scan"


class WorkerKilled(BaseException):
    """Stands for the worker dying mid-partner: not an Exception, so nothing may swallow it."""


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupCron(FollowupCommon):
    def scan(self):
        self.env["fusion.followup.cron"]._cron_daily_scan()

    def test_daily_scan_sends_what_is_due_and_a_rerun_sends_nothing(self):
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 100, 3)  # not old enough for the first level
        self.scan()
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)
        self.assertFalse(self.followup_mails(self.partner_b))
        self.assertPartnerFollowup(self.partner_a, "overdue", self.reminder)
        self.scan()
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)

    def test_the_scan_climbs_the_ladder_as_invoices_age(self):
        self.invoice(self.partner_a, 100, 10)
        self.scan()
        with freeze_time("2025-07-20"):  # 30 days overdue
            self.scan()
        runs = self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_a.id)])
        self.assertEqual(runs.filtered(lambda run: run.state == "sent").level_id, self.reminder | self.warning)
        self.assertEqual(len(self.followup_mails(self.partner_a)), 2)

    def scan_dying_on(self, partner):
        """Run the scan with the worker dying while it builds ``partner``'s email; True when it died."""
        engine_cls = type(self.env["fusion.followup.engine"])
        mail_values = engine_cls._mail_values

        def dies(engine, recipient, subject, body):
            if recipient == partner:
                raise WorkerKilled
            return mail_values(engine, recipient, subject, body)

        # Not assertRaises: Odoo's rolls the database back to before the block, and the point
        # here is what the dead worker left behind.
        with patch.object(engine_cls, "_mail_values", dies):
            try:
                self.scan()
            except WorkerKilled:
                return True
        return False

    def test_rerun_after_a_crash_sends_no_email_twice(self):
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 100, 10)
        with patch.object(type(self.env["fusion.followup.cron"]), "_scan_batch_size", 1):
            self.assertTrue(self.scan_dying_on(self.partner_b), "the worker should have died on partner b")
        # Partner a's batch was done (committed, in production) before the worker died.
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)
        self.assertFalse(self.followup_mails(self.partner_b))
        self.scan()  # the rerun
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)
        self.assertEqual(len(self.followup_mails(self.partner_b)), 1)

    def test_a_crash_inside_a_batch_leaves_nothing_of_that_batch(self):
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 100, 10)
        self.assertTrue(self.scan_dying_on(self.partner_b), "the worker should have died on partner b")
        self.assertFalse(self.followup_mails(self.partner_a) | self.followup_mails(self.partner_b))
        partners = self.partner_a | self.partner_b
        self.assertFalse(self.env["fusion.followup.run"].search([("partner_id", "in", partners.ids)]))
        self.scan()  # the rerun
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)
        self.assertEqual(len(self.followup_mails(self.partner_b)), 1)

    def test_the_idempotency_key_holds_even_if_item_stamps_were_lost(self):
        invoice = self.invoice(self.partner_a, 100, 10)
        self.scan()
        lines = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        lines.sudo().write({"fusion_followup_level_id": False})
        self.scan()
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)

    @mute_logger(SCAN_LOGGER)
    def test_one_failing_partner_is_recorded_and_the_scan_goes_on(self):
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 100, 10)
        engine_cls = type(self.env["fusion.followup.engine"])
        plan = engine_cls._scan_plan

        def breaks_on_a(engine, partner, *args):
            if partner == self.partner_a:
                raise ZeroDivisionError("bad data on partner a")
            return plan(engine, partner, *args)

        with patch.object(engine_cls, "_scan_plan", breaks_on_a):
            self.scan()
        failed = self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_a.id)])
        self.assertRun(failed, "failed")
        self.assertIn("bad data on partner a", failed.error)
        self.assertIn("bad data on partner a", self.partner_a.message_ids[:1].body)
        self.assertEqual(len(self.followup_mails(self.partner_b)), 1)

    @mute_logger(CRON_LOGGER)
    def test_a_failing_batch_is_retried_partner_by_partner(self):
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 100, 10)
        engine_cls = type(self.env["fusion.followup.engine"])
        send = engine_cls._send

        def breaks_on_a(engine, partner, *args, **kwargs):
            if partner == self.partner_a:
                raise ZeroDivisionError("bad data on partner a")
            return send(engine, partner, *args, **kwargs)

        with (
            patch.object(engine_cls, "_send_planned", side_effect=RuntimeError("batch write failed"), autospec=True),
            patch.object(engine_cls, "_send", breaks_on_a),
        ):
            self.scan()
        failed = self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_a.id)])
        self.assertRun(failed, "failed")
        self.assertIn("bad data on partner a", failed.error)
        self.assertEqual(len(self.followup_mails(self.partner_b)), 1)
        self.assertPartnerFollowup(self.partner_b, "overdue", self.reminder)

    def test_the_scan_records_each_send_and_leaves_a_chatter_note(self):
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 100, 40)
        self.scan()
        # Partner b is due the Warning by days, but a first contact is the first reminder (services/followup_plan.py).
        for partner, level in ((self.partner_a, self.reminder), (self.partner_b, self.reminder)):
            run = self.env["fusion.followup.run"].search([("partner_id", "=", partner.id)])
            self.assertRun(run, "sent", level, source="template")
            self.assertEqual((run.trigger, run.amount_overdue), ("cron", 100))
            self.assertEqual(run.mail_id, self.followup_mails(partner))
            self.assertEqual(run.mail_id.subject, run.subject)
            self.assertIn(partner.name, run.mail_id.body_html)
            # The e-mail itself is the partner's chatter entry, once: no second note saying it was sent.
            self.assertEqual(partner.message_ids[:1], run.mail_id.mail_message_id)
            self.assertFalse(partner.message_ids.filtered(lambda message: "sent." in (message.body or "")))
            self.assertPartnerFollowup(partner, "overdue", level)
            self.assertTrue(partner.with_company(self.env.company).fusion_followup_risk_band)

    def test_each_scanned_email_is_what_its_template_renders_for_that_partner_alone(self):
        # Same due dates and amounts, two languages: the batch's memoized date and amount formats
        # and its one language pass must give each partner the email of a rendering on its own.
        self.env["res.lang"]._activate_lang("fr_CA")
        self.partner_b.lang = "fr_CA"
        for partner in (self.partner_a, self.partner_b):
            self.invoice(partner, 1234.5, 10)
            self.invoice(partner, 1234.5, 12)
        template = self.reminder.mail_template_id.sudo()
        alone = {
            partner: template._render_field("body_html", partner.ids, compute_lang=True)[partner.id]
            for partner in (self.partner_a, self.partner_b)
        }
        self.scan()
        for partner, body in alone.items():
            run = self.env["fusion.followup.run"].search([("partner_id", "=", partner.id)])
            self.assertRun(run, "sent", self.reminder, source="template")
            self.assertEqual(run.body, body)
            self.assertEqual(run.mail_id.body_html, body)
        self.assertNotEqual(
            alone[self.partner_a], alone[self.partner_b].replace(self.partner_b.name, self.partner_a.name)
        )

    def test_the_scan_never_calls_the_model(self):
        self.invoice(self.partner_a, 100, 10)
        calls = []
        engine_cls = type(self.env["fusion.followup.engine"])
        with patch.object(engine_cls, "_text_completer", lambda self: calls.append):
            self.scan()
        run = self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_a.id)])
        self.assertRun(run, "sent", self.reminder, source="template")
        self.assertIn("on demand", run.text_error)
        self.assertEqual(calls, [])

    def test_the_scan_reuses_ai_text_cached_for_the_same_prompt(self):
        self.invoice(self.partner_a, 100, 10)
        fake = lambda prompt: "Subject: Please pay\n\nDear Acme, please pay."  # noqa: E731
        engine_cls = type(self.env["fusion.followup.engine"])
        with patch.object(engine_cls, "_text_completer", lambda self: fake):
            self.engine.send_followup_email(self.partner_a, force=True)  # caches the AI text
        self.engine.reset_followup(self.partner_a)  # so that the scan sends the same level again
        self.scan()
        run = self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_a.id), ("trigger", "=", "cron")])
        self.assertRun(run, "sent", self.reminder, source="cache")
        self.assertEqual(run.subject, "Please pay")

    def test_a_partner_without_email_fails_alone(self):
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 100, 10)
        self.partner_a.email = False
        self.scan()
        failed = self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_a.id)])
        self.assertRun(failed, "failed", self.reminder)
        self.assertIn("no email address", failed.error)
        self.assertIn("no email address", self.partner_a.message_ids[:1].body)
        self.assertEqual(len(self.followup_mails(self.partner_b)), 1)

    def test_levels_needing_review_wait_for_a_person(self):
        self.reminder.sudo().requires_manual_review = True
        self.invoice(self.partner_a, 100, 10)
        self.scan()
        self.assertFalse(self.followup_mails(self.partner_a))
        self.assertPartnerFollowup(self.partner_a, "action_needed")

    def test_an_expired_pause_is_lifted_by_the_scan(self):
        self.invoice(self.partner_a, 100, 10)
        self.engine.pause_followup(self.partner_a, "2025-07-05")
        self.scan()
        self.assertFalse(self.followup_mails(self.partner_a))
        with freeze_time("2025-07-06"):
            self.scan()
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)
        self.assertPartnerFollowup(self.partner_a, "overdue", self.reminder)

    def test_a_paid_partner_is_cleared(self):
        invoice = self.invoice(self.partner_a, 100, 10)
        self.scan()
        self.pay(invoice, on=TODAY)
        self.scan()
        self.assertPartnerFollowup(self.partner_a, "no_action", self.reminder)

    def test_a_first_contact_is_the_reminder_and_the_ladder_climbs_a_rung_a_day(self):
        self.invoice(self.partner_a, 100, 70)  # past the Legal notice's 60 days, never reminded
        self.scan()
        self.assertPartnerFollowup(self.partner_a, "overdue", self.reminder)
        self.scan()  # the same day: nothing more
        with freeze_time("2025-07-01"):
            self.scan()
        runs = self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_a.id)], order="id")
        self.assertEqual(runs.mapped("state"), ["sent", "sent"])
        self.assertEqual(runs.level_id, self.reminder | self.warning)
