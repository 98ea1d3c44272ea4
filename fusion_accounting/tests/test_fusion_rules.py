"""Fusion rules in Odoo: versioning, rollback, sandboxed code, priority, promotion and demotion."""

from datetime import datetime, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.fusion_accounting_core.services.agent import arguments_hash, canonical_json
from odoo.addons.fusion_accounting_core.services.tools import REGISTRY, ToolRefusal

from .bookkeeping_common import BookkeepingCase, tool
from .common import decided_proposal

CARD_RULE = """
ids = [c['id'] for c in candidates if c['partner_id'] == line['partner_id']]
total = sum([c['amount'] for c in candidates if c['id'] in ids])
if ids and 'ELAVON' in line['label']:
    result = {'ids': ids, 'fee': round(total - line['amount'], 2)}
"""


class RuleAssertions:
    def assertTier(self, rule, tier, confidence_at_least=None):
        rule.invalidate_recordset()
        self.assertEqual(rule.approval_tier, tier, f"{rule.name}: confidence {rule.confidence_score}")
        if confidence_at_least is not None:
            self.assertGreaterEqual(rule.confidence_score, confidence_at_least)

    def assertOnlyActiveVersion(self, rule):
        chain = rule.with_context(active_test=False).search([("origin_rule_id", "=", rule.origin_rule_id.id)])
        self.assertEqual(
            chain.filtered("active"), rule, f"active versions: {chain.filtered('active').mapped('version')}"
        )


