"""Domain 11: the full audit finds every planted defect and flags no clean entry; audit rules run first; flags,
statuses, trail, cron, hook."""

from datetime import date, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.fusion_accounting_core.services.tools import ToolRefusal

from .close_common import CloseCase, tool

D = date.fromisoformat
TODAY = D("2026-03-31")


@tagged("post_install", "-at_install")
class TestAudit(CloseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tax_sale, tax_purchase = cls.company_data["default_tax_sale"], cls.company_data["default_tax_purchase"]
        cls.licences = cls.account("512315", "Licences and Permits", "expense")
        cls.clearing = cls.account("119200", "Clearing Account", "asset_current")
        cls.clean_invoice = cls.invoice(800.0, "2026-02-03", taxes=tax_sale.ids)
        cls.no_tax_invoice = cls.invoice(1450.0, "2026-02-04")
        # The vendor usually charges HST, so an untaxed bill from it misses an input tax credit.
        cls.invoice(300.0, "2026-01-20", partner=cls.partner_b, move_type="in_invoice", taxes=tax_purchase.ids)
        cls.no_itc_bill = cls.invoice(2340.0, "2026-02-05", partner=cls.partner_b, move_type="in_invoice")
        vendor = cls.env["res.partner"].create({"name": "Duplicate Supplies"})
        cls.bill = cls.invoice(500.0, "2026-02-10", partner=vendor, move_type="in_invoice", taxes=tax_purchase.ids)
        cls.bill_twin = cls.invoice(500.0, "2026-02-10", partner=vendor, move_type="in_invoice", taxes=tax_purchase.ids)
        cls.refund = cls.entry("2026-02-12", [(cls.bank_account, 1850.0), (cls.licences, -1850.0)], ref="refund")
        cls.transfer = cls.entry("2026-02-14", [(cls.clearing, 5000.0), (cls.bank_account, -5000.0)], ref="transfer")
        cls.draft = cls.entry("2026-01-25", [(cls.expense, 780.0), (cls.bank_account, -780.0)], post=False)
        cls.late = cls.entry("2025-12-20", [(cls.expense, 3125.0), (cls.revenue, -3125.0)], ref="count adjustment")
        cls.gap = cls.invoice(90.0, "2026-03-02", taxes=tax_sale.ids)
        cls.company_data["company"].fiscalyear_lock_date = D("2025-12-31")
        # What the UI cannot do, the database can: the entry was created after the lock, and a number is missing.
        cls.env.cr.execute("UPDATE account_move SET create_date = '2026-01-20 10:00' WHERE id = %s", [cls.late.id])
        cls.env.cr.execute("UPDATE account_move SET made_sequence_gap = TRUE WHERE id = %s", [cls.gap.id])
        cls.env.invalidate_all()

    def audit(self, **kwargs):
        return tool("run_full_audit")(self.env, date_from=D("2025-10-01"), date_to=TODAY, limit=100, **kwargs)

    def test_full_audit_finds_every_planted_defect(self):
        result = self.audit()
        self.assertFindsKinds(
            result["findings"],
            {
                ("duplicate_bill", self.bill_twin.id),
                ("taxable_invoice_without_tax", self.no_tax_invoice.id),
                ("bill_without_itc", self.no_itc_bill.id),
                ("wrong_direction_balance", self.licences.id),
                ("suspense_balance", self.clearing.id),
                ("forgotten_draft", self.draft.id),
                ("entry_in_locked_period", self.late.id),
                ("sequence_gap", self.gap.id),
            },
        )
        self.assertFalse(result["truncated"])

    def test_a_clean_invoice_passes_the_entry_audit(self):
        clean = tool("audit_posted_entry")(self.env, move_id=self.clean_invoice.id)
        self.assertTrue(clean["clean"], clean["findings"])
        flagged = tool("audit_posted_entry")(self.env, move_id=self.bill.id)
        self.assertEqual([f["kind"] for f in flagged["findings"]], ["duplicate_bill"])
        with self.assertRaises(ToolRefusal):
            tool("audit_posted_entry")(self.env, move_id=999_999_999)

    def test_a_bill_entered_again_a_month_later_is_a_copy_and_a_weekly_service_is_not(self):
        vendor = self.env["res.partner"].create({"name": "Office Services"})

        def bill(day, ref):
            move = self.invoice(250.0, day, partner=vendor, move_type="in_invoice", post=False)
            move.ref = ref
            move.action_post()
            return move

        # Cleaning every week for one total, each bill its own number; then a bill entered at
        # receipt and again from the vendor's statement, its number typed otherwise.
        weekly = [bill(f"2026-01-{day:02d}", f"CL-{day}") for day in (5, 12, 19, 26)]
        original = bill("2026-02-02", "INV-7001")
        again = bill("2026-03-05", "inv 7001")
        copies = {f["res_id"]: f for f in self.audit()["findings"] if f["kind"] == "duplicate_bill"}
        self.assertIn(again.id, copies)
        self.assertEqual(copies[again.id]["original_id"], original.id)
        self.assertIn(
            "same vendor reference INV-7001 (typed inv 7001), bill dates 31 days apart", copies[again.id]["message"]
        )
        self.assertFalse({move.id for move in weekly} & set(copies), "a weekly service is no duplicate")

    def test_reconciliations_are_consistent(self):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.clean_invoice.ids
        ).create({"payment_date": "2026-03-05"})._create_payments()
        result = tool("audit_reconciliation_integrity")(self.env, date_from=D("2026-01-01"), date_to=TODAY)
        self.assertEqual(result["count"], 0, result["findings"])

    def test_hash_chain_has_no_corruption(self):
        result = tool("check_hash_chain")(self.env)
        self.assertNotIn("corrupted", result.get("by_status", {}), result)
        self.assertEqual(tool("run_hash_integrity_check")(self.env).keys(), result.keys())

    def test_sequence_gaps_list_the_entry_after_the_hole(self):
        result = tool("check_sequence_gaps")(self.env, date_from=D("2026-01-01"), date_to=TODAY)
        self.assertEqual([f["res_id"] for f in result["findings"]], [self.gap.id])

    def test_flag_entry_posts_a_note_and_opens_a_finding(self):
        result = tool("flag_entry")(
            self.env, move_id=self.refund.id, reason="A refund booked to an expense.", recommendation="Reclassify it."
        )
        self.assertTrue(result["ok"])
        message = self.env["mail.message"].browse(result["message_id"])
        self.assertIn("Reclassify it.", message.body)
        finding = self.env["fusion.accounting.audit.finding"].browse(result["finding_id"])
        self.assertEqual((finding.kind, finding.res_id, finding.state), ("flagged_entry", self.refund.id, "open"))
        trail = tool("get_audit_trail")(self.env, move_id=self.refund.id)
        self.assertTrue(any("Reclassify it." in m["body"] for m in trail["messages"]))

    def test_review_status_is_kept_per_account_and_period(self):
        args = {"account_id": self.licences.id, "date_from": D("2026-01-01"), "date_to": TODAY}
        tool("set_audit_status")(self.env, status="anomaly", note="refund misbooked", **args)
        tool("set_audit_status")(self.env, status="reviewed", **args)
        status = tool("get_audit_status")(self.env, date_from=D("2026-02-01"), date_to=D("2026-02-28"))
        self.assertEqual(status["by_status"], {"reviewed": 1})
        with self.assertRaises(ToolRefusal):
            tool("set_audit_status")(self.env, status="todo", **{**args, "account_id": 0})

    def test_periodic_audit_stores_ranked_findings_for_the_dashboard(self):
        Finding = self.env["fusion.accounting.audit.finding"]
        company = self.company_data["company"]
        Finding._audit_company(company, TODAY)
        stored = Finding.search([("company_id", "=", company.id), ("state", "=", "open")])
        self.assertIn(self.bill_twin.id, stored.filtered(lambda f: f.kind == "duplicate_bill").mapped("res_id"))
        self.assertEqual(stored, stored.sorted(lambda f: -f.score), "findings are ranked by score")
        # A second run refreshes the same findings instead of duplicating them; a fixed defect is resolved.
        self.draft.unlink()
        Finding._audit_company(company, TODAY)
        again = Finding.search([("company_id", "=", company.id), ("state", "=", "open")])
        self.assertEqual(len(again), len(stored) - 1)
        attention = self.env["fusion.accounting.dashboard"]._needs_attention()
        self.assertEqual(attention[0]["id"], again[0].id)
        report = tool("get_audit_report")(self.env)
        self.assertEqual(report["count"], len(again))
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "fusion_accounting.action_report_audit", company.ids
        )
        self.assertIn(again[0].name, html.decode())

    def test_cron_runs_at_the_configured_frequency(self):
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param("fusion_accounting.audit_cron_frequency", "weekly")
        today = fields.Date.context_today(self.env["fusion.accounting.audit.finding"])
        icp.set_param("fusion_accounting.audit_cron_last_run", fields.Date.to_string(today - timedelta(days=3)))
        Finding = type(self.env["fusion.accounting.audit.finding"])
        with (
            patch.object(Finding, "_audit_company") as audit_company,
            patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=60.0),
        ):
            self.env["fusion.accounting.audit.finding"]._cron_run_audit()
            self.assertFalse(audit_company.called, "a weekly audit does not run again three days later")
            icp.set_param("fusion_accounting.audit_cron_last_run", "2025-01-01")
            self.env["fusion.accounting.audit.finding"]._cron_run_audit()
            self.assertTrue(audit_company.called)

    def test_post_hook_is_off_by_default_and_audits_when_on(self):
        Finding = self.env["fusion.accounting.audit.finding"]
        before = Finding.search_count([])
        self.invoice(200.0, "2026-03-10")
        self.assertEqual(Finding.search_count([]), before)
        self.env["ir.config_parameter"].sudo().set_param("fusion_accounting.post_action_audit_hook", "True")
        invoice = self.invoice(210.0, "2026-03-11")
        found = Finding.search([("res_id", "=", invoice.id), ("res_model", "=", "account.move")])
        self.assertEqual(found.mapped("kind"), ["taxable_invoice_without_tax"])


