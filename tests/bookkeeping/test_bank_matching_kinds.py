"""Bank matching on feeds nobody generated for us: references as people write them, several invoices on one line,
counterparty names, card processors paying invoices directly, vendors' bill numbers; and what must stay unmatched."""

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fusion_accounting.services.bank_matching import (
    BankLine,
    ItemIndex,
    MatchPolicy,
    OpenItem,
    decide,
    plan_auto_reconcile,
    suggest,
)
from fusion_accounting.services.bank_references import ReferenceIndex, parse_reference
from fusion_accounting.services.counterparty_names import NameIndex, core_name

POLICY = MatchPolicy()
MON, TUE, WED = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
NAMES = [
    (5, "Ottawa Valley Care Inc."),
    (6, "Northern Lights Plumbing & Heating Ltd"),
    (6, "Jean Tremblay"),
    (7, "Côté & Fils Ltée"),
    (8, "9123-4567 Québec Inc."),
    (9, "Riverside Dental"),
]


def best(line, items, partners=()):
    return decide(suggest(line, items, POLICY, partners), POLICY)


def invoice(item_id, cents, partner, *refs, day=TUE):
    return OpenItem(item_id, day, cents, partner, refs)


class TestReferencesAsPeopleWriteThem:
    ITEM = invoice(1, 11300, 5, "INV/2026/00116")
    TWIN = invoice(2, 11300, 5, "INV/2026/00117")

    @pytest.mark.parametrize(
        "label",
        [
            "PMT INV/2026/00116",
            "inv/2026/00116",
            "INV202600116",
            "INV 2026 00116",
            "INV-2026-116",
            "INV 116",
            "inv116",
            "Paiement 2026/116 merci",
            "#00116",
            "REF: 00116 THANK YOU",
            "INV2026116",
        ],
    )
    def test_each_form_names_the_invoice_and_not_its_twin(self, label):
        found = best(BankLine(9, WED, 11300, label), [self.ITEM, self.TWIN])
        assert found is not None and found.item_ids == (1,), label

    @pytest.mark.parametrize(
        ("label", "named"),
        [
            # A credit note's number ends with its invoice's twin number: the label quotes the credit note.
            ("PMT INV/2026/00015 LESS RINV/2026/00001", {15, 101}),
            ("PMT INV202600015RINV202600001", {15, 101}),
            # Year and number do not name a document whose month they would skip, under another prefix.
            ("PMT INV/2026/00001", {1}),
            ("BILL 2026-7", {201}),
        ],
    )
    def test_a_reference_inside_another_names_only_the_longer(self, label, named):
        items = [invoice(n, 1000 * n, 5, f"INV/2026/{n:05d}") for n in (1, 15)]
        items += [invoice(101, -150, 6, "RINV/2026/00001"), invoice(102, 8000, 7, "RBILL/2026/02/0001")]
        items += [invoice(201, -5000, 7, "BILL/2026/03/0007")]
        index = ItemIndex(items, POLICY)
        assert set(index.named(BankLine(1, WED, 100, label))) == named

    def test_another_year_is_another_invoice(self):
        assert ReferenceIndex([(1, "INV/2026/00116")]).named("PMT INV/2025/00116") == {}

    def test_a_bare_number_only_confirms_an_exact_amount(self):
        index = ReferenceIndex([(1, "INV/2026/00116")])
        assert index.named("DEPOSIT 116") == {1: "weak"}
        assert best(BankLine(9, WED, 5000, "DEPOSIT 116"), [self.ITEM]) is None

    def test_the_reference_may_be_in_the_lines_ref_or_narration(self):
        for where in ("ref", "narration"):
            found = best(BankLine(9, WED, 11300, "E-TFR", **{where: "INV/2026/00116"}), [self.ITEM, self.TWIN])
            assert found.item_ids == (1,)

    def test_a_customer_po_number_names_its_invoice(self):
        items = [invoice(1, 5000, 5, "INV/2026/00116", "PO4521"), invoice(2, 5000, 5, "INV/2026/00117")]
        assert best(BankLine(9, WED, 5000, "P.O. 4521"), items).item_ids == (1,)


