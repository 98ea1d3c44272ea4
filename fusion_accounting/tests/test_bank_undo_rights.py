from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.fusion_accounting_core.services.agent import call, calls
from odoo.addons.fusion_accounting_core.services.tools import ToolRefusal
from odoo.addons.fusion_accounting_core.tests.agent_common import ScriptedTurns

from .bookkeeping_common import BookkeepingCase, tool

ADMINISTRATOR = "account.group_account_manager,fusion_accounting_core.group_fusion_manager"


@tagged("post_install", "-at_install")
class TestBankUndoRights(ScriptedTurns, BookkeepingCase):
    """An accounting Administrator on Community undoes a bank match, though only Basic may write statement lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A turn publishes its progress through a cursor of its own (as in an HttpCase): it must see this test's users.
        cls.registry_enter_test_mode_cls()
        company = cls.company_data["company"]
        cls.administrator = new_test_user(
            cls.env, login="fusion_undo_admin", groups=ADMINISTRATOR, company_id=company.id, company_ids=company.ids
        )

    def env_of(self, user):
        return self.env(user=user, context={"allowed_company_ids": user.company_ids.ids})

    def matched_line(self, env):
        """A line matched by ``env``'s user with two invoices, and what must come back after an undo."""
        invoices = self.invoice(300.0) + self.invoice(500.0)
        st_line = self.bank_line(650.0, "two invoices", partner=self.partner_a)
        items = self.receivable(invoices)
        before = self.snapshot(st_line.move_id.line_ids), self.snapshot(items)
        result = tool("match_bank_line_to_payments")(env, st_line.id, items.ids)
        self.assertTrue(result["ok"], result)
        self.assertReconciled(st_line)
        return st_line, items, before

    def assertRestored(self, st_line, items, before):
        self.assertReconciled(st_line, False)
        self.assertEqual((self.snapshot(st_line.move_id.line_ids), self.snapshot(items)), before)

    def test_administrator_matches_and_undoes_and_the_line_and_items_come_back_exactly(self):
        # The premise: on Community an Administrator is not Basic, so may not write statement lines.
        self.assertFalse(self.administrator.has_group("account.group_account_basic"))
        env = self.env_of(self.administrator)
        self.assertFalse(env["account.bank.statement.line"].has_access("write"))
        st_line, items, before = self.matched_line(env)
        undone = tool("unmatch_bank_line")(env, st_line.id)
        self.assertTrue(undone["ok"], undone)
        self.assertEqual({row["id"] for row in undone["reopened_items"]}, set(items.ids))
        self.assertRestored(st_line, items, before)

    def test_approving_the_proposed_undo_undoes_it_in_the_administrators_name(self):
        st_line, items, before = self.matched_line(self.env)
        self.script(
            calls(call("unmatch_bank_line", "c1", statement_line_id=st_line.id, ai_reasoning="Wrong invoices")),
            "The match is undone.",
        )
        session = self.post(self.administrator, "Undo the match of the two invoices")
        self.assertEqual(session.state, "awaiting_approval")
        (proposal,) = session.history_ids
        self.assertRecordValues(proposal, [{"tool_name": "unmatch_bank_line", "tier": "3", "decision": "pending"}])
        self.assertReconciled(st_line)  # nothing runs before the approval

        outcome = proposal.with_user(self.administrator).action_approve()[proposal.id]

        self.assertEqual(outcome["execution_state"], "done", outcome["result"])
        self.assertRestored(st_line, items, before)
        st_line.invalidate_recordset(["write_uid"])
        self.assertEqual(st_line.write_uid, self.administrator, "the undo is the approver's, not the superuser's")
        self.assertEqual(st_line.move_id.line_ids.create_uid, self.administrator)

    def test_a_user_of_another_company_cannot_undo(self):
        st_line, _items, _before = self.matched_line(self.env)
        company_b = self.other_company("Fusion undo company B")
        outsider = new_test_user(
            self.env, login="fusion_undo_b", groups=ADMINISTRATOR, company_id=company_b.id, company_ids=company_b.ids
        )
        env_b = self.env_of(outsider)
        with self.assertRaises(ToolRefusal):
            tool("unmatch_bank_line")(env_b, st_line.id)
        # The reconciler's own guard, which the undo run as superuser relies on.
        with self.assertRaisesRegex(UserError, "company you cannot access"):
            env_b["fusion.bank.reconciler"]._unmatch(st_line.with_env(env_b))
        self.assertReconciled(st_line)

    def test_a_user_who_may_not_change_journal_items_is_refused_in_words(self):
        st_line, _items, _before = self.matched_line(self.env)
        company = self.company_data["company"]
        reader = new_test_user(
            self.env,
            login="fusion_undo_reader",
            groups="base.group_user,account.group_account_readonly",
            company_id=company.id,
            company_ids=company.ids,
        )
        with self.assertRaisesRegex(ToolRefusal, "You may not undo the match"):
            tool("unmatch_bank_line")(self.env_of(reader), st_line.id)
        self.assertReconciled(st_line)

    def test_the_other_bank_tools_book_for_the_administrator(self):
        env = self.env_of(self.administrator)
        invoice = self.invoice(120.0)
        by_reference = self.bank_line(120.0, f"Payment {invoice.name}")
        result = tool("auto_reconcile_bank_lines")(env)
        self.assertEqual(result["failed"], [])
        self.assertReconciled(by_reference)
        self.assertPaid(invoice)
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
        fee = self.bank_line(-25.0, "MONTHLY ACCOUNT FEE")
        self.assertTrue(tool("apply_reconcile_model")(env, fee.id, model.id)["ok"])
        self.assertReconciled(fee)
