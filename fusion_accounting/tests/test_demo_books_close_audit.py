"""On the demo company's books (fusion_accounting_core/demo_company): statements tie out, every ADP split holds,
the full audit finds every planted defect of the answer key, and it reports exactly what the finders find."""

from collections import defaultdict
from datetime import date

from odoo.tests import tagged

from .close_common import StatementAssertions, tool
from .demo_books_common import TODAY, DemoBooksCase
from .test_demo_books_bookkeeping import _all_rows

# Answer-key defect kind -> which of its records (or its account) our finding points at.
DEFECT_TARGETS = {
    "duplicate_entry": lambda d: d["records"][-1]["id"],
    "duplicate_bill": lambda d: d["records"][-1]["id"],
    "wrong_direction_balance": lambda d: d["account_id"],
    "suspense_balance": lambda d: d["account_id"],
}


def _copies(groups, key):
    """The documents a duplicate finder lists after the first of each group: the copies."""
    return {doc["id"] for group in groups for doc in group[key][1:]}


def _ids(rows):
    return {row["id"] for row in rows}


def _accounts(rows):
    return {row["account"]["id"] for row in rows}


@tagged("post_install", "-at_install")
class TestDemoBooksCloseAudit(DemoBooksCase, StatementAssertions):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fiscal_start = date(TODAY.year, 1, 1)

    def test_statements_tie_out(self):
        self.assertTrialBalanceZero(tool("get_trial_balance")(self.env, date_to=TODAY))
        pnl = tool("get_profit_loss")(self.env, date_from=self.fiscal_start, date_to=TODAY)
        self.assertNetIncomeIsCurrentYearEarnings(pnl, tool("get_balance_sheet")(self.env, date_to=TODAY))
        self.assertCashExplained(tool("get_cash_flow")(self.env, date_from=self.plan.start, date_to=TODAY))
        self.assertCashExplained(tool("get_cash_flow")(self.env, date_from=self.fiscal_start, date_to=TODAY))

    def test_the_adp_split_holds_on_every_adp_invoice(self):
        result = tool("verify_adp_split")(self.env, date_from=self.plan.start, date_to=TODAY)
        self.assertGreater(result["invoices"], 0)
        self.assertEqual(result["mismatches"], [])

    def test_the_full_audit_finds_every_planted_defect(self):
        audit = tool("run_full_audit")(self.env, date_from=self.plan.start, date_to=TODAY)
        findings = self.env["fusion.audit.engine"].run_all(self.plan.start, TODAY)
        self.assertEqual(audit["count"], len(findings))
        expected = {
            (d["kind"], DEFECT_TARGETS.get(d["kind"], lambda x: x["records"][0]["id"])(d)) for d in self.key["defects"]
        }
        self.assertTrue(expected)
        self.assertFindsKinds(findings, expected)

    def test_the_audit_reports_what_the_finders_find(self):
        """One implementation per check: each audit kind flags exactly the records its finder lists."""
        start = self.plan.start
        period = {"date_from": start, "date_to": TODAY}
        found = defaultdict(set)
        for finding in self.env["fusion.audit.engine"].run_all(start, TODAY):
            found[finding["kind"]].add(finding["res_id"] or finding["account_id"])
        expected = {
            "duplicate_entry": _copies(_all_rows(self.env, "find_duplicate_entries", **period), "moves"),
            "duplicate_bill": _copies(_all_rows(self.env, "find_duplicate_bills", **period), "bills"),
            "wrong_direction_balance": _accounts(_all_rows(self.env, "find_wrong_direction_balances", date_to=TODAY)),
            "suspense_balance": _accounts(_all_rows(self.env, "find_unreconciled_suspense", date_to=TODAY)),
            "sequence_gap": _ids(_all_rows(self.env, "find_sequence_gaps", **period)),
            "forgotten_draft": _ids(_all_rows(self.env, "find_draft_entries", today=TODAY, older_than_days=30)),
            "taxable_invoice_without_tax": _ids(_all_rows(self.env, "find_missing_tax_invoices", **period)),
            "bill_without_itc": _ids(_all_rows(self.env, "find_missing_itc_bills", **period)),
        }
        for kind, flagged in expected.items():
            with self.subTest(kind=kind):
                self.assertTrue(flagged, f"{kind}: nothing to compare on the demo books")
                self.assertEqual(found[kind], flagged)

    def test_the_close_proposes_every_planted_closing_error_of_the_answer_key(self):
        """Issue 21: the gaps planted in the monthly schedules and accruals, with their accounts and amounts; besides
        them only the planted duplicate pay run (a period posted twice)."""
        end = TODAY
        found = tool("find_close_adjustments")(self.env, date_from=end.replace(day=1), date_to=end)["adjustments"]
        self.assertTrue(self.key["close_adjustments"])
        proposed = {(row["kind"], (row["evidence"].get("period") or row["evidence"]["date"])[:7]): row for row in found}
        for gap in self.key["close_adjustments"]:
            with self.subTest(kind=gap["kind"]):
                row = proposed.pop((gap["kind"], gap["month"]))
                lines = {(line["account_id"], line["debit"], line["credit"]) for line in row["lines"]}
                amount = gap["amount"]
                self.assertEqual(lines, {(gap["debit"]["id"], amount, 0.0), (gap["credit"]["id"], 0.0, amount)})
        self.assertEqual([kind for kind, _month in proposed], ["duplicate_period"])
        checklist = tool("get_close_checklist")(self.env, date_from=end.replace(day=1), date_to=end)
        self.assertFalse(checklist["ready_to_lock"])
