from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TODAY, FollowupCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupEngine(FollowupCommon):
    def test_overdue_summary_ages_every_open_item(self):
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_a, 200, 45)
        self.invoice(self.partner_a, 50, -5)  # not due yet
        overdue = self.engine.get_overdue_for_partner(self.partner_a)
        self.assertEqual(str(overdue.total_due), "350.00")
        self.assertEqual(str(overdue.total_overdue), "300.00")
        self.assertEqual(overdue.max_days_overdue, 45)
        self.assertEqual(
            {k: str(v) for k, v in overdue.aging.amounts.items() if v},
            {"current": "50.00", "1-30": "100.00", "31-60": "200.00"},
        )

    def test_level_is_resolved_from_the_oldest_item_that_needs_it(self):
        self.invoice(self.partner_a, 100, 10)
        decision = self.engine.compute_followup_level(self.partner_a)
        self.assertEqual(decision.level.id, self.reminder.id)
        self.assertTrue(decision.needs_action)
        self.invoice(self.partner_a, 100, 31)
        self.assertEqual(self.engine.compute_followup_level(self.partner_a).level.id, self.warning.id)

    def test_send_queues_one_email_stamps_the_items_and_is_not_repeated(self):
        invoice = self.invoice(self.partner_a, 100, 10)
        run = self.engine.send_followup_email(self.partner_a)
        self.assertRun(run, "sent", self.reminder, source="template")
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)
        self.assertIn(invoice.name, self.followup_mails(self.partner_a).body_html)
        self.assertLinesAtLevel(invoice, self.reminder)
        self.assertPartnerFollowup(self.partner_a, "overdue", self.reminder)
        again = self.engine.send_followup_email(self.partner_a)
        self.assertRun(again, "skipped")
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)

    def test_a_run_keeps_the_email_as_queued_and_shows_it_sanitized(self):
        self.invoice(self.partner_a, 100, 10)
        run = self.engine.send_followup_email(self.partner_a)
        self.assertEqual(run.body, run.mail_id.body_html)
        hostile = '<p>Pay now</p><img src="x" onerror="alert(1)"><script>alert(2)</script>'
        run.sudo().body = hostile
        self.assertEqual(run.body, hostile)
        self.assertIn("Pay now", run.body_display)
        self.assertNotIn("onerror", run.body_display)
        self.assertNotIn("<script", run.body_display)

    def test_no_followup_items_never_trigger_a_level(self):
        invoice = self.invoice(self.partner_a, 100, 40)
        invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable").no_followup = True
        self.assertFalse(self.engine.compute_followup_level(self.partner_a).level)
        self.assertRun(self.engine.send_followup_email(self.partner_a), "skipped")
        self.assertRun(self.engine.send_followup_email(self.partner_a, force=True), "skipped")

    def test_force_sends_again_and_a_level_can_be_chosen(self):
        self.invoice(self.partner_a, 100, 10)
        self.engine.send_followup_email(self.partner_a)
        run = self.engine.send_followup_email(self.partner_a, level=self.warning, force=True)
        self.assertRun(run, "sent", self.warning)
        self.assertTrue(run.forced)
        self.assertEqual(len(self.followup_mails(self.partner_a)), 2)

    def test_escalate_climbs_one_level_and_stops_at_the_top(self):
        self.invoice(self.partner_a, 100, 10)
        self.assertRun(self.engine.escalate_to_next_level(self.partner_a), "sent", self.reminder)
        self.assertRun(self.engine.escalate_to_next_level(self.partner_a), "sent", self.warning)
        self.assertRun(self.engine.escalate_to_next_level(self.partner_a), "sent", self.legal)
        with self.assertRaises(UserError):
            self.engine.escalate_to_next_level(self.partner_a)

    def test_pause_blocks_scheduled_sends_until_the_date_and_reset_clears_everything(self):
        invoice = self.invoice(self.partner_a, 100, 10)
        self.engine.pause_followup(self.partner_a, "2025-07-15")
        self.assertPartnerFollowup(self.partner_a, "paused", paused_until=TODAY.replace(month=7, day=15))
        self.assertRun(self.engine.send_followup_email(self.partner_a), "skipped")
        self.engine.send_followup_email(self.partner_a, force=True)
        self.engine.reset_followup(self.partner_a)
        self.assertLinesAtLevel(invoice, self.env["fusion.followup.level"])
        self.assertPartnerFollowup(self.partner_a, "action_needed")

    def test_missing_email_is_a_failed_run_with_its_error_and_can_be_retried(self):
        self.invoice(self.partner_a, 100, 10)
        self.partner_a.email = False
        run = self.engine.send_followup_email(self.partner_a)
        self.assertRun(run, "failed", self.reminder)
        self.assertIn("no email address", run.error)
        self.assertFalse(self.followup_mails(self.partner_a))
        self.partner_a.email = "a@example.com"
        run.action_retry()
        self.assertRun(run.retry_run_id, "sent", self.reminder)
        self.assertEqual(run.retry_run_id.trigger, "retry")

    def test_a_mail_that_bounces_at_delivery_marks_its_run_failed(self):
        self.invoice(self.partner_a, 100, 10)
        run = self.engine.send_followup_email(self.partner_a)
        run.mail_id.write({"state": "exception", "failure_reason": "550 mailbox unavailable"})
        run.mail_id._postprocess_sent_message(success_pids=[], success_emails=[], failure_type="mail_smtp")
        self.assertRun(run, "failed")
        self.assertIn("550", run.error)

    def test_history_lists_runs_newest_first(self):
        self.invoice(self.partner_a, 100, 10)
        self.engine.send_followup_email(self.partner_a)
        self.engine.send_followup_email(self.partner_a)
        history = self.engine.snapshot_followup_history(self.partner_a, limit=1)
        self.assertEqual([entry["state"] for entry in history], ["skipped"])
        self.assertEqual(len(self.engine.snapshot_followup_history(self.partner_a)), 2)

    def test_text_source_is_explicit_template_offline_and_ai_with_a_model(self):
        self.invoice(self.partner_a, 100, 10)
        self.assertEqual(self.engine.generate_followup_text(self.partner_a)["source"], "template")
        fake = lambda prompt: "Subject: Please pay\n\nDear Acme, please pay."  # noqa: E731
        engine_cls = type(self.engine)
        from unittest.mock import patch

        with patch.object(engine_cls, "_text_completer", lambda self: fake):
            first = self.engine.send_followup_email(self.partner_a)
            self.assertRun(first, "sent", self.reminder, source="ai")
            self.assertEqual(first.subject, "Please pay")
            second = self.engine.send_followup_email(self.partner_a, force=True)
            self.assertRun(second, "sent", self.reminder, source="cache")

    def test_partner_language_picks_the_translated_template(self):
        self.env["res.lang"]._activate_lang("fr_CA")
        self.invoice(self.partner_a, 100, 10)
        self.partner_a.lang = "fr_CA"
        self.reminder.sudo().mail_template_id = False  # the offline pure template, which speaks French
        text = self.engine.generate_followup_text(self.partner_a)
        self.assertEqual(text["source"], "template")
        self.assertTrue(text["subject"].startswith("Rappel"), text["subject"])

    def test_risk_counts_late_payments_from_reconciliations(self):
        late = self.invoice(self.partner_a, 100, 90)
        on_time = self.invoice(self.partner_a, 100, 80)
        partial = self.invoice(self.partner_a, 100, 70)
        self.pay(late, on=TODAY.replace(month=5, day=1))  # 30 days after its due date (April 1)
        self.pay(on_time, on=late.invoice_date_due)  # before its due date
        self.pay(partial, on=TODAY.replace(month=5, day=1), amount=40)  # partial: not paid yet
        self.pay(partial, on=TODAY.replace(month=5, day=11), amount=60)  # fully paid 20 days late
        history = self.env["fusion.followup.ledger"]._payment_history(TODAY, [self.partner_a.id])
        paid, paid_late, avg_late = history[self.partner_a.id]
        self.assertEqual((paid, paid_late), (3, 2))
        expected = (
            (TODAY.replace(month=5, day=1) - late.invoice_date_due).days
            + (TODAY.replace(month=5, day=11) - partial.invoice_date_due).days
        ) / 3
        self.assertAlmostEqual(avg_late, expected)
        risk = self.engine.get_partner_risk(self.partner_a)
        drivers = {driver.name: driver for driver in risk.drivers}
        self.assertAlmostEqual(drivers["paid_late_ratio"].value, round(2 / 3, 4))

    def test_weekly_refresh_scores_partners_with_open_items(self):
        self.invoice(self.partner_a, 1000, 100)
        self.env["fusion.followup.cron"]._cron_weekly_risk_refresh()
        partner = self.partner_a.with_company(self.env.company)
        self.assertGreater(partner.fusion_followup_risk_score, 0)
        self.assertTrue(partner.fusion_followup_risk_band)

    def test_reads_need_followup_rights(self):
        user = self.env["res.users"].create(
            {"name": "Plain", "login": "plain_user", "group_ids": [(6, 0, [self.env.ref("base.group_user").id])]}
        )
        with self.assertRaises(AccessError):
            self.engine.with_user(user).get_overdue_for_partner(self.partner_a)

    def test_list_overdue_pages_and_totals(self):
        self.invoice(self.partner_a, 100, 10)
        self.invoice(self.partner_b, 300, 40)
        self.invoice(self.partner_b, 50, -3)
        page = self.engine.list_overdue(offset=0, limit=1)
        self.assertEqual(page["total"], 2)
        self.assertEqual(page["total_overdue"], "400.00")
        self.assertEqual([row["partner_id"] for row in page["rows"]], [self.partner_b.id])
        self.assertEqual(page["rows"][0]["aging"]["31-60"], "300.00")
        self.assertEqual(page["rows"][0]["aging"]["current"], "50.00")
        second = self.engine.list_overdue(offset=1, limit=1)
        self.assertEqual([row["partner_id"] for row in second["rows"]], [self.partner_a.id])
        self.assertEqual(self.engine.list_overdue(search="partner_a")["total"], 1)

    def test_a_send_reads_the_open_items_once(self):
        from unittest.mock import patch

        self.invoice(self.partner_a, 100, 10)
        ledger_cls = type(self.env["fusion.followup.ledger"])
        read = ledger_cls._open_items_by_partner
        with patch.object(ledger_cls, "_open_items_by_partner", autospec=True, side_effect=read) as reads:
            run = self.engine.send_followup_email(self.partner_a)
        self.assertRun(run, "sent", self.reminder)
        self.assertEqual(reads.call_count, 1)
