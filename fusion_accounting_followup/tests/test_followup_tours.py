"""The follow-up dashboard in headless Chromium: the tours of the follow-up document, the first-contact
rule and the send confirmation."""

from odoo.tests import tagged

from .common import FollowupTourCommon

CUSTOMER = "Fusion Tour Customer"
NOT_DUE = "Fusion Tour Early Customer"


@tagged("post_install", "-at_install")
class TestFollowupTours(FollowupTourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": CUSTOMER, "email": "tour.customer@example.com"})
        # 45 days late: in the 31-60 bucket, past the 7 and 30 day levels of the default ladder.
        cls.overdue_invoice(cls.customer, 800.0, 45)
        cls.early = cls.env["res.partner"].create({"name": NOT_DUE, "email": "early@example.com"})
        cls.overdue_invoice(cls.early, 90.0, 3)

    def _tour(self, name):
        self.start_tour("/odoo/fusion-followups", name, login="admin")

    def test_dashboard_lists_the_overdue_customer(self):
        self._tour("fusion_followup_dashboard_list")

    def test_partner_detail(self):
        self._tour("fusion_followup_partner_detail")

    def test_ai_text_falls_back_to_the_template_offline(self):
        self._tour("fusion_followup_ai_text")

    def test_send_shows_recipients_level_and_text_then_sends_what_was_confirmed(self):
        self._tour("fusion_followup_send")
        runs = self.env["fusion.followup.run"].search([("partner_id", "=", self.customer.id)], order="id")
        self.assertEqual(runs.mapped("state"), ["sent", "sent"])
        self.assertEqual(runs[0].subject, "Your account with us, checked")
        self.assertEqual(runs[0].mail_id.subject, "Your account with us, checked")
        self.assertEqual(runs[0].level_id.delay_days, 7, "never reminded: the first level, not the one due by days")
        self.assertEqual(runs.mapped("trigger"), ["manual", "escalation"])
        logged = self.env["fusion.accounting.match.history"].search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "human")], order="id"
        )
        self.assertEqual(logged.mapped("tool_name"), ["followup_send_due", "followup_escalate"])

    def test_a_level_without_email_confirms_its_channels_and_sends_without_a_subject(self):
        ladder, records = self.env["fusion.followup.level"]._ladder(self.company_data["company"])
        reminder = records[ladder.levels[0].id]  # never reminded: the first level goes
        collector = self.env["res.users"].create({"name": "Tour Collector", "login": "tour_collector"})
        reminder.write({"fusion_send_email": False, "fusion_channel_letter": True, "fusion_channel_activity": True})
        self.customer.user_id = collector
        self._tour("fusion_followup_send_without_email")
        run = self.env["fusion.followup.run"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((run.state, run.level_id, run.mail_id), ("sent", reminder, self.env["mail.mail"]))
        self.assertEqual((run.fusion_letter_state, run.fusion_activity_id.user_id), ("to_print", collector))
        self.assertFalse(run.subject, "no e-mail: no subject was sent")

    def test_first_contact_is_the_first_level_and_nothing_due_disables_send(self):
        self._tour("fusion_followup_first_contact")
        sent = self.env["fusion.followup.run"].search([("partner_id", "in", (self.customer | self.early).ids)])
        self.assertFalse(sent, "a cancelled confirmation and a disabled button send nothing")

    def test_pause_then_reset(self):
        self._tour("fusion_followup_pause_reset")
        self.assertNotEqual(self.customer.fusion_followup_status, "paused")
