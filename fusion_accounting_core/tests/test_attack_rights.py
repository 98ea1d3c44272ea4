"""Issue 18 over real JSON-RPC, with users of two companies: who may write money, and what leaks across companies.

Staff reads the books and writes none of them, whatever the route (Odoo's own
``/web/dataset/call_kw`` included).  A proposal naming another company's
records stores and shows nothing of them, and a decision on another company's
proposal is answered exactly like one on an id that does not exist.
"""

import json
from functools import partial

from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from ..services.agent import call, calls
from .agent_common import MANAGER, FusionAgentCase
from .attack_common import AttackSuiteMixin

ACCESS_ERROR = "odoo.exceptions.AccessError"
RECEIVABLE = "asset_receivable"
MISSING_ID = 2_000_000_000


@tagged("post_install", "-at_install")
class TestAttackRights(AttackSuiteMixin, FusionAgentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank_journal = cls.company_data["default_journal_bank"]
        # Drafts and a reconciled pair of company A, for Staff to try to post, delete and unreconcile.
        cls.draft_entry = cls.env["account.move"].create(cls._entry_values(cls.company_data, 40.0))
        cls.draft_payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_id": cls.customer.id,
                "amount": 30.0,
                "journal_id": cls.bank_journal.id,
            }
        )
        cls.st_line = cls.env["account.bank.statement.line"].create(
            {"journal_id": cls.bank_journal.id, "date": "2019-01-15", "payment_ref": "Deposit", "amount": 500.0}
        )
        paid = cls.init_invoice("out_invoice", partner=cls.customer, amounts=[120.0], post=True)
        paid_by = cls._payment_entry(cls.customer, paid.amount_total, ref="Paid earlier")
        (paid | paid_by).line_ids.filtered(lambda line: line.account_id.account_type == RECEIVABLE).reconcile()
        cls.reconciled_line = paid.line_ids.filtered(lambda line: line.account_id.account_type == RECEIVABLE)

        # Company B: its own Manager, and books whose partner and amount must never reach company A.
        cls.company_data_b = cls.setup_other_company(name="Fusion Company B")
        company_b = cls.company_data_b["company"]
        cls.manager_b = new_test_user(
            cls.env,
            login="fa_manager_b",
            groups=f"base.group_user,{MANAGER}",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        cls.secret_partner = cls.env["res.partner"].create({"name": "Globex Secret B", "company_id": company_b.id})
        cls.invoice_b = cls.init_invoice(
            "out_invoice", partner=cls.secret_partner, amounts=[7777.0], post=True, company=company_b
        )
        cls.payment_b = cls.env["account.move"].create(
            cls._entry_values(cls.company_data_b, cls.invoice_b.amount_total, partner=cls.secret_partner)
        )
        cls.payment_b.action_post()

    @classmethod
    def _entry_values(cls, data, amount, partner=None):
        """A balanced entry crediting the receivable (a received payment once posted)."""
        partner = partner or cls.customer
        return {
            "move_type": "entry",
            "journal_id": data["default_journal_misc"].id,
            "date": "2019-01-10",
            "line_ids": [
                (0, 0, {"account_id": data["default_account_assets"].id, "debit": amount}),
                (
                    0,
                    0,
                    {"account_id": data["default_account_receivable"].id, "partner_id": partner.id, "credit": amount},
                ),
            ],
        }

    # -- helpers ---------------------------------------------------------------------

    def call_kw(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw", {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        )

    def rpc(self, route, **params):
        return self.make_jsonrpc_request(route, params)

    def rpc_error(self, route, **params):
        """The whole error of a JSON-RPC call (class and message), to compare two refusals word for word."""
        response = self.opener.post(
            f"{self.base_url()}{route}", json={"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}
        )
        error = response.json().get("error")
        self.assertTrue(error, f"{route} {params} was not refused")
        return error["data"]["name"], error["data"]["message"]

    def refused(self, label, attempt, expected=ACCESS_ERROR):
        """``attempt`` is refused with ``expected`` (not a mistake in the call) and writes nothing financial."""

        def checked():
            try:
                return attempt()
            except JsonRpcException as error:
                self.assertEqual(str(error), expected, f"{label}: refused for another reason")
                raise

        before = self._attack_counts["refused"]
        self.attack(label, checked)
        self.assertEqual(self._attack_counts["refused"], before + 1, f"{label}: it was not refused")

    def receivable(self, move):
        return move.line_ids.filtered(lambda line: line.account_id.account_type == RECEIVABLE)

    # -- failure 1: Staff writes nothing financial -----------------------------------------

    def test_staff_reads_the_books(self):
        """Read-only rights still let Staff read what the dashboard and the tier-1 tools read."""
        self.authenticate("fa_staff", "fa_staff")
        (invoice,) = self.call_kw("account.move", "read", [self.invoice.id], ["name", "amount_residual"])
        self.assertEqual(invoice["amount_residual"], self.invoice.amount_residual)
        lines = self.call_kw("account.move.line", "search_read", [("move_id", "=", self.payment.id)], ["balance"])
        self.assertEqual(len(lines), 2)
        self.assertTrue(self.call_kw("account.bank.statement.line", "read", [self.st_line.id], ["amount"]))

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule", "odoo.models")
    def test_staff_writes_nothing_financial_through_any_route(self):
        invoice_line, payment_line = self.receivable(self.invoice), self.receivable(self.payment)
        partial_reconcile = self.reconciled_line.matched_credit_ids
        bank = self.bank_journal.id
        register = {"active_model": "account.move", "active_ids": self.invoice.ids}
        attempts = [
            (
                "reconcile two items",
                lambda: self.call_kw("account.move.line", "reconcile", [invoice_line.id, payment_line.id]),
            ),
            (
                "create an entry",
                lambda: self.call_kw("account.move", "create", [self._entry_values(self.company_data, 9.0)]),
            ),
            ("post a draft entry", lambda: self.call_kw("account.move", "action_post", [self.draft_entry.id])),
            ("reset an invoice to draft", lambda: self.call_kw("account.move", "button_draft", [self.invoice.id])),
            ("rewrite an invoice", lambda: self.call_kw("account.move", "write", [self.invoice.id], {"ref": "x"})),
            ("duplicate an invoice", lambda: self.call_kw("account.move", "copy", [self.invoice.id])),
            ("delete a draft entry", lambda: self.call_kw("account.move", "unlink", [self.draft_entry.id])),
            (
                "rewrite a journal item",
                lambda: self.call_kw("account.move.line", "write", [invoice_line.id], {"name": "x"}),
            ),
            (
                "unreconcile",
                lambda: self.call_kw("account.move.line", "remove_move_reconcile", [self.reconciled_line.id]),
            ),
            (
                "delete a partial reconcile",
                lambda: self.call_kw("account.partial.reconcile", "unlink", partial_reconcile.ids),
            ),
            (
                "create a payment",
                lambda: self.call_kw(
                    "account.payment", "create", {"payment_type": "inbound", "amount": 5.0, "journal_id": bank}
                ),
            ),
            ("post a draft payment", lambda: self.call_kw("account.payment", "action_post", [self.draft_payment.id])),
            ("delete a draft payment", lambda: self.call_kw("account.payment", "unlink", [self.draft_payment.id])),
            (
                "register a payment",
                lambda: self.call_kw("account.payment.register", "create", {}, context=register),
            ),
            (
                "create a statement line",
                lambda: self.call_kw(
                    "account.bank.statement.line",
                    "create",
                    {"journal_id": bank, "date": "2019-01-20", "payment_ref": "x", "amount": 10.0},
                ),
            ),
            (
                "change a statement line's amount",
                lambda: self.call_kw("account.bank.statement.line", "write", [self.st_line.id], {"amount": 1.0}),
            ),
            (
                "delete a statement line",
                lambda: self.call_kw("account.bank.statement.line", "unlink", [self.st_line.id]),
            ),
            (
                "reconcile through the co-pilot",
                lambda: self.rpc(
                    "/fusion/ai/tool", name="reconcile_payment_to_invoice", arguments=self.reconcile_args()
                ),
            ),
        ]
        self.authenticate("fa_staff", "fa_staff")
        for label, attempt in attempts:
            with self.subTest(label):
                self.refused(label, attempt)
        self.assertUnpaid()
        self.assertEqual(self.draft_entry.state, "draft")
        self.assertEqual(self.st_line.amount, 500.0)

    def test_managers_keep_odoo_invoicing_rights(self):
        """A Fusion Manager approves reconciliations with their own rights: Odoo's Invoicing rights stay."""
        self.assertTrue(self.manager.has_group("account.group_account_invoice"))
        self.assertFalse(self.staff.has_group("account.group_account_invoice"))
        self.assertTrue(self.staff.has_group("account.group_account_readonly"))

    # -- failure 4: another company's records and decisions ---------------------------------

    def test_a_proposal_naming_another_companys_entries_shows_nothing_of_them(self):
        self.script(
            calls(call("reconcile_payment_to_invoice", "c1", **self.reconcile_args(self.invoice_b, self.payment_b))),
            "Proposed.",
        )
        self.authenticate("fa_manager", "fa_manager")
        posted = self.attack("propose with company B's ids", lambda: self.rpc("/fusion/ai/message", text="match"))
        self.attack("run the turn", self.run_jobs)
        session = self.attack(
            "read the session", lambda: self.rpc("/fusion/ai/session", session_id=posted["session_id"])
        )
        (proposal,) = session["proposals"]
        self.assertFalse(proposal["partner_id"], "company B's partner reached company A's session")
        self.assertFalse(proposal["amount"], "company B's amount reached company A's session")
        self.assertNotIn("Globex", json.dumps(session))
        stored = self.history(call_id="c1")
        self.assertFalse(stored.move_line_ids)
        self.assertFalse(stored.partner_id)

        # Approving runs with the approver's rights: company B's entries do not exist for company A.
        result = self.attack(
            "approve it",
            lambda: self.rpc(
                "/fusion/ai/approve", proposal_id=proposal["id"], arguments_hash=proposal["arguments_hash"]
            ),
        )
        self.assertEqual(result["execution_state"], "failed")
        self.assertIn("does not exist", result["result"])
        self.assertNotIn("Globex", result["result"])
        self.assertEqual(self.invoice_b.payment_state, "not_paid")

    @mute_logger("odoo.http")
    def test_another_companys_proposals_are_answered_like_missing_ones(self):
        self.script(
            calls(call("reconcile_payment_to_invoice", "c1", **self.reconcile_args())),
            calls(call("reconcile_payment_to_invoice", "c2", **self.reconcile_args())),
        )
        pending = self.post(self.manager, "match").history_ids
        decided = self.post(self.manager2, "match again").history_ids
        decided.with_user(self.manager2).action_reject("not now")
        self.assertEqual((pending.decision, decided.decision), ("pending", "rejected"))

        self.authenticate("fa_manager_b", "fa_manager_b")
        for route, params in [
            ("/fusion/ai/approve", lambda record: {"proposal_id": record, "arguments_hash": "x"}),
            ("/fusion/ai/reject", lambda record: {"proposal_id": record, "reason": "no"}),
        ]:
            missing = self.rpc_error(route, **params(MISSING_ID))
            for label, record in (("pending", pending), ("decided", decided)):
                with self.subTest(route=route, proposal=label):
                    answer = self.attack(f"{route} {label}", partial(self.rpc_error, route, **params(record.id)))
                    self.assertEqual(answer, missing, "company A's proposal is told apart from a missing one")
        outcomes = self.attack(
            "decide in a batch",
            lambda: self.rpc(
                "/fusion/ai/decide",
                decisions=[{"id": i, "approve": True} for i in (pending.id, decided.id, MISSING_ID)],
            ),
        )
        self.assertEqual({o["error"] for o in outcomes}, {"No such proposal."})
        self.assertFalse(any(o["ok"] for o in outcomes))
        self.assertEqual(pending.decision, "pending")
        self.assertUnpaid()
