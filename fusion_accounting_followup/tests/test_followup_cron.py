from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY, FollowupCommon

CRON_LOGGER = "odoo.addons.fusion_accounting_followup.models.followup_cron"


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

    def test_rerun_after_a_crash_sends_no_email_twice(self):
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 100, 10)
        engine_cls = type(self.env["fusion.followup.engine"])
        queue_mail = engine_cls._queue_mail

        def dies_on_b(engine, partner, subject, body):
            if partner == self.partner_b:
                raise WorkerKilled
            return queue_mail(engine, partner, subject, body)

        # Not assertRaises: Odoo's rolls the database back to before the block, and the point
        # here is what the dead worker left behind.
        died = False
        with patch.object(engine_cls, "_queue_mail", dies_on_b):
            try:
                self.scan()
            except WorkerKilled:
                died = True
        self.assertTrue(died, "the worker should have died on partner b")
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)
        self.assertFalse(self.followup_mails(self.partner_b))
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

    @mute_logger(CRON_LOGGER)
    def test_one_failing_partner_is_recorded_and_the_scan_goes_on(self):
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 100, 10)
        engine_cls = type(self.env["fusion.followup.engine"])
        scheduled = engine_cls._scheduled_followup

        def breaks_on_a(engine, partner):
            if partner == self.partner_a:
                raise ZeroDivisionError("bad data on partner a")
            return scheduled(engine, partner)

        with patch.object(engine_cls, "_scheduled_followup", breaks_on_a):
            self.scan()
        failed = self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_a.id)])
        self.assertRun(failed, "failed")
        self.assertIn("bad data on partner a", failed.error)
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
