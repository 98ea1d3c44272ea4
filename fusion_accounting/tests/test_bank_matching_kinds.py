"""Bank matching of the kinds every real feed has, on Community: several invoices on one line, the customer known
only by the bank's counterparty name (or a contact's, or the bank account holder's), a card processor's deposit
paying invoices directly, a vendor payment quoting the vendor's bill number; and noise that stays unmatched."""

from odoo.tests import tagged

from .bookkeeping_common import BookkeepingCase, tool


@tagged("post_install", "-at_install")
class TestBankMatchingKinds(BookkeepingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.ottawa = Partner.create({"name": "Ottawa Valley Care Inc.", "is_company": True})
        cls.riverside = Partner.create({"name": "Riverside Dental", "is_company": True})
        cls.contact = Partner.create({"name": "Nadia Côté", "parent_id": cls.riverside.id})
        cls.numbered = Partner.create({"name": "Glenmore Roofing Ltd", "is_company": True})
        cls.env["res.partner.bank"].create(
            {"partner_id": cls.numbered.id, "acc_number": "00123-456789", "acc_holder_name": "9123-4567 Quebec Inc."}
        )
        cls.vendor = Partner.create({"name": "Laurentian Supply Co.", "is_company": True})

        cls.multi = (
            cls.invoice(100.0, cls.partner_b) + cls.invoice(25.5, cls.partner_b) + cls.invoice(70.0, cls.partner_b)
        )
        cls.by_name = cls.invoice(480.0, cls.ottawa)
        cls.by_name_distractor = cls.invoice(480.0, cls.partner_c)
        cls.by_contact = cls.invoice(215.25, cls.riverside)
        cls.by_contact_distractor = cls.invoice(215.25, cls.partner_c)
        cls.by_holder = cls.invoice(333.0, cls.numbered)
        cls.by_holder_distractor = cls.invoice(333.0, cls.partner_b)
        cls.by_card = cls.invoice(120.0, cls.partner_a, day="2026-03-03") + cls.invoice(
            305.5, cls.partner_c, day="2026-03-03"
        )
        cls.not_by_card = cls.invoice(88.0, cls.partner_b, day="2026-03-03")
        cls.bill = cls.invoice(450.0, cls.vendor, move_type="in_invoice", ref="88812")
        cls.bill_twin = cls.invoice(450.0, cls.vendor, move_type="in_invoice", ref="88813")
        cls.styled = cls.invoice(61.0, cls.partner_a)
        cls.styled_twin = cls.invoice(61.0, cls.partner_a)

        names = " ".join(cls.multi.mapped("name"))
        cls.line_multi = cls.bank_line(195.5, f"PMT {names}")
        cls.line_name = cls.bank_line(480.0, "E-TFR DEPOSIT")
        cls.line_name.partner_name = "OTTAWA VALLEY CARE INC"
        cls.line_contact = cls.bank_line(215.25, "INTERAC")
        cls.line_contact.partner_name = "COTE NADIA"
        cls.line_holder = cls.bank_line(333.0, "MOBILE DEP 9123-4567 QUEBEC INC")
        gross = 425.5
        cls.line_card = cls.bank_line(round(gross - round(gross * 0.016, 2), 2), "STRIPE PAYOUT 4411")
        cls.line_bill = cls.bank_line(-450.0, "ONLINE BILL PMT 88812")
        # The invoice number lower-cased, without separators.
        cls.line_styled = cls.bank_line(61.0, f"paiement {cls.styled.name.replace('/', '').lower()} merci")
        # A customer pays an invoice less its credit note, named or not; a vendor is paid a bill less its refund.
        cls.net_customer = Partner.create({"name": "Bluewater Bakery Ltd", "is_company": True})
        cls.net_invoice = cls.invoice(1000.0, cls.net_customer)
        cls.net_credit = cls.invoice(150.0, cls.net_customer, move_type="out_refund")
        cls.net_invoice_2 = cls.invoice(640.0, cls.net_customer)
        cls.net_credit_2 = cls.invoice(40.0, cls.net_customer, move_type="out_refund")
        cls.others_credit = cls.invoice(150.0, cls.partner_c, move_type="out_refund")
        cls.net_bill = cls.invoice(500.0, cls.vendor, move_type="in_invoice", ref="A-7781")
        cls.net_refund = cls.invoice(80.0, cls.vendor, move_type="in_refund")
        cls.line_net_named = cls.bank_line(850.0, f"PMT {cls.net_invoice.name} LESS {cls.net_credit.name}")
        cls.line_net_unnamed = cls.bank_line(600.0, f"PMT {cls.net_invoice_2.name}")
        cls.line_net_bill = cls.bank_line(-420.0, "EFT A-7781")
        # The day of a fee is not a document number.
        cls.line_noise_date = cls.bank_line(-45.0, "NSF FEE 2026-03-02")
        cls.line_noise = cls.bank_line(-12.5, "SERVICE CHARGE")
        cls.line_noise_name = cls.bank_line(777.77, "E-TFR")
        cls.line_noise_name.partner_name = "OTTAWA VALLEY CARE INC"
        cls.result = tool("auto_reconcile_bank_lines")(cls.env)
        cls.matches = {match["statement_line_id"]: match for match in cls.result["matches"]}

    def assertBooked(self, st_line, invoices, kind=None):
        self.assertReconciled(st_line)
        for invoice in invoices:
            self.assertPaid(invoice)
        match = self.matches[st_line.id]
        self.assertEqual(set(match["item_ids"]), set(self.receivable(invoices).ids))
        self.assertEqual(match["engine"], "fusion")
        self.assertTrue(match["reason"])
        if kind:
            self.assertEqual(match["kind"], kind)

    def test_a_label_naming_several_invoices_pays_them_all(self):
        self.assertBooked(self.line_multi, self.multi, "references")
        self.assertIn("3 references", self.matches[self.line_multi.id]["reason"])

    def test_the_banks_counterparty_name_confirms_the_amount(self):
        self.assertBooked(self.line_name, self.by_name, "amount_partner")
        self.assertPaid(self.by_name_distractor, 480.0)

    def test_a_contacts_name_stands_for_its_company(self):
        self.assertBooked(self.line_contact, self.by_contact)
        self.assertPaid(self.by_contact_distractor, 215.25)

    def test_the_bank_account_holders_name_stands_for_the_partner(self):
        self.assertBooked(self.line_holder, self.by_holder)
        self.assertPaid(self.by_holder_distractor, 333.0)

    def test_a_card_processor_deposit_pays_invoices_directly_net_of_its_fee(self):
        self.assertBooked(self.line_card, self.by_card, "card_invoices")
        self.assertPaid(self.not_by_card, 88.0)
        fee = self.line_card.move_id.line_ids.filtered(lambda line: line.account_id == self.card_fees)
        self.assertAlmostEqual(fee.balance, 6.81, places=2)

    def test_a_vendor_payment_quoting_the_vendors_bill_number(self):
        self.assertBooked(self.line_bill, self.bill, "reference")
        self.assertPaid(self.bill_twin, 450.0)

    def test_a_reference_written_otherwise_still_names_its_invoice(self):
        self.assertBooked(self.line_styled, self.styled, "reference")
        self.assertPaid(self.styled_twin, 61.0)

    def test_an_invoice_paid_less_the_credit_note_named_beside_it(self):
        self.assertBooked(self.line_net_named, self.net_invoice + self.net_credit, "references")
        self.assertIn("less credit note", self.matches[self.line_net_named.id]["reason"])
        self.assertPaid(self.others_credit, 150.0)

    def test_an_invoice_paid_less_the_customers_one_credit_note_that_fits(self):
        self.assertBooked(self.line_net_unnamed, self.net_invoice_2 + self.net_credit_2, "references")

    def test_a_vendor_paid_its_bill_less_its_refund(self):
        self.assertBooked(self.line_net_bill, self.net_bill + self.net_refund, "references")

    def test_noise_stays_unmatched(self):
        for st_line in (self.line_noise, self.line_noise_name, self.line_noise_date):
            self.assertReconciled(st_line, False)
            self.assertNotIn(st_line.id, self.matches)