@tagged("post_install", "-at_install")
class TestFusionRules(AccountTestInvoicingCommon, RuleAssertions):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The test user is the Fusion administrator; managers and staff are separate users.
        cls.env.user.group_ids += cls.env.ref("fusion_accounting_core.group_fusion_admin")
        cls.Rule = cls.env["fusion.accounting.rule"]
        cls.fee_account = cls.company_data["default_account_expense"]
        company = {"company_id": cls.env.company.id, "company_ids": [(6, 0, cls.env.company.ids)]}
        cls.manager = new_test_user(
            cls.env,
            "rules_manager",
            groups="account.group_account_manager,fusion_accounting_core.group_fusion_manager",
            **company,
        )
        cls.staff = new_test_user(
            cls.env,
            "rules_staff",
            groups="account.group_account_invoice,fusion_accounting_core.group_fusion_user",
            **company,
        )

    def make_rule(self, **values):
        return self.Rule.create({"name": "Rule", "match_logic": "Match it.", **values})

    def payload(self, key, amount=697.61, label="ELAVON MERCH DEP 0304", partner_id=7, candidates=None):
        return {
            "key": key,
            "variables": {
                "line": {"id": key, "amount": amount, "label": label, "partner_id": partner_id},
                "candidates": candidates
                if candidates is not None
                else [{"id": 11, "amount": 300.0, "partner_id": 7}, {"id": 12, "amount": 409.14, "partner_id": 7}],
            },
        }

    # -- versioning ------------------------------------------------------------

    def test_editing_the_logic_creates_a_new_version_with_confidence_reset(self):
        rule = self.make_rule(created_by="ai")
        for _ in range(5):
            rule._record_decision(True)
        self.assertEqual((rule.total_approved, rule.version), (5, 1))

        rule.write({"match_logic": "Match card batches net of a 1.6% fee.", "fee_account_id": self.fee_account.id})

        self.assertFalse(rule.active, "the edited version is archived")
        self.assertEqual(rule.match_logic, "Match it.", "an archived version keeps its own logic")
        new = self.Rule.search([("origin_rule_id", "=", rule.id)])
        self.assertEqual(
            (new.version, new.parent_rule_id, new.match_logic), (2, rule, "Match card batches net of a 1.6% fee.")
        )
        self.assertEqual((new.total_uses, new.total_approved, new.confidence_score), (0, 0, 0.0))
        self.assertEqual(new.fee_account_id, self.fee_account)
        self.assertOnlyActiveVersion(new)

    def test_a_non_logic_edit_stays_in_place(self):
        rule = self.make_rule()
        rule.write({"name": "Renamed", "notes": "why"})
        self.assertTrue(rule.active)
        self.assertEqual(rule.version, 1)

    def test_rollback_reactivates_an_earlier_version(self):
        first = self.make_rule(match_logic="v1")
        first.write({"match_logic": "v2"})
        second = self.Rule.search([("origin_rule_id", "=", first.id)])
        second.write({"match_logic": "v3"})
        third = self.Rule.search([("origin_rule_id", "=", first.id)])
        self.assertEqual(third.version, 3)

        first.action_rollback()

        self.assertOnlyActiveVersion(first)
        self.assertEqual(first.match_logic, "v1")
        self.assertFalse(third.active)
        third.action_rollback()
        self.assertOnlyActiveVersion(third)

    # -- match_code ----------------------------------------------------------------

    def test_statically_hostile_code_is_refused_on_save(self):
        for code in ("import os", "().__class__.__subclasses__()", "open('/etc/passwd')", "while True:\n    pass"):
            with self.subTest(code=code), self.assertRaises(ValidationError):
                self.make_rule(match_code=code)

    def test_a_rule_failing_at_run_time_reports_on_the_rule_and_the_run_continues(self):
        bomb = self.make_rule(name="Bomb", match_code="result = 'a' * 10**10", sequence=1)
        loop = self.make_rule(
            name="Loop",
            match_code="n = 0\nfor i in range(10000):\n    for j in range(10000):\n        n += 1",
            sequence=2,
        )
        card = self.make_rule(name="Card batches", match_code=CARD_RULE, sequence=3, fee_account_id=self.fee_account.id)

        outcome = self.Rule._apply_rules(["match"], [self.payload(1), self.payload(2, label="RENT")])

        self.assertEqual(
            [(m["key"], m["rule_id"], m["item_ids"], m["fee"]) for m in outcome["matches"]],
            [(1, card.id, [11, 12], 11.53)],
        )
        errors = {(e["rule_id"], e["key"]): e["error"] for e in outcome["errors"]}
        self.assertTrue(errors[(bomb.id, 1)].startswith("too_large"), errors)
        self.assertTrue(errors[(loop.id, 1)].startswith("timeout"), errors)
        self.assertIn("too_large", bomb.last_error)
        self.assertTrue(loop.last_error)
        self.assertFalse(card.last_error)

    def test_a_result_naming_unknown_items_is_an_error_not_a_match(self):
        liar = self.make_rule(match_code="result = [999]")
        outcome = self.Rule._apply_rules(["match"], [self.payload(1)])
        self.assertEqual(outcome["matches"], [])
        self.assertIn("not candidates", liar.last_error)

    def test_logic_only_rules_become_instructions_for_the_model(self):
        self.make_rule(name="Shirley", match_logic="Label unreliable for Shirley Ramsumair: match on amount.")
        self.make_rule(name="Coded", match_code="result = []", match_logic="ignored: deterministic")
        outcome = self.Rule._apply_rules(["match"], [])
        self.assertIn("Shirley (admin rule", outcome["instructions"])
        self.assertIn("Label unreliable", outcome["instructions"])
        self.assertNotIn("Coded", outcome["instructions"])

    def test_the_agent_prompt_carries_the_logic_only_rules_in_priority_order(self):
        self.make_rule(name="Proposed", created_by="ai", match_logic="AI idea.")
        self.make_rule(name="Shirley", match_logic="Label unreliable for Shirley Ramsumair.")
        self.make_rule(name="Coded", match_code="result = []")
        rules = self.env["fusion.accounting.agent"]._prompt_rules(())
        ours = [rule for rule in rules if rule.instructions in ("AI idea.", "Label unreliable for Shirley Ramsumair.")]
        self.assertEqual([rule.instructions for rule in ours], ["Label unreliable for Shirley Ramsumair.", "AI idea."])
        self.assertTrue(ours[1].name.startswith("Proposed (AI rule, needs approval"))
        self.assertNotIn("Coded", " ".join(rule.name for rule in rules))

    # -- priority ----------------------------------------------------------------

    def test_rules_apply_in_the_priority_order_of_the_design(self):
        proposed = self.make_rule(name="AI proposed", created_by="ai", sequence=1)
        proven = self.make_rule(name="AI proven", created_by="ai", approval_tier="auto", sequence=1)
        admin = self.make_rule(name="Admin", created_by="admin", sequence=99)
        other_type = self.make_rule(name="Audit", rule_type="audit")
        ordered = self.Rule._get_rules_in_priority(["match"])
        # Recordsets compare as sets: compare the ids to check the order.
        self.assertEqual([r.id for r in ordered if r in admin | proven | proposed], [admin.id, proven.id, proposed.id])
        self.assertNotIn(other_type, ordered)

    def test_the_first_rule_in_priority_claims_a_line(self):
        self.make_rule(name="AI", created_by="ai", match_code="result = [11]", sequence=1)
        admin = self.make_rule(name="Admin", created_by="admin", match_code="result = [12]", sequence=50)
        [match] = self.Rule._apply_rules(["match"], [self.payload(1)])["matches"]
        self.assertEqual((match["rule_id"], match["item_ids"]), (admin.id, [12]))

    def test_journal_restricted_rules_only_apply_to_their_journals(self):
        bank = self.company_data["default_journal_bank"]
        cash = self.company_data["default_journal_cash"]
        rule = self.make_rule(journal_ids=[(6, 0, bank.ids)])
        self.assertIn(rule, self.Rule._get_rules_in_priority(journal=bank))
        self.assertNotIn(rule, self.Rule._get_rules_in_priority(journal=cash))

    # -- scoring -------------------------------------------------------------------

    def test_promotion_after_enough_approvals_then_admin_demotion_and_reinstatement(self):
        rule = self.make_rule(created_by="ai")
        self.assertEqual((rule.promotion_threshold, rule.min_sample_size), (0.95, 30))
        for _ in range(29):
            rule._record_decision(True)
        self.assertTier(rule, "needs_approval")
        [events] = rule._record_decision(True)
        self.assertTier(rule, "auto", confidence_at_least=0.95)
        self.assertEqual([event.kind for event in events], ["promoted"])

        with self.assertRaises(AccessError):
            rule.with_user(self.manager).action_demote()
        rule.action_demote()
        self.assertTier(rule, "needs_approval")
        self.assertTrue(rule.tier_held)
        rule._record_decision(True)
        self.assertTier(rule, "needs_approval")  # held: no promotion behind the admin's back
        rule.action_reinstate()
        self.assertTier(rule, "auto")
        self.assertEqual(rule.total_approved, 31)
        self.assertTrue(
            any("promoted" in body and "0.9" in body for body in rule.message_ids.mapped("body")),
            "the promotion is logged on the rule",
        )

    def test_promotion_follows_the_settings(self):
        self.env["ir.config_parameter"].set_param("fusion_accounting.min_sample_size", 5)
        self.env["ir.config_parameter"].set_param("fusion_accounting.promotion_threshold", 0.8)
        rule = self.make_rule(created_by="ai")
        for _ in range(5):
            rule._record_decision(True)
        self.assertTier(rule, "auto")

    def test_a_rejection_of_an_automatic_rule_demotes_it(self):
        rule = self.make_rule(created_by="ai", min_sample_size=3, promotion_threshold=0.7)
        for _ in range(3):
            rule._record_decision(True)
        self.assertTier(rule, "auto")
        rule._record_decision(False)
        self.assertTier(rule, "needs_approval")

    # -- security --------------------------------------------------------------------

    def test_staff_reads_manager_edits_admin_configures(self):
        rule = self.make_rule()
        self.assertEqual(rule.with_user(self.staff).name, "Rule")
        with self.assertRaises(AccessError):
            rule.with_user(self.staff).write({"name": "x"})
        as_manager = self.Rule.with_user(self.manager).create(
            {"name": "M", "match_logic": "m", "approval_tier": "auto"}
        )
        self.assertEqual(as_manager.approval_tier, "needs_approval", "a manager cannot create a proven rule")
        with self.assertRaises(AccessError):
            as_manager.write({"approval_tier": "auto"})
        with self.assertRaises(AccessError):
            as_manager.write({"promotion_threshold": 0.5})
        as_manager.write({"match_logic": "new logic"})  # a manager edits: a new version
        self.assertFalse(as_manager.active)

    def test_rule_wizard_and_tool_create_an_ai_rule_needing_approval(self):
        spec = REGISTRY.get("propose_rule")
        self.assertEqual(int(spec.tier), 3)
        result = spec.function(
            self.env, name="Elavon", match_logic="Card batches, 1.6% fee", fee_account_code=self.fee_account.code
        )
        rule = self.Rule.browse(result["rule"]["id"])
        self.assertEqual(
            (rule.created_by, rule.approval_tier, rule.fee_account_id), ("ai", "needs_approval", self.fee_account)
        )
        with self.assertRaises(ToolRefusal) as refused:
            spec.function(self.env, name="x", match_logic="y", fee_account_code="NOPE")
        self.assertEqual(refused.exception.result(), {"ok": False, "error": "no account with code NOPE"})


