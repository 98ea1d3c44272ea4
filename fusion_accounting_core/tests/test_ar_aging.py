from datetime import date

from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.fusion_accounting_core.services.tools import REGISTRY

AS_OF = date(2026, 10, 31)


@tagged("post_install", "-at_install")
class TestArAging(AccountTestInvoicingCommon):
    def _aging(self, **kwargs):
        return REGISTRY.get("get_ar_aging").call(self.env, {"as_of": AS_OF, **kwargs})

    def test_invoices_age_from_their_due_date(self):
        self._create_invoice_one_line(
            partner_id=self.partner_a, invoice_date=date(2026, 9, 16), price_unit=100, tax_ids=[], post=True
        )
        aging = self._aging()
        self.assertEqual(aging["totals"]["31-60"], 100.0)
        self.assertEqual(aging["partners"][0]["partner"], self.partner_a.display_name)

    def test_a_line_without_a_due_date_ages_from_its_own_date(self):
        # Opening balances and misc entries may carry no due date: they are late all the same.
        invoice = self._create_invoice_one_line(
            partner_id=self.partner_b, invoice_date=date(2026, 7, 1), price_unit=250, tax_ids=[], post=True
        )
        receivable = invoice.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.env.cr.execute("UPDATE account_move_line SET date_maturity = NULL WHERE id IN %s", [tuple(receivable.ids)])
        receivable.invalidate_recordset(["date_maturity"])
        aging = self._aging()
        self.assertEqual(aging["totals"]["120+"], 250.0)
        self.assertEqual(aging["totals"]["current"], 0.0)

    def test_only_the_top_partners_are_listed_and_all_are_counted(self):
        for partner in (self.partner_a, self.partner_b):
            self._create_invoice_one_line(partner_id=partner, invoice_date=AS_OF, price_unit=100, tax_ids=[], post=True)
        aging = self._aging(top=1)
        self.assertEqual((aging["partner_count"], len(aging["partners"])), (2, 1))

    def test_the_aging_shows_what_was_open_on_the_day_asked(self):
        # Paid on 20 October: open in full on 15 October, when the invoice of 20 October did not exist yet.
        invoice = self._create_invoice_one_line(
            partner_id=self.partner_a, invoice_date=date(2026, 9, 16), price_unit=100, tax_ids=[], post=True
        )
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": date(2026, 10, 20)}
        )._create_payments()
        self._create_invoice_one_line(
            partner_id=self.partner_a, invoice_date=date(2026, 10, 20), price_unit=40, tax_ids=[], post=True
        )
        on_the_15th = self._aging(as_of=date(2026, 10, 15))
        self.assertEqual(
            on_the_15th["totals"],
            {
                "current": 0.0,
                "1-30": 100.0,
                "31-60": 0.0,
                "61-90": 0.0,
                "91-120": 0.0,
                "120+": 0.0,
            },
        )
        self.assertEqual(sum(self._aging()["totals"].values()), 40.0)
