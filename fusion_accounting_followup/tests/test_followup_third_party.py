"""A third-party payer's receivables (ADP, an insurer) age, level and send like any invoice.

Such shares are booked by split entries (misc entries), whose lines Community marks
``no_followup`` by default; a misc entry may also name a contact instead of the company.
The follow-up reads them at the source (the ledger), so the card, the detail, the preview
and the list of overdue customers all say the same thing.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import TODAY, FollowupCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestFollowupThirdPartyPayer(FollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payer = cls.env["res.partner"].create(
            {"name": "Ministry of Health - ADP", "is_company": True, "email": "adp@example.com"}
        )
        cls.payer_desk = cls.env["res.partner"].create(
            {"name": "ADP claims desk", "parent_id": cls.payer.id, "type": "invoice", "email": "claims@example.com"}
        )
        # The ADP share of two clients' invoices, moved to the payer by split entries 130 and 45 days ago.
        cls.split(cls.payer, 5466.0, 130)
        cls.split(cls.payer_desk, 1200.0, 45)

    @classmethod
    def split(cls, partner, amount, days_ago):
        entry = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "date": TODAY - timedelta(days=days_ago),
                "line_ids": [
                    Command.create(
                        {
                            "account_id": cls.company_data["default_account_receivable"].id,
                            "partner_id": partner.id,
                            "balance": amount,
                            "name": "ADP portion",
                        }
                    ),
                    Command.create({"account_id": cls.company_data["default_account_revenue"].id, "balance": -amount}),
                ],
            }
        )
        entry.action_post()
        return entry

    def test_community_marks_the_split_lines_no_followup(self):
        lines = self.env["account.move.line"].search([("partner_id", "in", (self.payer | self.payer_desk).ids)])
        self.assertTrue(lines.filtered("debit") and all(lines.filtered("debit").mapped("no_followup")))

    def test_the_payer_ages_and_levels_like_an_invoice(self):
        overdue = self.engine.get_overdue_for_partner(self.payer)
        self.assertEqual(str(overdue.total_overdue), "6666.00", "the contact's entry counts for its company")
        self.assertEqual(overdue.max_days_overdue, 130)
        self.assertEqual(str(overdue.aging.amounts["120+"]), "5466.00")
        self.assertEqual(str(overdue.aging.amounts["31-60"]), "1200.00")
        self.assertEqual(overdue.excluded_overdue, 0)
        preview = self.engine.preview_send(self.payer)
        self.assertTrue(preview["can_send"], preview["reason"])
        self.assertEqual(preview["level_id"], self.reminder.id, "never reminded: the first level")

    def test_the_card_says_what_the_detail_says(self):
        page = self.engine.list_overdue()
        rows = {row["partner_id"]: row for row in page["rows"]}
        self.assertEqual(list(rows), [self.payer.id], "one card for the company, none for its contact")
        card, risk = rows[self.payer.id], self.engine.get_partner_risk(self.payer)
        self.assertEqual((card["max_days_overdue"], card["status"]), (130, "action_needed"))
        self.assertEqual((card["risk_score"], card["risk_band"]), (risk.score, risk.band))
        self.assertTrue(card["can_send"])

    def test_a_send_reaches_the_payer_and_stamps_both_shares(self):
        run = self.engine.send_followup_email(self.payer)
        self.assertRun(run, "sent", self.reminder)
        lines = self.env["account.move.line"].search(
            [("partner_id", "in", (self.payer | self.payer_desk).ids), ("debit", ">", 0)]
        )
        self.assertEqual(lines.mapped("fusion_followup_level_id"), self.reminder)

    def test_an_invoice_a_person_excluded_stays_excluded_and_the_preview_says_so(self):
        customer = self.partner_a
        invoice = self.invoice(customer, 300, 50)
        invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable").no_followup = True
        overdue = self.engine.get_overdue_for_partner(customer)
        self.assertEqual((str(overdue.total_overdue), overdue.max_days_overdue), ("300.00", 0))
        self.assertEqual(str(overdue.excluded_overdue), "300.00")
        preview = self.engine.preview_send(customer)
        self.assertFalse(preview["can_send"])
        self.assertIn("left out of follow-ups", preview["reason"])
        self.assertNotIn("Nothing is overdue", preview["reason"])

    def test_overdue_customers_lists_the_dashboards_partners(self):
        self.invoice(self.partner_a, 100, 10)
        listed = self.env["res.partner"].search([("fusion_followup_overdue", "=", True)])
        dashboard = {row["partner_id"] for row in self.engine.list_overdue(limit=500)["rows"]}
        self.assertEqual(set(listed.ids), dashboard)
        self.assertEqual(dashboard, {self.payer.id, self.partner_a.id})
        self.assertEqual(self.payer.fusion_followup_live_status, "action_needed", "live, though no scan ran")
        self.assertEqual(self.payer.fusion_followup_oldest_days, 130)
        self.assertFalse(self.payer.fusion_followup_status, "the stored status waits for the scan")
        not_listed = self.env["res.partner"].search([("fusion_followup_overdue", "!=", True)])
        self.assertFalse(not_listed & listed)
