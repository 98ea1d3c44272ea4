"""Evaluation of bank matching (``fusion_accounting/services/bank_matching.py``) on messy feeds.

Each seed builds one company of its own: customers and vendors with generated names
(legal suffixes, accents, ``&``, contacts, bank-account holders under a numbered company),
an invoice and bill numbering scheme drawn from many (``INV/2026/00116``, ``F2026-0116``,
``FAC-000116``, ``SI10452``, ``2026-116``...), open invoices and bills, card payments
waiting for their batch, a card fee rate, then a month of statement lines of these kinds:

* **single_ref**: pays one invoice, its reference written in one of many ways (case,
  separators or none, year or none, zeros dropped, ``#``, inside extra words);
* **multi_ref**: one line for 2-4 invoices of a customer, their references listed;
* **name_only**: no partner, only the bank's counterparty name (upper case, cut at the
  field width, suffix dropped, abbreviated, a typo, a contact's or the account holder's
  name); pays one invoice or two;
* **card_invoices**: a card processor's deposit paying 1-4 invoices of several
  customers directly, net of the processor's fee;
* **card_batch**: a deposit of a day's (or a weekend's) card payments net of the fee;
* **vendor_bill_ref**: a payment to a vendor quoting the vendor's own bill number;
* **partial**: pays part of a referenced invoice; **fee_deduction**: a referenced
  invoice paid less a wire fee; **amount_partner**: the partner is known, exact amount;
  **remittance**: the partner is known, two or three invoices add up;
* **credit_deducted**: one or two invoices (or a vendor's bills) paid less an open credit
  note of the same partner, the credit note named in the label or not;
* **noise** (must stay unmatched): bank charges, interest, transfers, deposits of no
  open item, processor deposits nothing fits, a known name with an amount nothing has,
  a partner's two equal invoices paid without a reference (ambiguous).

Distractors live in every book: the same amount owed by another customer, two equal
invoices of one customer, a new invoice quoting the PO of an old paid one, invoices of
other customers dated on the card deposit's days.

A line is right when the engine books exactly its items.  The last stdout line is one
JSON object: precision and coverage overall, per kind and per seed, and how many noise
lines were booked.

Usage: ``python tools/evals/eval_bank_matching.py --seeds 20``
"""

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pure_addons, also when loaded by a test
import pure_addons


def _load_pure():
    """Import the pure services without running the addons' ``__init__`` (which needs Odoo)."""
    pure_addons.register("fusion_accounting")
    from fusion_accounting.services import bank_matching, counterparty_names

    return bank_matching, counterparty_names


bm, names_mod = _load_pure()

