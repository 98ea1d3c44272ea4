"""A promoted (tool, "general") pair reaches the tier gate; a revert takes it back (design 3.1)."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.fusion_accounting_core.services.tools import Tier

from ..models.fusion_learning_hooks import GENERAL_SCENARIO

TOOL = "reconcile_payment_to_invoice"


@tagged("post_install", "-at_install")
class TestPromotionReachesTheGate(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("fusion_accounting.min_sample_size", 5)
        cls.env["ir.config_parameter"].set_param("fusion_accounting.promotion_threshold", 0.6)
        cls.Pair = cls.env["fusion.accounting.tool.scenario"]
        cls.manager = new_test_user(
            cls.env,
            login="fusion_promo_manager",
            groups="base.group_user,account.group_account_manager,fusion_accounting_core.group_fusion_manager",
            company_ids=[(6, 0, cls.env.company.ids)],
        )
        cls.fusion_admin = new_test_user(
            cls.env,
            login="fusion_promo_admin",
            groups="base.group_user,fusion_accounting_core.group_fusion_admin",
            company_ids=[(6, 0, cls.env.company.ids)],
        )
        cls.staff = new_test_user(
            cls.env,
            login="fusion_promo_staff",
            groups="base.group_user,fusion_accounting_core.group_fusion_user",
            company_ids=[(6, 0, cls.env.company.ids)],
        )

    def _tier_seen_by(self, user):
        specs = self.env["fusion.accounting.tool"].with_user(user)._available_specs()
        return next(spec.tier for spec in specs if spec.name == TOOL)

    def _promote(self):
        for _ in range(5):
            self.Pair._record_tool_decision(TOOL, GENERAL_SCENARIO, True)

    def test_the_coded_tier_holds_until_the_record_proves_it(self):
        for _ in range(4):
            self.Pair._record_tool_decision(TOOL, GENERAL_SCENARIO, True)
        self.assertEqual(self._tier_seen_by(self.manager), Tier.APPROVAL)

    def test_a_promoted_tool_runs_logged_for_managers_and_a_revert_restores_approval(self):
        self._promote()
        self.assertEqual(self._tier_seen_by(self.manager), Tier.LOGGED_WRITE)
        pair = self.Pair.search([("tool_name", "=", TOOL), ("scenario", "=", GENERAL_SCENARIO)])
        pair.with_user(self.fusion_admin).action_revert()
        self.assertEqual(self._tier_seen_by(self.manager), Tier.APPROVAL)
        agent = self.env["fusion.accounting.agent"].with_user(self.manager)
        with self.assertRaises(AccessError):  # tier 3 again: only as an approved proposal
            agent.run_tool(TOOL, {"invoice_id": 1, "payment_move_id": 2})

    def test_promotion_never_opens_a_write_to_staff(self):
        self._promote()
        agent = self.env["fusion.accounting.agent"].with_user(self.staff)
        with self.assertRaises(AccessError):
            agent.run_tool(TOOL, {"invoice_id": 1, "payment_move_id": 2})

    def test_promotion_is_per_company(self):
        self._promote()
        other = self.setup_other_company()["company"]
        self.manager.write({"company_ids": [(4, other.id)]})
        specs = self.env["fusion.accounting.tool"].with_user(self.manager).with_company(other)._available_specs()
        self.assertEqual(next(spec.tier for spec in specs if spec.name == TOOL), Tier.APPROVAL)
