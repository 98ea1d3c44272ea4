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


@tagged("post_install", "-at_install")
class TestCloseForeignCurrency(CloseCase):
    """Open items in francs booked at 2 francs a dollar, worth 2.5 at the year end: revalued, and only they.

    Beside them: a franc invoice paid in December, an open invoice in dollars (the company's
    currency) and one in pounds whose rate did not move.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chf = cls.setup_other_currency("CHF", rates=[("2025-01-01", 2.0), ("2025-12-31", 2.5)])
        cls.gbp = cls.setup_other_currency("GBP", rates=[("2025-01-01", 0.8)])
        cls.receivable = cls.company_data["default_account_receivable"]
        cls.gain = cls.env.company.income_currency_exchange_account_id
        cls.loss = cls.env.company.expense_currency_exchange_account_id
        cls.invoice(1000.0, "2025-11-10", currency=cls.chf)
        bill = cls.invoice(400.0, "2025-11-15", partner=cls.partner_b, move_type="in_invoice", currency=cls.chf)
        cls.payable = bill.line_ids.filtered(lambda line: line.account_type == "liability_payable").account_id
        paid = cls.invoice(600.0, "2025-11-20", currency=cls.chf)
        cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=paid.ids).create(
            {"payment_date": "2025-12-10"}
        )._create_payments()
        cls.invoice(300.0, "2025-11-25")
        cls.invoice(800.0, "2025-11-25", currency=cls.gbp)
        cls.manager = new_test_user(
            cls.env,
            login="fusion_close_fx_manager",
            groups="base.group_user,account.group_account_manager,fusion_accounting_core.group_fusion_manager",
            company_ids=[(6, 0, cls.env.company.ids)],
        )

    def revaluations(self):
        found = tool("find_close_adjustments")(self.env, date_from=CLOSE[0], date_to=CLOSE[1])["adjustments"]
        return [row for row in found if row["kind"] == "fx_revaluation"]

    def approve(self, row):
        arguments = {
            "entry_date": row["date"],
            "memo": row["memo"],
            "lines": [{k: v for k, v in line.items() if k != "account_code"} for line in row["lines"]],
            "finding_key": row["key"],
            "company_id": row["company"]["id"],
        }
        proposal = pending_proposal(self.env, "post_adjusting_entry", arguments, self.manager)
        outcome = proposal.with_user(self.manager).action_approve()[proposal.id]
        self.assertEqual(outcome["execution_state"], "done", outcome)
        return self.env["account.move"].search([("ref", "like", f"[close:{row['key']}]")])

    def test_open_franc_items_are_revalued_to_the_exchange_accounts_at_the_period_end_rate(self):
        [row] = self.revaluations()
        self.assertEqual((row["key"], row["date"]), ("fx_revaluation:CHF:2025-12", CLOSE[1].isoformat()))
        lines = {(x["account_id"], x["debit"], x["credit"], x.get("currency_id")) for x in row["lines"]}
        self.assertEqual(
            lines,
            {
                (self.receivable.id, 0.0, 100.0, self.chf.id),  # 1,000 francs: 500 booked, 400 at the year end
                (self.payable.id, 40.0, 0.0, self.chf.id),  # 400 francs owed: 200 booked, 160 now
                (self.loss.id, 100.0, 0.0, None),
                (self.gain.id, 0.0, 40.0, None),
            },
        )
        evidence = row["evidence"]
        # The invoice's receivable and the bill's two instalments (partner_b's payment terms).
        self.assertEqual((evidence["currency"], evidence["item_count"]), ("CHF", 3))
        self.assertAlmostEqual(evidence["rate"], 0.4)
        self.assertEqual({item["booked_rate"] for item in evidence["items"]}, {0.5})
        self.assertIn("2026-01-01", row["memo"], "the memo says when to reverse it")
        checklist = tool("get_close_checklist")(self.env, date_from=CLOSE[0], date_to=CLOSE[1])
        self.assertFalse(checklist["ready_to_lock"])
        item = next(i for i in checklist["checklist"] if i["check"] == "close_fx_revaluation")
        self.assertEqual(item["status"], "attention")

    def test_the_approved_revaluation_resolves_it_and_stands_through_its_reversal_on_the_first(self):
        [row] = self.revaluations()
        move = self.approve(row)
        self.assertEqual((move.state, move.journal_id.type, move.date), ("posted", "general", CLOSE[1]))
        receivable = move.line_ids.filtered(lambda line: line.account_id == self.receivable)
        self.assertEqual(
            (receivable.currency_id, receivable.amount_currency, receivable.credit), (self.chf, 0.0, 100.0)
        )
        self.assertEqual(self.revaluations(), [], "the revaluation resolves it")
        move._reverse_moves([{"date": date(YEAR + 1, 1, 1)}], cancel=True)
        self.assertEqual(self.revaluations(), [], "the usual reversal on the first leaves the year end revalued")

    def test_a_reversal_in_the_period_undoes_the_revaluation(self):
        [row] = self.revaluations()
        self.approve(row)._reverse_moves([{"date": CLOSE[1]}], cancel=True)
        self.assertEqual([r["key"] for r in self.revaluations()], [row["key"]])


@tagged("post_install", "-at_install")
class TestCloseNotMissing(CloseCase):
    """Books where nothing is missing at the year end, though a series stops or skips a month.

    A monitoring contract billed until the end its note states (October); fees accrued each month
    end and reversed on the 1st, the firm's bill of the month before on the 10th, the May accrual
    forgotten: June's bill expensed May's fees, nothing reversed them, the year's expense is whole.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fees = cls.account("76001", "Account one", "expense")
        cls.accrued = cls.account("26001", "Account two", "liability_current")
        payable = cls.company_data["default_account_payable"]
        purchase = cls.company_data["default_journal_purchase"]
        for m in range(1, 13):
            end = month_end(m)
            if m != 5:
                cls.entry(end, [(cls.fees, 1500.0), (cls.accrued, -1500.0)], ref=f"Accrued fees {YEAR}-{m:02d}")
                if m < 12:
                    reverse = [(cls.accrued, 1500.0), (cls.fees, -1500.0)]
                    cls.entry(end + timedelta(days=1), reverse, ref=f"Reverse fees {YEAR}-{m:02d}")
            if m > 1:
                bill = [(cls.fees, 1500.0), (payable, -1500.0)]
                cls.entry(date(YEAR, m, 10), bill, journal=purchase, ref=f"Firm {m:02d}", partner=cls.partner_b)
            if m <= 10:
                cls.entry(
                    date(YEAR, m, 8),
                    [(cls.expense, 610.0), (payable, -610.0)],
                    journal=purchase,
                    ref=f"Alarm monitoring {m:02d}/{YEAR}",
                    partner=cls.partner_a,
                    narration="<p>Monitoring contract: ends October 2025</p>",
                )

    def test_no_catch_up_for_a_contract_at_its_stated_end_or_an_accrual_whose_bill_was_expensed(self):
        found = tool("find_close_adjustments")(self.env, date_from=CLOSE[0], date_to=CLOSE[1])
        self.assertEqual(found["adjustments"], [])
        [review] = found["to_review"]
        self.assertEqual((review["kind"], review["evidence"]["period"]), ("expensed_later", f"{YEAR}-05"))
        checklist = tool("get_close_checklist")(self.env, date_from=CLOSE[0], date_to=CLOSE[1])
        close_items = {i["check"]: i["status"] for i in checklist["checklist"] if i["check"].startswith("close_")}
        self.assertEqual(close_items, {"close_expensed_later": "review"}, "asked for a look, not holding the lock")
