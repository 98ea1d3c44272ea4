from odoo.tests import tagged

from ..services.bank_matching import Suggestion
from .bookkeeping_common import BookkeepingCase

# What the entries a reconciliation books (exchange differences) must agree on.
NEW_ENTRY_FIELDS = ("journal_id", "parent_state", "account_id", "balance", "amount_currency", "reconciled")


@tagged("post_install", "-at_install")
class TestReconcileWithoutResync(BookkeepingCase):
    """``_reconcile`` leaves the books Odoo's ``_reconcile_plan`` leaves, exchange differences included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reconciler = cls.env["fusion.bank.reconciler"]
        # The invoice is at 2 euros a dollar, the payment at 2.5: paying its dollars leaves an exchange difference.
        euro = cls.setup_other_currency("EUR", rates=[("2026-01-01", 2.0), ("2026-03-01", 2.5)])
        full, partial, bill = (
            cls.invoice(100.0),
            cls.invoice(1000.0, cls.partner_c),
            cls.invoice(300.0, cls.partner_b, move_type="in_invoice"),
        )
        in_euros = cls.invoice(200.0, cls.partner_b, currency_id=euro.id)
        cards = cls.card_payment(100.0, "2026-03-03") + cls.card_payment(250.0, "2026-03-03")
        cases = [
            (cls.bank_line(100.0, "full", partner=cls.partner_a), cls.receivable(full), 0),
            (cls.bank_line(400.0, "partial", partner=cls.partner_c), cls.receivable(partial), 0),
            (cls.bank_line(-300.0, "bill", partner=cls.partner_b), cls.receivable(bill), 0),
            (cls.bank_line(100.0, "euros", partner=cls.partner_b), cls.receivable(in_euros), 0),
            (cls.bank_line(344.4, "ELAVON MERCH DEP 0303"), cards, 560),
        ]
        chosen = [(line, Suggestion(tuple(items.ids), 1.0, "test", "planted", fee=fee)) for line, items, fee in cases]
        records = {item.id: item for _line, items, _fee in cases for item in items}
        _matched, cls.plan, failed = cls.reconciler._book_all(chosen, records, isolate=True)
        assert not failed, failed
        cls.invoices = full + partial + bill + in_euros
        cls.items = cls.env["account.move.line"].union(*cls.plan)

    def books(self, reconcile):
        """Reconcile the plan with ``reconcile``, read what it left, and roll it back."""
        last_move = self.env["account.move"].search([], order="id desc", limit=1).id
        with self.env.cr.savepoint() as savepoint:
            reconcile(self.plan)
            self.env.flush_all()
            self.env.invalidate_all()
            items = [
                (
                    item.id,
                    item.amount_residual,
                    item.amount_residual_currency,
                    item.reconciled,
                    bool(item.full_reconcile_id),
                    sorted((item.matched_debit_ids | item.matched_credit_ids).mapped("amount")),
                )
                for item in self.items
            ]
            invoices = [(move.name, move.payment_state, move.amount_residual) for move in self.invoices]
            new_lines = self.env["account.move"].search([("id", ">", last_move)]).line_ids
            new_entries = sorted(
                tuple(line._convert_to_write({name: line[name] for name in NEW_ENTRY_FIELDS}).values())
                for line in new_lines
            )
            savepoint.rollback()
        self.env.invalidate_all()
        return items, invoices, new_entries

    def test_same_books_as_odoo_reconcile_plan(self):
        odoo = self.books(self.env["account.move.line"]._reconcile_plan)
        ours = self.books(self.reconciler._reconcile)
        self.assertEqual(ours, odoo)
        _items, invoices, new_entries = ours
        self.assertEqual([state for _name, state, _residual in invoices], ["paid", "partial", "paid", "paid"])
        self.assertTrue(new_entries, "the euro invoice paid at another rate books an exchange difference")
        self.assertAlmostEqual(sum(entry[3] for entry in new_entries), 0.0, places=2, msg="balanced")

    def test_an_empty_plan_reconciles_nothing(self):
        partials = self.env["account.partial.reconcile"].search_count([])
        self.reconciler._reconcile([])
        self.assertEqual(self.env["account.partial.reconcile"].search_count([]), partials)
        self.assertFalse(any(self.items.mapped("reconciled")), "the booked pairs stay open")
