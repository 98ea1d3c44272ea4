from odoo.tests import tagged

from ..services.bank_matching import OpenItem
from ..services.money import to_cents
from .bookkeeping_common import BookkeepingCase


@tagged("post_install", "-at_install")
class TestOpenItemsRead(BookkeepingCase):
    """``_open_items`` reads in one query what the records would give: the same items, in the same order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        contact = cls.env["res.partner"].create({"name": "Accounts desk", "parent_id": cls.partner_b.id})
        cls.invoice(100.0)
        cls.invoice(237.5, contact, ref="PO 4512", payment_reference="RF18 5390 0754 7034")
        cls.invoice(300.0, cls.partner_c, move_type="in_invoice", ref="BILL-88812")
        cls.card_payment(250.0, "2026-03-03")
        cls.st_line = cls.bank_line(100.0, "E-TFR 4411")

    def read_by_records(self, amls):
        """The items as the records give them, field by field (what ``_open_items`` did before one query)."""
        cards = self.env["fusion.account.roles"]._accounts(self.st_line.company_id, "card_clearing")
        return [
            OpenItem(
                id=aml.id,
                date=aml.date,
                residual=to_cents(aml.amount_residual),
                partner_id=aml.partner_id.commercial_partner_id.id or None,
                references=tuple(
                    sorted(filter(None, {aml.move_id.name, aml.ref, aml.move_id.ref, aml.move_id.payment_reference}))
                ),
                is_card=aml.account_id in cards,
            )
            for aml in amls
        ]

    def test_items_are_those_the_records_give(self):
        items, records = self.env["fusion.bank.reconciler"]._open_items(self.st_line)
        amls = self.env["account.move.line"].browse(list(records))
        self.assertEqual(items, self.read_by_records(amls))
        by_id = {item.id: item for item in items}
        contact_item = next(item for item in items if "PO 4512" in item.references)
        self.assertEqual(contact_item.partner_id, self.partner_b.id, "the contact's commercial partner")
        self.assertIn("RF18 5390 0754 7034", contact_item.references)
        self.assertTrue(any(item.is_card for item in by_id.values()))
        self.assertTrue(any("BILL-88812" in item.references for item in items))
