"""Domain 10 and 6 on Community: statements tie out, exports carry the figures, questions stay in the whitelist."""

import base64
import io
import shutil
from datetime import date

import openpyxl

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.fusion_accounting_core.services.tools import ToolRefusal

from .close_common import CloseCase, tool

D = date.fromisoformat


@tagged("post_install", "-at_install")
class TestReporting(CloseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.build_quarter_books()

    def test_trial_balance_sums_to_zero(self):
        trial = tool("get_trial_balance")(self.env, date_to=D("2026-03-31"))
        self.assertTrialBalanceZero(trial)
        self.assertGreater(trial["totals"]["debit"], 10000)

    def test_net_income_is_current_year_earnings(self):
        pnl = tool("get_profit_loss")(self.env, date_from=D("2026-01-01"), date_to=D("2026-03-31"))
        balance_sheet = tool("get_balance_sheet")(self.env, date_to=D("2026-03-31"))
        # 1,000 sales - 400 bill - 100 depreciation; the draft entry does not count.
        self.assertAlmostEqual(pnl["totals"]["net_income"], 500.0, places=2)
        self.assertNetIncomeIsCurrentYearEarnings(pnl, balance_sheet)
        self.assertAlmostEqual(balance_sheet["totals"]["retained_earnings"], 500.0, places=2)

    def test_cash_flow_explains_the_change_in_cash(self):
        flow = tool("get_cash_flow")(self.env, date_from=D("2026-01-01"), date_to=D("2026-03-31"))
        self.assertCashExplained(flow)
        totals = flow["totals"]
        self.assertAlmostEqual(totals["opening_cash"], 500.0, places=2)
        self.assertAlmostEqual(totals["depreciation"], 100.0, places=2)
        self.assertAlmostEqual(totals["investing"], -3000.0, places=2)
        self.assertAlmostEqual(totals["financing"], 10000.0, places=2)

    def test_two_periods_side_by_side(self):
        result = tool("compare_periods")(
            self.env,
            report="profit_and_loss",
            date_from=D("2026-01-01"),
            date_to=D("2026-03-31"),
            previous_date_from=D("2025-01-01"),
            previous_date_to=D("2025-12-31"),
        )
        net = next(r for r in result["rows"] if r["code"] == "net_income")
        self.assertEqual((net["current"], net["previous"], net["change"]), (500.0, 500.0, 0.0))

    def test_xlsx_export_opens_and_holds_the_figures(self):
        result = tool("export_report")(
            self.env, report="profit_and_loss", date_from=D("2026-01-01"), date_to=D("2026-03-31"), file_format="xlsx"
        )
        attachment = self.env["ir.attachment"].browse(result["attachment_id"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        values = {row[2]: row[3] for row in book.active.iter_rows(values_only=True) if row[2]}
        self.assertEqual(values["net income"], 500.0)
        self.assertEqual(values["revenue"], 1000.0)
        trial = tool("export_report")(self.env, report="trial_balance", date_to=D("2026-03-31"), file_format="xlsx")
        sheet = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(self.env["ir.attachment"].browse(trial["attachment_id"]).datas))
        ).active
        rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
        debit, credit = sum(r[2] for r in rows), sum(r[3] for r in rows)
        self.assertGreater(debit, 10000)
        self.assertAlmostEqual(debit, credit, places=2)

    def test_pdf_export_renders_the_statement(self):
        # Odoo renders reports as HTML under test (no wkhtmltopdf call); the QWeb template is what is checked here.
        result = tool("export_report")(
            self.env, report="profit_and_loss", date_from=D("2026-01-01"), date_to=D("2026-03-31"), file_format="pdf"
        )
        self.assertEqual(result["format"], "html")
        html = base64.b64decode(self.env["ir.attachment"].browse(result["attachment_id"]).datas).decode()
        self.assertIn("Profit and Loss", html)
        self.assertIn("500.00", html)
        self.assertIn("1000.00", html)

    def test_questions_run_a_whitelisted_grouped_query(self):
        from ..tools.reporting import QuestionFilter

        answer = tool("answer_financial_question")(
            self.env,
            model="account.move",
            measures=["amount_total_signed:sum", "__count"],
            group_by=["move_type"],
            filters=[
                QuestionFilter("state", "=", "posted"),
                QuestionFilter("move_type", "in", "out_invoice,in_invoice"),
            ],
            date_from=D("2026-01-01"),
        )
        rows = {row["move_type"]: row for row in answer["rows"]}
        self.assertEqual(rows["out_invoice"]["__count"], 1)
        self.assertAlmostEqual(rows["out_invoice"]["amount_total_signed:sum"], 1000.0, places=2)
        self.assertIn(["company_id", "in", self.env.companies.ids], answer["domain"])
        with self.assertRaises(ToolRefusal):
            tool("answer_financial_question")(self.env, model="res.users", measures=["__count"])
        with self.assertRaises(ToolRefusal):
            tool("answer_financial_question")(self.env, model="account.move", measures=["password:sum"])

    def test_period_summary_and_close_checklist(self):
        summary = tool("get_period_summary")(self.env, date_from=D("2026-01-01"), date_to=D("2026-03-31"))
        self.assertTrue(summary["balanced"])
        self.assertAlmostEqual(summary["net_income"], 500.0, places=2)
        checklist = tool("get_close_checklist")(self.env, date_from=D("2026-03-01"), date_to=D("2026-03-31"))
        items = {item["check"]: item for item in checklist["checklist"]}
        self.assertEqual(items["draft_entries"]["count"], 1)
        self.assertFalse(checklist["ready_to_lock"])
        self.assertEqual(items["trial_balance_difference"]["status"], "ok")


@tagged("post_install", "-at_install")
class TestToolCatalog(CloseCase):
    """The catalog as the model sees it: tool counts and tiers per domain, and arguments validated from JSON."""

    def test_every_domain_has_its_design_tools_and_tiers(self):
        from odoo.addons.fusion_accounting_core.services.tools import REGISTRY

        counts = {
            "month_end": 8,
            "payroll_verification": 5,
            "inventory": 5,
            "adp": 5,
            "reporting": 7,
            "audit": 12,
            "payroll_management": 10,
        }
        for domain, count in counts.items():
            self.assertEqual(len(REGISTRY.by_domain(domain)), count, domain)
        tiers = {spec.name: int(spec.tier) for spec in REGISTRY.by_domain(*counts)}
        approval = {
            "create_payroll_journal_entry",
            "match_payroll_cheques",
            "prepare_cra_payment",
            "match_adp_payment_to_invoice",
            "post_adjusting_entry",
        }
        logged = {"export_report", "flag_entry", "set_audit_status", "generate_t4", "generate_roe"}
        self.assertEqual({name for name, tier in tiers.items() if tier == 3}, approval)
        self.assertEqual({name for name, tier in tiers.items() if tier == 2}, logged)

    def test_a_question_as_json_is_validated_then_answered(self):
        from odoo.addons.fusion_accounting_core.services.tools import REGISTRY, validate_arguments

        self.invoice(1000.0, "2026-01-10")
        spec = REGISTRY.get("answer_financial_question")
        arguments = validate_arguments(
            spec.parameters,
            {
                "model": "account.move.line",
                "measures": ["balance:sum"],
                "group_by": ["account_type"],
                "filters": [{"field": "parent_state", "operator": "=", "value": "posted"}],
                "date_from": "2026-01-01",
            },
        )
        answer = spec.call(self.env, arguments)
        by_type = {row["account_type"]: row["balance:sum"] for row in answer["rows"]}
        self.assertAlmostEqual(by_type["income"], -1000.0, places=2)

    def test_statements_only_read_the_selected_companies(self):
        self.entry("2026-01-05", [(self.bank_account, 700.0), (self.revenue, -700.0)], ref="ours")
        other = self.setup_other_company()
        other_company = other["company"]
        revenue = other["default_account_revenue"]
        bank = other["default_journal_bank"].default_account_id
        move = (
            self.env["account.move"]
            .with_company(other_company)
            .create(
                {
                    "move_type": "entry",
                    "date": "2026-01-06",
                    "journal_id": other["default_journal_misc"].id,
                    "line_ids": [
                        Command.create({"account_id": bank.id, "balance": 9000.0}),
                        Command.create({"account_id": revenue.id, "balance": -9000.0}),
                    ],
                }
            )
        )
        move.action_post()
        period = {"date_from": D("2026-01-01"), "date_to": D("2026-01-31")}
        company = self.company_data["company"]
        alone = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        both = self.env(context=dict(self.env.context, allowed_company_ids=(company | other_company).ids))
        self.assertAlmostEqual(tool("get_profit_loss")(alone, **period)["totals"]["revenue"], 700.0, places=2)
        self.assertAlmostEqual(tool("get_profit_loss")(both, **period)["totals"]["revenue"], 9700.0, places=2)


@tagged("post_install", "-at_install")
class TestReportPdfExport(CloseCase, HttpCase):
    """A real PDF, when wkhtmltopdf is there.

    An HttpCase: wkhtmltopdf fetches the report's assets from Odoo's HTTP server,
    which must answer inside the test transaction (as Odoo's own report tests do).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.build_quarter_books()

    def test_the_pdf_export_is_a_real_pdf_holding_the_figures(self):
        if not shutil.which("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed on this machine: the PDF bytes cannot be produced")
        from pypdf import PdfReader

        from ..tools.reporting import render_pdf

        data = tool("get_profit_loss")(self.env, date_from=D("2026-01-01"), date_to=D("2026-03-31"))
        content, kind = render_pdf(self.env(context=dict(self.env.context, force_report_rendering=True)), data)
        self.assertEqual(kind, "pdf")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        self.assertIn("500.00", text)
