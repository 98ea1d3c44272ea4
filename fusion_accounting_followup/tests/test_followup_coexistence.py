from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from ..services.migration_tone import tones_for_delays
from .common import TODAY, FollowupCommon

LEGACY = "account_followup.followup.line"


def enterprise_followup(env):
    return LEGACY in env


@tagged("post_install", "-at_install", "fusion_coexistence")
@freeze_time(TODAY)
class TestFollowupCoexistence(FollowupCommon):
    def test_menu_shows_only_without_enterprise_followup(self):
        user = new_test_user(
            self.env,
            login="followup_menu",
            groups="base.group_user,fusion_accounting_core.group_fusion_manager",
            company_id=self.env.company.id,
        )
        menu = self.env.ref("fusion_accounting_followup.menu_customer_followups")
        visible = menu.id in self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        self.assertEqual(visible, not enterprise_followup(self.env))

    def test_engine_works_either_way(self):
        self.invoice(self.partner_a, 100, 10)
        self.assertEqual(self.engine.compute_followup_level(self.partner_a).level.id, self.reminder.id)


@tagged("post_install", "-at_install", "fusion_coexistence")
@freeze_time(TODAY)
class TestFollowupMigration(FollowupCommon):
    def migrate(self):
        wizard = self.env["fusion.migration.wizard"].sudo().create({})
        wizard.action_migrate()
        return wizard

    def test_without_enterprise_the_wizard_says_there_is_nothing_to_import(self):
        if enterprise_followup(self.env):
            self.skipTest("Enterprise account_followup is installed: covered by the round trip")
        before = self.env["fusion.followup.level"].sudo().search_count([])
        self.assertIn("not installed", self.migrate().message)
        self.assertEqual(self.env["fusion.followup.level"].sudo().search_count([]), before)

    def test_round_trip_imports_every_enterprise_level_once(self):
        if not enterprise_followup(self.env):
            self.skipTest("Enterprise account_followup is not installed: nothing to migrate from")
        Legacy = self.env[LEGACY].sudo()
        company = self.env.company
        Legacy.search([("company_id", "=", company.id)]).unlink()
        legacy = Legacy.create(
            [{"name": f"L{delay}", "delay": delay, "company_id": company.id} for delay in (15, 30, 90, 120)]
        )
        self.migrate()
        levels = self.env["fusion.followup.level"].sudo().search([("company_id", "=", company.id)])
        by_legacy = {level.legacy_followup_line_id: level for level in levels if level.legacy_followup_line_id}
        self.assertEqual(set(by_legacy), set(legacy.ids))
        self.assertEqual(by_legacy[legacy[1].id], self.warning, "a level with the same delay is linked, not duplicated")
        tones = dict(zip(legacy.ids, tones_for_delays(legacy.mapped("delay")), strict=True))
        for line in legacy - legacy[1]:
            self.assertEqual(by_legacy[line.id].tone, tones[line.id])
        count = len(levels)
        self.assertIn("0 levels created", self.migrate().message)
        self.assertEqual(
            self.env["fusion.followup.level"].sudo().search_count([("company_id", "=", company.id)]), count
        )
