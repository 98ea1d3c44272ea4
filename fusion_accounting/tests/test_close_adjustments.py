"""Issue 21: the close finds what is missing from a year of ordinary books and proposes the adjusting entries.

A fresh company keeps a year of monthly bookkeeping (depreciation, prepaid insurance, a recurring
accrual reversed the next month, interest accrued and released, payroll on the 25th with its
month-end cut-off accrual, goods received and cost of sales) on accounts created here with no
particular code or name: only their ``account_type`` says what they are.  One planted gap per kind,
in months across the year; a second company keeps the same books clean.
"""

from datetime import date, timedelta

from odoo.tests import new_test_user, tagged

from odoo.addons.fusion_accounting_core.services.tools import ToolRefusal

from ..tools.close_adjustments import AdjustingLine
from .close_common import CloseCase, tool
from .common import pending_proposal

YEAR = 2025
CLOSE = (date(YEAR, 12, 1), date(YEAR, 12, 31))
DEPRECIATION, INSURANCE, FEES, INTEREST, WAGES, RECEIPTS = 800.0, 250.0, 1200.0, 90.0, 31000.0, 9000.0
# kind -> (month of the gap, debit role, credit role, amount)
PLANTED = {
    "missing_depreciation": (3, "depreciation", "fixed", DEPRECIATION),
    "missing_amortization": (6, "insurance", "prepaid", INSURANCE),
    "missing_accrual": (8, "fees", "accrued", FEES),
    "payroll_cutoff": (10, "wages", "accrued_payroll", round(WAGES * 6 / 31, 2)),
    "unreleased_accrual": (4, "accrued", "interest", INTEREST),
    "missing_receipt": (11, "inventory", "accrued", RECEIPTS),
}
ROLES = {
    "fixed": "asset_fixed",
    "prepaid": "asset_prepayments",
    "inventory": "asset_current",
    "accrued": "liability_current",
    "accrued_payroll": "liability_current",
    "payable": "liability_payable",
    "depreciation": "expense_depreciation",
    "insurance": "expense",
    "fees": "expense",
    "interest": "expense",
    "wages": "expense",
    "cogs": "expense_direct_cost",
}


