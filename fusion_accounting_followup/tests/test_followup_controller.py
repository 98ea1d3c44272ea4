from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged

from .common import TODAY, FollowupCommon, FollowupRoutes


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupController(FollowupRoutes, FollowupCommon, HttpCase):
    login = "followup_rpc"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice(cls.partner_a, 100, 10)
        cls.invoice(cls.partner_b, 300, 40)
        new_test_user(
            cls.env,
            login="followup_rpc",
            groups="base.group_user,fusion_accounting_core.group_fusion_manager",
            company_id=cls.env.company.id,
        ).company_ids = cls.env.company

    def test_list_overdue_pages_on_the_server(self):
        page = self.rpc("list_overdue", offset=0, limit=1, company_ids=self.env.company.ids)
        self.assertEqual((page["total"], page["total_overdue"]), (2, "400.00"))
        [section] = page["sections"]
        self.assertEqual((section["company_id"], section["total"], len(section["rows"])), (self.env.company.id, 2, 1))
        self.assertEqual(section["rows"][0]["partner_id"], self.partner_b.id)
        self.assertEqual(section["rows"][0]["aging"]["31-60"], "300.00")

    def test_get_partner_and_compute_level(self):
        data = self.rpc("get_partner", partner_id=self.partner_a.id)
        self.assertEqual(data["total_overdue"], "100.00")
        self.assertEqual(data["level"]["level_id"], self.reminder.id)
        self.assertIn("paid_late_ratio", [driver["name"] for driver in data["risk"]["drivers"]])
        self.assertEqual(self.rpc("compute_level", partner_id=self.partner_b.id)["level_id"], self.warning.id)

    def test_the_detail_shows_the_level_a_send_would_use_beside_the_level_by_days(self):
        data = self.rpc("get_partner", partner_id=self.partner_b.id)  # 40 days late, never reminded
        self.assertEqual(data["level"]["level"], self.warning.name)
        self.assertEqual(data["next_send"], {"level": self.reminder.name, "skip_reason": ""})
        self.rpc("send", partner_id=self.partner_b.id)
        again = self.rpc("get_partner", partner_id=self.partner_b.id)
        self.assertTrue(again["next_send"]["skip_reason"], "a second send the same day is refused, and says why")

    def test_send_history_escalate_pause_reset_round_trip(self):
        sent = self.rpc("send", partner_id=self.partner_a.id)
        self.assertEqual((sent["state"], sent["level_id"], sent["text_source"]), ("sent", self.reminder.id, "template"))
        question = self.rpc("escalate", partner_id=self.partner_a.id)
        self.assertEqual((question["confirm_required"], question["level_id"]), (True, self.warning.id))
        escalated = self.rpc("escalate", partner_id=self.partner_a.id, confirm=question["confirm"])
        self.assertEqual(escalated["level_id"], self.warning.id)
        history = self.rpc("history", partner_id=self.partner_a.id)
        self.assertEqual([entry["level_id"] for entry in history], [self.warning.id, self.reminder.id])
        self.assertEqual(self.rpc("pause", partner_id=self.partner_a.id)["status"], "paused")
        self.assertEqual(self.rpc("reset", partner_id=self.partner_a.id)["last_level_id"], None)

    def test_generate_text_says_where_the_text_came_from(self):
        text = self.rpc("generate_text", partner_id=self.partner_b.id)
        self.assertEqual(text["source"], "template")
        self.assertEqual(text["level_id"], self.reminder.id)  # b was never reminded: its first send is the reminder
        self.assertTrue(text["subject"])

    def test_send_first_shows_recipients_level_and_text_and_sends_nothing(self):
        preview = self.rpc("preview_send", partner_id=self.partner_b.id)  # 40 days late, never reminded
        self.assertTrue(preview["can_send"])
        self.assertEqual(preview["recipients"], [self.partner_b.email_formatted])
        self.assertEqual((preview["level_id"], preview["level_by_days"]), (self.reminder.id, self.warning.name))
        self.assertTrue(preview["subject"] and preview["body_html"])
        self.assertEqual(preview["source"], "template")
        self.assertFalse(self.followup_mails(self.partner_b))
        self.assertFalse(self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_b.id)]))

    def test_the_confirmed_text_is_what_is_sent_sanitized(self):
        preview = self.rpc("preview_send", partner_id=self.partner_b.id)
        sent = self.rpc(
            "send",
            partner_id=self.partner_b.id,
            level_id=preview["level_id"],
            subject="Our reminder, checked",
            body_html="<p>Please pay INV 1.</p><script>alert(1)</script>",
            text_source=preview["source"],
            edited=True,
        )
        self.assertEqual((sent["state"], sent["level_id"]), ("sent", self.reminder.id))
        run = self.env["fusion.followup.run"].browse(sent["id"])
        self.assertEqual((run.subject, run.mail_id.subject), ("Our reminder, checked", "Our reminder, checked"))
        self.assertIn("Please pay INV 1.", run.mail_id.body_html)
        self.assertNotIn("<script", run.mail_id.body_html)
        self.assertIn("edited", run.text_error)

    def test_nothing_due_answers_why_and_the_send_route_refuses_a_bad_text(self):
        early = self.env["res.partner"].create({"name": "Early", "email": "early@example.com"})
        self.invoice(early, 50, 3)  # below the first level's 7 days
        preview = self.rpc("preview_send", partner_id=early.id)
        self.assertEqual((preview["can_send"], preview["reason"]), (False, "No follow-up level is due yet."))
        self.assertEqual(self.rpc("get_partner", partner_id=early.id)["next_send"]["skip_reason"], preview["reason"])
        for bad in (
            {"subject": "", "body_html": "<p>x</p>", "text_source": "template"},
            {"subject": "   ", "body_html": "<p>x</p>", "text_source": "template"},
            {"subject": "Hi", "body_html": None, "text_source": "template"},
            {"subject": "Hi", "body_html": "<p>x</p>", "text_source": "gpt"},
            {"subject": "x" * 201, "body_html": "<p>x</p>", "text_source": "template"},
            {"subject": ["Hi"], "body_html": "<p>x</p>", "text_source": "template"},
        ):
            answer = self.rpc("send", partner_id=self.partner_b.id, **bad)
            self.assertTrue(answer.get("refused"), bad)
        self.assertFalse(self.followup_mails(self.partner_b), "a refused send sends nothing")

    def test_a_level_without_email_previews_its_channels_and_sends_without_a_subject(self):
        self.reminder.sudo().write({"fusion_send_email": False, "fusion_channel_letter": True})
        preview = self.rpc("preview_send", partner_id=self.partner_b.id)
        self.assertEqual((preview["can_send"], preview["email"], preview["recipients"]), (True, False, []))
        self.assertEqual(
            preview["channel_lines"],
            [{"channel": "letter", "label": "Letter", "detail": "printed with the batch letters"}],
        )
        self.assertNotIn("subject", preview)
        # What the confirmation sends for it: no text at all, or an empty one.
        sent = self.rpc("send", partner_id=self.partner_b.id, level_id=preview["level_id"], subject="", body_html="")
        self.assertEqual((sent["state"], sent["level_id"]), ("sent", self.reminder.id), sent)
        run = self.env["fusion.followup.run"].browse(sent["id"])
        self.assertEqual((run.mail_id, run.fusion_letter_state), (self.env["mail.mail"], "to_print"))
        self.assertFalse(run.subject, "no e-mail: no subject")

    def test_an_email_level_names_its_channels_and_still_needs_a_subject(self):
        self.reminder.sudo().write({"fusion_channel_letter": True})
        preview = self.rpc("preview_send", partner_id=self.partner_b.id)
        self.assertEqual(
            [(line["channel"], line["detail"]) for line in preview["channel_lines"]],
            [("email", f"to {self.partner_b.email}"), ("letter", "printed with the batch letters")],
        )
        for subject, body in (("", "<p>x</p>"), ("  ", "<p>x</p>"), ("Hi", "")):
            answer = self.rpc("send", partner_id=self.partner_b.id, subject=subject, body_html=body)
            self.assertTrue(answer.get("refused"), (subject, body))
        self.assertFalse(self.env["fusion.followup.run"].search([("partner_id", "=", self.partner_b.id)]))

    def test_cards_are_scored_and_planned_now_not_by_the_weekly_job(self):
        self.assertFalse(self.partner_b.fusion_followup_risk_band, "no job has run")
        rows = self.rpc("list_overdue")["sections"][0]["rows"]
        row = next(r for r in rows if r["partner_id"] == self.partner_b.id)
        detail = self.rpc("get_partner", partner_id=self.partner_b.id)
        self.assertEqual((row["risk_score"], row["risk_band"]), (detail["risk"]["score"], detail["risk"]["band"]))
        self.assertTrue(row["risk_band"])
        self.assertEqual((row["status"], row["next_level"]), ("action_needed", self.reminder.name))
