"""Domain assertions and fixtures of the tool catalog's Odoo tests (domains 1-5)."""

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.fusion_accounting_core.services.tools import REGISTRY


def tool(name):
    """The catalog tool ``name`` as a plain function ``f(env, **arguments)``."""
    return REGISTRY.get(name).function


class BookkeepingAssertions:
    """Domain assertions of the tool catalog (domains 1-5)."""

    def snapshot(self, amls):
        """What must come back after an undo: each item's account, balance and residual."""
        return sorted((aml.account_id.id, aml.balance, aml.amount_residual, aml.reconciled) for aml in amls)

    def assertPaid(self, invoice, residual=0.0):
        self.assertAlmostEqual(invoice.amount_residual, residual, places=2, msg=f"{invoice.name} residual")

    def assertReconciled(self, st_line, reconciled=True):
        st_line.invalidate_recordset(["is_reconciled"])
        self.assertEqual(st_line.is_reconciled, reconciled, f"statement line {st_line.payment_ref!r}")

    def assertFinds(self, found_ids, planted, clean):
        """A finder finds every planted record and flags no clean one."""
        self.assertLessEqual(set(planted), set(found_ids), "a planted defect was missed")
        self.assertFalse(set(clean) & set(found_ids), "a clean record was flagged")


class BookkeepingCase(AccountTestInvoicingCommon, BookkeepingAssertions):
    """A fresh company with a card clearing and a card fee account, and builders for planted records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.card_clearing = cls.env["account.account"].create(
            {
                "code": "119100",
                "name": "Card Payments Clearing",
                "account_type": "asset_current",
                "reconcile": True,
            }
        )
        cls.card_fees = cls.env["account.account"].create(
            {
                "code": "512313",
                "name": "Merchant Card Fees",
                "account_type": "expense",
            }
        )
        icp = cls.env["ir.config_parameter"].sudo()
        icp.set_param("fusion_accounting.card_clearing_account_code", "119100")
        icp.set_param("fusion_accounting.card_fee_account_code", "512313")
        icp.set_param("fusion_accounting.card_fee_bps", "160")
        cls.partner_c = cls.env["res.partner"].create({"name": "partner_c"})

    @classmethod
    def invoice(cls, amount, partner=None, day="2026-02-02", move_type="out_invoice", **values):
        """A posted invoice (or bill) of one untaxed line of ``amount``, due at once (one receivable item)."""
        values.setdefault("invoice_payment_term_id", False)
        return cls._create_invoice_one_line(
            price_unit=amount,
            tax_ids=values.pop("tax_ids", []),
            partner_id=(partner or cls.partner_a).id,
            invoice_date=day,
            move_type=move_type,
            post=True,
            **values,
        )

    @classmethod
    def card_payment(cls, amount, day):
        """A card sale waiting in the clearing account for its batch deposit; returns the clearing item."""
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": day,
                "journal_id": cls.company_data["default_journal_misc"].id,
                "line_ids": [
                    Command.create({"account_id": cls.card_clearing.id, "balance": amount, "name": "Card sale"}),
                    Command.create(
                        {
                            "account_id": cls.company_data["default_account_revenue"].id,
                            "balance": -amount,
                            "name": "Card sale",
                        }
                    ),
                ],
            }
        )
        move.action_post()
        return move.line_ids.filtered(lambda line: line.account_id == cls.card_clearing)

    @classmethod
    def bank_line(cls, amount, label, day="2026-03-04", partner=None, journal=None):
        return cls.env["account.bank.statement.line"].create(
            {
                "journal_id": (journal or cls.bank_journal).id,
                "date": day,
                "amount": amount,
                "payment_ref": label,
                "partner_id": partner.id if partner else False,
            }
        )

    @classmethod
    def other_company(cls, name):
        """A second company, created as superuser (creating a company needs more than accounting rights)."""
        env = cls.env
        cls.env = env(su=True)
        try:
            return cls.setup_other_company(name=name)["company"]
        finally:
            cls.env = env

    @staticmethod
    def receivable(invoice):
        return invoice.line_ids.filtered(lambda line: line.account_type in ("asset_receivable", "liability_payable"))
