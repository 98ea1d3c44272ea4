"""A promoted (tool, scenario) pair reaches the tier gate; a revert takes it back (design 3.1).

Promotions are earned here as the policy of issue 18 requires: successful runs
of distinct calls, approved by two Managers over more than the minimum span.
"""

from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.fusion_accounting_core.services.agent import arguments_hash, canonical_json, gate
from odoo.addons.fusion_accounting_core.services.tools import REGISTRY, Tier

from ..models.fusion_learning_hooks import GENERAL_SCENARIO
from ..services.tool_promotion import Decision, assess, outcome_of
from .common import decided_proposal, pending_proposal

TOOL = "reconcile_payment_to_invoice"
START = datetime(2026, 3, 2, 10, 0)


class PromotionCase(AccountTestInvoicingCommon):
    """Two Managers, an admin and staff, with promotion after 5 approvals at 0.6 over 14 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("fusion_accounting.min_sample_size", 5)
        cls.env["ir.config_parameter"].set_param("fusion_accounting.promotion_threshold", 0.6)
        cls.env["ir.config_parameter"].set_param("fusion_accounting.promotion_min_span_days", 14)
        cls.Pair = cls.env["fusion.accounting.tool.scenario"]
        cls.manager = new_test_user(
            cls.env,
            login="fusion_promo_manager",
            groups="base.group_user,account.group_account_manager,fusion_accounting_core.group_fusion_manager",
            company_ids=[(6, 0, cls.env.company.ids)],
        )
        cls.manager_2 = new_test_user(
            cls.env,
            login="fusion_promo_manager_2",
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

    def earn(self, count=5, scenario="", partners=None):
        """``count`` successful distinct calls of TOOL, approved in turn by both Managers, 4 days apart.

        ``partners`` (cycled) name the calls' partners, so ``general`` sees several patterns;
        ``scenario`` files them under a narrow scenario instead.
        """
        partners = partners or [None]
        for n in range(count):
            partner = partners[n % len(partners)]
            arguments = {"invoice_id": -n, "payment_move_id": -n, **({"partner_id": partner.id} if partner else {})}
            approver = (self.manager, self.manager_2)[n % 2]
            decided_proposal(self.env, TOOL, arguments, approver, START + timedelta(days=4 * n), scenario=scenario)

    def _tier_seen_by(self, user, company=None):
        """The tier the gate gives ``user``'s calls of TOOL, with what was learned for the tool as a whole."""
        Tool = self.env["fusion.accounting.tool"].with_user(user).with_company(company or self.env.company)
        spec = next(spec for spec in Tool._available_specs() if spec.name == TOOL)
        caller = self.env["fusion.accounting.agent"].with_user(user)._caller()
        return gate(spec, caller, Tool._tool_tier(spec)).tier


@tagged("post_install", "-at_install")
class TestPromotionReachesTheGate(PromotionCase):
    def _promote(self):
        self.earn(partners=[self.partner_a, self.partner_b, self.env["res.partner"].create({"name": "Third"})])

    def test_the_coded_tier_holds_until_the_record_proves_it(self):
        self.earn(count=4, partners=[self.partner_a, self.partner_b])
        self.assertEqual(self._tier_seen_by(self.manager), Tier.APPROVAL)

    def test_a_promotion_is_announced_to_each_fusion_administrator(self):
        self._promote()
        pair = self.Pair.search([("tool_name", "=", TOOL), ("scenario", "=", GENERAL_SCENARIO)])
        self.assertEqual(pair.state, "auto")
        self.assertIn(self.fusion_admin, pair.activity_ids.user_id)
        self.assertIn("Reconcile a payment with an invoice runs without approval", pair.activity_ids[0].summary)
        self.assertNotIn(self.manager, pair.activity_ids.user_id, "Managers are not Fusion administrators")

    def test_general_never_promotes_on_one_partner_s_calls(self):
        self.earn(count=8, partners=[self.partner_a])
        self.assertEqual(self._tier_seen_by(self.manager), Tier.APPROVAL)
        general = self.Pair.search([("tool_name", "=", TOOL), ("scenario", "=", GENERAL_SCENARIO)])
        self.assertIn("several patterns", general.fusion_missing)

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
        self.earn(scenario=scenario)
        pair = self.Pair.search([("tool_name", "=", TOOL), ("scenario", "=", scenario)])
        self.assertEqual(pair.state, "auto")
        return pair

    def test_a_partner_promotion_runs_that_partner_s_calls_only_and_a_revert_stops_them(self):
        mine, theirs = self.invoice_and_payment(self.partner_a), self.invoice_and_payment(self.partner_b)
        pair = self.promote(f"partner_{self.partner_a.id}")
        agent = self.env["fusion.accounting.agent"].with_user(self.manager)
        self.assertEqual(self._tier_seen_by(self.manager), Tier.APPROVAL, "the tool as a whole still needs approval")

        with self.assertRaises(AccessError):
            agent.run_tool(TOOL, theirs)
        result = agent.run_tool(TOOL, mine)

        self.assertEqual(result["invoice_amount_residual"], 0.0)
        logged = self.env["fusion.accounting.match.history"].search([("tool_name", "=", TOOL), ("tier", "=", "2")])
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


