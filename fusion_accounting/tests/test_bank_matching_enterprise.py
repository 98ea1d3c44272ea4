"""With Enterprise Accounting installed, auto-reconciliation runs our engine first, then Enterprise's on the lines ours
left, and says which engine booked which line.

Tagged ``fusion_coexistence`` so the suite's Enterprise pass runs it; on Community it skips with its reason.
"""

from unittest import SkipTest

from odoo.tests import tagged

from odoo.addons.fusion_accounting_core.tools.modules import module_installed

from .bookkeeping_common import BookkeepingCase, tool


@tagged("post_install", "-at_install", "fusion_coexistence")
class TestBankMatchingWithEnterprise(BookkeepingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not module_installed(cls.env, "account_accountant"):
            raise SkipTest("Enterprise account_accountant is not installed: only our engine runs")
        cls.multi = cls.invoice(100.0, cls.partner_b) + cls.invoice(25.5, cls.partner_b)
        # Older than the horizon our engine offers to a line: only Enterprise's reference matching can see it.
        cls.old = cls.invoice(640.0, cls.partner_c, day="2024-06-03")
        cls.line_ours = cls.bank_line(125.5, "PMT " + " ".join(cls.multi.mapped("name")))
        cls.line_theirs = cls.bank_line(640.0, f"PAYMENT {cls.old.name}")
        cls.line_noise = cls.bank_line(-12.5, "SERVICE CHARGE")
        cls.result = tool("auto_reconcile_bank_lines")(cls.env)
        cls.engines = {match["statement_line_id"]: match["engine"] for match in cls.result["matches"]}

    def test_both_engines_run_ours_first(self):
        self.assertEqual(self.result["engine"], "fusion+enterprise")
        self.assertEqual(self.engines.get(self.line_ours.id), "fusion")
        self.assertReconciled(self.line_ours)
        for invoice in self.multi:
            self.assertPaid(invoice)

    def test_enterprise_books_only_what_ours_left_and_the_answer_says_so(self):
        counts = self.result["matched_by_engine"]
        self.assertEqual(counts["fusion"] + counts["enterprise"], self.result["matched"])
        for line_id, engine in self.engines.items():
            line = self.env["account.bank.statement.line"].browse(line_id)
            self.assertReconciled(line)
            self.assertIn(engine, ("fusion", "enterprise"))
        if self.line_theirs.is_reconciled:
            self.assertEqual(self.engines[self.line_theirs.id], "enterprise")
            self.assertPaid(self.old)

    def test_every_line_left_is_unreconciled_and_not_claimed_by_an_engine(self):
        self.assertReconciled(self.line_noise, False)
        self.assertNotIn(self.line_noise.id, self.engines)
