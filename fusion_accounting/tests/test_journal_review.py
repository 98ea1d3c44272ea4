from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .bookkeeping_common import BookkeepingCase, tool

TODAY = date(2026, 3, 31)


@tagged("post_install", "-at_install")
class TestJournalReviewFinders(BookkeepingCase):
    """Each finder finds the defect planted for it and flags no clean record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"]
        cls.licences = Account.create({"code": "512315", "name": "Licences and Permits", "account_type": "expense"})
        cls.supplies = Account.create({"code": "512207", "name": "Supplies", "account_type": "expense"})
        cls.clearing = Account.create({"code": "119200", "name": "Clearing Account", "account_type": "asset_current"})
        cls.misc = cls.company_data["default_journal_misc"]

    @classmethod
    def entry(cls, lines, day="2026-03-10", ref="", partner=None, post=True):
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": day,
                "ref": ref,
                "journal_id": cls.misc.id,
                "line_ids": [
                    Command.create({"account_id": account.id, "balance": balance, "partner_id": partner and partner.id})
                    for account, balance in lines
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def test_wrong_direction_balances(self):
        self.entry([(self.clearing, 1850.0), (self.licences, -1850.0)])  # a refund booked to an expense
        self.entry([(self.supplies, 300.0), (self.clearing, -300.0)])
        found = tool("find_wrong_direction_balances")(self.env, date_to=TODAY)
        self.assertFinds(
            [row["account"]["id"] for row in found["rows"]], [self.licences.id], [self.supplies.id, self.clearing.id]
        )

    def test_duplicate_entries(self):
        original = self.entry(
            [(self.supplies, 120.0), (self.clearing, -120.0)], ref="Payroll 03-06", partner=self.partner_a
        )
        twin = self.entry(
            [(self.supplies, 120.0), (self.clearing, -120.0)], ref="Payroll 03-06", partner=self.partner_a
        )
        later = self.entry(
            [(self.supplies, 120.0), (self.clearing, -120.0)],
            day="2026-03-20",
            ref="Payroll 03-06",
            partner=self.partner_a,
        )
        other = self.entry(
            [(self.supplies, 120.0), (self.clearing, -120.0)], ref="Payroll 03-06", partner=self.partner_b
        )
        found = tool("find_duplicate_entries")(self.env, date_from=date(2026, 1, 1), date_to=TODAY)
        flagged = [move["id"] for group in found["rows"] for move in group["moves"]]
        self.assertFinds(flagged, [original.id, twin.id], [later.id, other.id])
        self.assertEqual(found["rows"][0]["reasons"], ["same journal, date, partner, reference and total (120.00)"])

    def test_equal_payments_settling_their_own_invoices_are_not_duplicates(self):
        receivable = self.company_data["default_account_receivable"]

        def card_payment(amount, invoice=None):
            payment = self.entry(
                [(self.clearing, amount), (receivable, -amount)], ref="Card payment", partner=self.partner_a
            )
            if invoice:
                (invoice.line_ids | payment.line_ids).filtered(lambda aml: aml.account_id == receivable).reconcile()
            return payment

        # Two walk-in sales of the same amount on one day, each paying its own invoice.
        first, second = (card_payment(344.65, self.invoice(344.65, day="2026-03-01")) for _ in range(2))
        # A payment entered twice: the copy settles nothing, the original already paid the invoice.
        original = card_payment(133.34, self.invoice(133.34, day="2026-03-01"))
        copy = card_payment(133.34)
        found = tool("find_duplicate_entries")(self.env, date_from=date(2026, 1, 1), date_to=TODAY)
        flagged = [move["id"] for group in found["rows"] for move in group["moves"]]
        self.assertFinds(flagged, [original.id, copy.id], [first.id, second.id])

    def test_wrong_account_entries(self):
        liability = self.company_data["default_account_tax_sale"]
        bad = self.invoice(500.0, account_id=liability.id)
        good = self.invoice(500.0)
        found = tool("find_wrong_account_entries")(self.env, date_from=date(2026, 1, 1), date_to=TODAY)
        flagged = [row["move"]["id"] for row in found["rows"]]
        self.assertFinds(flagged, [bad.id], [good.id])

    def test_sequence_gaps(self):
        first = self.invoice(10.0, day="2026-03-02")
        second = self.invoice(10.0, day="2026-03-03")
        prefix, number = first.name.rsplit("/", 1)
        skipped = self._create_invoice_one_line(
            price_unit=10.0,
            tax_ids=[],
            invoice_date="2026-03-04",
            move_name=f"{prefix}/{int(number) + 3:0{len(number)}d}",
            post=True,
        )
        found = tool("find_sequence_gaps")(self.env, date_from=date(2026, 1, 1), date_to=TODAY)
        self.assertFinds([row["id"] for row in found["rows"]], [skipped.id], [first.id, second.id])

    def test_draft_entries(self):
        forgotten = self._create_invoice_one_line(price_unit=780.0, move_type="in_invoice", invoice_date="2026-01-15")
        recent = self._create_invoice_one_line(price_unit=780.0, move_type="in_invoice", invoice_date="2026-03-25")
        posted = self.invoice(780.0, move_type="in_invoice", day="2026-01-15")
        found = tool("find_draft_entries")(self.env, older_than_days=30, today=TODAY)
        self.assertFinds([row["id"] for row in found["rows"]], [forgotten.id], [recent.id, posted.id])

    def test_unreconciled_suspense(self):
        self.entry([(self.clearing, 5000.0), (self.company_data["default_journal_bank"].default_account_id, -5000.0)])
        self.card_payment(250.0, "2026-03-28")  # a card batch in transit: expected in its clearing account
        self.bank_line(99.0, "not reconciled yet", day="2026-03-29")  # expected in the bank suspense account
        found = tool("find_unreconciled_suspense")(self.env, date_to=TODAY)
        suspense = self.company_data["default_journal_bank"].suspense_account_id
        self.assertFinds(
            [row["account"]["id"] for row in found["rows"]], [self.clearing.id], [self.card_clearing.id, suspense.id]
        )

    def test_reconciliation_integrity(self):
        broken, sound = self.invoice(100.0), self.invoice(100.0)
        for invoice in broken + sound:
            line = self.bank_line(100.0, invoice.name, partner=self.partner_a)
            tool("match_bank_line_to_payments")(self.env, line.id, self.receivable(invoice).ids)
        partial = self.receivable(broken).matched_credit_ids
        wrong_side = self.entry([(self.supplies, 100.0), (self.clearing, -100.0)]).line_ids.filtered("credit")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_partial_reconcile SET credit_move_id = %s WHERE id = %s", [wrong_side.id, partial.id]
        )
        self.env.invalidate_all()
        found = tool("verify_reconciliation_integrity")(self.env)
        self.assertFinds(
            [row["partial_reconcile_id"] for row in found["rows"]],
            [partial.id],
            self.receivable(sound).matched_credit_ids.ids,
        )


@tagged("post_install", "-at_install")
class TestFindersMultiCompany(BookkeepingCase):
    def test_user_of_company_a_gets_nothing_of_company_b(self):
        company_b = self.other_company("Fusion review B")
        draft_b = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "entry",
                    "date": "2026-01-05",
                    "journal_id": self.env["account.journal"]
                    .search([("company_id", "=", company_b.id), ("type", "=", "general")], limit=1)
                    .id,
                }
            )
        )
        draft_a = self._create_invoice_one_line(price_unit=5.0, invoice_date="2026-01-05")
        user_a = new_test_user(
            self.env,
            login="fusion_review_a",
            groups="account.group_account_manager,fusion_accounting_core.group_fusion_user",
            company_id=self.env.company.id,
            company_ids=[self.env.company.id],
        )
        env_a = self.env(user=user_a, context={"allowed_company_ids": [self.env.company.id]})
        found = tool("find_draft_entries")(env_a, today=TODAY)
        ids = [row["id"] for row in found["rows"]]
        self.assertIn(draft_a.id, ids)
        self.assertNotIn(draft_b.id, ids)
        overdue = tool("get_overdue_invoices")(env_a, as_of=fields.Date.today() + timedelta(days=400))
        self.assertTrue(all(row["id"] != draft_b.id for row in overdue["rows"]))
