"""Domain 8 with ``stock_account`` installed (tag ``fusion_optional``): a stocked product, perpetual valuation.

A hundred units received and billed at their standard cost of 50, forty delivered and invoiced at 120,
twenty more received but not billed yet, a count write-off booked on the stock account without a stock
move.  Each tool's figures are checked by hand against those documents.  The suite's optional-modules pass
installs ``stock_account``; on a database without it this class skips with its reason
(``test_payroll_adp`` checks the "not available" answers).
"""

from unittest import SkipTest

from odoo import Command, fields
from odoo.tests import tagged

from .close_common import CloseCase, tool

COST, PRICE = 50.0, 120.0
BILLED, SOLD, UNBILLED, WRITE_OFF, BREAKAGE = 100, 40, 20, 1200.0, 30.0
# The stock account in the books, and the stock in hand as Odoo values it.
BOOKS = BILLED * COST - SOLD * COST - WRITE_OFF - BREAKAGE
IN_HAND = (BILLED - SOLD + UNBILLED) * COST


@tagged("post_install", "-at_install", "fusion_optional")
class TestOptionalInventory(CloseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "product.value" not in cls.env:
            raise SkipTest("stock_account is not installed: the inventory tools answer 'not available'")
        cls.today = fields.Date.context_today(cls.env.user)
        company = cls.company_data["company"]
        cls.valuation = company.account_stock_valuation_id
        cls.category = (
            cls.env["product.category"]
            .with_company(company)
            .create({"name": "Mobility stock", "property_valuation": "real_time", "property_cost_method": "standard"})
        )
        cls.product = (
            cls.env["product.product"]
            .with_company(company)
            .create(
                {
                    "name": "Rollator walker",
                    "is_storable": True,
                    "categ_id": cls.category.id,
                    "standard_price": COST,
                    "taxes_id": [],
                    "supplier_taxes_id": [],
                }
            )
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.customers = cls.env.ref("stock.stock_location_customers")
        stock = cls.warehouse.lot_stock_id
        cls.move_stock(BILLED, cls.supplier, stock, cls.warehouse.in_type_id)
        cls.document("in_invoice", BILLED, COST)
        cls.move_stock(SOLD, stock, cls.customers, cls.warehouse.out_type_id)
        cls.sale = cls.document("out_invoice", SOLD, PRICE)
        cls.move_stock(UNBILLED, cls.supplier, stock, cls.warehouse.in_type_id)
        cls.write_off = cls.entry(cls.today, [(cls.expense, WRITE_OFF), (cls.valuation, -WRITE_OFF)], ref="count")
        cls.entry(cls.today, [(cls.expense, BREAKAGE), (cls.valuation, -BREAKAGE)], ref="breakage")

    @classmethod
    def move_stock(cls, quantity, source, destination, picking_type):
        move = cls.env["stock.move"].create(
            {
                "product_id": cls.product.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "product_uom": cls.product.uom_id.id,
                "product_uom_qty": quantity,
                "picking_type_id": picking_type.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.quantity = quantity
        move.picked = True
        move._action_done()
        return move

    @classmethod
    def document(cls, move_type, quantity, price):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": cls.partner_a.id,
                "invoice_date": cls.today,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.product.id, "quantity": quantity, "price_unit": price, "tax_ids": []}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def test_the_perpetual_valuation_books_what_the_tools_read(self):
        # The documents did what the figures below assume: the bill and the sale's COGS hit the stock account.
        cogs = self.sale.line_ids.filtered(lambda aml: aml.display_type == "cogs")
        self.assertEqual(sorted(cogs.mapped("balance")), [-SOLD * COST, SOLD * COST])
        self.assertEqual(self.product.qty_available, BILLED - SOLD + UNBILLED)

    def test_stock_valuation_ties_the_books_to_the_stock_in_hand(self):
        result = tool("get_stock_valuation")(self.env, as_of=self.today)
        [row] = [row for row in result["accounts"] if row["code"] == self.valuation.code]
        self.assertEqual((row["balance"], row["stock_value"]), (BOOKS, IN_HAND))
        # The units received but not billed, and the write-offs no stock move confirms.
        self.assertEqual(row["difference"], -(UNBILLED * COST + WRITE_OFF + BREAKAGE))
        self.assertEqual(
            (result["total"], result["stock_value"], result["difference"]), (BOOKS, IN_HAND, BOOKS - IN_HAND)
        )
        before = tool("get_stock_valuation")(self.env, as_of=self.today.replace(year=self.today.year - 1))
        self.assertEqual((before["total"], before["stock_value"]), (0.0, 0.0))

    def test_cogs_ratio_of_the_category(self):
        result = tool("get_cogs_ratio_by_category")(self.env, date_from=self.today, date_to=self.today)
        [row] = [row for row in result["categories"] if row["category"]["id"] == self.category.id]
        self.assertEqual((row["revenue"], row["cogs"]), (SOLD * PRICE, SOLD * COST))
        self.assertEqual(row["cogs_pct"], round(COST / PRICE * 100, 1))

    def test_inventory_turnover_uses_the_cogs_of_the_invoices(self):
        result = tool("get_inventory_turnover")(self.env, date_from=self.today, date_to=self.today)
        self.assertEqual((result["opening_stock"], result["closing_stock"]), (0.0, BOOKS))
        self.assertEqual(result["cogs"], SOLD * COST)
        self.assertEqual(result["turnover"], round(SOLD * COST / (BOOKS / 2), 2))

    def test_unusual_adjustments_are_the_large_manual_entries_on_stock(self):
        result = tool("find_unusual_adjustments")(self.env, date_from=self.today, date_to=self.today, min_amount=1000)
        self.assertEqual([item["move"]["id"] for item in result["items"]], self.write_off.ids)
        self.assertEqual(result["items"][0]["amount"], -WRITE_OFF)

    def test_price_differences_read_the_configured_account(self):
        self.assertFalse(
            tool("get_price_differences")(self.env, date_from=self.today, date_to=self.today).get("available", True)
        )
        difference = self.account("509000", "Price Difference", "expense")
        self.env["ir.config_parameter"].sudo().set_param(
            "fusion_accounting.price_difference_account_code", difference.code
        )
        self.entry(self.today, [(difference, 15.0), (self.valuation, -15.0)], ref="price difference")
        result = tool("get_price_differences")(self.env, date_from=self.today, date_to=self.today)
        self.assertEqual((result["count"], result["total"]), (1, 15.0))
