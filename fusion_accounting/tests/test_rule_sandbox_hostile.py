"""Issue 18, failure 6: a rule returning a NaN or an absurd fee is recorded on the rule and skipped.

Before, a NaN fee passed the result check, and turning it into cents crashed
the suggestions of the line for everyone; an automatic rule's absurd fee broke
the auto-reconcile run.  Now the sandbox refuses non-finite numbers, the fee is
checked as a bounded amount, and the next rule and the engine carry on.
"""

from odoo.tests import tagged

from .bookkeeping_common import BookkeepingCase, tool

NAN_RULE = "result = {'ids': [c['id'] for c in candidates], 'fee': float('nan')}"
HUGE_FEE_RULE = "result = {'ids': [c['id'] for c in candidates if c['amount'] >= line['amount']], 'fee': 1e308}"
LEASE_RULE = """
found = [c for c in candidates if 'SHARED LEASE' in line['label'] and c['amount'] >= line['amount']]
if len(found) == 1:
    result = {'ids': [found[0]['id']], 'fee': round(found[0]['amount'] - line['amount'], 2)}
"""


@tagged("post_install", "-at_install")
class TestHostileRulesAreSkipped(BookkeepingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("fusion_accounting_core.group_fusion_admin")

    def rule(self, name, code, sequence, **values):
        return self.env["fusion.accounting.rule"].create(
            {"name": name, "match_code": code, "sequence": sequence, "fee_account_id": self.card_fees.id, **values}
        )

    def test_a_nan_fee_rule_does_not_break_the_line_s_suggestions_and_is_recorded(self):
        nan = self.rule("NaN fee", NAN_RULE, 1)
        lease = self.rule("Shared lease", LEASE_RULE, 2)
        invoice = self.invoice(709.14)
        st_line = self.bank_line(697.61, "SHARED LEASE MARCH")

        result = tool("get_reconcile_suggestions")(self.env, st_line.id)

        first = result["suggestions"][0]
        self.assertEqual(
            (first["kind"], first["item_ids"], first["fee"]), ("rule", self.receivable(invoice).ids, 11.53)
        )
        self.assertIn(lease.name, first["reason"])
        self.assertTrue(nan.last_error.startswith("not_finite"), nan.last_error)
        self.assertEqual(nan.fusion_failure_count, 1)
        tool("get_reconcile_suggestions")(self.env, st_line.id)
        self.assertEqual(nan.fusion_failure_count, 2, "each failure counts")
        self.assertFalse(lease.last_error)

    def test_an_automatic_rule_s_absurd_fee_is_skipped_and_the_next_rule_books(self):
        huge = self.rule("Huge fee", HUGE_FEE_RULE, 1, rule_type="fee", approval_tier="auto")
        self.rule("Shared lease", LEASE_RULE, 2, rule_type="fee", approval_tier="auto")
        invoice = self.invoice(709.14)
        st_line = self.bank_line(697.61, "SHARED LEASE MARCH")

        matched, _left, failed = self.env["fusion.bank.reconciler"]._auto_reconcile(st_line)

        self.assertEqual(([line_id for line_id, _s in matched], failed), ([st_line.id], {}))
        self.assertPaid(invoice)
        fee = st_line.move_id.line_ids.filtered(lambda line: line.account_id == self.card_fees)
        self.assertEqual(fee.balance, 11.53)
        self.assertEqual(huge.last_error, "bad_result: fee must be within 1000000000000")
        self.assertEqual(huge.fusion_failure_count, 1)
