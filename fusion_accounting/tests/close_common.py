"""Domain assertions and builders of the Odoo tests of tool catalog II (close, payroll, ADP, reporting, audit)."""

from pathlib import Path

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.fusion_accounting_core.services.tools import REGISTRY

# The realistic QBO payroll summary the pure suite round-trips (repository layout: tests/payroll_audit/data).
QBO_SAMPLE = Path(__file__).resolve().parents[2] / "tests/payroll_audit/data/qbo_payroll_summary_2026-01-16.csv"


def tool(name):
    """The catalog tool ``name`` as a plain function ``f(env, **arguments)``."""
    return REGISTRY.get(name).function


class StatementAssertions:
    """The statements tie out: what an accountant checks before trusting a report."""

    def assertTrialBalanceZero(self, trial):
        self.assertTrue(trial["balanced"], f"trial balance off by {trial['totals']['difference']}")
        self.assertAlmostEqual(trial["totals"]["debit"], trial["totals"]["credit"], places=2)

    def assertNetIncomeIsCurrentYearEarnings(self, pnl, balance_sheet):
        self.assertAlmostEqual(pnl["totals"]["net_income"], balance_sheet["totals"]["current_year_earnings"], places=2)
        self.assertAlmostEqual(
            balance_sheet["totals"]["difference"], 0.0, places=2, msg="assets != liabilities + equity"
        )

    def assertCashExplained(self, cash_flow):
        totals = cash_flow["totals"]
        self.assertAlmostEqual(totals["unexplained"], 0.0, places=2, msg=f"cash flow does not tie: {totals}")
        self.assertAlmostEqual(totals["opening_cash"] + totals["net_change"], totals["closing_cash"], places=2)

    def assertFindsKinds(self, findings, expected):
        """Every ``(kind, record id)`` expected is among the findings."""
        found = {(f["kind"], f["res_id"] or f["account_id"]) for f in findings}
        missing = set(expected) - found
        self.assertFalse(missing, f"audit missed {sorted(missing)}; found kinds {sorted({k for k, _ in found})}")


class CloseCase(AccountTestInvoicingCommon, StatementAssertions):
    """A fresh company with a misc journal and builders for posted entries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.misc = cls.company_data["default_journal_misc"]
        cls.bank_account = cls.company_data["default_journal_bank"].default_account_id
        cls.revenue = cls.company_data["default_account_revenue"]
        cls.expense = cls.company_data["default_account_expense"]

    @classmethod
    def account(cls, code, name, account_type, reconcile=False):
        return cls.env["account.account"].create(
            {"code": code, "name": name, "account_type": account_type, "reconcile": reconcile}
        )

    @classmethod
    def entry(cls, day, lines, *, journal=None, ref="", post=True, partner=None, narration=False):
        """A journal entry of ``lines`` = ``[(account, balance), ...]`` (debit positive)."""
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": day,
                "ref": ref,
                "narration": narration,
                "journal_id": (journal or cls.misc).id,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": account.id,
                            "balance": balance,
                            "name": ref or "entry",
                            "partner_id": partner.id if partner else False,
                        }
                    )
                    for account, balance in lines
                ],
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def build_quarter_books(cls):
        """Last year 500 of cash sales; this quarter: capital 10,000, an invoice of 1,000 (paid), a bill of 400
        (open), equipment of 3,000 depreciated by 100, and a draft.  Net income of the quarter: 500."""
        cls.equity = cls.account("310000", "Owner Capital", "equity")
        cls.fixed = cls.account("150000", "Equipment", "asset_fixed")
        cls.depreciation = cls.account("615000", "Depreciation", "expense_depreciation")
        cls.entry("2025-06-01", [(cls.bank_account, 500.0), (cls.revenue, -500.0)], ref="2025 sales")
        cls.entry("2026-01-05", [(cls.bank_account, 10000.0), (cls.equity, -10000.0)], ref="capital")
        cls.sale = cls.invoice(1000.0, "2026-01-10")
        cls.bill = cls.invoice(400.0, "2026-01-15", partner=cls.partner_b, move_type="in_invoice")
        cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=cls.sale.ids).create(
            {"payment_date": "2026-02-01"}
        )._create_payments()
        cls.entry("2026-02-10", [(cls.fixed, 3000.0), (cls.bank_account, -3000.0)], ref="equipment")
        cls.entry("2026-02-28", [(cls.depreciation, 100.0), (cls.fixed, -100.0)], ref="depreciation")
        cls.draft = cls.entry("2026-03-01", [(cls.expense, 50.0), (cls.bank_account, -50.0)], post=False)

    @classmethod
    def invoice(cls, amount, day, *, partner=None, move_type="out_invoice", taxes=None, post=True, currency=None):
        return cls._create_invoice_one_line(
            currency_id=currency.id if currency else None,
            price_unit=amount,
            tax_ids=taxes or [],
            partner_id=(partner or cls.partner_a).id,
            invoice_date=day,
            date=day,
            move_type=move_type,
            post=post,
        )
