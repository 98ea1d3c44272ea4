"""The statement, audit and dashboard engines answer from the companies the user selected, nothing else.

Issue 18: they relied on Odoo's access rights only.  Here one user works in two
companies and selects one of them; another user belongs to company A only and
asks for company B anyway.  Company B's books hold a partner and an amount that
must never reach an answer about company A.
"""

import json
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

STAFF = "base.group_user,fusion_accounting_core.group_fusion_user"
SECRET = "Globex Secret B"
TODAY = date(2026, 3, 20)
YEAR = (date(2025, 1, 1), date(2026, 3, 31))


@tagged("post_install", "-at_install")
class TestEnginesStayInTheSelectedCompanies(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company_data["company"]
        cls.company_b = cls.setup_other_company(name="Isolation Company B")["company"]
        both = cls.company_a | cls.company_b
        cls.in_both = new_test_user(
            cls.env, login="iso_both", groups=STAFF, company_id=cls.company_a.id, company_ids=[(6, 0, both.ids)]
        )
        cls.in_a = new_test_user(
            cls.env, login="iso_a", groups=STAFF, company_id=cls.company_a.id, company_ids=[(6, 0, cls.company_a.ids)]
        )
        secret = cls.env["res.partner"].create({"name": SECRET, "company_id": cls.company_b.id})
        cls.init_invoice("out_invoice", amounts=[100.0], invoice_date=date(2026, 1, 15), post=True)
        # Company B's invoices: one posted, one left in draft for months (a forgotten draft the audit reports).
        cls.invoice_b = cls.init_invoice(
            "out_invoice",
            partner=secret,
            amounts=[7777.0],
            invoice_date=date(2026, 1, 15),
            post=True,
            company=cls.company_b,
        )
        cls.draft_b = cls.init_invoice(
            "out_invoice", partner=secret, amounts=[55.0], invoice_date=date(2025, 6, 2), company=cls.company_b
        )
        cls.env["fusion.accounting.audit.finding"].sudo().create(
            {
                "name": f"{SECRET} finding",
                "kind": "forgotten_draft",
                "fingerprint": "isolation-b",
                "company_id": cls.company_b.id,
                "amount": 7777.0,
            }
        )

    def engine(self, model, user, companies):
        return self.env[model].with_user(user).with_context(allowed_company_ids=companies.ids)

    def trial_debit(self, user, companies):
        report = self.engine("fusion.statement.engine", user, companies).report_json("trial_balance", None, YEAR[1])
        self.assertEqual(report["companies"], companies.mapped("name"))
        return report["totals"]["debit"]

    def audit_records(self, user, companies):
        findings = self.engine("fusion.audit.engine", user, companies).run_all(*YEAR, checks=["entries"])
        return {(finding["res_model"], finding["res_id"]) for finding in findings}

    def test_statements_count_only_the_selected_companies(self):
        only_a = self.trial_debit(self.in_both, self.company_a)
        self.assertLess(only_a, 7777.0, "company B's invoice is in company A's trial balance")
        self.assertEqual(self.trial_debit(self.in_a, self.company_a), only_a)
        # The same user sees it once company B is selected: the test can tell the two apart.
        self.assertGreaterEqual(self.trial_debit(self.in_both, self.company_a | self.company_b) - only_a, 7777.0)

    def test_audit_reports_only_the_selected_companies(self):
        draft_b = ("account.move", self.draft_b.id)
        self.assertNotIn(draft_b, self.audit_records(self.in_both, self.company_a))
        self.assertNotIn(draft_b, self.audit_records(self.in_a, self.company_a))
        self.assertIn(draft_b, self.audit_records(self.in_both, self.company_a | self.company_b))

    def test_dashboard_shows_only_the_selected_companies(self):
        dashboard = self.engine("fusion.accounting.dashboard", self.in_both, self.company_a)
        data = json.dumps(dashboard.get_dashboard_data(today=TODAY))
        self.assertNotIn(SECRET, data)
        self.assertNotIn("7,777", data)
        both = self.engine("fusion.accounting.dashboard", self.in_both, self.company_a | self.company_b)
        self.assertIn(SECRET, json.dumps(both.get_dashboard_data(today=TODAY)))

    def test_a_company_the_user_does_not_belong_to_is_refused(self):
        for model, ask in [
            ("fusion.statement.engine", lambda engine: engine.report_json("trial_balance", None, YEAR[1])),
            ("fusion.accounting.dashboard", lambda engine: engine.get_dashboard_data(today=TODAY)),
        ]:
            with self.subTest(model), self.assertRaises(AccessError):
                ask(self.engine(model, self.in_a, self.company_b))
        # The audit turns every check's failure into a finding: each check says it could not run, nothing more.
        findings = self.engine("fusion.audit.engine", self.in_a, self.company_b).run_all(*YEAR)
        self.assertEqual({finding["kind"] for finding in findings}, {"audit_check_failed"})
        self.assertNotIn(SECRET, json.dumps(findings))