class TestSeveralInvoicesOnOneLine:
    ITEMS = [
        invoice(1, 10000, 5, "INV/2026/00116"),
        invoice(2, 2550, 5, "INV/2026/00117"),
        invoice(3, 7000, 5, "INV/2026/00118"),
        invoice(4, 10000, 5, "INV/2026/00119"),
    ]

    @pytest.mark.parametrize(
        "label",
        [
            "PMT INV/2026/00116 INV/2026/00117 INV/2026/00118",
            "INV 116, 117 & 118",
            "inv 116 117 118",
            # A run of invoices written as its first and last numbers.
            "INVOICES 116-118",
            "INV 00116 THRU 00118",
            "INV116-INV118",
        ],
    )
    def test_references_that_add_up_make_one_candidate(self, label):
        found = best(BankLine(9, WED, 19550, label), self.ITEMS)
        assert (set(found.item_ids), found.kind) == ({1, 2, 3}, "references")
        assert "3 references" in found.reason

    def test_two_of_three_named_invoices_that_add_up(self):
        found = best(BankLine(9, WED, 17000, "INV 116 117 118"), self.ITEMS)
        assert set(found.item_ids) == {1, 3}

    def test_a_small_shortfall_is_a_fee_or_short_payment_of_the_named_invoices(self):
        found = best(BankLine(9, WED, 19550 - 300, "WIRE INV 116 117 118"), self.ITEMS)
        assert set(found.item_ids) == {1, 2, 3} and found.partial and "less" in found.reason


class TestCounterpartyNames:
    @pytest.mark.parametrize(
        ("bank", "partner"),
        [
            ("OTTAWA VALLEY CARE INC", 5),
            ("THE OTTAWA VALLEY CARE", 5),
            ("OTTAWA VALLEY CA", 5),
            ("OTAWA VALLEY CARE INC", 5),
            ("NORTHERN LIGHTS PLBG AND HTG", 6),
            ("TREMBLAY JEAN", 6),
            ("COTE ET FILS LTEE", 7),
            ("9123-4567 QUEBEC INC", 8),
            # A typo that changes the words' sorted order.
            ("NRTHERN LIGHTS PLUMBING AND HEATING", 6),
            ("RIVERSIDE DNTAL", 9),
        ],
    )
    def test_bank_forms_of_a_name_resolve_to_the_partner(self, bank, partner):
        resolved = NameIndex(NAMES).resolve(bank)
        assert resolved is not None and resolved[0] == partner and resolved[2], bank

    @pytest.mark.parametrize("bank", ["", "INC", "THE CO", "CARE", "ACME TOOLS", "DEPOSIT", "x" * 3000, "🙂🙂"])
    def test_no_partner_for_what_names_none(self, bank):
        assert NameIndex(NAMES).resolve(bank) is None

    def test_a_name_in_another_order_in_the_label_pays_two_invoices(self):
        """Without a typo, no fuzzy search is needed to read "TREMBLAY JEAN" as Jean Tremblay."""
        items = [invoice(1, 25000, 6, "INV/2026/00201"), invoice(2, 4100, 6, "INV/2026/00202")]
        items.append(invoice(3, 9999, 5, "INV/2026/00203"))
        match = best(BankLine(1, WED, 29100, "CREDIT TREMBLAY JEAN"), items, NAMES)
        assert match is not None and set(match.item_ids) == {1, 2}, match

    def test_a_name_lifts_an_exact_amount_to_a_booking(self):
        items = [invoice(1, 48000, 5, "INV/2026/00120"), invoice(2, 48000, 9, "INV/2026/00121")]
        line = BankLine(9, WED, 48000, "E-TFR DEPOSIT", partner_name="OTTAWA VALLEY CARE INC")
        found = best(line, items, NAMES)
        assert found.item_ids == (1,) and "OTTAWA VALLEY CARE" in found.reason
        assert best(BankLine(9, WED, 48000, "E-TFR DEPOSIT"), items, NAMES) is None

    def test_a_name_in_the_label_counts_too(self):
        items = [invoice(1, 48000, 5), invoice(2, 48000, 9)]
        assert best(BankLine(9, WED, 48000, "E-TFR OTTAWA VALLEY CARE"), items, NAMES).item_ids == (1,)

    def test_legal_suffixes_and_the_do_not_count(self):
        assert core_name("The Riverside Dental Co.") == core_name("RIVERSIDE DENTAL") == "RIVERSIDE DENTAL"


