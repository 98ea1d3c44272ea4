from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.fusion_accounting_core.services.tools import ToolRefusal

from .bookkeeping_common import BookkeepingCase, tool

TODAY = date(2026, 3, 31)


@tagged("post_install", "-at_install")
class TestReceivables(BookkeepingCase):
    def test_overdue_invoices_carry_contact_data(self):
        self.partner_a.write({"email": "ap@partner-a.example", "phone": "+1 416 555 0100"})
        overdue = self.invoice(400.0, day="2026-01-05", invoice_date_due="2026-02-04")
        not_due = self.invoice(400.0, day="2026-03-20", invoice_date_due="2026-04-19")
        found = tool("get_overdue_invoices")(self.env, as_of=TODAY)
        self.assertFinds([row["id"] for row in found["rows"]], [overdue.id], [not_due.id])
        [row] = [row for row in found["rows"] if row["id"] == overdue.id]
        self.assertEqual((row["customer"]["email"], row["days_overdue"]), ("ap@partner-a.example", 55))

    def test_partner_balance_lists_open_items(self):
        invoices = self.invoice(100.0, self.partner_c) + self.invoice(50.0, self.partner_c)
        found = tool("get_partner_balance")(self.env, self.partner_c.id)
        self.assertEqual(found["receivable"], 150.0)
        self.assertEqual({row["move"] for row in found["rows"]}, set(invoices.mapped("name")))

    def test_a_payment_not_matched_yet(self):
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.partner_c.id,
                "amount": 321.0,
                "date": "2026-03-02",
                "journal_id": self.bank_journal.id,
            }
        )
        payment.action_post()
        receipts = tool("get_unreconciled_receipts")(self.env)
        self.assertIn(321.0, [row["residual"] for row in receipts["rows"]])
        unmatched = tool("get_unmatched_payments")(self.env, partner_id=self.partner_c.id)
        self.assertEqual([row["unmatched"] for row in unmatched["rows"]], [-321.0])

    def test_followup_report_lists_open_items(self):
        invoice = self.invoice(90.0, self.partner_c, day="2026-01-05")
        report = tool("get_followup_report")(self.env, self.partner_c.id)
        self.assertIn(invoice.name, [row["move"] for row in report["rows"]])
        self.assertIn("followup", report)

    def test_send_followup_goes_through_the_engine(self):
        try:
            result = tool("send_followup")(self.env, self.partner_a.id)
        except ToolRefusal as refusal:  # the engine's own answer (e.g. no level due): it went through the engine
            result = refusal.result()
        self.assertNotIn("available", result, "the follow-up module is installed with the suite")


@tagged("post_install", "-at_install")
class TestPayables(BookkeepingCase):
    def test_duplicate_bills_within_the_window(self):
        bill = self.invoice(2340.0, self.partner_b, day="2026-03-02", move_type="in_invoice", ref="ABC-12345")
        twin = self.invoice(2340.0, self.partner_b, day="2026-03-04", move_type="in_invoice", ref="ABC12345")
        other_amount = self.invoice(2341.0, self.partner_b, day="2026-03-02", move_type="in_invoice")
        other_vendor = self.invoice(2340.0, self.partner_c, day="2026-03-02", move_type="in_invoice")
        far = self.invoice(2340.0, self.partner_b, day="2026-02-01", move_type="in_invoice")
        found = tool("find_duplicate_bills")(self.env, window_days=7, date_from=date(2026, 1, 1), date_to=TODAY)
        flagged = [b["id"] for group in found["rows"] for b in group["bills"]]
        self.assertFinds(flagged, [bill.id, twin.id], [other_amount.id, other_vendor.id, far.id])

    def test_ap_aging_buckets(self):
        self.invoice(700.0, self.partner_b, day="2025-12-01", move_type="in_invoice", invoice_date_due="2025-12-01")
        self.invoice(300.0, self.partner_b, day="2026-03-25", move_type="in_invoice", invoice_date_due="2026-04-24")
        aging = tool("get_ap_aging")(self.env, as_of=TODAY)
        self.assertEqual((aging["totals"]["91-120"], aging["totals"]["current"]), (700.0, 300.0))

    def test_ap_aging_ages_a_line_without_due_date_from_its_date(self):
        payable = self.company_data["default_account_payable"]
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": "2025-12-01",
                "line_ids": [
                    Command.create({"account_id": payable.id, "partner_id": self.partner_b.id, "balance": -120.0}),
                    Command.create({"account_id": self.company_data["default_account_expense"].id, "balance": 120.0}),
                ],
            }
        )
        entry.action_post()
        self.assertFalse(entry.line_ids.filtered("partner_id").date_maturity)
        aging = tool("get_ap_aging")(self.env, as_of=TODAY)
        self.assertEqual(aging["totals"]["91-120"], 120.0)  # 120 days late on 31 March
        self.assertEqual(aging["vendors"][0]["vendor"], self.partner_b.display_name)

    def test_match_bill_to_po_needs_purchase(self):
        bill = self.invoice(10.0, move_type="in_invoice")
        result = tool("match_bill_to_po")(self.env, bill.id)
        if "purchase.order.line" in self.env:
            self.assertIn("matched", result)
        else:
            self.assertEqual(result["available"], False)

    def test_unpaid_bills_and_schedule(self):
        bill = self.invoice(700.0, self.partner_b, day="2026-03-02", move_type="in_invoice")
        unpaid = tool("get_unpaid_bills")(self.env)
        self.assertIn(bill.id, [row["id"] for row in unpaid["rows"]])
        schedule = tool("get_payment_schedule")(self.env, date_to=date(2026, 12, 31))
        self.assertAlmostEqual(schedule["total_to_pay"], sum(b.amount_residual for b in bill))

    def test_verify_bill_taxes_against_the_product(self):
        taxed = self.tax_purchase_a
        self.product_a.supplier_taxes_id = taxed
        wrong = self._create_invoice_one_line(
            product_id=self.product_a, price_unit=100.0, move_type="in_invoice", tax_ids=[], invoice_date="2026-03-02"
        )
        right = self._create_invoice_one_line(
            product_id=self.product_a,
            price_unit=100.0,
            move_type="in_invoice",
            tax_ids=taxed,
            invoice_date="2026-03-02",
        )
        found = tool("verify_bill_taxes")(self.env, date_from=date(2026, 1, 1), date_to=TODAY)
        self.assertFinds([row["bill"]["id"] for row in found["rows"]], [wrong.id], [right.id])