@tagged("post_install", "-at_install")
class TestToolScenarioPromotion(AccountTestInvoicingCommon):
    def test_a_tool_scenario_is_promoted_to_tier_2_and_an_admin_reverts_it(self):
        self.env.user.group_ids += self.env.ref("fusion_accounting_core.group_fusion_admin")
        Pair = self.env["fusion.accounting.tool.scenario"]

        def tier_of(tool, scenario):  # 3 until the pair is promoted, as the learned tier the gate receives
            domain = [("tool_name", "=", tool), ("scenario", "=", scenario), ("company_id", "=", self.env.company.id)]
            pair = Pair.search(domain)
            return pair.effective_tier if pair else 3

        self.env["ir.config_parameter"].set_param("fusion_accounting.min_sample_size", 10)
        self.env["ir.config_parameter"].set_param("fusion_accounting.promotion_threshold", 0.9)
        tool, scenario = "match_bank_line_to_payments", "card_batch"
        # Ten distinct successful calls approved in turn by two Managers over 18 days (issue 18: not one person).
        approvers = [
            new_test_user(
                self.env,
                f"promo_approver_{n}",
                groups="account.group_account_manager,fusion_accounting_core.group_fusion_manager",
                company_ids=[(6, 0, self.env.company.ids)],
            )
            for n in range(2)
        ]
        start = datetime(2026, 3, 2, 10, 0)
        for n in range(9):
            day = start + timedelta(days=2 * n)
            decided_proposal(self.env, tool, {"n": n}, approvers[n % 2], day, scenario=scenario)
        self.assertEqual(tier_of(tool, scenario), 3)
        decided_proposal(self.env, tool, {"n": 9}, approvers[1], start + timedelta(days=18), scenario=scenario)
        self.assertEqual(tier_of(tool, scenario), 2)
        self.assertEqual(tier_of(tool, "reference"), 3, "promotion is per scenario")

        pair = Pair.search([("tool_name", "=", tool), ("scenario", "=", scenario)])
        pair.action_revert()
        self.assertEqual((tier_of(tool, scenario), pair.held), (3, True))
        pair.action_reinstate()
        self.assertEqual(tier_of(tool, scenario), 2)