def month_end(month):
    return (date(YEAR, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


class ClosingBooksCase(CloseCase):
    """A year of monthly books on accounts known only by their type; ``plant`` leaves one gap per kind."""

    plant = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accounts = {
            role: cls.account(
                f"7{index:04d}", f"Account {index}", account_type, reconcile=account_type == "liability_payable"
            )
            for index, (role, account_type) in enumerate(ROLES.items())
        }
        cls.vendor = cls.partner_b
        cls.build_year()

    @classmethod
    def skip(cls, kind, month):
        return cls.plant and PLANTED[kind][0] == month

    @classmethod
    def book(cls, day, ref, debit, credit, amount, *, partner=None):
        a = cls.accounts
        return cls.entry(day, [(a[debit], amount), (a[credit], -amount)], ref=ref, partner=partner)

    @classmethod
    def build_year(cls):
        a = cls.accounts
        cls.entry(date(YEAR - 1, 12, 15), [(a["fixed"], 48000.0), (cls.bank_account, -48000.0)], ref="Truck")
        cls.entry(date(YEAR, 1, 2), [(a["prepaid"], INSURANCE * 12), (cls.bank_account, -INSURANCE * 12)], ref="Policy")
        cls.entry(date(YEAR - 1, 12, 20), [(a["inventory"], 30000.0), (cls.bank_account, -30000.0)], ref="Stock")
        for m in range(1, 13):
            end, tag = month_end(m), f"{YEAR}-{m:02d}"
            if not cls.skip("missing_depreciation", m):
                cls.book(end, f"Depreciation {tag}", "depreciation", "fixed", DEPRECIATION)
            if not cls.skip("missing_amortization", m):
                cls.book(end, f"Insurance {tag}", "insurance", "prepaid", INSURANCE)
            if not cls.skip("missing_accrual", m):
                cls.book(end, f"Accrued fees {tag}", "fees", "accrued", FEES)
                if m < 12:
                    cls.book(end + timedelta(days=1), f"Reverse accrued fees {tag}", "accrued", "fees", FEES)
            cls.book(end, f"Accrued interest {tag}", "interest", "accrued", INTEREST)
            if m < 12 and not cls.skip("unreleased_accrual", m):
                cls.book(end + timedelta(days=2), f"Release interest {tag}", "accrued", "interest", INTEREST)
            cls.entry(date(YEAR, m, 25), [(a["wages"], WAGES), (cls.bank_account, -WAGES)], ref=f"Payroll {tag}-25")
            if not cls.skip("payroll_cutoff", m):
                cutoff = round(WAGES * (end.day - 25) / end.day, 2)
                cls.book(end, f"Payroll cut-off {tag}", "wages", "accrued_payroll", cutoff)
                if m < 12:
                    cls.book(
                        end + timedelta(days=1), f"Reverse payroll cut-off {tag}", "accrued_payroll", "wages", cutoff
                    )
            if not cls.skip("missing_receipt", m):
                cls.book(
                    date(YEAR, m, 5), f"Goods received {tag}", "inventory", "payable", RECEIPTS, partner=cls.vendor
                )
            cls.book(end, f"Cost of sales {tag}", "cogs", "inventory", RECEIPTS - 50 * m)

    def adjustments(self):
        return tool("find_close_adjustments")(self.env, date_from=CLOSE[0], date_to=CLOSE[1])["adjustments"]


@tagged("post_install", "-at_install")
class TestCloseAdjustments(ClosingBooksCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="fusion_close_manager",
            groups="base.group_user,account.group_account_manager,fusion_accounting_core.group_fusion_manager",
            company_ids=[(6, 0, cls.env.company.ids)],
        )

    def assertProposes(self, adjustments, kind):
        month, debit, credit, amount = PLANTED[kind]
        found = [row for row in adjustments if row["kind"] == kind]
        self.assertEqual(len(found), 1, f"{kind}: {found or [r['memo'] for r in adjustments]}")
        [row] = found
        self.assertEqual(row["date"], CLOSE[1].isoformat(), "a catch-up is dated in the period being closed")
        when = row["evidence"].get("period") or row["evidence"]["date"]
        self.assertEqual(when[:7], f"{YEAR}-{month:02d}")
        lines = {(line["account_id"], line["debit"], line["credit"]) for line in row["lines"]}
        self.assertEqual(lines, {(self.accounts[debit].id, amount, 0.0), (self.accounts[credit].id, 0.0, amount)})
        self.assertEqual(
            {line["account_code"] for line in row["lines"]}, {self.accounts[debit].code, self.accounts[credit].code}
        )
        return row

    def arguments(self, row):
        return {
            "entry_date": row["date"],
            "memo": row["memo"],
            "lines": [{k: line[k] for k in ("account_id", "debit", "credit")} for line in row["lines"]],
            "finding_key": row["key"],
            "company_id": row["company"]["id"],
        }

    def test_every_planted_gap_is_found_with_a_balanced_adjustment_of_its_accounts_and_amount(self):
        adjustments = self.adjustments()
        for kind in PLANTED:
            with self.subTest(kind=kind):
                self.assertProposes(adjustments, kind)
        self.assertEqual(sorted(row["kind"] for row in adjustments), sorted(PLANTED), "nothing else is proposed")
        for row in adjustments:
            self.assertAlmostEqual(sum(x["debit"] for x in row["lines"]), sum(x["credit"] for x in row["lines"]), 2)

    def test_the_checklist_is_not_ready_to_lock_while_a_finding_is_open_and_links_its_proposal(self):
        checklist = tool("get_close_checklist")(self.env, date_from=CLOSE[0], date_to=CLOSE[1])
        self.assertFalse(checklist["ready_to_lock"])
        items = {item["check"]: item for item in checklist["checklist"]}
        self.assertEqual(items["close_missing_depreciation"]["status"], "attention")
        row = self.assertProposes(self.adjustments(), "missing_depreciation")
        proposal = pending_proposal(self.env, "post_adjusting_entry", self.arguments(row), self.manager)
        checklist = tool("get_close_checklist")(self.env, date_from=CLOSE[0], date_to=CLOSE[1])
        [finding] = next(i for i in checklist["checklist"] if i["check"] == "close_missing_depreciation")["findings"]
        self.assertEqual(finding["proposal"]["id"], proposal.id)
        self.assertEqual(finding["proposal"]["decision"], "pending")

    def test_each_approved_adjustment_posts_a_reversible_entry_that_resolves_its_finding(self):
        adjustments = self.adjustments()
        for kind in PLANTED:
            with self.subTest(kind=kind):
                row = next(r for r in adjustments if r["kind"] == kind)
                proposal = pending_proposal(self.env, "post_adjusting_entry", self.arguments(row), self.manager)
                outcome = proposal.with_user(self.manager).action_approve()[proposal.id]
                self.assertEqual(outcome["execution_state"], "done", outcome)
                move = self.env["account.move"].search([("ref", "like", f"[close:{row['key']}]")])
                self.assertEqual((move.state, move.journal_id.type, move.date), ("posted", "general", CLOSE[1]))
                self.assertNotIn(row["key"], {r["key"] for r in self.adjustments()}, "the posted entry resolves it")
                move._reverse_moves([{"date": CLOSE[1]}], cancel=True)
                self.assertIn(row["key"], {r["key"] for r in self.adjustments()}, "the reversal opens it again")

    def test_a_batch_approval_posts_every_adjustment_and_the_period_is_ready_to_lock(self):
        History = self.env["fusion.accounting.match.history"]
        proposals = History
        for row in self.adjustments():
            proposals |= pending_proposal(self.env, "post_adjusting_entry", self.arguments(row), self.manager)
        outcomes = History.with_user(self.manager).decide_batch(
            [{"id": p.id, "approve": True, "arguments_hash": p.arguments_hash} for p in proposals]
        )
        self.assertTrue(all(outcome["ok"] for outcome in outcomes), outcomes)
        self.assertEqual(set(proposals.mapped("execution_state")), {"done"})
        self.assertEqual(self.adjustments(), [])
        checklist = tool("get_close_checklist")(self.env, date_from=CLOSE[0], date_to=CLOSE[1])
        self.assertFalse([i for i in checklist["checklist"] if i["check"].startswith("close_")])

    def test_hostile_adjusting_entries_are_refused_and_post_nothing(self):
        post = tool("post_adjusting_entry")
        fees, accrued = self.accounts["fees"].id, self.accounts["accrued"].id
        before = self.env["account.move"].search_count([])
        cases = {
            "unbalanced": [AdjustingLine(fees, 100.0), AdjustingLine(accrued, 0.0, 90.0)],
            "one line": [AdjustingLine(fees, 100.0)],
            "both sides": [AdjustingLine(fees, 100.0, 100.0), AdjustingLine(accrued, 0.0, 0.0)],
            "unknown account": [AdjustingLine(fees, 100.0), AdjustingLine(999_999_999, 0.0, 100.0)],
        }
        for name, lines in cases.items():
            with self.subTest(name), self.assertRaises(ToolRefusal):
                post(self.env, entry_date=CLOSE[1], memo=name, lines=lines)
        self.assertEqual(self.env["account.move"].search_count([]), before)


@tagged("post_install", "-at_install")
class TestCloseAdjustmentsCleanBooks(ClosingBooksCase):
    plant = False

    def test_clean_books_give_no_adjustment_and_no_close_item(self):
        self.assertEqual(self.adjustments(), [])
        for month in (3, 8, 12):
            start, end = date(YEAR, month, 1), month_end(month)
            found = tool("find_close_adjustments")(self.env, date_from=start, date_to=end)
            self.assertEqual(found["adjustments"], [], f"closing {month}")
        checklist = tool("get_close_checklist")(self.env, date_from=CLOSE[0], date_to=CLOSE[1])
        self.assertFalse([i for i in checklist["checklist"] if i["check"].startswith("close_")])