KINDS = (
    "single_ref",
    "multi_ref",
    "name_only",
    "card_invoices",
    "card_batch",
    "vendor_bill_ref",
    "partial",
    "fee_deduction",
    "amount_partner",
    "remittance",
    "credit_deducted",
)
PLACES = (
    "Ottawa Valley",
    "Northern Lights",
    "Maple Leaf",
    "Riverside",
    "Lakeshore",
    "Summit",
    "Pine Ridge",
    "Bluewater",
    "Laurentian",
    "Prairie Sky",
    "Harbourfront",
    "Kingsway",
    "Red River",
    "Silver Birch",
    "Cedar Grove",
    "Georgian Bay",
    "Rideau",
    "Beaver Creek",
    "Glenmore",
    "Westport",
    "Eastgate",
    "Highland",
    "Fundy",
    "Okanagan",
    "Muskoka",
)
SURNAMES = ("Côté", "Tremblay", "Gagnon", "Roy", "Bouchard", "Lévesque", "MacDonald", "Singh", "Nguyen", "O'Brien")
TRADES = (
    "Care",
    "Plumbing & Heating",
    "Dental Clinic",
    "Construction",
    "Consulting Group",
    "Logistics",
    "Bakery",
    "Auto Service",
    "Electric",
    "Landscaping",
    "Property Management",
    "Technologies",
    "Distribution",
    "& Associates",
    "Veterinary Hospital",
    "Printing",
    "Catering",
    "Engineering",
    "Roofing",
    "Pharmacy",
)
SUFFIXES = ("Inc.", "Inc", "Ltd", "Ltd.", "Limited", "Ltée", "LLC", "Corp.", "Corporation", "Co.", "")
FIRST_NAMES = (
    "Jean",
    "Marie",
    "Sarah",
    "David",
    "Priya",
    "Luc",
    "Emily",
    "Omar",
    "Chloé",
    "Kevin",
    "Nadia",
    "Paul",
    "Mei",
    "Raj",
    "Anne",
    "Simon",
    "Fatima",
    "Hugo",
    "Lina",
    "Marc",
)
ABBREVIATE = {
    "Management": "MGMT",
    "Services": "SVCS",
    "Associates": "ASSOC",
    "Technologies": "TECH",
    "Distribution": "DIST",
    "Engineering": "ENGR",
    "Construction": "CONST",
    "Plumbing": "PLBG",
    "Heating": "HTG",
    "Electric": "ELEC",
    "Group": "GRP",
}
INVOICE_SCHEMES = (
    "INV/{y}/{n:05d}",
    "INV/{y}/{n:04d}",
    "F{y}-{n:04d}",
    "FAC-{n:06d}",
    "SI{n}",
    "{y}-{n:04d}",
    "INV-{y}-{n}",
    "IN{n:07d}",
    "RI/{y}/{n:05d}",
)
CREDIT_SCHEMES = ("CN-{n:05d}", "RINV/{y}/{n:05d}", "CM{n}", "CR-{y}-{n:04d}", "AVOIR-{n:04d}", "C{n:06d}")
BILL_SCHEMES = ("BILL/{y}/{m:02d}/{n:04d}", "VB-{n:05d}", "BILL/{y}/{n:05d}", "P{y}{n:05d}")
VENDOR_REFS = ("{n}", "A-{n}", "INV-{n}", "#{n}", "{L}{L}{n}", "{n}-{y}", "INV{n}")
PROCESSORS = ("STRIPE PAYOUT", "SQUARE DEP", "MONERIS SETTLEMENT", "GLOBAL PAYMENTS DEP", "HELCIM DEPOSIT", "CLOVER")
PREFIX_WORDS = ("", "PMT ", "PAYMENT ", "E-TFR ", "DEP ", "ONLINE PMT ", "Paiement ", "REMIT ", "EFT CREDIT ", "WIRE ")
SUFFIX_WORDS = ("", " THANK YOU", " thanks", " 2026-03", " REF 88231", " /", " - see remittance")
FEE_BPS = (150, 175, 220, 290)


@dataclass
class Line:
    """A generated statement line and its answer: the item ids it settles, or None when it must stay unmatched."""

    line: object
    kind: str
    expected: frozenset | None