@tagged("post_install", "-at_install")
class TestUndoCountsAgainst(PromotionCase):
    def test_an_undone_match_counts_against_its_tool(self):
        tool = "match_bank_line_to_payments"
        bank = self.company_data["default_journal_bank"]
        st_line = self.env["account.bank.statement.line"].create(
            {"journal_id": bank.id, "payment_ref": "DEP 1", "amount": 100.0, "date": "2026-03-04"}
        )
        match = decided_proposal(self.env, tool, {"statement_line_id": st_line.id}, self.manager, START)
        match.bank_statement_line_id = st_line
        pair = self.Pair.search([("tool_name", "=", tool), ("scenario", "=", GENERAL_SCENARIO)])
        self.assertEqual((pair.total_approved, pair.total_rejected), (1, 0))

        # Someone undoes it (a logged tier-2 run, as a human button or a promoted tool logs it).
        arguments = {"statement_line_id": st_line.id}
        self.env["fusion.accounting.match.history"].sudo().create(
            {
                "company_id": self.env.company.id,
                "user_id": self.manager_2.id,
                "tool_name": "unmatch_bank_line",
                "tier": "2",
                "tool_params": canonical_json(arguments),
                "arguments_hash": arguments_hash(arguments),
                "decision": "auto",
                "decided_at": START,
                "execution_state": "done",
                "tool_result": '{"ok":true}',
                "bank_statement_line_id": st_line.id,
            }
        )

        self.assertTrue(match.fusion_undone)
        self.assertEqual((pair.total_approved, pair.total_rejected), (0, 1))


@tagged("post_install", "-at_install")
class TestRefusalIsAFailure(PromotionCase):
    """A tool that refuses (ToolRefusal) did not do what was asked: failed, never done, and says why (issue 19)."""

    def test_an_approved_proposal_whose_tool_refuses_is_failed_uncounted_and_says_why(self):
        tool, arguments = "unmatch_bank_line", {"statement_line_id": 999_999_999}
        proposal = pending_proposal(self.env, tool, arguments, self.manager)

        outcome = proposal.with_user(self.manager).action_approve()[proposal.id]

        why = "no statement line 999999999 in your companies"
        self.assertEqual(outcome, {"execution_state": "failed", "result": f'{{"error":"{why}","ok":false}}'})
        self.assertEqual((proposal.decision, proposal.execution_state), ("approved", "failed"))
        general = self.Pair.search([("tool_name", "=", tool), ("scenario", "=", GENERAL_SCENARIO)])
        self.assertEqual((general.total_approved, general.total_rejected), (0, 1), "a refusal counts against")
        [card] = self.env["fusion.accounting.approval.card"].with_user(self.manager).get_cards([proposal.id])
        self.assertEqual(card["execution_state"], "failed")
        self.assertIn(why, card["result"])

    def test_a_direct_run_that_refuses_is_logged_failed_with_the_reason(self):
        agent = self.env["fusion.accounting.agent"].with_user(self.manager)
        arguments = {"account_id": 0, "date_from": "2026-02-01", "date_to": "2026-02-28", "status": "reviewed"}

        answer = agent.run_tool("set_audit_status", arguments)

        self.assertEqual(answer, {"ok": False, "error": "no account 0 in your companies"})
        logged = self.env["fusion.accounting.match.history"].search([("tool_name", "=", "set_audit_status")])
        self.assertEqual((logged.tier, logged.decision, logged.execution_state), ("2", "auto", "failed"))
        self.assertIn("no account 0 in your companies", logged.tool_result)


