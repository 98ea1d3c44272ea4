from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import TODAY, FollowupCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestBatchFollowupWizard(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice(cls.partner_a, 100, 10)  # due the Reminder
        cls.invoice(cls.partner_b, 200, 35)  # due the Warning

    def wizard(self, **values):
        return self.env["fusion.batch.followup.wizard"].create(values)

    def preview(self, wizard):
        wizard.action_preview()
        return {line.partner_id: line for line in wizard.line_ids}

    def test_the_options_read_as_an_accountant_words_them(self):
        """The form shows the field strings: never "Auto Resolve Level" nor a bare "Force"."""
        fields_ = self.env["fusion.batch.followup.wizard"].fields_get(["auto_resolve_level", "force"])
        self.assertEqual(fields_["auto_resolve_level"]["string"], "Level by days overdue")
        self.assertEqual(fields_["force"]["string"], "Send even if paused or promised")
        for field in fields_.values():
            self.assertGreater(len(field.get("help", "")), 40, "each option says what it does")

    def test_all_mode_previews_before_sending_anything(self):
        wizard = self.wizard(mode="all")
        lines = self.preview(wizard)
        self.assertEqual(
            {p: line.level_id for p, line in lines.items()},
            # b is due the Warning by days; never reminded, it gets the first reminder (services/followup_plan.py)
            {self.partner_a: self.reminder, self.partner_b: self.reminder},
        )
        self.assertTrue(all(line.will_send for line in lines.values()))
        self.assertFalse(self.followup_mails(self.partner_a) | self.followup_mails(self.partner_b))
        wizard.action_send()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(set(wizard.run_ids.mapped("state")), {"sent"})
        self.assertEqual(wizard.run_ids.mapped("trigger"), ["batch", "batch"])

    def test_selection_mode_comes_from_the_selected_partners(self):
        wizard = (
            self.env["fusion.batch.followup.wizard"]
            .with_context(active_model="res.partner", active_ids=[self.partner_a.id])
            .create({})
        )
        self.assertEqual(wizard.mode, "selection")
        self.assertEqual(list(self.preview(wizard)), [self.partner_a])

    def test_level_mode_keeps_partners_due_the_chosen_levels(self):
        wizard = self.wizard(mode="level", level_filter_ids=[(6, 0, self.warning.ids)])
        self.assertEqual(list(self.preview(wizard)), [self.partner_b])

    def test_override_level_without_force_respects_what_was_sent(self):
        self.engine.send_followup_email(self.partner_a)
        wizard = self.wizard(
            mode="selection",
            partner_ids=[(6, 0, self.partner_a.ids)],
            auto_resolve_level=False,
            override_level_id=self.legal.id,
        )
        line = self.preview(wizard)[self.partner_a]
        self.assertEqual(line.level_id, self.legal)
        self.assertFalse(line.will_send)
        self.assertTrue(line.skip_reason)

    def test_force_sends_the_override_level_anyway(self):
        self.engine.send_followup_email(self.partner_a)
        wizard = self.wizard(
            mode="selection",
            partner_ids=[(6, 0, self.partner_a.ids)],
            auto_resolve_level=False,
            override_level_id=self.legal.id,
            force=True,
        )
        self.assertTrue(self.preview(wizard)[self.partner_a].will_send)
        wizard.action_send()
        self.assertRun(wizard.run_ids, "sent", self.legal)
        self.assertTrue(wizard.run_ids.forced)
        logged = self.env["fusion.accounting.match.history"].search(
            [("partner_id", "=", self.partner_a.id), ("channel", "=", "human")]
        )
        self.assertEqual((logged.tool_name, logged.user_id), ("followup_send_now", self.env.user))

    def test_unticked_lines_are_left_out(self):
        wizard = self.wizard(mode="all")
        self.preview(wizard)[self.partner_b].will_send = False
        wizard.action_send()
        self.assertEqual(wizard.run_ids.partner_id, self.partner_a)
        self.assertFalse(self.followup_mails(self.partner_b))

    def test_a_level_is_required_when_not_resolving_it(self):
        with self.assertRaises(ValidationError):
            self.wizard(mode="all", auto_resolve_level=False)

    def test_nothing_to_send_hides_send_and_says_why(self):
        self.engine.send_followup_email(self.partner_a)
        wizard = self.wizard(mode="selection", partner_ids=[(6, 0, self.partner_a.ids)])
        self.preview(wizard)
        self.assertEqual(wizard.send_count, 0)
        self.assertIn("already sent", wizard.nothing_to_send)
        with self.assertRaisesRegex(UserError, "Nothing to send"):
            wizard.action_send()
        self.assertEqual(len(self.followup_mails(self.partner_a)), 1)

    def test_the_skip_levels_setting_sends_the_level_due_by_days_at_first_contact(self):
        # What Settings > Fusion AI > "Follow-ups May Skip Levels" stores (an administrator's setting).
        self.env["res.config.settings"].sudo().create({"fusion_followup_skip_levels": True}).execute()
        lines = self.preview(self.wizard(mode="all"))
        self.assertEqual(lines[self.partner_b].level_id, self.warning)
        self.assertEqual(lines[self.partner_a].level_id, self.reminder)

    def test_the_preview_says_what_each_customer_gets_and_a_letter_level_mails_nobody(self):
        self.reminder.sudo().write({"fusion_send_email": False, "fusion_channel_letter": True})
        wizard = self.wizard(mode="all")
        lines = self.preview(wizard)
        self.assertEqual({line.channels for line in lines.values()}, {"Letter"})
        wizard.action_send()
        self.assertEqual(set(wizard.run_ids.mapped("state")), {"sent"})
        self.assertEqual(set(wizard.run_ids.mapped("fusion_letter_state")), {"to_print"})
        self.assertFalse(self.followup_mails(self.partner_a) | self.followup_mails(self.partner_b))