@tagged("post_install", "-at_install")
class TestLearningFromDecisions(AccountTestInvoicingCommon):
    """A human decision on a proposal counts on its rule and on its (tool, scenario) pair."""

    def test_a_rejected_proposal_counts_on_its_rule_and_its_tool_scenario(self):
        manager = new_test_user(
            self.env,
            "rules_decider",
            groups="account.group_account_manager,fusion_accounting_core.group_fusion_manager",
            company_id=self.env.company.id,
            company_ids=[(6, 0, self.env.company.ids)],
        )
        rule = self.env["fusion.accounting.rule"].create({"name": "Elavon", "match_logic": "m", "created_by": "ai"})
        params = {"statement_line_id": 1, "move_line_ids": [2, 3]}
        proposal = (
            self.env["fusion.accounting.match.history"]
            .sudo()
            .create(
                {
                    "company_id": self.env.company.id,
                    "user_id": manager.id,
                    "tool_name": "match_bank_line_to_payments",
                    "tier": "3",
                    "tool_params": canonical_json(params),
                    "arguments_hash": arguments_hash(params),
                    "rule_id": rule.id,
                    "fusion_scenario": "card_batch",
                }
            )
        )

        proposal.with_user(manager).action_reject("wrong fee account")

        self.assertEqual((rule.total_uses, rule.total_rejected, rule.confidence_score), (1, 1, 0.0))
        pair = self.env["fusion.accounting.tool.scenario"].search(
            [("tool_name", "=", "match_bank_line_to_payments"), ("scenario", "=", "card_batch")]
        )
        self.assertEqual((pair.total_rejected, pair.effective_tier), (1, 3))

    def test_similar_approved_matches_raise_confidence_and_are_named(self):
        bank = self.company_data["default_journal_bank"]

        def st_line(label, amount):
            return self.env["account.bank.statement.line"].create(
                {"journal_id": bank.id, "payment_ref": label, "amount": amount, "date": "2026-03-04"}
            )

        History = self.env["fusion.accounting.match.history"].sudo()
        past = History.browse()
        for day, amount in (("0302", 650.10), ("0303", 702.00), ("0304", 688.45)):
            params = {"statement_line_id": day}
            past |= History.create(
                {
                    "company_id": self.env.company.id,
                    "user_id": self.env.uid,
                    "tool_name": "match_bank_line_to_payments",
                    "tier": "3",
                    "tool_params": canonical_json(params),
                    "arguments_hash": arguments_hash(params),
                    "fusion_scenario": "card_batch",
                    "bank_statement_line_id": st_line(f"ELAVON MERCH DEP {day} BATCH 4", amount).id,
                    "decision": "approved",
                    "decided_at": "2026-03-05 10:00:00",
                }
            )
        new = st_line("ELAVON MERCH DEP 0305 BATCH 5", 697.61)

        recall = History._fusion_recall(new, 0.8, kind="card_batch")

        self.assertGreater(recall.confidence, 0.8)
        self.assertEqual(set(recall.support), set(past.ids))
        for record in past:
            self.assertIn(f"#{record.id}", recall.reason)
        self.assertEqual(History._fusion_recall(new, 0.8, kind="reference").confidence, 0.8, "other kinds do not count")