@tagged("post_install", "-at_install")
class TestPromotionCounter(PromotionCase):
    """The counter reads a pair's decisions in one grouped query, with the results of reading them one by one."""

    def _one_by_one(self, pair):
        """The assessment from each counted record of ``pair`` read on its own (the grouped read must equal it)."""
        decisions = []
        for record in pair.decision_ids:
            outcome = outcome_of(record.decision, record.execution_state == "done", record.fusion_undone)
            if outcome:
                day = (record.decided_at or record.proposed_at).date()
                approver = record.decided_by.id or record.user_id.id
                decisions.append(Decision(outcome, approver, record.arguments_hash, day, record.fusion_pattern or ""))
        return assess(decisions, pair._policy(), general=pair.scenario == GENERAL_SCENARIO)

    def _decide_a_mix(self):
        """Successes over two partners, the same call approved twice, a rejection, a failed run, a narrow filing."""
        partners = self.env["res.partner"].create([{"name": "Counter A"}, {"name": "Counter B"}])
        self.earn(count=6, partners=partners)
        again = {"invoice_id": 0, "payment_move_id": 0, "partner_id": partners[0].id}
        decided_proposal(self.env, TOOL, again, self.manager_2, START + timedelta(days=30))
        rejected = {"invoice_id": -7, "payment_move_id": -7, "partner_id": partners[1].id}
        decided_proposal(self.env, TOOL, rejected, self.manager, START + timedelta(days=31), approved=False)
        failed = {"invoice_id": -8, "payment_move_id": -8}
        decided_proposal(self.env, TOOL, failed, self.manager, START + timedelta(days=32), state="failed")
        decided_proposal(self.env, TOOL, {"invoice_id": -9}, self.manager_2, START, scenario="card_batch")
        return self.Pair.search([("tool_name", "=", TOOL)])

    def test_the_grouped_count_equals_reading_every_decision(self):
        pairs = self._decide_a_mix()
        self.assertGreaterEqual(set(pairs.mapped("scenario")), {GENERAL_SCENARIO, "card_batch"})
        self.assertGreaterEqual(len(pairs), 4)
        for pair in pairs:
            expected = self._one_by_one(pair)
            self.assertEqual(pair._assessment(), expected, pair.scenario)
            stored = (pair.total_uses, pair.total_approved, pair.total_rejected)
            self.assertEqual(stored, (expected.score.uses, expected.score.approved, expected.score.rejected))
        general = pairs.filtered(lambda pair: pair.scenario == GENERAL_SCENARIO)
        # 7 distinct successes (one call approved twice counts once) against a rejection and a failed run.
        self.assertEqual((general.total_uses, general.total_approved, general.total_rejected), (10, 7, 2))

    def test_reassessing_reads_the_decisions_in_one_query_however_many(self):
        pairs = self._decide_a_mix()
        self.env.flush_all()
        with self.assertQueryCount(1):
            pairs._decisions()
        self.earn(count=6, partners=self.env["res.partner"].create([{"name": "Counter C"}, {"name": "Counter D"}]))
        pairs = self.Pair.search([("tool_name", "=", TOOL)])
        self.env.flush_all()
        with self.assertQueryCount(1):
            pairs._decisions()


@tagged("post_install", "-at_install")
class TestScenarioLabels(PromotionCase):
    """People read a scenario as a label; its key stays in a debug-mode field."""

    def test_each_kind_of_key_reads_as_a_label(self):
        partner = self.env["res.partner"].create({"name": "Maple Supplies Inc."})
        gone = self.env["res.partner"].create({"name": "Gone Ltd"})
        gone_id = gone.id
        gone.unlink()
        keys = [f"partner_{partner.id}", f"partner_{gone_id}", "card_batch", "general", "amount_below_100"]
        keys.append("accounts_payable")
        pairs = self.Pair.sudo().create([{"tool_name": TOOL, "scenario": key} for key in keys])  # as _pair() does
        labels = dict(zip(keys, pairs.mapped("scenario_label"), strict=True))
        self.assertEqual(labels[f"partner_{partner.id}"], "Partner: Maple Supplies Inc.")
        self.assertEqual(labels[f"partner_{gone_id}"], f"Partner #{gone_id} (deleted)")
        self.assertEqual(labels["card_batch"], "Card batches")
        self.assertEqual(labels["general"], "Every call of the tool")
        self.assertIn("100", labels["amount_below_100"])
        self.assertTrue(labels["amount_below_100"].startswith("Amounts below"))
        self.assertEqual(labels["accounts_payable"], "Accounts payable")
        for key, label in labels.items():
            self.assertNotIn("_", label, key)
        # The tool too: its declared label, the key only in a debug-mode column.
        self.assertEqual(set(pairs.mapped("fusion_tool_label")), {"Reconcile a payment with an invoice"})

    def test_the_tool_registry_and_the_history_show_labels(self):
        partner = self.env["res.partner"].create({"name": "Label Partner"})
        self.earn(count=5, scenario=f"partner_{partner.id}", partners=[self.partner_a, self.partner_b])
        record = self.env["fusion.accounting.match.history"].search(
            [("fusion_scenario", "=", f"partner_{partner.id}")], limit=1
        )
        self.assertEqual(record.fusion_scenario_label, "Partner: Label Partner")
        tool = self.env["fusion.accounting.tool"].search([("name", "=", TOOL)])
        self.assertIn("Partner: Label Partner", tool.fusion_promoted_scenarios)
        self.assertNotIn(f"partner_{partner.id}", tool.fusion_promoted_scenarios)
