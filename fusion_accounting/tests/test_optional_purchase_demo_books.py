"""Bill-to-PO matching on the small demo books with the Purchase app installed (tag ``fusion_optional``).

The suite's optional-modules pass installs ``purchase`` and ``stock_account`` beside our addons and runs
this class; on a database without Purchase it skips with its reason.
"""

import logging
from datetime import date
from unittest import SkipTest

from odoo.tests import TransactionCase, tagged

from odoo.addons.fusion_accounting_core.demo_company.answer_key import build_answer_key
from odoo.addons.fusion_accounting_core.demo_company.planner import PURCHASE_DEFECT_KIND, build_plan
from odoo.addons.fusion_accounting_core.demo_company.writer import write_plan

from .bookkeeping_common import tool

_logger = logging.getLogger(__name__)
TODAY = date(2026, 6, 15)


@tagged("post_install", "-at_install", "fusion_optional")
class TestOptionalPurchaseDemoBooks(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "purchase.order" not in cls.env:
            raise SkipTest("the Purchase app is not installed: the demo books have no purchase orders")
        cls.plan = build_plan("small", 42, TODAY)
        written = write_plan(cls.env, cls.plan)
        cls.key = build_answer_key(cls.plan, written)
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[written.company_id]))
        cls.orders = cls.key["purchase_orders"]

    def test_every_order_is_confirmed_received_and_billed_by_its_bill(self):
        self.assertEqual(len(self.orders), len(self.plan.purchase_orders))
        self.assertGreater(len(self.orders), 2)
        for order in self.orders:
            po = self.env["purchase.order"].browse(order["id"])
            bill = self.env["account.move"].browse(order["bill"]["id"])
            self.assertEqual((po.state, po.partner_id, po.name), ("purchase", bill.partner_id, order["name"]))
            self.assertEqual(po.invoice_ids, bill)
            self.assertEqual(bill.invoice_origin, po.name)
            self.assertEqual(bill.invoice_line_ids.purchase_line_id, po.order_line)
            for line in po.order_line:
                self.assertEqual(line.qty_received, line.product_qty, po.name)
            if not order["mismatch"]:
                self.assertEqual(po.invoice_status, "invoiced", po.name)
                self.assertEqual(po.order_line.mapped("qty_invoiced"), po.order_line.mapped("product_qty"))
                self.assertAlmostEqual(po.amount_total, bill.amount_total, places=2)

    def test_match_bill_to_po_matches_every_ordered_bill_and_finds_the_planted_mismatches(self):
        match = tool("match_bill_to_po")
        flagged, ordered = set(), {order["bill"]["id"] for order in self.orders}
        for order in self.orders:
            result = match(self.env, order["bill"]["id"])
            bill = self.env["account.move"].browse(order["bill"]["id"])
            self.assertEqual(result["without_order"], [], order["name"])
            self.assertEqual(len(result["matched"]), len(bill.invoice_line_ids), order["name"])
            self.assertEqual({row["order"] for row in result["matched"]}, {order["name"]})
            if any(row["price_differs"] or row["billed_beyond_received"] for row in result["matched"]):
                flagged.add(bill.id)
        others = self.env["account.move"].search(
            [
                ("move_type", "=", "in_invoice"),
                ("company_id", "in", self.env.companies.ids),
                ("id", "not in", list(ordered)),
            ]
        )
        self.assertTrue(others)
        for bill in others:
            self.assertEqual(match(self.env, bill.id)["matched"], [], bill.name)
        expected = {d["records"][0]["id"] for d in self.key["defects"] if d["kind"] == PURCHASE_DEFECT_KIND}
        self.assertEqual(len(expected), 2)
        hits = len(flagged & expected)
        recall, precision = hits / len(expected), (hits / len(flagged) if flagged else 1.0)
        _logger.info(
            "match_bill_to_po on %d ordered bills: recall %.2f, precision %.2f", len(ordered), recall, precision
        )
        self.assertEqual((recall, precision), (1.0, 1.0))
