"""Automatic rules book their matches in auto-reconciliation, without approval (design 4.3)."""

from odoo.tests import tagged

from .bookkeeping_common import BookkeepingCase

LEASE_RULE = """
found = [c for c in candidates if 'SHARED LEASE' in line['label'] and c['amount'] >= line['amount']]
if len(found) == 1:
    result = {'ids': [found[0]['id']], 'fee': round(found[0]['amount'] - line['amount'], 2)}
"""


@tagged("post_install", "-at_install")
class TestAutoRulesBook(BookkeepingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("fusion_accounting_core.group_fusion_admin")
        cls.lease_costs = cls.env["account.account"].create(
            {"code": "512400", "name": "Shared Lease Costs", "account_type": "expense"}
        )

    def lease_rule(self, tier, **values):
        return self.env["fusion.accounting.rule"].create(
            {
                "name": "Shared lease",
                "rule_type": "fee",
                "match_code": LEASE_RULE,
                "fee_account_id": self.lease_costs.id,
                "approval_tier": tier,
                **values,
            }
        )

    def auto_reconcile(self, st_lines):
        return self.env["fusion.bank.reconciler"]._auto_reconcile(st_lines)

    def test_an_automatic_rule_books_the_line_and_logs_the_decision(self):
        rule = self.lease_rule("auto")
        invoice = self.invoice(709.14)
        st_line = self.bank_line(697.61, "SHARED LEASE MARCH")

        matched, _left, failed = self.auto_reconcile(st_line)

        self.assertEqual(([line_id for line_id, _s in matched], failed), ([st_line.id], {}))
        self.assertReconciled(st_line)
        self.assertPaid(invoice)
        fee = st_line.move_id.line_ids.filtered(lambda line: line.account_id == self.lease_costs)
        self.assertEqual(fee.balance, 11.53, "the fee goes to the rule's fee account")
        self.assertEqual(rule.total_uses, 1)
        history = self.env["fusion.accounting.match.history"].search([("rule_id", "=", rule.id)])
        self.assertEqual(
            (history.decision, history.tier, history.bank_statement_line_id, history.move_line_ids),
            ("auto", "2", st_line, self.receivable(invoice)),
        )
        self.assertIn("Shared lease", history.ai_reasoning)
        self.assertGreater(history.ai_confidence, 0.9)

    def test_a_rule_needing_approval_only_suggests(self):
        rule = self.lease_rule("needs_approval", created_by="ai")
        self.invoice(709.14)
        st_line = self.bank_line(697.61, "SHARED LEASE MARCH")

        matched, _left, _failed = self.auto_reconcile(st_line)

        self.assertFalse(matched)
        self.assertReconciled(st_line, False)
        self.assertEqual(rule.total_uses, 0)
        suggestion = self.env["fusion.bank.reconciler"]._suggestions(st_line)[0]
        self.assertEqual(suggestion.kind, "rule", "the rule still leads the suggestions for review")

    def test_a_hostile_automatic_rule_errors_on_itself_and_the_run_goes_on(self):
        Rule = self.env["fusion.accounting.rule"]
        hostile = Rule.create(
            {"name": "Hostile", "match_code": "result = ['a' * 10**10]", "approval_tier": "auto", "sequence": 1}
        )
        self.lease_rule("auto", sequence=2)
        lease_invoice, paid_by_reference = self.invoice(709.14), self.invoice(250.0)
        lease_line = self.bank_line(697.61, "SHARED LEASE MARCH")
        reference_line = self.bank_line(250.0, f"Payment {paid_by_reference.name}")

        matched, _left, failed = self.auto_reconcile(lease_line | reference_line)

        self.assertEqual({line_id for line_id, _s in matched}, {lease_line.id, reference_line.id})
        self.assertEqual(failed, {})
        self.assertPaid(lease_invoice)
        self.assertPaid(paid_by_reference)
        self.assertTrue(hostile.last_error)
        self.assertEqual(hostile.total_uses, 0)