@tagged("post_install", "-at_install")
class TestRulesInReconciliation(BookkeepingCase):
    """Rules are applied before any reasoning: their matches lead the suggestions the model reads."""

    FEE_RULE = """
found = [c for c in candidates if 'SHARED LEASE' in line['label'] and c['amount'] >= line['amount']]
if len(found) == 1:
    result = {'ids': [found[0]['id']], 'fee': round(found[0]['amount'] - line['amount'], 2)}
"""

    def test_a_rule_match_comes_first_with_its_fee_account(self):
        self.env.user.group_ids += self.env.ref("fusion_accounting_core.group_fusion_admin")
        invoice = self.invoice(709.14)
        receivable = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        rule = self.env["fusion.accounting.rule"].create(
            {"name": "Shared lease", "match_code": self.FEE_RULE, "fee_account_id": self.card_fees.id}
        )
        st_line = self.bank_line(697.61, "SHARED LEASE MARCH")

        result = tool("get_reconcile_suggestions")(self.env, st_line.id)

        first = result["suggestions"][0]
        self.assertEqual((first["kind"], first["item_ids"], first["fee"]), ("rule", receivable.ids, 11.53))
        self.assertIn("Shared lease", first["reason"])
        self.assertIn(self.card_fees.code, first["reason"])
        self.assertFalse(rule.last_error)

    def test_a_broken_rule_does_not_hide_the_engine_suggestions(self):
        self.env.user.group_ids += self.env.ref("fusion_accounting_core.group_fusion_admin")
        invoice = self.invoice(100.0)
        broken = self.env["fusion.accounting.rule"].create({"name": "Broken", "match_code": "result = 1 / 0"})
        st_line = self.bank_line(100.0, f"Payment {invoice.name}")

        result = tool("get_reconcile_suggestions")(self.env, st_line.id)

        self.assertEqual(result["suggestions"][0]["kind"], "reference")
        self.assertIn("ZeroDivisionError", broken.last_error)
