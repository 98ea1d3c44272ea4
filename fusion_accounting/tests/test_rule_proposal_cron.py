"""The nightly job proposes a rule for 3+ identical approved matches, once, and an approval creates it."""

from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.fusion_accounting_core.services.agent import arguments_hash, canonical_json

from .bookkeeping_common import BookkeepingCase


@tagged("post_install", "-at_install")
class TestRuleProposalCron(BookkeepingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Outside the cron, _commit_progress commits the cursor, which a test must never do.
        cls.startClassPatcher(patch.object(type(cls.env["ir.cron"]), "_commit_progress", return_value=float("inf")))
        cls.manager = new_test_user(
            cls.env,
            "rule_proposal_manager",
            groups="account.group_account_manager,fusion_accounting_core.group_fusion_manager",
            company_id=cls.env.company.id,
            company_ids=[(6, 0, cls.env.company.ids)],
        )
        cls.History = cls.env["fusion.accounting.match.history"].sudo()
        cls.env["fusion.accounting.tool"]._sync_from_code()  # propose_rule must be in the registry to be approved

    def decided_batch(self, label, gross, approved=True):
        """A decided card-batch match: the deposit is ``gross`` net of a 1.60% fee."""
        item = self.card_payment(gross, "2026-03-02")
        fee = round(gross * 0.016, 2)
        st_line = self.bank_line(round(gross - fee, 2), label)
        arguments = {"statement_line_id": st_line.id, "move_line_ids": item.ids, "fee_amount": fee}
        return self.History.create(
            {
                "company_id": self.env.company.id,
                "user_id": self.manager.id,
                "tool_name": "match_bank_line_to_payments",
                "tier": "3",
                "tool_params": canonical_json(arguments),
                "arguments_hash": arguments_hash(arguments),
                "fusion_scenario": "card_batch",
                "bank_statement_line_id": st_line.id,
                "decision": "approved" if approved else "rejected",
                "decided_at": fields.Datetime.now(),
            }
        )

    def run_cron(self):
        before = self.History.search([("tool_name", "=", "propose_rule")])
        self.env["fusion.accounting.rule"]._cron_propose_rules()
        return self.History.search([("tool_name", "=", "propose_rule")]) - before

    def test_three_identical_approvals_make_one_proposal_that_an_approval_turns_into_a_rule(self):
        support = [
            self.decided_batch(f"ELAVON MERCH DEP 03{day} BATCH 4", gross)
            for day, gross in (("02", 650.10), ("03", 702.00), ("04", 688.45))
        ]
        self.decided_batch("MONERIS DEPOSIT 0302", 120.0)
        self.decided_batch("MONERIS DEPOSIT 0303", 130.0)
        self.decided_batch("MONERIS DEPOSIT 0304", 140.0, approved=False)  # contested: never proposed

        [proposal] = self.run_cron()

        arguments = proposal._arguments()
        self.assertEqual((proposal.decision, proposal.tier), ("pending", "3"))
        self.assertEqual((arguments["rule_type"], arguments["fee_account_code"]), ("fee", self.card_fees.code))
        self.assertIn("1.60%", arguments["match_logic"])
        for record in support:
            self.assertIn(f"#{record.id}", arguments["evidence"])
        self.assertFalse(self.run_cron(), "a pending proposal is not made again")

        proposal.with_user(self.manager).action_approve()

        rule = self.env["fusion.accounting.rule"].search([("name", "=", arguments["name"])])
        self.assertEqual(
            (rule.created_by, rule.approval_tier, rule.fee_account_id), ("ai", "needs_approval", self.card_fees)
        )
        self.assertFalse(self.run_cron(), "a pattern that became a rule is not proposed again")

    def test_the_cron_is_scheduled_daily_at_night(self):
        cron = self.env.ref("fusion_accounting.ir_cron_fusion_rule_proposals")
        self.assertEqual((cron.active, cron.interval_number, cron.interval_type), (True, 1, "days"))
        self.assertEqual(cron.nextcall.hour, 1)

    def test_a_nightly_proposal_expires_like_the_chat_s_and_may_then_be_proposed_again(self):
        self.env["ir.config_parameter"].set_param("fusion_accounting.proposal_validity_days", 3)
        for day, gross in (("02", 650.10), ("03", 702.00), ("04", 688.45)):
            self.decided_batch(f"ELAVON MERCH DEP 03{day} BATCH 4", gross)
        now = fields.Datetime.now()

        [proposal] = self.run_cron()

        self.assertGreaterEqual(proposal.expires_at, fields.Datetime.add(now, days=3, seconds=-1))
        self.assertLessEqual(proposal.expires_at, fields.Datetime.add(fields.Datetime.now(), days=3))
        # Four days later, the core's expiry job retires it, and an approval is refused.
        later = fields.Datetime.add(now, days=4)
        with patch.object(fields.Datetime, "now", return_value=later):
            self.History._cron_expire_proposals()
            self.assertEqual(proposal.decision, "expired")
            with self.assertRaises(UserError):
                proposal.with_user(self.manager).action_approve()
        [again] = self.run_cron()
        self.assertEqual((again.decision, again.fusion_pattern_key), ("pending", proposal.fusion_pattern_key))
