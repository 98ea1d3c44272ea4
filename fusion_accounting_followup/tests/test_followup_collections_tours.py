"""Recording a promise to pay and a dispute from the customer's form, in headless Chromium."""

from datetime import date

from odoo.tests import tagged

from .common import FollowupTourCommon

HISTORY = "fusion.accounting.match.history"


@tagged("post_install", "-at_install")
class TestFollowupCollectionsTours(FollowupTourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Fusion Tour Promiser", "email": "promiser@example.com", "is_company": True}
        )
        cls.invoice = cls.overdue_invoice(cls.customer, 800.0, 20)

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
