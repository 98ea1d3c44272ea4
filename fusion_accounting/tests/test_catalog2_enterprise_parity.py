"""With Enterprise account_reports installed, our Community statements equal its figures to the cent.

Tagged ``fusion_coexistence`` so the suite's Enterprise pass runs it; on Community it skips with its reason.
"""

from datetime import date
from unittest import SkipTest

from odoo.tests import tagged

from .catalog2_common import Catalog2Case, tool

QUARTER = (date(2026, 1, 1), date(2026, 3, 31))


@tagged("post_install", "-at_install", "fusion_coexistence")
class TestCatalog2EnterpriseParity(Catalog2Case):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        installed = cls.env["ir.module.module"].search_count(
            [("name", "=", "account_reports"), ("state", "=", "installed")]
        )
        if not installed:
            raise SkipTest("Enterprise account_reports is not installed: nothing to compare our statements with")
        cls.build_quarter_books()

    def enterprise_lines(self, xmlid, date_from, date_to):
        """``{report line xml id suffix: first column value}`` of an Enterprise report, folded (no account lines)."""
        report = self.env.ref(f"account_reports.{xmlid}")
        mode = "range" if date_from else "single"
        period = {"date_from": date_from and date_from.isoformat(), "date_to": date_to.isoformat()}
        options = report.get_options({"date": {**period, "mode": mode, "filter": "custom"}})
        values = {}
        for line in report._get_lines(options):
            line_id = report._get_res_id_from_line_id(line["id"], "account.report.line")
            if line_id:
                name = self.env["account.report.line"].browse(line_id).get_external_id().get(line_id, "")
                values.setdefault(name.split(".")[-1], line["columns"][0]["no_format"])
        return values

    def test_profit_and_loss_equals_enterprise(self):
        theirs = self.enterprise_lines("profit_and_loss", *QUARTER)
        ours = tool("get_profit_loss")(self.env, date_from=QUARTER[0], date_to=QUARTER[1])
        self.assertAlmostEqual(ours["totals"]["net_income"], theirs["account_financial_report_net_profit0"], places=2)

    def test_balance_sheet_equals_enterprise(self):
        theirs = self.enterprise_lines("balance_sheet", None, QUARTER[1])
        ours = tool("get_balance_sheet")(self.env, date_to=QUARTER[1])["totals"]
        self.assertAlmostEqual(ours["assets"], theirs["account_financial_report_total_assets0"], places=2)
        self.assertAlmostEqual(
            ours["liabilities_and_equity"], theirs["account_financial_report_liabilities_and_equity_view0"], places=2
        )
        self.assertAlmostEqual(
            ours["current_year_earnings"], theirs["account_financial_current_year_earnings0"], places=2
        )
