"""Recording a promise to pay and a dispute from the customer's form, in headless Chromium."""

from datetime import date, timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

HISTORY = "fusion.accounting.match.history"


@tagged("post_install", "-at_install")
class TestFollowupCollectionsTours(AccountTestInvoicingHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        admin.group_ids |= cls.env.ref("fusion_accounting_core.group_fusion_manager")
        admin.company_ids |= cls.company_data["company"]
        admin.company_id = cls.company_data["company"]
        cls.customer = cls.env["res.partner"].create(
            {"name": "Fusion Tour Promiser", "email": "promiser@example.com", "is_company": True}
        )
        due = fields.Date.context_today(cls.customer) - timedelta(days=20)
        cls.invoice = cls._create_invoice_one_line(
            price_unit=800.0,
            partner_id=cls.customer,
            invoice_date=due,
            invoice_date_due=due,
            invoice_payment_term_id=False,
            post=True,
        )

    def _tour(self, name):
        self.start_tour(f"/odoo/res.partner/{self.customer.id}", name, login="admin")

    def test_record_a_promise_from_the_customer_form(self):
        self._tour("fusion_collections_record_promise")
        promise = self.env["fusion.followup.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((promise.promised_date, promise.amount, promise.state), (date(2099, 12, 31), 250.0, "open"))
        logged = self.env[HISTORY].search([("partner_id", "=", self.customer.id), ("channel", "=", "human")])
        self.assertEqual(logged.mapped("tool_name"), ["followup_record_promise"])

    def test_record_a_dispute_from_the_customer_form(self):
        self._tour("fusion_collections_record_dispute")
        dispute = self.env["fusion.followup.dispute"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            (dispute.move_id, dispute.reason, dispute.state), (self.invoice, "Goods arrived damaged", "open")
        )
        logged = self.env[HISTORY].search([("partner_id", "=", self.customer.id), ("channel", "=", "human")])
        self.assertEqual(logged.mapped("tool_name"), ["followup_record_dispute"])
