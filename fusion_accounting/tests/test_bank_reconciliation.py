from datetime import date

from odoo.tests import new_test_user, tagged

from odoo.addons.fusion_accounting_core.services.tools import ToolRefusal

from .bookkeeping_common import BookkeepingCase, tool


@tagged("post_install", "-at_install")
class TestAutoReconcile(BookkeepingCase):
    """The planted cases of the issue: every match is right, the ambiguous line is left with suggestions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inv_ref = cls.invoice(100.0)
        cls.inv_ref_twin = cls.invoice(100.0)
        cls.inv_amount = cls.invoice(237.5, cls.partner_b)
        cls.inv_partial = cls.invoice(1000.0, cls.partner_c)
        cls.inv_ambiguous = cls.invoice(55.0, cls.partner_b) + cls.invoice(55.0, cls.partner_b)
        # Tuesday's card sales, deposited on Wednesday net of 1.6 %.
        cls.tuesday = (
            cls.card_payment(100.0, "2026-03-03")
            + cls.card_payment(250.0, "2026-03-03")
            + cls.card_payment(359.14, "2026-03-03")
        )
        # Friday's and Saturday's sales form one weekend batch deposited on Monday.
        cls.weekend = cls.card_payment(200.0, "2026-03-06") + cls.card_payment(300.0, "2026-03-07")

        cls.line_ref = cls.bank_line(100.0, f"Payment {cls.inv_ref.name} thank you")
        cls.line_amount = cls.bank_line(237.5, "E-TFR 4411", partner=cls.partner_b)
        cls.line_card = cls.bank_line(697.79, "ELAVON MERCH DEP 0303", day="2026-03-04")
        cls.line_weekend = cls.bank_line(492.0, "ELAVON MERCH DEP 0306", day="2026-03-09")
        cls.line_partial = cls.bank_line(400.0, f"Payment {cls.inv_partial.name} part 1", partner=cls.partner_c)
        cls.line_ambiguous = cls.bank_line(55.0, "E-TFR 9999", partner=cls.partner_b)
        cls.result = tool("auto_reconcile_bank_lines")(cls.env)

    def test_engine_is_ours_on_community(self):
        self.assertEqual(self.result["engine"], "fusion")
        self.assertEqual((self.result["matched"], self.result["left"]), (5, 1))

    def test_one_to_one_by_reference(self):
        self.assertReconciled(self.line_ref)
        self.assertPaid(self.inv_ref)
        self.assertPaid(self.inv_ref_twin, 100.0)

    def test_one_to_one_by_amount_and_partner(self):
        self.assertReconciled(self.line_amount)
        self.assertPaid(self.inv_amount)

    def test_card_batch_books_the_fee(self):
        self.assertReconciled(self.line_card)
        self.assertTrue(all(self.tuesday.mapped("reconciled")))
        fee = self.line_card.move_id.line_ids.filtered(lambda line: line.account_id == self.card_fees)
        self.assertAlmostEqual(fee.balance, 11.35, places=2)

    def test_weekend_batch_combines_friday_and_saturday(self):
        self.assertReconciled(self.line_weekend)
        self.assertTrue(all(self.weekend.mapped("reconciled")))
        fee = self.line_weekend.move_id.line_ids.filtered(lambda line: line.account_id == self.card_fees)
        self.assertAlmostEqual(fee.balance, 8.0, places=2)

    def test_partial_payment_leaves_the_rest_open(self):
        self.assertReconciled(self.line_partial)
        self.assertPaid(self.inv_partial, 600.0)

    def test_ambiguous_line_is_left_with_suggestions(self):
        self.assertReconciled(self.line_ambiguous, False)
        for invoice in self.inv_ambiguous:
            self.assertPaid(invoice, 55.0)
        [review] = self.result["needs_review"]
        self.assertEqual(review["statement_line"]["id"], self.line_ambiguous.id)
        suggested = {item["id"] for s in review["suggestions"] for item in s["items"]}
        self.assertEqual(suggested, set(self.receivable(self.inv_ambiguous).ids))
        self.assertTrue(all(s["reason"] for s in review["suggestions"]))


@tagged("post_install", "-at_install")
class TestMatchAndUndo(BookkeepingCase):
    def test_undo_restores_line_and_items_exactly(self):
        invoices = self.invoice(300.0) + self.invoice(500.0)
        st_line = self.bank_line(650.0, "two invoices", partner=self.partner_a)
        items = self.receivable(invoices)
        before = self.snapshot(st_line.move_id.line_ids), self.snapshot(items)

        result = tool("match_bank_line_to_payments")(self.env, st_line.id, items.ids)
        self.assertTrue(result["ok"], result)
        self.assertReconciled(st_line)
        self.assertEqual(sorted(invoices.mapped("amount_residual")), [0.0, 150.0])

        undone = tool("unmatch_bank_line")(self.env, st_line.id)
        self.assertTrue(undone["ok"], undone)
        self.assertReconciled(st_line, False)
        self.assertEqual((self.snapshot(st_line.move_id.line_ids), self.snapshot(items)), before)

    def test_a_line_that_cannot_be_booked_does_not_stop_the_others(self):
        self.env["ir.config_parameter"].sudo().set_param("fusion_accounting.card_fee_account_code", "no-such-code")
        self.card_payment(1000.0, "2026-03-03")
        batch = self.bank_line(984.0, "ELAVON", day="2026-03-04")
        invoice = self.invoice(55.0, self.partner_c)
        paid = self.bank_line(55.0, f"Payment {invoice.name}")
        result = tool("auto_reconcile_bank_lines")(self.env)
        self.assertEqual([row["statement_line_id"] for row in result["failed"]], [batch.id])
        self.assertReconciled(batch, False)
        self.assertReconciled(paid)
        self.assertPaid(invoice)

    def test_fee_is_booked_to_the_given_account(self):
        card = self.card_payment(1000.0, "2026-03-03")
        st_line = self.bank_line(984.0, "ELAVON", day="2026-03-04")
        result = tool("match_bank_line_to_payments")(self.env, st_line.id, card.ids, fee_amount=16.0)
        self.assertTrue(result["ok"], result)
        self.assertTrue(card.reconciled)
        self.assertIn({"account": "512313", "balance": 16.0}, result["booked"])

    def test_overpayment_keeps_the_rest_in_suspense(self):
        invoice = self.invoice(80.0)
        st_line = self.bank_line(100.0, "too much", partner=self.partner_a)
        tool("match_bank_line_to_payments")(self.env, st_line.id, self.receivable(invoice).ids)
        self.assertPaid(invoice)
        self.assertReconciled(st_line, False)
        self.assertAlmostEqual(self.env["fusion.bank.reconciler"]._open_amount(st_line), 20.0)

    def test_reconcile_model_books_bank_fees(self):
        model = self.env["account.reconcile.model"].create(
            {
                "name": "Monthly bank fee",
                "match_label": "contains",
                "match_label_param": "account fee",
                "line_ids": [
                    (0, 0, {"account_id": self.card_fees.id, "amount_type": "percentage", "amount_string": "100"})
                ],
            }
        )
        st_line = self.bank_line(-25.0, "MONTHLY ACCOUNT FEE")
        self.assertIn(
            model.id, [m["id"] for m in tool("get_reconcile_suggestions")(self.env, st_line.id)["reconcile_models"]]
        )
        result = tool("apply_reconcile_model")(self.env, st_line.id, model.id)
        self.assertTrue(result["ok"], result)
        self.assertReconciled(st_line)
        other = self.bank_line(-25.0, "CHQ 100")
        with self.assertRaises(ToolRefusal):
            tool("apply_reconcile_model")(self.env, other.id, model.id)

    def test_suggestions_explain_themselves(self):
        invoice = self.invoice(42.0, self.partner_b)
        st_line = self.bank_line(42.0, f"INV {invoice.name}")
        [best, *_rest] = tool("get_reconcile_suggestions")(self.env, st_line.id)["suggestions"]
        self.assertEqual(best["items"][0]["id"], self.receivable(invoice).id)
        self.assertGreaterEqual(best["confidence"], 0.9)
        self.assertIn(invoice.name, best["reason"])

    def test_sum_payments_by_date_groups_the_weekend(self):
        self.card_payment(200.0, "2026-03-06")
        self.card_payment(300.0, "2026-03-07")
        self.card_payment(100.0, "2026-03-09")
        result = tool("sum_payments_by_date")(self.env, date(2026, 3, 1), date(2026, 3, 31))
        self.assertEqual(
            [(b["days"], b["gross"], b["expected_net"]) for b in result["batches"]],
            [(["2026-03-06", "2026-03-07"], 500.0, 492.0), (["2026-03-09"], 100.0, 98.4)],
        )


@tagged("post_install", "-at_install")
class TestBankMultiCompany(BookkeepingCase):
    def test_user_of_company_a_gets_nothing_of_company_b(self):
        company_b = self.other_company("Fusion company B")
        journal_b = self.env["account.journal"].search(
            [("company_id", "=", company_b.id), ("type", "=", "bank")], limit=1
        )
        line_b = (
            self.env["account.bank.statement.line"]
            .with_company(company_b)
            .create({"journal_id": journal_b.id, "date": "2026-03-04", "amount": 77.0, "payment_ref": "B deposit"})
        )
        line_a = self.bank_line(66.0, "A deposit")
        user_a = new_test_user(
            self.env,
            login="fusion_catalog_a",
            groups="account.group_account_manager,fusion_accounting_core.group_fusion_manager",
            company_id=self.env.company.id,
            company_ids=[self.env.company.id],
        )
        env_a = self.env(user=user_a, context={"allowed_company_ids": [self.env.company.id]})
        with self.assertRaises(ToolRefusal):
            tool("get_reconcile_suggestions")(env_a, line_b.id)
        with self.assertRaises(ToolRefusal):
            tool("unmatch_bank_line")(env_a, line_b.id)
        result = tool("auto_reconcile_bank_lines")(env_a)
        listed = {row["statement_line"]["id"] for row in result["needs_review"]}
        self.assertIn(line_a.id, listed)
        self.assertNotIn(line_b.id, listed)