class TestCardProcessorPayingInvoicesDirectly:
    def deposit(self, items, label="STRIPE PAYOUT 4411"):
        gross = sum(item.residual for item in items)
        return BankLine(9, WED, gross - round(gross * POLICY.card_fee_bps / 10_000), label)

    def test_the_one_subset_of_the_days_invoices_that_fits_is_booked_with_its_fee(self):
        paid = [invoice(1, 12000, 5, day=TUE), invoice(2, 30550, 6, day=TUE)]
        other = [invoice(3, 8800, 7, day=TUE), invoice(4, 150000, 9, day=MON)]
        found = best(self.deposit(paid), paid + other)
        assert (set(found.item_ids), found.kind) == ({1, 2}, "card_invoices")
        assert found.fee == round(42550 * POLICY.card_fee_bps / 10_000)

    def test_two_subsets_that_fit_are_left_to_a_human(self):
        items = [invoice(1, 10000, 5), invoice(2, 10000, 6)]
        line = self.deposit(items[:1])
        assert best(line, items) is None
        assert len([s for s in suggest(line, items, POLICY) if s.kind == "card_invoices"]) == 2

    def test_the_nearest_days_only_fit_beats_a_fit_of_older_days(self):
        paid = [invoice(1, 12000, 5, day=TUE), invoice(2, 30550, 6, day=TUE)]
        older = [invoice(3, 40000, 7, day=MON), invoice(4, 2550, 8, day=MON)]  # 42,550 too, a day earlier
        found = best(self.deposit(paid), paid + older)
        assert set(found.item_ids) == {1, 2} and "nearest" in found.reason

    def test_only_a_processors_deposit_is_searched(self):
        paid = [invoice(1, 12000, 5), invoice(2, 30550, 6)]
        assert best(self.deposit(paid, label="DEPOSIT 4411"), paid) is None


def test_a_vendor_payment_quoting_the_vendors_own_bill_number():
    bills = [
        OpenItem(1, TUE, -45000, 8, ("BILL/2026/03/0004", "88812")),
        OpenItem(2, TUE, -45000, 8, ("BILL/2026/03/0005", "88813")),
    ]
    found = best(BankLine(9, WED, -45000, "ONLINE BILL PMT 88812"), bills)
    assert found.item_ids == (1,)


def test_two_instalments_of_one_invoice_both_book():
    items = [invoice(1, 100000, 5, "INV/2026/00116")]
    lines = [BankLine(1, WED, 40000, "INV/2026/00116 part 1"), BankLine(2, WED, 60000, "INV/2026/00116 part 2")]
    assert set(plan_auto_reconcile(lines, items, POLICY).matches) == {1, 2}
    too_much = [BankLine(1, WED, 70000, "INV/2026/00116 part 1"), BankLine(2, WED, 60000, "INV/2026/00116 part 2")]
    assert plan_auto_reconcile(too_much, items, POLICY).matches == {}


class TestCreditNotesDeducted:
    """A customer pays its invoices less a credit note it holds (a vendor is paid its bills less its refund)."""

    INVOICE = invoice(1, 241285, 5, "F2026-0294")
    CREDIT = invoice(2, -95181, 5, "RINV/2026/00150", day=MON)
    OTHERS_CREDIT = invoice(3, -95181, 6, "RINV/2026/00151", day=MON)  # another customer's, same amount
    SMALL_CREDIT = invoice(4, -1200, 5, "RINV/2026/00152", day=MON)  # the customer's, deducted another time

    @pytest.mark.parametrize(
        "label", ["PMT F2026-0294 LESS RINV/2026/00150", "F2026-0294 - rinv 2026 150", "F2026-0294 CR RINV/2026/00150"]
    )
    def test_a_credit_note_named_beside_the_invoice_is_settled_with_it(self, label):
        line = BankLine(1, WED, 241285 - 95181, label)
        match = best(line, [self.INVOICE, self.CREDIT, self.OTHERS_CREDIT, self.SMALL_CREDIT])
        assert match is not None and set(match.item_ids) == {1, 2}, match
        assert "less credit note" in match.reason

    def test_the_one_open_credit_note_that_makes_up_the_difference(self):
        line = BankLine(1, WED, 241285 - 95181, "PMT F2026-0294")
        match = best(line, [self.INVOICE, self.CREDIT, self.OTHERS_CREDIT, self.SMALL_CREDIT])
        assert match is not None and set(match.item_ids) == {1, 2}, match

    def test_two_credit_notes_that_each_fit_are_left_to_a_human(self):
        twin = invoice(5, -95181, 5, "RINV/2026/00153", day=MON)
        line = BankLine(1, WED, 241285 - 95181, "PMT F2026-0294")
        assert best(line, [self.INVOICE, self.CREDIT, twin]) is None

    def test_another_customers_credit_note_is_never_deducted(self):
        line = BankLine(1, WED, 241285 - 95181, "PMT F2026-0294")
        match = best(line, [self.INVOICE, self.OTHERS_CREDIT])
        assert match is None or 3 not in match.item_ids

    def test_a_vendor_paid_its_bills_less_its_refund(self):
        bill = OpenItem(1, TUE, -50000, 5, ("BILL/2026/00012", "A-7781"))
        refund = OpenItem(2, MON, 8000, 5, ("RBILL/2026/00003",))
        match = best(BankLine(1, WED, -42000, "EFT A-7781"), [bill, refund])
        assert match is not None and set(match.item_ids) == {1, 2}, match

    def test_a_credit_note_alone_never_pays_a_deposit(self):
        assert best(BankLine(1, WED, 95181, "RINV/2026/00150"), [self.CREDIT]) is None


