"""A promoted (tool, scenario) pair reaches the tier gate; a revert takes it back (design 3.1)."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.fusion_accounting_core.services.agent import arguments_hash, canonical_json
from odoo.addons.fusion_accounting_core.services.tools import REGISTRY, Tier

from ..models.fusion_learning_hooks import GENERAL_SCENARIO

TOOL = "reconcile_payment_to_invoice"


class PromotionCase(AccountTestInvoicingCommon):
    """Managers, an admin and staff, with promotion after 5 approvals at 0.6."""

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
        """The tier of TOOL as offered to ``user``."""
        specs = self.env["fusion.accounting.tool"].with_user(user)._available_specs()
        return next(spec.tier for spec in specs if spec.name == TOOL)


@tagged("post_install", "-at_install")
class TestPromotionReachesTheGate(PromotionCase):
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


@tagged("post_install", "-at_install")
class TestNarrowScenariosReachTheGate(PromotionCase):
    """A promotion of one scenario (a partner, an amount band) lets exactly the calls of that scenario run."""

    def invoice_and_payment(self, partner, amount=500.0):
        """Arguments of a reconcile_payment_to_invoice call settling a new invoice of ``partner``."""
        invoice = self.init_invoice("out_invoice", partner=partner, amounts=[amount], taxes=[], post=True)
        receivable = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        payment = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.company_data["default_journal_misc"].id,
                "line_ids": [
                    Command.create(
                        {"account_id": receivable.account_id.id, "partner_id": partner.id, "balance": -amount}
                    ),
                    Command.create(
                        {
                            "account_id": self.company_data["default_journal_bank"].default_account_id.id,
                            "balance": amount,
                        }
                    ),
                ],
            }
        )
        payment.action_post()
        return {"invoice_id": invoice.id, "payment_move_id": payment.id}

    def promote(self, scenario):
        for _ in range(5):
            self.Pair._record_tool_decision(TOOL, scenario, True)
        return self.Pair.search([("tool_name", "=", TOOL), ("scenario", "=", scenario)])

    def test_a_partner_promotion_runs_that_partner_s_calls_only_and_a_revert_stops_them(self):
        mine, theirs = self.invoice_and_payment(self.partner_a), self.invoice_and_payment(self.partner_b)
        pair = self.promote(f"partner_{self.partner_a.id}")
        agent = self.env["fusion.accounting.agent"].with_user(self.manager)
        self.assertEqual(self._tier_seen_by(self.manager), Tier.APPROVAL, "the tool as a whole still needs approval")

        with self.assertRaises(AccessError):
            agent.run_tool(TOOL, theirs)
        result = agent.run_tool(TOOL, mine)

        self.assertEqual(result["invoice_amount_residual"], 0.0)
        logged = self.env["fusion.accounting.match.history"].search([("tool_name", "=", TOOL)])
        self.assertEqual((logged.decision, logged.tier, logged._arguments()), ("auto", "2", mine))
        pair.with_user(self.fusion_admin).action_revert()
        with self.assertRaises(AccessError):
            agent.run_tool(TOOL, self.invoice_and_payment(self.partner_a))

    def test_an_amount_band_promotion_covers_smaller_calls_only_and_never_staff(self):
        self.promote("amount_below_1000")
        Tool, spec = self.env["fusion.accounting.tool"].with_user(self.manager), REGISTRY.get(TOOL)
        small, large = self.invoice_and_payment(self.partner_a, 400.0), self.invoice_and_payment(self.partner_a, 4000.0)
        self.assertEqual(Tool._call_tier(spec, small), Tier.LOGGED_WRITE)
        self.assertEqual(Tool._call_tier(spec, large), Tier.APPROVAL)
        self.assertEqual(Tool._call_tier(spec, {"invoice_id": 0, "payment_move_id": 0}), Tier.APPROVAL)
        with self.assertRaises(AccessError):
            self.env["fusion.accounting.agent"].with_user(self.staff).run_tool(TOOL, small)

    def test_a_decision_counts_on_every_scenario_of_its_call(self):
        arguments = self.invoice_and_payment(self.partner_a, 400.0)
        proposal = (
            self.env["fusion.accounting.match.history"]
            .sudo()
            .create(
                {
                    "company_id": self.env.company.id,
                    "user_id": self.manager.id,
                    "tool_name": TOOL,
                    "tier": "3",
                    "tool_params": canonical_json(arguments),
                    "arguments_hash": arguments_hash(arguments),
                }
            )
        )

        proposal.with_user(self.manager).action_reject("wrong invoice")

        counted = self.Pair.search([("tool_name", "=", TOOL)])
        self.assertEqual(
            set(counted.mapped("scenario")),
            {f"partner_{self.partner_a.id}", "amount_below_1000", "amount_below_10000", GENERAL_SCENARIO},
        )
        self.assertEqual(set(counted.mapped("total_rejected")), {1})
