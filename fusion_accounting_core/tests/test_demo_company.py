"""The small demo company: valid books, and an answer key that tells the truth about them."""

from collections import defaultdict
from datetime import date
from itertools import pairwise

from odoo.tests import TransactionCase, tagged

from odoo.addons.fusion_accounting_core.demo_company.answer_key import build_answer_key
from odoo.addons.fusion_accounting_core.demo_company.chart import ACCOUNTS
from odoo.addons.fusion_accounting_core.demo_company.planner import (
    DEFECT_KINDS,
    PURCHASE_DEFECT_KIND,
    build_plan,
)
from odoo.addons.fusion_accounting_core.demo_company.totals import account_totals
from odoo.addons.fusion_accounting_core.demo_company.writer import DemoCompanyExists, write_plan

SEED = 42
TODAY = date(2026, 6, 15)
# Stored fields whose values the writer computes itself: Odoo must compute the same.
# (model, fields, compute methods, sample): ``_compute_amount`` costs about 0.1 s a move, so it checks a sample.
RECOMPUTED = (
    (
        "account.move",
        [
            "amount_untaxed",
            "amount_tax",
            "amount_total",
            "amount_residual",
            "amount_untaxed_signed",
            "amount_tax_signed",
            "amount_total_signed",
            "amount_residual_signed",
        ],
        ["_compute_amount"],
        True,
    ),
    (
        "account.move",
        ["payment_state", "checked", "made_sequence_gap"],
        ["_compute_payment_state", "_compute_checked", "_compute_made_sequence_gap"],
        False,
    ),
    (
        "account.move.line",
        ["amount_residual", "amount_residual_currency", "reconciled"],
        ["_compute_amount_residual"],
        False,
    ),
    (
        "account.bank.statement.line",
        ["is_reconciled", "amount_residual", "internal_index"],
        ["_compute_is_reconciled", "_compute_internal_index"],
        False,
    ),
    (
        "account.bank.statement",
        ["first_line_index", "date", "name", "balance_start", "balance_end", "balance_end_real", "is_complete"],
        [
            "_compute_first_line_index",
            "_compute_date",
            "_compute_name",
            "_compute_balance_start",
            "_compute_balance_end",
            "_compute_balance_end_real",
            "_compute_is_complete",
        ],
        False,
    ),
)
SAMPLE_PER_KIND = 8