NOISE = [
    BankLine(1, WED, -1250, "SERVICE CHARGE"),
    BankLine(2, WED, 37, "INTEREST"),
    BankLine(3, WED, -500000, "TFR TO SAV 0012"),
    BankLine(4, WED, 123407, "DEPOSIT 2026-03-04"),
    BankLine(5, WED, 99903, "STRIPE PAYOUT 116"),
    BankLine(6, WED, 31011, "E-TFR", partner_name="OTTAWA VALLEY CARE INC"),
    BankLine(7, WED, 11300, "PMT INV/2025/00116"),
    # The day of a fee or transfer is not document 3 of 2026, nor document 4 of March.
    BankLine(8, WED, -4500, "NSF FEE 2026-03-02"),
    BankLine(9, WED, -4500, "LOAN PMT 20260304"),
    BankLine(10, WED, -4500, "MONTHLY FEE 03/04/2026"),
]


@pytest.mark.parametrize("line", NOISE, ids=lambda line: line.label)
def test_noise_stays_unmatched(line):
    items = [
        invoice(1, 11300 * 3, 5, "INV/2026/00116"),
        invoice(2, 4400, 6, "INV/2026/00117", day=TUE),
        invoice(3, 9000, 7, "INV/2026/00118", day=TUE),
        OpenItem(4, TUE, -80000, 8, ("BILL/2026/03/0004",)),
    ]
    assert best(line, items, NAMES) is None


HOSTILE = ["", None, "\x00" * 50, "INV/" * 600, "9" * 5000, "2026 " * 400, "'; DROP TABLE res_partner; --", "ÉÈÊ" * 100]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_texts_never_crash(text):
    items = [invoice(1, 5000, 5, "INV/2026/00116"), invoice(2, 5000, 6, "INV/2026/00117")]
    line = BankLine(9, WED, 5000, text, partner_name=text or "", ref=text or "", narration=text or "")
    assert all(s.reason for s in suggest(line, items, POLICY, NAMES))


# -- properties ---------------------------------------------------------------

SCHEMES = ("INV/2026/{n:05d}", "F2026-{n:04d}", "SI{n}", "{n}")


@st.composite
def books(draw):
    rng = random.Random(draw(st.integers(0, 10_000)))
    scheme = rng.choice(SCHEMES)
    items = []
    for item_id in range(1, draw(st.integers(1, 14)) + 1):
        cents = rng.choice((rng.randint(100, 50_000), 10_000, 12_550))
        sign = -1 if rng.random() < 0.2 else 1
        day = TUE - timedelta(days=rng.randint(0, 6))
        items.append(OpenItem(item_id, day, sign * cents, rng.randint(5, 9), (scheme.format(n=100 + item_id),)))
    lines = []
    for line_id in range(100, 100 + draw(st.integers(1, 8))):
        picked = rng.sample(items, rng.randint(1, min(3, len(items))))
        amount = sum(item.residual for item in picked)
        amount = rng.choice((amount, amount - rng.randint(1, 500), rng.randint(-30_000, 60_000) or 1))
        label = " ".join(rng.choice((item.references[0], "INV", "STRIPE", "PMT", "116")) for item in picked)
        partner = rng.choice((None, picked[0].partner_id))
        name = rng.choice(("", *(name for _pid, name in NAMES)))
        lines.append(BankLine(line_id, WED, amount, label, partner_id=partner, partner_name=name))
    return items, lines, rng


