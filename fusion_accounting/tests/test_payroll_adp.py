"""Domains 7, 12, 9 and 8: a QBO pay run booked and verified, CRA remittances, payroll cheques, the ADP receivable,
and inventory tools answering "not available" without stock_account."""

from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.fusion_accounting_core.services.tools import ToolRefusal

from ..models.res_config_settings_payroll_close import PAYROLL_ROLE_PARAMS
from .close_common import QBO_SAMPLE, CloseCase, tool

D = date.fromisoformat


@tagged("post_install", "-at_install")
class TestPayroll(CloseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sample = QBO_SAMPLE.read_text()
        for code, name, kind, reconcile in (
            ("238100", "CPP Payable", "liability_current", False),
            ("238200", "EI Payable", "liability_current", False),
            ("238300", "Income Tax Withheld", "liability_current", False),
            ("238400", "Net Pay Payable", "liability_current", True),
            ("238500", "Deductions Payable", "liability_current", False),
            ("512311", "Wages and Salaries", "expense", False),
            ("512312", "Employer CPP and EI", "expense", False),
        ):
            cls.account(code, name, kind, reconcile)
        cls.env["account.journal"].create({"name": "Payroll", "code": "PAYR", "type": "general"})
        # Codes as settings: a generic chart may hold other accounts whose names look like payroll ones.
        icp = cls.env["ir.config_parameter"].sudo()
        for role, code in (
            ("wages", "512311"),
            ("employer_contributions", "512312"),
            ("cpp_payable", "238100"),
            ("ei_payable", "238200"),
            ("income_tax_payable", "238300"),
            ("net_pay_payable", "238400"),
            ("deductions_payable", "238500"),
        ):
            icp.set_param(PAYROLL_ROLE_PARAMS[role], code)
        cls.bank_journal = cls.company_data["default_journal_bank"]

    def book_sample(self):
        return tool("create_payroll_journal_entry")(self.env, text=self.sample)

    def test_a_qbo_pay_run_becomes_one_balanced_payroll_entry(self):
        result = self.book_sample()
        move = self.env["account.move"].browse(result["move"]["id"])
        self.assertEqual((move.state, move.journal_id.code, move.date), ("posted", "PAYR", D("2026-01-16")))
        by_account = {}
        for line in move.line_ids:
            by_account[line.account_id.code] = by_account.get(line.account_id.code, 0.0) + line.balance
        self.assertAlmostEqual(by_account["512311"], 9214.32, places=2)
        self.assertAlmostEqual(by_account["238100"], -2 * 516.22, places=2)  # employee and employer CPP
        self.assertAlmostEqual(by_account["238200"], -(150.20 + 210.28), places=2)
        self.assertAlmostEqual(by_account["238400"], -7105.02, places=2)
        self.assertAlmostEqual(by_account["238500"], -65.00, places=2)
        entries = tool("get_payroll_entries")(self.env, date_from=D("2026-01-01"), date_to=D("2026-01-31"))
        self.assertEqual((entries["count"], entries["total_gross"]), (1, 9214.32))

    def test_deductions_match_cra_tables_and_a_wrong_cpp_is_flagged(self):
        self.assertTrue(tool("verify_source_deductions")(self.env, text=self.sample)["ok"])
        planted = self.sample.replace("CPP,,-110.99,", "CPP,,-119.99,", 1)
        result = tool("verify_source_deductions")(self.env, text=planted)
        wrong = [(e["employee"], f["kind"]) for e in result["employees"] for f in e["findings"]]
        self.assertEqual(wrong, [("Lee, Avery", "cpp")])
        one = tool("verify_payroll_deductions")(
            self.env, employee="A", gross=2000.0, cpp=110.99, ei=32.60, income_tax=254.83, pay_date=D("2026-01-16")
        )
        self.assertTrue(one["ok"])
        with self.assertRaises(ToolRefusal):
            tool("parse_payroll_summary")(self.env, text="not a payroll")

    def test_cra_remittance_due_then_paid(self):
        self.book_sample()
        due = tool("get_cra_remittance_due")(self.env, month_end=D("2026-01-31"))
        self.assertEqual(due["due_date"], "2026-02-15")
        self.assertAlmostEqual(due["total_due"], 2 * 516.22 + 150.20 + 210.28 + 1377.88, places=2)
        paid = tool("prepare_cra_payment")(self.env, month_end=D("2026-01-31"), bank_journal_id=self.bank_journal.id)
        self.assertTrue(paid["ok"], paid)
        status = tool("get_cra_remittance_status")(self.env, date_from=D("2026-01-01"), date_to=D("2026-02-28"))
        self.assertAlmostEqual(status["total_due"], 0.0, places=2)

    def test_payroll_cheques_are_matched_to_net_pay(self):
        self.book_sample()
        for amount, label in ((-1601.58, "CHQ 1001 LEE"), (-999.00, "CHEQUE 1099")):
            self.env["account.bank.statement.line"].create(
                {"journal_id": self.bank_journal.id, "date": "2026-01-19", "amount": amount, "payment_ref": label}
            )
        compared = tool("compare_payroll_to_bank")(self.env, date_from=D("2026-01-01"), date_to=D("2026-01-31"))
        self.assertEqual([m["amount"] for m in compared["matched"]], [1601.58])
        self.assertEqual(len(compared["without_bank_line"]), 3)
        lonely = tool("find_unmatched_payroll_cheques")(self.env, date_from=D("2026-01-01"), date_to=D("2026-01-31"))
        self.assertEqual([line["label"] for line in lonely["lines"]], ["CHEQUE 1099"])
        matched = tool("match_payroll_cheques")(self.env, date_from=D("2026-01-01"), date_to=D("2026-01-31"))
        self.assertEqual(len(matched["matched"]), 1)
        item = self.env["account.move.line"].browse(matched["matched"][0]["item_id"])
        self.assertTrue(item.reconciled)

    def test_schedule_and_cost_report(self):
        self.book_sample()
        schedule = tool("get_payroll_schedule")(self.env, date_from=D("2026-01-01"), date_to=D("2026-01-31"))
        self.assertEqual(schedule["pay_runs"][0]["gross"], 9214.32)
        cost = tool("get_payroll_cost_report")(self.env, date_from=D("2026-01-01"), date_to=D("2026-01-31"))
        self.assertAlmostEqual(cost["by_month"][0]["total_cost"], 9214.32 + 516.22 + 210.28, places=2)

    def test_t4_and_roe_require_fusion_payroll(self):
        for name, args in (("generate_t4", {"year": 2026}), ("generate_roe", {"employee_name": "Lee, Avery"})):
            result = tool(name)(self.env, **args)
            self.assertFalse(result["available"])
            self.assertIn("requires fusion_payroll", result["reason"])

    def test_inventory_tools_are_not_available_without_stock_account(self):
        period = {"date_from": D("2026-01-01"), "date_to": D("2026-01-31")}
        for name, args in (
            ("get_stock_valuation", {"as_of": D("2026-01-31")}),
            ("get_price_differences", period),
            ("get_cogs_ratio_by_category", period),
            ("find_unusual_adjustments", period),
            ("get_inventory_turnover", period),
        ):
            result = tool(name)(self.env, **args)
            self.assertEqual(result["available"], False, name)
            self.assertIn("stock_account", result["reason"])


@tagged("post_install", "-at_install")
class TestAdp(CloseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.adp_account = cls.account("1101", "ADP Receivable", "asset_receivable", reconcile=True)
        cls.env["ir.config_parameter"].sudo().set_param("fusion_accounting.adp_receivable_account_code", "1101")
        cls.ministry = cls.env["res.partner"].create({"name": "Ontario Ministry of Health - ADP"})
        cls.good = cls.adp_invoice(4000.0, 3000.0, "2026-02-02")
        # The split entry moves 1,500 off the client but puts only 1,400 on ADP: 100 is lost to an expense.
        cls.bad = cls.adp_invoice(2000.0, 1500.0, "2026-02-05", adp_amount=1400.0)

    @classmethod
    def adp_invoice(cls, total, share, day, adp_amount=None):
        invoice = cls.invoice(total, day)
        receivable = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        lines = [
            Command.create(
                {
                    "account_id": cls.adp_account.id,
                    "balance": adp_amount or share,
                    "partner_id": cls.ministry.id,
                    "name": "ADP portion",
                }
            ),
            Command.create(
                {
                    "account_id": receivable.account_id.id,
                    "balance": -share,
                    "partner_id": invoice.partner_id.id,
                    "name": "ADP portion",
                }
            ),
        ]
        if adp_amount is not None:
            lines.append(Command.create({"account_id": cls.expense.id, "balance": share - adp_amount, "name": "gap"}))
        split = cls.env["account.move"].create(
            {"move_type": "entry", "date": day, "journal_id": cls.misc.id, "line_ids": lines}
        )
        split.action_post()
        (receivable | split.line_ids.filtered(lambda line: line.account_id == receivable.account_id)).reconcile()
        return invoice

    def test_the_split_holds_on_every_correct_adp_invoice_and_a_bad_one_is_flagged(self):
        result = tool("verify_adp_split")(self.env, date_from=D("2026-02-01"), date_to=D("2026-02-28"))
        self.assertEqual(result["invoices"], 2)
        self.assertEqual([(m["invoice_id"], m["difference"]) for m in result["mismatches"]], [(self.bad.id, -100.0)])
        good = next(row for row in result["checked"] if row["invoice_id"] == self.good.id)
        self.assertEqual((good["customer_portion"], good["adp_portion"], good["total"]), (1000.0, 3000.0, 4000.0))
        audit = tool("run_full_audit")(self.env, date_from=D("2026-02-01"), date_to=D("2026-02-28"), limit=100)
        self.assertFindsKinds(audit["findings"], {("adp_split_mismatch", self.bad.id)})

    def test_aging_deposit_matching_and_summary(self):
        aging = tool("get_adp_receivable_aging")(self.env, as_of=D("2026-04-15"))
        self.assertEqual(aging["total"], 4400.0)
        self.assertEqual({b["label"]: b["amount"] for b in aging["buckets"] if b["count"]}, {"61-90": 4400.0})
        unpaid = tool("find_adp_without_payment")(self.env, as_of=D("2026-04-15"), min_age_days=60)
        self.assertEqual(unpaid["count"], 2)
        deposit = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "date": "2026-03-20",
                "amount": 3000.0,
                "payment_ref": "MOH ADP DEPOSIT",
            }
        )
        matched = tool("match_adp_payment_to_invoice")(self.env, statement_line_id=deposit.id)
        self.assertTrue(matched["ok"], matched)
        self.assertEqual([i["amount"] for i in matched["items"]], [3000.0])
        summary = tool("get_adp_summary")(self.env, date_from=D("2026-02-01"), date_to=D("2026-03-31"))
        self.assertEqual(
            (summary["billed_to_adp"], summary["collected_from_adp"], summary["open_at_end"]), (4400.0, 3000.0, 1400.0)
        )
