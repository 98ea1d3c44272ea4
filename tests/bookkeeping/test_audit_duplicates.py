"""The audit's duplicate checks: which bills and entries are copies, and why (services/duplicates.py)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.duplicates import (
    REFERENCE_WINDOW_DAYS,
    Document,
    bill_duplicates,
    entry_duplicates,
    reference_key,
    same_reference,
)

DAY = date(2026, 3, 2)
VENDOR, OTHER_VENDOR, COMPANY, OTHER_COMPANY = 5, 6, 1, 2
WINDOW = 3


def bill(doc_id, ref="", days=0, *, amount=25000, vendor=VENDOR, company=COMPANY, kind="in_invoice"):
    return Document(doc_id, company, vendor, amount, DAY + timedelta(days=days), ref, kind)


def bill_groups(*bills, window=WINDOW):
    return [group.ids for group in bill_duplicates(bills, window)]


# (what the books hold, the bills, the groups the check must find)
BILL_CASES = [
    ("same reference, same day", [bill(1, "INV-1234"), bill(2, "INV-1234")], [(1, 2)]),
    ("same reference a month later", [bill(1, "INV-1234"), bill(2, "INV-1234", days=31)], [(1, 2)]),
    ("date mistyped: last year", [bill(1, "INV-1234"), bill(2, "INV-1234", days=-365)], [(2, 1)]),
    (
        "the reference typed four ways",
        [bill(1, "INV-1234"), bill(2, "inv 1234", 3), bill(3, "1234", 9), bill(4, "#01234", 20)],
        [(1, 2, 3, 4)],
    ),
    ("a year and a number, then the number", [bill(1, "ACME/2026/001234"), bill(2, "1234", 5)], [(1, 2)]),
    ("a copy without reference, same bill date", [bill(1, "INV-1234"), bill(2, "")], [(1, 2)]),
    ("two bills without reference, same date", [bill(1), bill(2)], [(1, 2)]),
    ("the same reference beyond the window of references", [bill(1, "A-77"), bill(2, "A-77", 500)], []),
    ("weekly service, each bill its number", [bill(n, f"CL-{100 + n}", 7 * n) for n in range(8)], []),
    ("weekly service without references", [bill(n, "", 7 * n) for n in range(8)], []),
    ("two deliveries of one week", [bill(1, "D-5001"), bill(2, "D-5002", 2)], []),
    ("monthly rent named by month", [bill(m, f"Rent {m:02d}/2026", 30 * m) for m in range(6)], []),
    (
        "monthly rent under the lease number, one month entered twice",
        [bill(m, "LEASE 0042", 30 * m) for m in range(6)] + [bill(9, "LEASE 0042", 60)],
        [(2, 9)],
    ),
    ("a bill and its credit note", [bill(1, "INV-1234"), bill(2, "INV-1234", kind="in_refund")], []),
    ("another vendor's same number", [bill(1, "1234"), bill(2, "1234", vendor=OTHER_VENDOR)], []),
    ("another company's same bill", [bill(1, "1234"), bill(2, "1234", company=OTHER_COMPANY)], []),
    ("another total", [bill(1, "1234"), bill(2, "1234", amount=25001)], []),
    ("no vendor", [bill(1, "1234", vendor=None), bill(2, "1234", vendor=None)], []),
    ("a zero total", [bill(1, "1234", amount=0), bill(2, "1234", amount=0)], []),
    ("a small bare number is not the end of a long one", [bill(1, "INV-2026-12"), bill(2, "12", 1)], []),
    (
        "a numbered copy is not also the copy of a bill without number near it",
        [bill(1, "W-900"), bill(2, "", 26), bill(3, "W-900", 28)],
        [(1, 3)],
    ),
    (
        "hostile references: accents, unicode digits, punctuation",
        [bill(1, "Facture n\u00b0\uff11\uff12\uff13\uff14"), bill(2, "FACTURE N 1234")],
        [(1, 2)],
    ),
    ("references of punctuation only read as none", [bill(1, "---"), bill(2, " / ", 10)], []),
]


@pytest.mark.parametrize(("books", "bills", "groups"), BILL_CASES, ids=[case[0] for case in BILL_CASES])
def test_duplicate_bills(books, bills, groups):
    assert bill_groups(*bills) == groups


def test_each_copy_says_why():
    found = bill_duplicates([bill(1, "INV-1234"), bill(2, "inv 1234", 31), bill(3, "", 60), bill(4, "", 62)], WINDOW)
    assert [(g.ids, g.reasons) for g in found] == [
        ((1, 2), ("same vendor reference INV-1234 (typed inv 1234), bill dates 31 days apart",)),
        (
            (3, 4),
            ("same vendor and total (250.00) and no vendor reference to tell them apart, bill dates 2 days apart",),
        ),
    ]
    lease = bill_duplicates([bill(m, "LEASE 0042", 30 * m) for m in range(4)] + [bill(9, "LEASE 0042", 1)], WINDOW)
    assert lease[0].reasons == (
        "same vendor and total (250.00) and only the reference LEASE 0042 the vendor puts on every bill"
        " to tell them apart, bill dates 1 days apart",
    )


def test_the_reference_window_is_the_rule_not_the_window_of_unreadable_references():
    far = [bill(1, "INV-1234"), bill(2, "INV-1234", REFERENCE_WINDOW_DAYS)]
    assert bill_groups(*far, window=0) == [(1, 2)]
    assert bill_groups(bill(1), bill(2, days=WINDOW + 1)) == []


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("INV-1234", "#01234", True),
        ("ACME-1234", "1234", True),
        ("ACME-1234", "acme1234", True),
        ("ACME-1234", "ACME-1235", False),
        ("PO 1234", "CN 1234", False),
        ("Rent March 2026", "Rent April 2026", False),
        ("Rent", "rent", True),
        ("2026/1234", "2025/1234", False),
    ],
)
def test_references_as_people_type_them(one, other, same):
    assert same_reference(reference_key(one), reference_key(other)) is same


def entry(doc_id, settles=(), *, ref="Card payment", partner=None, journal="misc", amount=34465, company=COMPANY):
    return Document(doc_id, company, partner, amount, DAY, ref, journal, frozenset(settles))


ENTRY_CASES = [
    ("posted twice", [entry(1), entry(2)], [(1, 2)]),
    ("posted twice, the original settles its invoice", [entry(1, {10}), entry(2)], [(1, 2)]),
    ("equal card payments, each of its invoice, in one batch", [entry(1, {10, 99}), entry(2, {11, 99})], []),
    ("two equal pay slips paid, then one posted again", [entry(1, {10}), entry(2, {11}), entry(3)], [(1, 3)]),
    ("another reference", [entry(1), entry(2, ref="Card payment 2")], []),
    ("the reference typed otherwise", [entry(1, ref="PR-2026-03"), entry(2, ref="pr 2026/03")], [(1, 2)]),
    ("another journal", [entry(1), entry(2, journal="cards")], []),
    ("another partner", [entry(1, partner=7), entry(2, partner=8)], []),
    ("another company", [entry(1), entry(2, company=OTHER_COMPANY)], []),
    ("nothing to copy", [entry(1, amount=0), entry(2, amount=0)], []),
]


@pytest.mark.parametrize(("books", "entries", "groups"), ENTRY_CASES, ids=[case[0] for case in ENTRY_CASES])
def test_duplicate_entries(books, entries, groups):
    assert [g.ids for g in entry_duplicates(entries)] == groups


def test_an_entry_copy_says_it_settles_nothing_of_its_own():
    (group,) = entry_duplicates([entry(1, {10}), entry(2)])
    assert group.reasons == (
        "same journal, date, partner, reference and total (344.65), and it settles nothing of its own",
    )


REFS = st.sampled_from(["", "INV-1234", "inv 1234", "1234", "#01234", "INV-1235", "LEASE 7", "Rent 03/2026"])
BILLS = st.lists(
    st.tuples(
        REFS,
        st.integers(-40, 400),
        st.sampled_from([25000, 25001]),
        st.sampled_from([VENDOR, OTHER_VENDOR, None]),
        st.sampled_from([COMPANY, OTHER_COMPANY]),
        st.sampled_from(["in_invoice", "in_refund"]),
    ),
    max_size=25,
)


def _bills(spec):
    return [
        bill(i, ref, days, amount=amount, vendor=vendor, company=company, kind=kind)
        for i, (ref, days, amount, vendor, company, kind) in enumerate(spec)
    ]


@given(BILLS, st.randoms(use_true_random=False), st.integers(0, 10))
def test_the_order_of_the_documents_never_changes_the_groups(spec, rng, window):
    bills = _bills(spec)
    shuffled = list(bills)
    rng.shuffle(shuffled)
    assert bill_duplicates(shuffled, window) == bill_duplicates(bills, window)


@given(BILLS, st.integers(0, 10))
def test_a_group_is_of_one_company_vendor_type_and_total_and_never_holds_a_document_twice(spec, window):
    bills = {doc.id: doc for doc in _bills(spec)}
    seen = set()
    for group in bill_duplicates(bills.values(), window):
        members = [bills[i] for i in group.ids]
        assert len(members) >= 2 and len(set(group.ids)) == len(group.ids) and not seen & set(group.ids)
        seen |= set(group.ids)
        assert len({(d.company_id, d.partner_id, d.kind, d.amount) for d in members}) == 1
        assert members == sorted(members, key=lambda d: (d.date, d.id)) and len(group.reasons) == len(members) - 1


@given(
    st.lists(
        st.tuples(st.sampled_from(["", "PR 1", "pr-1"]), st.sets(st.integers(1, 4), max_size=2), st.integers(1, 2)),
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_entries_group_alike_whatever_their_order_and_never_across_companies(spec, rng):
    entries = [entry(i, settles, ref=ref, company=company) for i, (ref, settles, company) in enumerate(spec)]
    shuffled = list(entries)
    rng.shuffle(shuffled)
    groups = entry_duplicates(entries)
    assert entry_duplicates(shuffled) == groups
    by_id = {doc.id: doc for doc in entries}
    for group in groups:
        assert len(set(group.ids)) == len(group.ids) >= 2
        assert len({by_id[i].company_id for i in group.ids}) == 1
