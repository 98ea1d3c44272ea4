"""The follow-up dashboard in headless Chromium: the five tours of the follow-up document."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

CUSTOMER = "Fusion Tour Customer"


@tagged("post_install", "-at_install")
class TestFollowupTours(AccountTestInvoicingHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        admin.group_ids |= cls.env.ref("fusion_accounting_core.group_fusion_manager")
        admin.company_ids |= cls.company_data["company"]
        admin.company_id = cls.company_data["company"]
        cls.customer = cls.env["res.partner"].create({"name": CUSTOMER, "email": "tour.customer@example.com"})
        # 45 days late: in the 31-60 bucket, past the 7 and 30 day levels of the default ladder.
        due = fields.Date.context_today(cls.customer) - timedelta(days=45)
        cls._create_invoice_one_line(
            price_unit=800.0,
            partner_id=cls.customer,
            invoice_date=due,
            invoice_date_due=due,
            invoice_payment_term_id=False,
            post=True,
        )

    def _tour(self, name):
        self.start_tour("/odoo/fusion-followups", name, login="admin")

    def test_dashboard_lists_the_overdue_customer(self):
        self._tour("fusion_followup_dashboard_list")

    def test_partner_detail(self):
        self._tour("fusion_followup_partner_detail")

    def test_ai_text_falls_back_to_the_template_offline(self):
        self._tour("fusion_followup_ai_text")

    def test_send_records_a_run(self):
        self._tour("fusion_followup_send")
        runs = self.env["fusion.followup.run"].search([("partner_id", "=", self.customer.id)], order="id")
        self.assertEqual(runs.mapped("state"), ["sent", "sent"])
        self.assertEqual(runs.mapped("trigger"), ["manual", "escalation"])
        logged = self.env["fusion.accounting.match.history"].search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "human")], order="id"
        )
        self.assertEqual(logged.mapped("tool_name"), ["followup_send_due", "followup_escalate"])

    def test_pause_then_reset(self):
        self._tour("fusion_followup_pause_reset")
        self.assertNotEqual(self.customer.fusion_followup_status, "paused")
