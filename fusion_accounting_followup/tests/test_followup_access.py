from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TODAY, FollowupCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupAccess(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls.restricted_followup_user()
        cls.invoice(cls.partner_a, 100, 10)

    def test_the_clerk_really_cannot_write_partners(self):
        with self.assertRaises(AccessError):
            self.partner_a.with_user(self.clerk).write({"comment": "no"})

    def test_pause_and_reset_work_for_a_followup_user_without_partner_write_rights(self):
        engine = self.engine.with_user(self.clerk)
        state = engine.pause_followup(self.partner_a, "2025-07-31")
        self.assertEqual(state["status"], "paused")
        self.assertPartnerFollowup(self.partner_a, "paused", paused_until=TODAY.replace(month=7, day=31))
        engine.reset_followup(self.partner_a)
        self.assertPartnerFollowup(self.partner_a, "action_needed")

    def test_send_and_escalate_work_for_the_clerk(self):
        engine = self.engine.with_user(self.clerk)
        self.assertRun(engine.send_followup_email(self.partner_a), "sent", self.reminder)
        self.assertRun(engine.escalate_to_next_level(self.partner_a), "sent", self.warning)

    def test_staff_may_read_but_not_pause(self):
        staff = new_test_user(
            self.env,
            login="followup_staff",
            groups="base.group_user,fusion_accounting_core.group_fusion_user",
            company_id=self.env.company.id,
        )
        engine = self.engine.with_user(staff)
        self.assertEqual(engine.compute_followup_level(self.partner_a).level.id, self.reminder.id)
        with self.assertRaises(AccessError):
            engine.pause_followup(self.partner_a)
        with self.assertRaises(AccessError):
            engine.send_followup_email(self.partner_a)

    def test_runs_of_another_company_are_invisible(self):
        other = self.setup_other_company()["company"]
        run = self.engine.send_followup_email(self.partner_a)
        clerk_elsewhere = new_test_user(
            self.env,
            login="followup_other",
            groups="base.group_user,fusion_accounting_core.group_fusion_manager",
            company_id=other.id,
        )
        clerk_elsewhere.company_ids = other
        self.assertFalse(self.env["fusion.followup.run"].with_user(clerk_elsewhere).search([("id", "=", run.id)]))
        self.assertTrue(
            self.env["fusion.followup.level"].search([("company_id", "=", other.id)]),
            "a new company gets the default ladder",
        )
