import re
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..services.bank_matching import Suggestion
from .bookkeeping_common import BookkeepingCase


@tagged("post_install", "-at_install")
class TestBatchBooking(BookkeepingCase):
    """Auto-reconcile books all its lines at once; the books must be those of booking them one by one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reconciler = cls.env["fusion.bank.reconciler"]
        full = cls.invoice(100.0)
        partial = cls.invoice(1000.0, cls.partner_c)
        over = cls.invoice(80.0, cls.partner_b)
        bill = cls.invoice(300.0, cls.partner_b, move_type="in_invoice")
        two = cls.invoice(200.0) + cls.invoice(150.0)
        cards = cls.card_payment(100.0, "2026-03-03") + cls.card_payment(250.0, "2026-03-03")
        # (statement line, items, fee in cents): full, partial, overpaid, outgoing, card batch net of its fee, 2 items.
        cls.cases = [
            (cls.bank_line(100.0, "full", partner=cls.partner_a), cls.receivable(full), 0),
            (cls.bank_line(400.0, "partial", partner=cls.partner_c), cls.receivable(partial), 0),
            (cls.bank_line(100.0, "overpaid", partner=cls.partner_b), cls.receivable(over), 0),
            (cls.bank_line(-300.0, "bill", partner=cls.partner_b), cls.receivable(bill), 0),
            (cls.bank_line(344.4, "ELAVON MERCH DEP 0303"), cards, 560),
            (cls.bank_line(350.0, "two invoices", partner=cls.partner_a), cls.receivable(two), 0),
        ]
        cls.st_lines = cls.env["account.bank.statement.line"].union(*(case[0] for case in cls.cases))
        cls.items = cls.env["account.move.line"].union(*(case[1] for case in cls.cases))
        cls.records = {item.id: item for item in cls.items}

    def chosen(self, cases=None):
        return [
            (st_line.with_env(self.reconciler.env), Suggestion(tuple(items.ids), 1.0, "test", "planted", fee=fee))
            for st_line, items, fee in (cases or self.cases)
        ]

    def tracked(self):
        """Book with chatter tracking on, as users do (Odoo's test classes turn it off)."""
        self.reconciler = self.reconciler.with_context(tracking_disable=False)

    @staticmethod
    def reconciled_with(line):
        partials = line.matched_debit_ids | line.matched_credit_ids
        return tuple(sorted(((partials.debit_move_id | partials.credit_move_id) - line).ids)), sorted(
            partials.mapped("amount")
        )

    def books(self):
        """The journal items of the lines' entries, the lines' state and the items', in terms free of new ids."""
        self.env.flush_all()
        self.env.invalidate_all()
        entries = sorted(
            (
                line.move_id.id,
                line.account_id.id,
                line.partner_id.id,
                line.name,
                line.balance,
                line.amount_currency,
                line.currency_id.id,
                line.amount_residual,
                line.reconciled,
                line.analytic_distribution or {},
                self.reconciled_with(line),
            )
            for line in self.st_lines.move_id.line_ids
        )
        settled = sorted(
            (
                item.id,
                item.amount_residual,
                item.reconciled,
                tuple(sorted(((item.matched_debit_ids | item.matched_credit_ids).debit_move_id.move_id).ids)),
                tuple(sorted(((item.matched_debit_ids | item.matched_credit_ids).credit_move_id.move_id).ids)),
            )
            for item in self.items
        )
        lines = [
            (line.id, line.is_reconciled, line.amount_residual, line.amount, line.partner_id.id, line.payment_ref)
            for line in self.st_lines
        ]
        moves = [(move.id, move.state, move.is_manually_modified) for move in self.st_lines.move_id]
        return entries, settled, lines, moves

    def last_message_id(self):
        return self.env["mail.message"].search([], order="id desc", limit=1).id

    def trail(self, after_id):
        """The chatter of the lines' entries since message ``after_id``, per entry in order, free of new ids."""
        messages = self.env["mail.message"].search(
            [("model", "=", "account.move"), ("res_id", "in", self.st_lines.move_id.ids), ("id", ">", after_id)],
            order="id",
        )
        trail = {}
        for message in messages:
            values = sorted(
                (
                    value.field_id.name,
                    value.old_value_char or "",
                    value.new_value_char or "",
                    value.old_value_float,
                    value.new_value_float,
                    value.old_value_integer,
                    value.new_value_integer,
                )
                for value in message.tracking_value_ids
            )
            body = re.sub(r"#\d+", "#", re.sub(r"<[^>]+>", "", str(message.body)))
            trail.setdefault(message.res_id, []).append((body, message.message_type, message.author_id.id, values))
        return trail

    def assertSameBooksAsOneByOne(self):
        self.tracked()
        # Both ways start from the lines as an undo leaves them (their own items are recreated then).
        self.reconciler._unmatch(self.st_lines)
        since = self.last_message_id()
        matched, to_reconcile, failed = self.reconciler._book_all(self.chosen(), self.records, isolate=True)
        self.env["account.move.line"]._reconcile_plan(to_reconcile)
        self.assertEqual((len(matched), failed), (len(self.cases), {}))
        batch, batch_trail = self.books(), self.trail(since)
        self.assertEqual(
            [line_state[1] for line_state in batch[2]], [True, True, False, True, True, True], "overpaid keeps 20"
        )

        self.reconciler._unmatch(self.st_lines)
        since = self.last_message_id()
        for st_line, suggestion in self.chosen():
            _created, pairs = self.reconciler._book_suggestion(st_line, suggestion, self.records)
            self.env["account.move.line"]._reconcile_plan(pairs)
        self.assertEqual(batch, self.books())
        self.assertEqual(batch_trail, self.trail(since), "the chatter trail Odoo posts item by item")
        return batch

    def test_batch_posts_the_trail_odoo_posts(self):
        self.tracked()
        since = self.last_message_id()
        self.reconciler._book_all(self.chosen(), self.records, isolate=True)
        trail = self.trail(since)
        self.assertEqual(sorted(trail), sorted(self.st_lines.move_id.ids), "every entry's chatter says what changed")
        changes = {}
        for move_id, messages in trail.items():
            self.assertTrue(all(values for _body, _type, _author, values in messages), move_id)
            changes[move_id] = [body.rsplit(" ", 1)[1] for body, _type, _author, _values in messages]
        # Full, partial and bill: one item takes the whole line, whose suspense item is rewritten in place.
        in_place = [case[0].move_id.id for case in (self.cases[0], self.cases[1], self.cases[3])]
        self.assertEqual([changes[move_id] for move_id in in_place], [["updated"]] * 3)
        for move_id in set(changes) - set(in_place):
            self.assertEqual(changes[move_id][0], "deleted", "the suspense item goes first, as in Odoo's write")
            self.assertEqual(set(changes[move_id][1:]), {"created"})

    def test_a_line_taken_whole_by_one_item_keeps_its_journal_item(self):
        full_line, full_items, _fee = self.cases[0]
        overpaid_line = self.cases[2][0]
        suspense = {line: line._seek_for_lines()[1] for line in (full_line, overpaid_line)}
        _matched, to_reconcile, _failed = self.reconciler._book_all(self.chosen(), self.records, isolate=True)
        self.env["account.move.line"]._reconcile_plan(to_reconcile)
        rewritten = suspense[full_line]
        self.assertTrue(rewritten.exists(), "rewritten, not deleted")
        self.assertEqual(rewritten.account_id, full_items.account_id)
        self.assertEqual(self.reconciled_with(rewritten)[0], tuple(full_items.ids))
        self.assertFalse(suspense[overpaid_line].exists(), "a line partly used gets new items")

    def test_no_trail_when_the_caller_disables_tracking(self):
        since = self.last_message_id()
        self.reconciler.with_context(tracking_disable=True)._book_all(self.chosen(), self.records, isolate=True)
        self.assertEqual(self.trail(since), {})

    def test_batch_books_what_one_by_one_books(self):
        self.assertSameBooksAsOneByOne()

    def test_batch_applies_analytic_distribution_models(self):
        plan = self.env["account.analytic.plan"].create({"name": "Regions"})
        east = self.env["account.analytic.account"].create({"name": "East", "plan_id": plan.id})
        self.env["account.analytic.distribution.model"].create(
            {"partner_id": self.partner_b.id, "analytic_distribution": {str(east.id): 100}}
        )
        entries, *_rest = self.assertSameBooksAsOneByOne()
        distributed = [entry for entry in entries if entry[2] == self.partner_b.id and entry[9]]
        self.assertTrue(distributed, "partner_b's counterparts carry the model's distribution")

    def test_entries_stay_balanced_with_one_liquidity_and_at_most_one_suspense_item(self):
        _matched, to_reconcile, _failed = self.reconciler._book_all(self.chosen(), self.records, isolate=True)
        self.env["account.move.line"]._reconcile_plan(to_reconcile)
        for st_line in self.st_lines:
            liquidity, suspense, _other = st_line._seek_for_lines()
            self.assertEqual((len(liquidity), len(suspense) <= 1), (1, True), st_line.payment_ref)
            self.assertAlmostEqual(sum(st_line.move_id.line_ids.mapped("balance")), 0.0, places=2)
        self.assertAlmostEqual(self.reconciler._open_amount(self.cases[2][0]), 20.0, places=2)

    def test_a_line_only_the_database_refuses_does_not_stop_the_others(self):
        refused = self.cases[0][0]
        Move = type(self.env["account.move"])
        original = Move._check_fiscal_lock_dates

        def locked(moves):
            # Stands for any refusal only the write reveals (a lock date, a constraint), here on one entry.
            if refused.move_id in moves:
                raise UserError(moves.env._("locked period"))
            return original(moves)

        with patch.object(Move, "_check_fiscal_lock_dates", locked):
            matched, to_reconcile, failed = self.reconciler._book_all(self.chosen(), self.records, isolate=True)
        self.env["account.move.line"]._reconcile_plan(to_reconcile)
        self.assertEqual(list(failed), [refused.id])
        self.assertEqual([line_id for line_id, _suggestion in matched], self.st_lines[1:].ids)
        self.assertReconciled(refused, False)
        self.assertReconciled(self.cases[1][0])
        self.assertFalse(self.cases[0][1].reconciled)

    def test_without_isolation_the_first_refusal_is_raised(self):
        self.env["ir.config_parameter"].sudo().set_param("fusion_accounting.card_fee_account_code", "no-such-code")
        with self.assertRaises(UserError):
            self.reconciler._book_all(self.chosen(), self.records, isolate=False)