# An audit rule as an accountant would write it: refunds booked straight to an expense account.
REFUND_RULE = """
expense = [l for l in move['lines'] if l['account_type'] == 'expense' and l['balance'] < 0]
if expense and 'refund' in move['ref'].lower():
    result = {'message': 'refund credited to ' + expense[0]['account_code'], 'severity': 'high',
              'recommendation': 'Book refunds against the original bill.'}
"""


@tagged("post_install", "-at_install")
class TestAuditRules(CloseCase):
    """Issue 8: active audit rules run over the period's entries before any model reasoning."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.licences = cls.account("512315", "Licences and Permits", "expense")
        cls.refund = cls.entry("2026-02-12", [(cls.bank_account, 1850.0), (cls.licences, -1850.0)], ref="Refund")
        cls.other = cls.entry("2026-02-13", [(cls.expense, 90.0), (cls.bank_account, -90.0)], ref="fuel")
        cls.Rule = cls.env["fusion.accounting.rule"].sudo()

    def rule(self, name, **values):
        return self.Rule.create({"name": name, "rule_type": "audit", "company_id": self.env.company.id, **values})

    def audit(self):
        return tool("run_full_audit")(self.env, date_from=D("2026-01-01"), date_to=TODAY, limit=100)

    def rule_findings(self, result, rule):
        return [f for f in result["findings"] if f["kind"] == "rule" and f["rule_id"] == rule.id]

    def test_a_matching_rule_becomes_a_finding_naming_the_rule(self):
        refunds = self.rule("Refunds on expenses", match_code=REFUND_RULE)
        flag_all = self.rule("Every bank entry", match_code="True", description="Check the bank entries.")
        result = self.audit()
        [finding] = self.rule_findings(result, refunds)
        self.assertEqual((finding["res_id"], finding["severity"]), (self.refund.id, "high"))
        self.assertIn("Refunds on expenses", finding["name"])
        self.assertIn(f"refund credited to {self.licences.code}", finding["message"])
        self.assertEqual(finding["recommendation"], "Book refunds against the original bill.")
        # Every rule judges every entry: a second rule flags the refund too, with its own recommendation.
        flagged = {f["res_id"]: f for f in self.rule_findings(result, flag_all)}
        self.assertLessEqual({self.refund.id, self.other.id}, set(flagged))
        self.assertEqual(flagged[self.other.id]["recommendation"], "Check the bank entries.")

    def test_rules_respect_their_trigger_domain_and_journals(self):
        narrowed = self.rule("Only fuel", match_code="True", trigger_domain="[('ref', '=', 'fuel')]")
        elsewhere = self.rule(
            "Sales journal only", match_code="True", journal_ids=[(6, 0, self.company_data["default_journal_sale"].ids)]
        )
        result = self.audit()
        self.assertEqual([f["res_id"] for f in self.rule_findings(result, narrowed)], [self.other.id])
        self.assertNotIn(self.refund.id, [f["res_id"] for f in self.rule_findings(result, elsewhere)])

    def test_a_broken_or_hostile_rule_is_noted_on_the_rule_and_the_audit_goes_on(self):
        loop = self.rule(
            "Loop", match_code="n = 0\nfor i in range(10000):\n    for j in range(10000):\n        n += 1\nresult = n"
        )
        crash = self.rule("Crash", match_code="result = move['no such key']")
        wrong = self.rule("Wrong result", match_code="result = {'message': 'x', 'severity': 'apocalyptic'}")
        refunds = self.rule("Refunds on expenses", match_code=REFUND_RULE)
        result = self.audit()
        self.assertEqual([f["res_id"] for f in self.rule_findings(result, refunds)], [self.refund.id])
        self.assertIn(
            ("wrong_direction_balance", self.licences.id), {(f["kind"], f["account_id"]) for f in result["findings"]}
        )
        self.assertTrue(loop.last_error.startswith("timeout"), loop.last_error)
        self.assertTrue(crash.last_error.startswith("runtime"), crash.last_error)
        self.assertIn("severity", wrong.last_error)
        self.assertFalse(refunds.last_error)
        self.assertFalse(
            [f for f in result["findings"] if f["kind"] == "rule" and f["rule_id"] in (loop + crash + wrong).ids]
        )

    def test_logic_only_audit_rules_reach_the_model_as_instructions(self):
        self.rule("Cash over 10k", match_logic="Flag any cash entry above 10,000 for FINTRAC reporting.")
        self.rule("Coded", match_code="False", match_logic="deterministic, not for the model")
        result = self.audit()
        self.assertIn("Cash over 10k (admin rule", result["rule_instructions"])
        self.assertNotIn("Coded", result["rule_instructions"])
        prompt_rules = self.env["fusion.accounting.agent"]._prompt_rules(["audit"])
        self.assertIn("Cash over 10k", [rule.name.split(" (")[0] for rule in prompt_rules])

    def test_the_periodic_audit_stores_one_finding_per_rule_and_entry(self):
        refunds = self.rule("Refunds on expenses", match_code=REFUND_RULE)
        flag_all = self.rule("Every entry", match_code="'look at it'")
        Finding = self.env["fusion.accounting.audit.finding"]
        company = self.company_data["company"]
        Finding._audit_company(company, TODAY)
        stored = Finding.search(
            [("company_id", "=", company.id), ("kind", "=", "rule"), ("res_id", "=", self.refund.id)]
        )
        self.assertEqual(stored.rule_id, refunds | flag_all)
        # A rule switched off: its findings are resolved on the next run.
        flag_all.active = False
        Finding._audit_company(company, TODAY)
        open_ = Finding.search([("company_id", "=", company.id), ("kind", "=", "rule"), ("state", "=", "open")])
        self.assertEqual(open_.rule_id, refunds)