@tagged("post_install", "-at_install")
class TestDemoCompany(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = build_plan("small", SEED, TODAY)
        cls.written = write_plan(cls.env, cls.plan)
        cls.key = build_answer_key(cls.plan, cls.written)
        cls.company = cls.env["res.company"].browse(cls.written.company_id)
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.moves = cls.env["account.move"].search([("company_id", "=", cls.company.id)])

    def _sql(self, query, *params):
        self.env.cr.execute(query, params)
        return self.env.cr.fetchall()

    def _account_balance(self, account_id):
        return self._sql(
            "SELECT COALESCE(SUM(balance), 0) FROM account_move_line WHERE account_id = %s AND parent_state = 'posted'",
            account_id,
        )[0][0]

    # The books --------------------------------------------------------------------

    def test_the_company_is_canadian_on_the_ontario_chart(self):
        self.assertEqual(self.company.chart_template, "ca_2023")
        self.assertEqual((self.company.country_id.code, self.company.state_id.code), ("CA", "ON"))
        self.assertEqual(self.company.currency_id.name, "CAD")
        self.assertEqual(self.company.fiscalyear_lock_date, self.plan.lock_date)

    def test_the_trial_balance_sums_to_zero(self):
        rows = self.env["account.move.line"]._read_group(
            [("company_id", "=", self.company.id), ("parent_state", "=", "posted")], ["account_id"], ["balance:sum"]
        )
        self.assertGreater(len(rows), 20)
        self.assertAlmostEqual(sum(balance for _account, balance in rows), 0, places=2)

    def test_every_move_is_balanced(self):
        unbalanced = self._sql(
            "SELECT move_id FROM account_move_line WHERE company_id = %s GROUP BY move_id "
            "HAVING ROUND(SUM(balance), 2) != 0 OR ROUND(SUM(debit) - SUM(credit), 2) != 0",
            self.company.id,
        )
        self.assertEqual(unbalanced, [])
        self.assertEqual(len(self.moves), self.written.counts["moves"])

    def test_residuals_agree_with_partial_reconciliations(self):
        rows = self._sql(
            """
            SELECT l.id, l.balance, l.amount_residual, l.reconciled, l.full_reconcile_id,
                   COALESCE((SELECT SUM(amount) FROM account_partial_reconcile WHERE debit_move_id = l.id), 0),
                   COALESCE((SELECT SUM(amount) FROM account_partial_reconcile WHERE credit_move_id = l.id), 0)
              FROM account_move_line l JOIN account_account a ON a.id = l.account_id
             WHERE l.company_id = %s AND a.reconcile
            """,
            self.company.id,
        )
        self.assertTrue(any(debits or credits for *_rest, debits, credits in rows))
        for line_id, balance, residual, reconciled, full, as_debit, as_credit in rows:
            self.assertAlmostEqual(residual, balance - as_debit + as_credit, places=2, msg=f"line {line_id}")
            self.assertEqual(reconciled, round(residual, 2) == 0, f"line {line_id}")
            if full:
                self.assertEqual(round(residual, 2), 0, f"line {line_id}")

    def test_odoo_computes_the_same_stored_values(self):
        """Recompute what the writer stored with Odoo's own methods: nothing may change."""
        sample = self.env["account.move"]
        for kind in ("out_invoice", "out_refund", "in_invoice", "entry"):
            sample |= self.moves.filtered(lambda m, kind=kind: m.move_type == kind)[:SAMPLE_PER_KIND]
        sample |= self.moves.filtered("statement_line_id")[:SAMPLE_PER_KIND]
        sample |= self.moves.filtered(lambda m: m.payment_state == "partial")[:SAMPLE_PER_KIND]
        records = {
            "account.move": self.moves,
            "account.move.line": self.moves.line_ids,
            "account.bank.statement.line": self.env["account.bank.statement.line"].search(
                [("company_id", "=", self.company.id)]
            ),
            "account.bank.statement": self.env["account.bank.statement"].search(
                [("company_id", "=", self.company.id)], order="first_line_index"
            ),
        }
        for model, fnames, methods, sampled in RECOMPUTED:
            recs = sample if sampled else records[model]
            stored = {rec.id: [rec[f] for f in fnames] for rec in recs}
            with self.env.protecting([recs._fields[f] for f in fnames], recs):
                for method in methods:
                    getattr(recs, method)()
                computed = {rec.id: [rec[f] for f in fnames] for rec in recs}
            different = [(rid, stored[rid], computed[rid]) for rid in stored if stored[rid] != computed[rid]]
            self.assertEqual(different[:3], [], f"{model}: {len(different)} records differ on {fnames}")
        lines = records["account.move.line"].filtered("matching_number")
        numbers = {line.id: line.matching_number for line in lines}
        self.env["account.partial.reconcile"]._update_matching_number(lines)
        self.assertEqual({line.id: line.matching_number for line in lines}, numbers)

    def test_bank_lines_are_filed_in_monthly_statements_that_odoo_finds_valid(self):
        statements = self.env["account.bank.statement"].search(
            [("company_id", "=", self.company.id)], order="first_line_index"
        )
        months = {(d.year, d.month) for d in statements.mapped("date")}
        self.assertEqual(len(statements), len(months), "one statement per month")
        self.assertEqual(len(statements), self.written.counts["statements"])
        self.assertGreaterEqual(len(statements), 13)
        st_lines = self.env["account.bank.statement.line"].search([("company_id", "=", self.company.id)])
        self.assertFalse(st_lines.filtered(lambda line: not line.statement_id))
        self.assertEqual(st_lines.statement_id, statements)
        for statement in statements:
            self.assertEqual(
                {(d.year, d.month) for d in statement.line_ids.mapped("date")},
                {(statement.date.year, statement.date.month)},
            )
        self.assertTrue(all(statements.mapped("is_complete")))
        self.assertTrue(all(statements.mapped("is_valid")))
        self.assertFalse(statements.journal_id.has_invalid_statements)
        self.assertEqual(statements[0].balance_start, 0)
        for previous, statement in pairwise(statements):
            self.assertAlmostEqual(statement.balance_start, previous.balance_end_real, places=2)
        bank_account = statements.journal_id.default_account_id
        self.assertAlmostEqual(statements[-1].balance_end_real, self._account_balance(bank_account.id), places=2)
        mislabelled = self._sql(
            "SELECT aml.id FROM account_move_line aml JOIN account_bank_statement_line st "
            "ON st.id = aml.statement_line_id WHERE aml.company_id = %s AND aml.statement_id IS DISTINCT FROM "
            "st.statement_id",
            self.company.id,
        )
        self.assertEqual(mislabelled, [], "journal items carry their statement line's statement")

    def test_the_same_seed_gives_the_same_totals(self):
        expected = account_totals(build_plan("small", SEED, TODAY))
        bank = self.env["account.journal"].search([("company_id", "=", self.company.id), ("type", "=", "bank")])
        accounts = {
            **self.written.accounts,
            "bank": bank.default_account_id.id,
            "bank_suspense": bank.suspense_account_id.id,
        }
        taxes = {"tax:hst13_sale": "233000", "tax:hst13_purchase": "118300"}
        for role, code in taxes.items():
            accounts[role] = (
                self.env["account.account"].search([("code", "=", code), ("company_ids", "in", self.company.id)]).id
            )
        for role, cents in expected.items():
            self.assertAlmostEqual(self._account_balance(accounts[role]), cents / 100, places=2, msg=role)

    def test_a_second_demo_company_is_refused(self):
        with self.assertRaises(DemoCompanyExists):
            write_plan(self.env, self.plan)

    # The answer key ----------------------------------------------------------------

    def test_every_unreconciled_statement_line_is_open_and_its_matches_too(self):
        entries = self.key["unreconciled_statement_lines"]
        self.assertTrue(entries)
        for entry in entries:
            st_line = self.env["account.bank.statement.line"].browse(entry["statement_line_id"])
            self.assertTrue(st_line.exists(), entry["key"])
            self.assertFalse(st_line.is_reconciled, entry["key"])
            self.assertAlmostEqual(st_line.amount, entry["amount"], places=2)
            sign = 1 if entry["amount"] > 0 else -1
            matched = 0
            for match in entry["matches"]:
                line = self.env["account.move.line"].browse(match["move_line_id"])
                self.assertTrue(line.exists() and not line.reconciled, match)
                self.assertGreaterEqual(round(abs(line.amount_residual), 2), match["amount"], match)
                matched += match["amount"]
            booked = sum(w["balance"] for w in entry["write_offs"])
            self.assertAlmostEqual(sign * matched - booked, entry["amount"], places=2, msg=entry["key"])

    def test_card_batches_match_their_payments_plus_the_fee(self):
        batches = [e for e in self.key["unreconciled_statement_lines"] if e["kind"] == "card_batch"]
        self.assertTrue(batches)
        for batch in batches:
            lines = self.env["account.move.line"].browse([m["move_line_id"] for m in batch["matches"]])
            self.assertEqual(set(lines.account_id.mapped("code")), {ACCOUNTS["card_clearing"].code})
            self.assertAlmostEqual(sum(lines.mapped("amount_residual")), batch["amount"] + batch["fee"], places=2)
            self.assertAlmostEqual(batch["fee"], round((batch["amount"] + batch["fee"]) * 0.016, 2), delta=0.011)

    def test_every_defect_is_true_of_its_records(self):
        defects = defaultdict(list)
        for defect in self.key["defects"]:
            defects[defect["kind"]].append(defect)
            for record in defect["records"]:
                self.assertTrue(self.env[record["model"]].browse(record["id"]).exists(), record)
        with_orders = {PURCHASE_DEFECT_KIND} if self.key["purchase_orders"] else set()
        self.assertEqual(set(defects), set(DEFECT_KINDS) | with_orders)
        Move = self.env["account.move"]

        def moves(defect):
            return [Move.browse(r["id"]) for r in defect["records"]]

        for defect in defects["duplicate_bill"]:
            original, twin = moves(defect)
            self.assertNotEqual(original, twin)
            for fname in ("partner_id", "invoice_date", "amount_total", "move_type"):
                self.assertEqual(original[fname], twin[fname], fname)
        for defect in defects["duplicate_entry"]:
            original, twin = moves(defect)
            self.assertEqual(
                (original.journal_id, original.date, original.amount_total),
                (twin.journal_id, twin.date, twin.amount_total),
            )
        (wrong,) = defects["wrong_direction_balance"]
        self.assertLess(self._account_balance(wrong["account_id"]), 0, "an expense account with a credit balance")
        (no_tax,) = moves(defects["taxable_invoice_without_tax"][0])
        self.assertEqual((no_tax.move_type, no_tax.amount_tax), ("out_invoice", 0))
        self.assertFalse(no_tax.invoice_line_ids.tax_ids)
        self.assertEqual(no_tax.partner_id.state_id.code, "ON")
        (no_itc,) = moves(defects["bill_without_itc"][0])
        self.assertEqual((no_itc.move_type, no_itc.amount_tax), ("in_invoice", 0))
        other_bills = Move.search(
            [
                ("partner_id", "=", no_itc.partner_id.id),
                ("move_type", "=", "in_invoice"),
                ("id", "!=", no_itc.id),
                ("state", "=", "posted"),
            ]
        )
        self.assertTrue(any(other_bills.mapped("amount_tax")), "the vendor normally charges HST")
        (late,) = moves(defects["entry_in_locked_period"][0])
        self.assertLessEqual(late.date, self.company.fiscalyear_lock_date)
        self.assertGreater(late.create_date.date(), self.company.fiscalyear_lock_date)
        (suspense,) = defects["suspense_balance"]
        self.assertAlmostEqual(self._account_balance(suspense["account_id"]), suspense["balance"], places=2)
        self.assertNotEqual(suspense["balance"], 0)
        (gap,) = moves(defects["sequence_gap"][0])
        self.assertTrue(gap.made_sequence_gap)
        previous = f"{gap.sequence_prefix}{gap.sequence_number - 1:05d}"
        self.assertFalse(Move.search_count([("name", "=", previous), ("journal_id", "=", gap.journal_id.id)]))
        (draft,) = moves(defects["forgotten_draft"][0])
        self.assertEqual(draft.state, "draft")

    def test_the_facts_are_true(self):
        facts = self.key["facts"]
        for invoice in facts["disputed_invoices"]:
            self.assertNotEqual(self.env["account.move"].browse(invoice["id"]).payment_state, "paid")
        for item in facts["adp_never_paid"]:
            line = self.env["account.move.line"].browse(item["move_line_id"])
            self.assertEqual(line.account_id.code, ACCOUNTS["adp_receivable"].code)
            self.assertFalse(line.reconciled)
        behaviours = {c["behaviour"] for c in facts["customers"].values()}
        self.assertGreaterEqual(len(behaviours), 6)
