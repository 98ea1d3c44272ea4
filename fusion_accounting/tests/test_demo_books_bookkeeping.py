"""Catalog I scored on the demo company's answer key (small size): finders and auto-reconciliation."""

import logging
import time

from odoo import Command
from odoo.tests import tagged

from .bookkeeping_common import BookkeepingAssertions, tool
from .demo_books_common import TODAY, DemoBooksCase

_logger = logging.getLogger(__name__)
PAGE = 100


def _all_rows(env, name, **arguments):
    """Every row of a paged tool (the demo books are small enough)."""
    rows, offset = [], 0
    while True:
        result = tool(name)(env, limit=PAGE, offset=offset, **arguments)
        rows += result["rows"]
        offset += PAGE
        if offset >= result["total"]:
            return rows


def _score(found, expected):
    """``(recall, precision)`` of a finder's flagged ids against the answer key's."""
    found, expected = set(found), set(expected)
    hits = len(found & expected)
    return (hits / len(expected) if expected else 1.0), (hits / len(found) if found else 1.0)


@tagged("post_install", "-at_install")
class TestDemoBooksBookkeeping(DemoBooksCase, BookkeepingAssertions):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        icp = cls.env["ir.config_parameter"].sudo()
        icp.set_param("fusion_accounting.card_clearing_account_code", cls.key["accounts"]["card_clearing"]["code"])
        icp.set_param("fusion_accounting.card_fee_account_code", cls.key["accounts"]["card_fees"]["code"])
        icp.set_param("fusion_accounting.card_fee_bps", "160")

    def planted(self, kind):
        return [d for d in self.key["defects"] if d["kind"] == kind]

    def planted_moves(self, kind):
        return [record["id"] for d in self.planted(kind) for record in d["records"]]

    def assertScore(self, name, found, expected):
        recall, precision = _score(found, expected)
        _logger.info(
            "bookkeeping score %s: recall %.2f precision %.2f (%d found)", name, recall, precision, len(set(found))
        )
        self.assertTrue(expected, f"{name}: the answer key plants nothing of this kind")
        self.assertEqual((recall, precision), (1.0, 1.0), f"{name}: found {sorted(set(found))}, expected {expected}")

    def test_duplicate_entries(self):
        rows = _all_rows(self.env, "find_duplicate_entries", date_from=self.plan.start, date_to=TODAY)
        found = [move["id"] for group in rows for move in group["moves"]]
        self.assertScore("find_duplicate_entries", found, self.planted_moves("duplicate_entry"))

    def test_duplicate_bills(self):
        rows = _all_rows(self.env, "find_duplicate_bills", date_from=self.plan.start, date_to=TODAY)
        found = [bill["id"] for group in rows for bill in group["bills"]]
        self.assertScore("find_duplicate_bills", found, self.planted_moves("duplicate_bill"))

    def test_wrong_direction_balances(self):
        rows = _all_rows(self.env, "find_wrong_direction_balances", date_to=TODAY)
        expected = [d["account_id"] for d in self.planted("wrong_direction_balance")]
        self.assertScore("find_wrong_direction_balances", [row["account"]["id"] for row in rows], expected)

    def test_unreconciled_suspense(self):
        rows = _all_rows(self.env, "find_unreconciled_suspense", date_to=TODAY)
        expected = [d["account_id"] for d in self.planted("suspense_balance")]
        self.assertScore("find_unreconciled_suspense", [row["account"]["id"] for row in rows], expected)

    def test_sequence_gaps(self):
        rows = _all_rows(self.env, "find_sequence_gaps", date_from=self.plan.start, date_to=TODAY)
        self.assertScore("find_sequence_gaps", [row["id"] for row in rows], self.planted_moves("sequence_gap"))

    def test_draft_entries(self):
        rows = _all_rows(self.env, "find_draft_entries", today=TODAY)
        self.assertScore("find_draft_entries", [row["id"] for row in rows], self.planted_moves("forgotten_draft"))

    def test_missing_tax_invoices(self):
        rows = _all_rows(self.env, "find_missing_tax_invoices", date_from=self.plan.start, date_to=TODAY)
        expected = self.planted_moves("taxable_invoice_without_tax")
        self.assertScore("find_missing_tax_invoices", [row["id"] for row in rows], expected)

    def test_missing_itc_bills(self):
        rows = _all_rows(self.env, "find_missing_itc_bills", date_from=self.plan.start, date_to=TODAY)
        self.assertScore("find_missing_itc_bills", [row["id"] for row in rows], self.planted_moves("bill_without_itc"))

    def test_wrong_account_entries(self):
        # The answer key plants no misbooked product line (planner.DEFECT_KINDS): the demo books must come out
        # clean, and two lines misbooked here, a bill on a tax account and a sale on an expense account, are found.
        clean = _all_rows(self.env, "find_wrong_account_entries", date_from=self.plan.start, date_to=TODAY)
        self.assertEqual([row["line_id"] for row in clean], [], "flagged on clean demo books")
        company = self.env.company
        tax_account = (
            self.env["account.tax.repartition.line"]
            .search(
                [
                    ("company_id", "=", company.id),
                    ("tax_id.type_tax_use", "=", "purchase"),
                    ("account_id", "!=", False),
                ],
                limit=1,
            )
            .account_id
        )
        expense = self.env["account.account"].search(
            [("company_ids", "in", company.ids), ("account_type", "=", "expense")], limit=1
        )
        partner = self.env["res.partner"].create({"name": "Misbooked Supplies"})
        planted = []
        for move_type, account in (("in_invoice", tax_account), ("out_invoice", expense)):
            move = self.env["account.move"].create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": TODAY,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Misbooked", "price_unit": 420.0, "account_id": account.id, "tax_ids": []}
                        )
                    ],
                }
            )
            move.action_post()
            planted += move.invoice_line_ids.ids
        rows = _all_rows(self.env, "find_wrong_account_entries", date_from=self.plan.start, date_to=TODAY)
        self.assertScore("find_wrong_account_entries", [row["line_id"] for row in rows], planted)

    def test_reconciliation_integrity_of_clean_books(self):
        self.assertEqual(tool("verify_reconciliation_integrity")(self.env)["total"], 0)

    def test_auto_reconcile_matches_only_what_the_key_says(self):
        answers = {line["statement_line_id"]: line for line in self.key["unreconciled_statement_lines"]}
        st_lines = self.env["account.bank.statement.line"].browse(sorted(answers))
        self.env.flush_all()
        self.env.cr.flush()  # what the demo writer left for commit time must not count in the timing
        started = time.perf_counter()
        matched, left, failed = self.env["fusion.bank.reconciler"]._auto_reconcile(st_lines)
        elapsed = time.perf_counter() - started
        wrong = []
        for line_id, suggestion in matched:
            answer = answers[line_id]
            expected = {match["move_line_id"] for match in answer["matches"]}
            if set(suggestion.item_ids) != expected or round(suggestion.fee / 100, 2) != answer.get("fee", 0.0):
                wrong.append((answer["kind"], answer["label"], suggestion.reason))
        matchable = [line for line in answers.values() if line["matches"]]
        _logger.info(
            "auto-reconcile (small): %d lines, %d with items to match, %d matched, %d wrong, %d left, %.2fs",
            len(answers),
            len(matchable),
            len(matched),
            len(wrong),
            len(left),
            elapsed,
        )
        self.assertEqual((wrong, failed), ([], {}))
        self.assertTrue(matched, "nothing matched on the demo books")
        kinds = {answers[line_id]["kind"] for line_id, _suggestion in matched}
        self.assertIn("card_batch", kinds)
        for line_id, _suggestion in matched:
            self.assertReconciled(self.env["account.bank.statement.line"].browse(line_id))
        for line_id in left:
            self.assertReconciled(self.env["account.bank.statement.line"].browse(line_id), False)