@tagged("post_install", "-at_install")
class TestHst(BookkeepingCase):
    def test_hst_balance_is_collected_minus_itcs(self):
        self.invoice(1000.0, day="2026-03-02", tax_ids=self.tax_sale_a)
        self.invoice(200.0, day="2026-03-02", move_type="in_invoice", tax_ids=self.tax_purchase_a)
        found = tool("calculate_hst_balance")(self.env, date(2026, 3, 1), TODAY)
        sale_rate, purchase_rate = self.tax_sale_a.amount / 100, self.tax_purchase_a.amount / 100
        self.assertAlmostEqual(found["collected"], 1000 * sale_rate)
        self.assertAlmostEqual(found["input_tax_credits"], 200 * purchase_rate)
        self.assertAlmostEqual(found["net_owing"], 1000 * sale_rate - 200 * purchase_rate)
        report = tool("get_tax_report")(self.env, date(2026, 3, 1), TODAY)
        self.assertIn(self.tax_sale_a.id, [row["tax"]["id"] for row in report["taxes"]])
        self.assertEqual(report["engine"], "fusion", "Community has no Enterprise tax report")
        self.assertAlmostEqual(report["totals"]["collected"], found["collected"])
        self.assertAlmostEqual(report["totals"]["paid"], found["input_tax_credits"])

    def test_settings_override_the_chart(self):
        account = self.company_data["default_account_tax_sale"]
        self.env["ir.config_parameter"].sudo().set_param("fusion_accounting.hst_collected_account_code", account.code)
        found = tool("calculate_hst_balance")(self.env, date(2026, 3, 1), TODAY)
        self.assertIn("settings", found["accounts_from"][0])

    def test_invoice_without_tax_is_found(self):
        self.product_a.taxes_id = self.tax_sale_a
        missing = self._create_invoice_one_line(
            product_id=self.product_a, price_unit=1450.0, tax_ids=[], invoice_date="2026-03-02", post=True
        )
        taxed = self._create_invoice_one_line(
            product_id=self.product_a, price_unit=1450.0, tax_ids=self.tax_sale_a, invoice_date="2026-03-02", post=True
        )
        self.product_b.taxes_id = False
        exempt = self._create_invoice_one_line(
            product_id=self.product_b, price_unit=50.0, tax_ids=[], invoice_date="2026-03-02", post=True
        )
        found = tool("find_missing_tax_invoices")(self.env, date_to=TODAY)
        self.assertFinds([row["id"] for row in found["rows"]], [missing.id], [taxed.id, exempt.id])

    def test_bill_without_itc_from_a_registered_vendor(self):
        for day in ("2026-01-05", "2026-02-05"):
            self.invoice(300.0, self.partner_b, day=day, move_type="in_invoice", tax_ids=self.tax_purchase_a)
        missing = self.invoice(2340.0, self.partner_b, day="2026-03-05", move_type="in_invoice")
        unregistered = self.invoice(80.0, self.partner_c, day="2026-03-05", move_type="in_invoice")
        found = tool("find_missing_itc_bills")(self.env, date_to=TODAY)
        self.assertFinds([row["id"] for row in found["rows"]], [missing.id], [unregistered.id])

    def test_tax_returns_need_enterprise(self):
        if "account.return" in self.env:
            self.skipTest("Enterprise tax returns are installed")
        for name in ("get_tax_return_status", "generate_tax_return"):
            self.assertEqual(tool(name)(self.env)["available"], False)
        self.assertEqual(tool("validate_tax_return")(self.env, 1)["available"], False)