class Book:
    """One seed's company: partners, their names, open items and a numbering scheme."""

    def __init__(self, rng, today):
        self.rng, self.today = rng, today
        self.next_id = 1
        self.items, self.names, self.used = [], [], set()
        self.fee_bps = rng.choice(FEE_BPS)
        self.policy = bm.MatchPolicy(card_fee_bps=self.fee_bps)
        self.invoice_scheme = rng.choice(INVOICE_SCHEMES)
        self.bill_scheme = rng.choice(BILL_SCHEMES)
        self.credit_scheme = rng.choice(CREDIT_SCHEMES)
        self.credit_sequence = rng.randint(1, 300)
        self.sequence = rng.randint(1, 4000)
        self.bill_sequence = rng.randint(1, 900)
        self.customers = [self.partner(company=rng.random() < 0.85) for _ in range(rng.randint(25, 45))]
        self.vendors = [self.partner(company=True) for _ in range(rng.randint(8, 15))]

    def new_id(self):
        self.next_id += 1
        return self.next_id

    def partner(self, company):
        rng = self.rng
        partner_id = self.new_id()
        if company:
            place = rng.choice(PLACES + SURNAMES)
            name = f"{'The ' if rng.random() < 0.08 else ''}{place} {rng.choice(TRADES)} {rng.choice(SUFFIXES)}".strip()
        else:
            name = self.person()
        if not self.unique(name):
            return self.partner(company)
        self.names.append((partner_id, name))
        if company and rng.random() < 0.4:
            contact = self.person()
            if self.unique(contact):
                self.names.append((partner_id, contact))
        if company and rng.random() < 0.3:
            number = f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
            self.names.append((partner_id, f"{number} {rng.choice(('Quebec', 'Ontario', 'Canada'))} Inc."))
        return partner_id

    def person(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"

    def unique(self, name):
        """Real books seldom hold two partners of one name: a generated one is redrawn instead."""
        core = names_mod.core_name(name)
        return core not in {names_mod.core_name(known) for _partner, known in self.names}

    def name_of(self, partner_id):
        return next(name for pid, name in self.names if pid == partner_id)

    def reference(self, bill=False):
        day = self.today - timedelta(days=self.rng.randint(3, 70))
        if bill:
            self.bill_sequence += self.rng.randint(1, 3)
            return self.bill_scheme.format(y=day.year, m=day.month, n=self.bill_sequence), day
        self.sequence += self.rng.randint(1, 3)
        return self.invoice_scheme.format(y=day.year, n=self.sequence), day

    def invoice(self, partner_id, cents=None, day=None, bill=False, extra=()):
        name, issued = self.reference(bill)
        cents = cents or self.amount()
        item = bm.OpenItem(
            self.new_id(), day or issued, -cents if bill else cents, partner_id, (name, *extra), is_card=False
        )
        self.items.append(item)
        return item

    def credit_note(self, partner_id, cents, bill=False):
        """An open credit note (a vendor's refund when ``bill``): its residual goes the other way."""
        self.credit_sequence += self.rng.randint(1, 2)
        day = self.today - timedelta(days=self.rng.randint(2, 40))
        name = self.credit_scheme.format(y=day.year, n=self.credit_sequence)
        item = bm.OpenItem(self.new_id(), day, cents if bill else -cents, partner_id, (name,), is_card=False)
        self.items.append(item)
        return item

    def amount(self):
        rng = self.rng
        return rng.choice((rng.randint(2_000, 60_000), rng.randint(10_000, 500_000), rng.randint(50, 900) * 100))

    def fresh(self, partner_id=None, bill=False):
        """An open item no line has taken yet, made when needed."""
        return self.invoice(partner_id or self.rng.choice(self.vendors if bill else self.customers), bill=bill)


def ref_style(rng, ref):
    """One of the ways a payer writes ``ref``."""
    parts = [part for part in _split(ref) if part]
    digits = [part for part in parts if part.isdigit()]
    letters = [part for part in parts if part.isalpha()]
    seq = digits[-1] if digits else ref
    styles = [
        ref,
        ref.lower(),
        "".join(parts),
        " ".join(parts),
        ref.replace("/", "-"),
        seq if seq.startswith("0") else ref,
        f"#{seq}" if seq.startswith("0") else ref,
    ]
    if letters:
        styles += [f"{letters[0]} {int(seq)}", f"{letters[0]}-{int(seq)}", f"{letters[0].lower()}{int(seq)}"]
    if seq.isdigit() and len(str(int(seq))) >= 3:  # the payer's own word for it, and the bare number
        styles += [f"Invoice no. {int(seq)}", f"FACT {int(seq)}", f"inv#{seq}"]
    if len(digits) >= 2:
        styles.append(f"{digits[0]}/{int(seq)}")
    return rng.choice(styles)


def _split(ref):
    out, current = [], ""
    for ch in ref.upper():
        kind = "d" if ch.isdigit() else "a" if ch.isalpha() else ""
        if current and (not kind or kind != ("d" if current[-1].isdigit() else "a")):
            out.append(current)
            current = ""
        if kind:
            current += ch
    return [*out, current]


def bank_name(rng, name):
    """The counterparty name as a bank prints it."""
    upper = name.upper().replace(".", "").replace(",", "")
    words = name.split()
    styles = [
        upper,
        upper.replace("É", "E").replace("È", "E").replace("Ô", "O").replace("'", ""),
        " ".join(w for w in upper.split() if w not in {"INC", "LTD", "LTÉE", "LLC", "CORP", "CO", "LIMITED"}),
        upper[: rng.choice((18, 20, 22, 24))],
        " ".join(ABBREVIATE.get(word, word).upper() for word in words),
        _typo(rng, upper),
        upper.replace(" & ", " AND "),
        f"THE {upper}" if not upper.startswith("THE ") else upper[4:],
    ]
    if len(words) == 2:  # a person: "SURNAME FIRST"
        styles.append(f"{words[1].upper()} {words[0].upper()}")
    return rng.choice(styles)


def _typo(rng, text):
    words = text.split()
    long_words = [i for i, word in enumerate(words) if len(word) >= 6 and word.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    word = words[i]
    j = rng.randint(1, len(word) - 2)
    words[i] = rng.choice((word[:j] + word[j + 1 :], word[:j] + word[j + 1] + word[j] + word[j + 2 :]))
    return " ".join(words)


def _label(rng, body):
    return f"{rng.choice(PREFIX_WORDS)}{body}{rng.choice(SUFFIX_WORDS)}"


class Feed:
    """The statement lines of one seed being written, with their answers."""

    def __init__(self, rng, book):
        self.rng, self.book, self.today, self.lines = rng, book, book.today, []

    def line(self, kind, amount, label, expected, **extra):
        day = extra.pop("day", self.today - timedelta(days=self.rng.randint(0, 2)))
        bank_line = bm.BankLine(self.book.new_id(), day, amount, label, **extra)
        self.lines.append(Line(bank_line, kind, frozenset(expected) if expected is not None else None))

    def maybe_partner(self, partner_id):
        """Most banks give no partner; some feeds (or a rule) do."""
        return partner_id if self.rng.random() < 0.4 else None


def _background(rng, book, _feed):
    """Open invoices and bills nobody pays this month."""
    for customer in book.customers:
        for _ in range(rng.randint(0, 3)):
            book.fresh(customer)
    for vendor in book.vendors:
        for _ in range(rng.randint(0, 2)):
            book.fresh(vendor, bill=True)


def _single_refs(rng, book, feed):
    for _ in range(rng.randint(4, 7)):
        partner = rng.choice(book.customers)
        item = book.fresh(partner)
        book.invoice(rng.choice(book.customers), item.residual)  # same amount, another customer
        if rng.random() < 0.3:  # a vendor's refund numbered like the invoice, "R" before it, owing more
            refund = (f"R{item.references[0]}",)
            book.items.append(
                bm.OpenItem(book.new_id(), item.date, item.residual * 2, rng.choice(book.vendors), refund)
            )
        ref = ref_style(rng, item.references[0])
        feed.line("single_ref", item.residual, _label(rng, ref), {item.id}, partner_id=feed.maybe_partner(partner))
    # A new invoice quoting the PO number an old, paid one had; the old one is not open any more.
    partner = rng.choice(book.customers)
    po = f"PO{rng.randint(1000, 9999)}"
    item = book.invoice(partner, extra=(po,))
    feed.line("single_ref", item.residual, _label(rng, f"{po} {book.name_of(partner).upper()}"), {item.id})


def _multi_refs(rng, book, feed):
    for _ in range(rng.randint(3, 5)):
        partner = rng.choice(book.customers)
        style = rng.randrange(5)
        if style == 4:  # consecutive invoices written as a range: "INV 116-118", "116 THRU 118", "INV116-INV118"
            book.sequence -= 1  # the next number follows the last one exactly
            group = []
            for _ in range(rng.randint(2, 4)):
                book.sequence += 1
                name, issued = book.invoice_scheme.format(y=book.today.year, n=book.sequence + 1), book.today
                item = bm.OpenItem(book.new_id(), issued - timedelta(days=9), book.amount(), partner, (name,))
                book.items.append(item)
                group.append(item)
            book.sequence += 1
        else:
            group = [book.fresh(partner) for _ in range(rng.randint(2, 4))]
        refs = [item.references[0] for item in group]
        if style == 4:
            first, last = (_split(refs[0]), _split(refs[-1]))
            head = next((p for p in first if p.isalpha()), "INVOICES")
            low, high = [p for p in first if p.isdigit()][-1], [p for p in last if p.isdigit()][-1]
            body = rng.choice(
                (
                    f"{head} {int(low)}-{int(high)}",
                    f"{head} {low} THRU {high}",
                    f"{head}{low}-{head}{high}",
                    f"INVOICES {int(low)} TO {int(high)}",
                )
            )
        elif style == 0:
            body = " ".join(ref_style(rng, ref) for ref in refs)
        elif style == 1:
            body = ", ".join(refs)
        else:  # "INV 116 117 118": the prefix once (or a word of the payer's), the numbers without their zeros
            parts = [_split(ref) for ref in refs]
            head = [p for p in parts[0] if p.isalpha()][:1] if style == 2 else ["INVOICES"]
            numbers = [str(int([p for p in ps if p.isdigit()][-1])) for ps in parts]
            body = " ".join(head + numbers) if style == 2 else f"{head[0]} {'/'.join(numbers)}"
        total = sum(item.residual for item in group)
        ids = {item.id for item in group}
        feed.line("multi_ref", total, _label(rng, body), ids, partner_id=feed.maybe_partner(partner))


def _names_only(rng, book, feed):
    for _ in range(rng.randint(4, 7)):
        vendor = rng.random() < 0.25  # a payment to a vendor known by name only
        partner = rng.choice(book.vendors if vendor else book.customers)
        group = [book.fresh(partner, bill=vendor) for _ in range(rng.choice((1, 1, 1, 2)))]
        if rng.random() < 0.4:  # another partner owes the same amount
            book.invoice(rng.choice(book.customers), abs(sum(item.residual for item in group)), bill=vendor)
        names = [name for pid, name in book.names if pid == partner]
        shown = bank_name(rng, rng.choice(names))
        generic = rng.choice(
            ("EFT DEBIT", "PREAUTH DEBIT", f"BILL PAYMENT {rng.randint(100, 999)}")
            if vendor
            else ("E-TFR DEPOSIT", "DEPOSIT", "MOBILE DEP", f"INTERAC {rng.randint(100, 999)}", "CREDIT")
        )
        amount = sum(item.residual for item in group)
        others = [item for item in book.items if item.partner_id == partner and item.id not in {i.id for i in group}]
        unique = not any(item.residual == amount for item in others)
        expected = {item.id for item in group} if unique else None
        if rng.random() < 0.3:  # the name only in the label, after the bank's words
            feed.line("name_only", amount, f"{generic} {shown}", expected)
        else:
            feed.line("name_only", amount, generic, expected, partner_name=shown)


def _card_invoices(rng, book, feed):
    for _ in range(rng.randint(2, 4)):
        deposit = book.today - timedelta(days=rng.randint(0, 10))
        day = deposit - timedelta(days=1)
        paid = [book.invoice(rng.choice(book.customers), day=day) for _ in range(rng.randint(1, 4))]
        for _ in range(rng.randint(0, 5)):  # other customers' invoices of the same day, not paid by card
            book.invoice(rng.choice(book.customers), day=day)
        gross = sum(item.residual for item in paid)
        net = gross - round(gross * book.fee_bps / 10_000)
        label = f"{rng.choice(PROCESSORS)} {rng.randint(1000, 99999)}"
        feed.line("card_invoices", net, label, {item.id for item in paid}, day=deposit)


def _card_batches(rng, book, feed):
    for day in sorted({book.today - timedelta(days=rng.randint(12, 40)) for _ in range(3)}):
        payments = [
            bm.OpenItem(book.new_id(), day, rng.randint(500, 80_000), None, (), is_card=True)
            for _ in range(rng.randint(1, 6))
        ]
        book.items.extend(payments)
        gross = sum(item.residual for item in payments)
        net = gross - round(gross * book.fee_bps / 10_000)
        label = f"{rng.choice(PROCESSORS)} {day:%m%d}"
        feed.line("card_batch", net, label, {item.id for item in payments}, day=day + timedelta(days=1))


def _vendor_payments(rng, book, feed):
    for _ in range(rng.randint(3, 5)):
        vendor = rng.choice(book.vendors)
        letter = rng.choice("ABCDEFGHJKMNPRSTW")
        number = rng.choice(VENDOR_REFS).format(n=rng.randint(1000, 999999), y=book.today.year, L=letter)
        bill = book.invoice(vendor, bill=True, extra=(number,))
        vendor_name = bank_name(rng, book.name_of(vendor))
        body = rng.choice((f"{vendor_name} {number}", f"BILL PMT {number}", f"EFT {number} {vendor_name}", number))
        if rng.random() < 0.25:  # the bill number only in the line's reference or narration
            where = rng.choice(("ref", "narration"))
            feed.line("vendor_bill_ref", bill.residual, f"EFT DEBIT {vendor_name}", {bill.id}, **{where: number})
        else:
            partner_id = feed.maybe_partner(vendor)
            feed.line("vendor_bill_ref", bill.residual, _label(rng, body), {bill.id}, partner_id=partner_id)


def _partials(rng, book, feed):
    for _ in range(rng.randint(2, 3)):
        partner = rng.choice(book.customers)
        item = book.fresh(partner)
        paid = round(item.residual * rng.uniform(0.2, 0.8))
        label = _label(rng, ref_style(rng, item.references[0]))
        feed.line("partial", paid, label, {item.id}, partner_id=feed.maybe_partner(partner))
    for _ in range(rng.randint(0, 2)):  # one invoice paid in two instalments, each quoting it
        partner = rng.choice(book.customers)
        item = book.fresh(partner)
        first = round(item.residual * rng.uniform(0.3, 0.6))
        for part in (first, item.residual - first - rng.randint(0, 1) * 100):
            label = _label(rng, f"{ref_style(rng, item.references[0])} {rng.choice(('PART', 'INSTALMENT', ''))}")
            feed.line("partial", part, label, {item.id}, partner_id=feed.maybe_partner(partner))


def _fee_deductions(rng, book, feed):
    for _ in range(rng.randint(2, 3)):
        partner = rng.choice(book.customers)
        item = book.invoice(partner, rng.randint(100_000, 900_000))
        fee = rng.choice((1000, 1250, 1500, 2000, 2500))
        label = _label(rng, f"WIRE {ref_style(rng, item.references[0])}")
        feed.line("fee_deduction", item.residual - fee, label, {item.id}, partner_id=feed.maybe_partner(partner))


def _known_partners(rng, book, feed):
    for _ in range(rng.randint(3, 5)):
        partner = rng.choice(book.customers)
        item = book.fresh(partner)
        if any(o.residual == item.residual for o in book.items if o.partner_id == partner and o != item):
            continue
        label = rng.choice(("E-TFR", "DEPOSIT", "MOBILE DEPOSIT", ""))
        feed.line("amount_partner", item.residual, label, {item.id}, partner_id=partner)
    for position in range(rng.randint(1, 3)):
        partner = book.customers[-1 - position]
        group = [book.fresh(partner) for _ in range(rng.randint(2, 3))]
        total = sum(item.residual for item in group)
        feed.line("remittance", total, "REMITTANCE", {item.id for item in group}, partner_id=partner)


def _credits_deducted(rng, book, feed):
    """Invoices paid less an open credit note of the payer (a vendor's bills less its refund), named or not."""
    for _ in range(rng.randint(2, 4)):
        vendor = rng.random() < 0.25
        partner = rng.choice(book.vendors if vendor else book.customers)
        group = [book.fresh(partner, bill=vendor) for _ in range(rng.choice((1, 1, 2)))]
        total = sum(item.residual for item in group)
        credit = book.credit_note(partner, round(abs(total) * rng.uniform(0.05, 0.4)), bill=vendor)
        book.credit_note(rng.choice(book.customers), abs(credit.residual))  # another customer's, same amount
        refs = [ref_style(rng, item.references[0]) for item in group]
        named_credit = rng.random() < 0.6
        if named_credit:
            word = rng.choice((" LESS ", " - ", " ", " minus ", " CR "))
            body = f"{' '.join(refs)}{word}{ref_style(rng, credit.references[0])}"
        else:
            body = " ".join(refs)
        amount = total + credit.residual
        feed.line(
            "credit_deducted",
            amount,
            _label(rng, body),
            {credit.id, *(item.id for item in group)},
            partner_id=feed.maybe_partner(partner),
        )


def _old_reference(rng, book, feed):
    """A customer quotes again the number of an invoice of last year, long paid; this year's namesake is open."""
    if "{y}" in book.invoice_scheme:
        namesake = book.fresh()
        old = book.invoice_scheme.format(y=book.today.year - 1, n=book.sequence)
        feed.line("noise", namesake.residual + rng.randint(1, 90) * 100, _label(rng, old), None)


WRITERS = (
    _background,
    _single_refs,
    _multi_refs,
    _names_only,
    _card_invoices,
    _card_batches,
    _vendor_payments,
    _partials,
    _fee_deductions,
    _known_partners,
    _credits_deducted,
    _old_reference,
)


def build(seed):
    """One seed's book and its statement lines, each with its answer."""
    rng = random.Random(seed)
    book = Book(rng, date(2026, 3, 31) + timedelta(days=rng.randint(0, 300)))
    feed = Feed(rng, book)
    for write in WRITERS:
        write(rng, book, feed)
    _noise(rng, book, feed.line, book.today)
    return book, feed.lines


def _noise(rng, book, line, today):
    for label, amount in (
        ("SERVICE CHARGE", -rng.choice((1250, 495, 1995))),
        ("INTEREST", rng.randint(3, 250)),
        (f"TFR TO SAV {rng.randint(1000, 9999)}", -rng.randint(100_000, 900_000)),
        (f"DEPOSIT {rng.randint(1000, 9999)}", rng.randint(1000, 400_000) + 7),
        (f"{rng.choice(PROCESSORS)} {rng.randint(100, 999)}", rng.randint(50_000, 400_000) + 3),
        (f"NSF FEE {today:%Y-%m-%d}", -4500),
        (f"CHQ {rng.randint(100, 999)}", -rng.randint(10_000, 300_000) - 1),
        # The day of a fee or transfer as banks print it: not a document number.
        (
            f"{rng.choice(('MONTHLY FEE', 'TFR', 'PAYROLL', 'LOAN PMT'))} {_date_style(rng, today)}",
            -rng.randint(1000, 9000),
        ),
        (
            f"{rng.choice(('DEPOSIT', 'INTEREST PAID', 'REBATE'))} {_date_style(rng, today)}",
            rng.randint(1000, 9000) + 3,
        ),
    ):
        line("noise", amount, label, None)
    # A known name, an amount no open item has.
    partner = rng.choice(book.customers)
    line("noise", rng.randint(1000, 300_000) + 11, "E-TFR", None, partner_name=bank_name(rng, book.name_of(partner)))
    # Two equal invoices of one partner paid without a reference: which one is for a human to say.
    partner = rng.choice(book.customers)
    twin = book.fresh(partner)
    book.invoice(partner, twin.residual)
    line("noise", twin.residual, "E-TFR", None, partner_id=partner)


def _date_style(rng, day):
    day = day - timedelta(days=rng.randint(0, 20))
    return day.strftime(rng.choice(("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y%m%d", "%Y/%m/%d", "%d-%m-%Y")))


def score(seed):
    book, lines = build(seed)
    plan = bm.plan_auto_reconcile([entry.line for entry in lines], book.items, book.policy, book.names)
    counts = Counter()
    for entry in lines:
        decision = plan.matches.get(entry.line.id)
        counts[entry.kind, "lines"] += 1
        if entry.expected is not None:
            counts[entry.kind, "answerable"] += 1
        if decision is not None:
            counts[entry.kind, "matched"] += 1
            counts[entry.kind, "correct"] += entry.expected == frozenset(decision.item_ids)
    return counts


def _figures(counts, kinds):
    def ratio(num, den):
        return round(num / den, 4) if den else None

    out = {}
    for kind in kinds:
        matched, correct = counts[kind, "matched"], counts[kind, "correct"]
        out[kind] = {
            "lines": counts[kind, "lines"],
            "matched": matched,
            "precision": ratio(correct, matched) if matched else 1.0,
            "coverage": ratio(correct, counts[kind, "answerable"]),
        }
    return out


def evaluate(seeds):
    total, per_seed = Counter(), {}
    for seed in range(seeds):
        counts = score(seed)
        total.update(counts)
        matched = sum(counts[kind, "matched"] for kind in (*KINDS, "noise"))
        correct = sum(counts[kind, "correct"] for kind in KINDS)
        answerable = sum(counts[kind, "answerable"] for kind in KINDS)
        per_seed[seed] = {
            "precision": round(correct / matched, 4) if matched else 1.0,
            "coverage": round(correct / answerable, 4) if answerable else None,
            "noise_matched": counts["noise", "matched"],
        }
    matched = sum(total[kind, "matched"] for kind in (*KINDS, "noise"))
    correct = sum(total[kind, "correct"] for kind in KINDS)
    answerable = sum(total[kind, "answerable"] for kind in KINDS)
    kinds = _figures(total, KINDS)
    return {
        "evaluation": "bank_matching",
        "seeds": seeds,
        "lines": sum(total[kind, "lines"] for kind in (*KINDS, "noise")),
        "precision": round(correct / matched, 4) if matched else 1.0,
        "coverage": round(correct / answerable, 4) if answerable else None,
        "noise_lines": total["noise", "lines"],
        "noise_matched": total["noise", "matched"],
        "min_kind_coverage": min((figures["coverage"] or 0.0) for figures in kinds.values()),
        "kinds": kinds,
        "per_seed": per_seed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    opts = parser.parse_args()
    print(json.dumps(evaluate(opts.seeds), sort_keys=True))


if __name__ == "__main__":
    main()
