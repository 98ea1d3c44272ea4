"""Issue 18, failure 3: no context key sent over RPC changes what a rule edit does.

An automatic rule earned its tier with its logic; any edit of that logic must
become a new, unproven version.  The yardstick also watches the automatic
rules' code: an attempt that changes the logic of a rule still automatic
counts as a write without approval.
"""

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.fusion_accounting_core.tests.attack_common import AttackSuiteMixin

from ..services.scoring import AUTO, NEEDS_APPROVAL

CARD_CODE = "if 'ELAVON' in line['label']:\n    result = {'ids': [c['id'] for c in candidates]}"
HOSTILE_CODE = "result = {'ids': [c['id'] for c in candidates]}"  # matches everything
IN_PLACE = {"fusion_rule_in_place": True}


@tagged("post_install", "-at_install")
class TestAttackRulesContext(AttackSuiteMixin, AccountTestInvoicingHttpCommon):
    attack_extra_snapshot = {
        "automatic rule logic": (
            "SELECT count(*), coalesce(string_agg(id || ':' || md5(concat_ws('|', match_code, trigger_domain, "
            "match_logic, rule_type, fee_account_id, write_off_account_id)), ',' ORDER BY id), '') "
            "FROM fusion_accounting_rule WHERE approval_tier = 'auto'"
        ),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company_data["company"]
        cls.manager = new_test_user(
            cls.env,
            login="rules_attacker",
            groups="base.group_user,fusion_accounting_core.group_fusion_manager",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        cls.rule = (
            cls.env["fusion.accounting.rule"]
            .sudo()
            .create(
                {
                    "name": "Elavon card batches",
                    "company_id": company.id,
                    "rule_type": "match",
                    "created_by": "ai",
                    "match_logic": "Card batches net of fees.",
                    "match_code": CARD_CODE,
                    "approval_tier": AUTO,
                    "confidence_score": 0.975,
                    "total_uses": 40,
                    "total_approved": 40,
                }
            )
        )

    def call_kw(self, method, args, kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": "fusion.accounting.rule", "method": method, "args": args, "kwargs": kwargs},
        )

    def assertStillProven(self):
        """The automatic version keeps its own logic; every edit of it waits for approval."""
        chain = self.rule.with_context(active_test=False).search([("origin_rule_id", "=", self.rule.id)])
        for version in chain.filtered(lambda rule: rule.approval_tier == AUTO):
            self.assertEqual((version.version, version.match_code), (1, CARD_CODE))
        for version in chain - self.rule:
            self.assertEqual((version.approval_tier, version.confidence_score), (NEEDS_APPROVAL, 0.0))

    def active_version(self):
        return self.env["fusion.accounting.rule"].search([("origin_rule_id", "=", self.rule.id)])

    def edit(self, vals, context=None):
        """Write ``vals`` on the chain's active version over ``call_kw``."""
        return self.call_kw("write", [self.active_version().ids, vals], {"context": context or {}})

    @mute_logger("odoo.http")
    def test_context_keys_from_rpc_never_skip_versioning(self):
        attempts = [
            ("code, in place", {"match_code": HOSTILE_CODE}),
            ("trigger, in place", {"trigger_domain": "[('amount', '>', 0)]"}),
            ("instructions, in place", {"match_logic": "Match anything."}),
            ("code and tier, in place", {"match_code": HOSTILE_CODE, "approval_tier": AUTO}),
        ]
        self.authenticate("rules_attacker", "rules_attacker")
        for label, vals in attempts:
            with self.subTest(label):
                self.attack(label, lambda v=vals: self.edit(v, IN_PLACE))
                self.assertStillProven()

    @mute_logger("odoo.http")
    def test_an_edit_over_rpc_becomes_a_new_unproven_version(self):
        self.authenticate("rules_attacker", "rules_attacker")
        self.attack("edit the code with the in-place key", lambda: self.edit({"match_code": HOSTILE_CODE}, IN_PLACE))
        self.rule.invalidate_recordset()
        self.assertFalse(self.rule.active, "the proven version is archived, not rewritten")
        self.assertEqual(self.rule.match_code, CARD_CODE)
        new = self.active_version()
        self.assertEqual((new.version, new.match_code), (2, HOSTILE_CODE))
        self.assertEqual((new.approval_tier, new.confidence_score, new.total_uses), (NEEDS_APPROVAL, 0.0, 0))

    @mute_logger("odoo.http")
    def test_origin_and_version_are_no_side_door_to_the_earned_tier(self):
        """An admin rule keeps its tier across versions: a manager may not relabel an AI rule as one first."""
        self.authenticate("rules_attacker", "rules_attacker")
        for label, vals in [
            ("claim admin origin", {"created_by": "admin"}),
            ("reset the version", {"version": 1}),
            ("detach from the chain", {"parent_rule_id": False}),
        ]:
            with self.subTest(label):
                before = self._attack_counts["refused"]
                self.attack(label, lambda v=vals: self.edit(v))
                self.assertEqual(self._attack_counts["refused"], before + 1, f"{label}: it was not refused")
        self.attack("then edit the code", lambda: self.edit({"match_code": HOSTILE_CODE}))
        self.assertStillProven()
        self.rule.invalidate_recordset()
        self.assertEqual((self.rule.created_by, self.rule.version), ("ai", 1))