@settings(max_examples=60, deadline=None)
@given(books())
def test_booking_never_exceeds_the_residuals(book):
    items, lines, _rng = book
    by_id = {item.id: item for item in items}
    plan = plan_auto_reconcile(lines, items, POLICY, NAMES)
    amounts = {line.id: line.amount for line in lines}
    taken = {}
    for line_id, match in plan.matches.items():
        matched = [by_id[item_id] for item_id in match.item_ids]
        owed = [item for item in matched if (item.residual > 0) == (amounts[line_id] > 0)]
        credits = [item for item in matched if item not in owed]
        assert owed, "a line always pays something"
        # Credit notes the payer deducted are settled whole, and only when they make up the difference exactly.
        brought = abs(amounts[line_id]) + match.fee + sum(abs(item.residual) for item in credits)
        assert brought <= sum(abs(item.residual) for item in owed)
        if credits:
            assert brought == sum(abs(item.residual) for item in owed)
            assert len({item.partner_id for item in matched}) == 1
        for item_id in match.item_ids:
            taken.setdefault(item_id, []).append(line_id)
    for item_id, owners in taken.items():
        if len(owners) > 1:
            assert sum(abs(amounts[line_id]) for line_id in owners) <= abs(by_id[item_id].residual)


@settings(max_examples=60, deadline=None)
@given(books())
def test_a_permutation_of_the_open_items_never_changes_the_chosen_match(book):
    items, lines, rng = book
    shuffled = list(items)
    rng.shuffle(shuffled)
    names = list(NAMES)
    rng.shuffle(names)
    first = plan_auto_reconcile(lines, items, POLICY, NAMES).matches
    again = plan_auto_reconcile(lines, shuffled, POLICY, names).matches
    assert {k: set(v.item_ids) for k, v in first.items()} == {k: set(v.item_ids) for k, v in again.items()}


@pytest.mark.parametrize("bps", [0, 1, 9_999, 10_000, 25_000])
def test_a_mistyped_fee_rate_never_crashes_the_card_searches(bps):
    policy = MatchPolicy(card_fee_bps=bps)
    items = [invoice(1, 12000, 5), OpenItem(2, TUE, 5000, None, is_card=True)]
    assert isinstance(suggest(BankLine(9, WED, 11800, "STRIPE PAYOUT"), items, policy), tuple)


# References as items carry them: shared heads (``INV/2026/``), zero and non-ASCII tails, no digits at all.
_REFERENCE_TEXTS = st.builds(
    "{}{}{}".format,
    st.sampled_from(["INV/2026/", "INV/2025/", "BILL/2026/03/", "PO-", "F2026-", "Facture n°", "", "Acme ", "X²"]),
    st.sampled_from(["", "0", "00", "116", "00116", "0117", "2026", "88812", "①"]),
    st.sampled_from(["", "", " rev B", "/A"]),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_REFERENCE_TEXTS, max_size=12))
def test_references_parsed_when_quoted_are_those_parsing_them_all_gives(texts):
    """The index parses one reference per head and the rest when a label quotes them: as if it parsed them all."""
    pairs = list(enumerate(texts))
    index = ReferenceIndex(pairs)
    parsed = [(key, parse_reference(text)) for key, text in pairs]
    parsed = [(key, ref) for key, ref in parsed if ref is not None and ref.numbers[-1] != 0]
    assert index.prefixes == {ref.prefix for _key, ref in parsed if ref.prefix}
    assert index.years == {
        year
        for _key, ref in parsed
        if len(ref.numbers) >= 2 and 1990 <= ref.numbers[0] <= 2099
        for year in range(ref.numbers[0] - 5, ref.numbers[0] + 6)
    }
    assert set(index.by_last) == {ref.numbers[-1] for _key, ref in parsed}
    for number in index.by_last:
        assert index._references(number) == [(key, ref) for key, ref in parsed if ref.numbers[-1] == number]
