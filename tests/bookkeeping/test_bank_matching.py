"""The bank matching engine, as a specification: what it matches, what it refuses, and why."""

import re
from datetime import date, timedelta
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.bank_matching import (
    BankLine,
    ItemIndex,
    MatchPolicy,
    OpenItem,
    card_batch_windows,
    decide,
    normalize,
    plan_auto_reconcile,
    suggest,
)
from fusion_accounting.services.bank_subsets import fits

POLICY = MatchPolicy()
TUE, WED = date(2026, 3, 3), date(2026, 3, 4)
FRI, SAT, SUN, MON = date(2026, 3, 6), date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)


def best(line, items):
    return decide(suggest(line, items, POLICY), POLICY)


def card(item_id, cents, day):
    return OpenItem(item_id, day, cents, 99, is_card=True)


class TestPlantedCases:
    def test_one_to_one_by_reference_beats_an_equal_twin(self):
        items = [OpenItem(1, TUE, 10000, 5, ("INV/2026/00007",)), OpenItem(2, TUE, 10000, 5, ("INV/2026/00008",))]
        found = best(BankLine(9, WED, 10000, "Payment inv/2026/00007"), items)
        assert (found.item_ids, found.kind) == ((1,), "reference")

    def test_one_to_one_by_amount_and_partner(self):
        items = [OpenItem(1, TUE, 23750, 5), OpenItem(2, TUE, 23750, 6), OpenItem(3, TUE, 5500, 5)]
        found = best(BankLine(9, WED, 23750, "E-TFR 4411", partner_id=5), items)
        assert (found.item_ids, found.kind) == ((1,), "amount_partner")

    def test_card_batch_net_of_the_fee(self):
        items = [card(1, 10000, TUE), card(2, 25000, TUE), card(3, 35914, TUE)]
        found = best(BankLine(9, WED, 70914 - 1135, "ELAVON MERCH DEP"), items)
        assert (set(found.item_ids), found.fee, found.kind) == ({1, 2, 3}, 1135, "card_batch")

    def test_weekend_batch_combines_friday_and_saturday(self):
        items = [card(1, 20000, FRI), card(2, 30000, SAT), card(3, 7000, TUE)]
        found = best(BankLine(9, MON, 49200, "ELAVON MERCH DEP"), items)
        assert (set(found.item_ids), found.fee) == ({1, 2}, 800)
        assert "weekend" in found.reason

    def test_partial_payment_by_reference(self):
        items = [OpenItem(1, TUE, 100000, 5, ("INV/2026/00042",))]
        found = best(BankLine(9, WED, 40000, "INV/2026/00042 part 1", partner_id=5), items)
        assert found.partial and found.item_ids == (1,)

    def test_one_remittance_for_several_invoices(self):
        items = [OpenItem(1, TUE, 30000, 5), OpenItem(2, TUE, 12500, 5), OpenItem(3, TUE, 9900, 5)]
        found = best(BankLine(9, WED, 42500, "remittance", partner_id=5), items)
        assert set(found.item_ids) == {1, 2}


class TestAmbiguityIsLeftToAHuman:
    def test_two_equal_invoices_of_the_partner(self):
        items = [OpenItem(1, TUE, 5500, 5), OpenItem(2, TUE, 5500, 5)]
        line = BankLine(9, WED, 5500, "E-TFR 9999", partner_id=5)
        assert best(line, items) is None
        assert {s.item_ids for s in suggest(line, items, POLICY)} == {(1,), (2,)}

    def test_exact_amount_without_partner_is_only_a_suggestion(self):
        [only] = suggest(BankLine(9, WED, 5500, "DEPOSIT"), [OpenItem(1, TUE, 5500, 5)], POLICY)
        assert only.confidence < POLICY.auto_threshold and decide((only,), POLICY) is None

    def test_an_item_two_lines_want_goes_to_neither(self):
        lines = [BankLine(1, WED, 5500, "x", partner_id=5), BankLine(2, WED, 5500, "y", partner_id=5)]
        plan = plan_auto_reconcile(lines, [OpenItem(7, TUE, 5500, 5)], POLICY)
        assert plan.matches == {} and set(plan.left) == {1, 2}

    def test_a_fee_far_from_the_processors_rate_is_no_batch(self):
        items = [card(1, 10000, TUE)]
        assert best(BankLine(9, WED, 9000, "ELAVON"), items) is None


HOSTILE_LABELS = [
    "",
    None,
    "12",  # too short to be a reference
    "INV",  # no digit
    "x" * 5000,
    "'; DROP TABLE account_move; --",
    "INV/2026/0000\u0000",
    "🙂 INV/2026/00099 🙂",
]


@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_hostile_labels_never_crash_nor_match_a_wrong_reference(label):
    items = [OpenItem(1, TUE, 5000, 5, ("INV/2026/00099", "12", "INV"))]
    for suggestion in suggest(BankLine(9, WED, 7000, label), items, POLICY):
        assert suggestion.kind != "reference" or "00099" in (label or "")


def test_withdrawals_only_settle_credit_items():
    items = [OpenItem(1, TUE, 5000, 5), OpenItem(2, TUE, -5000, 5)]
    found = best(BankLine(9, WED, -5000, "CHQ 101", partner_id=5), items)
    assert found.item_ids == (2,)


def test_items_dated_after_the_line_are_less_likely():
    early, late = OpenItem(1, TUE, 5000, 5), OpenItem(2, WED + timedelta(days=9), 5000, 5)
    found = best(BankLine(9, WED, 5000, "", partner_id=5), [early, late])
    assert found.item_ids == (1,)


def test_windows_never_include_the_deposit_day_or_later():
    windows = card_batch_windows(MON, {SAT, SUN, MON, FRI}, POLICY)
    assert all(day < MON for window in windows for day in window)


cents = st.integers(min_value=1, max_value=10_000_000)


@given(st.lists(cents, min_size=1, max_size=6), st.sampled_from([TUE, FRI]))
def test_a_batch_net_of_the_exact_fee_is_always_found(amounts, day):
    items = [card(i, amount, day) for i, amount in enumerate(amounts)]
    gross = sum(amounts)
    fee = round(gross * POLICY.card_fee_bps / 10_000)
    deposit = day + timedelta(days=3 if day == FRI else 1)
    suggestions = suggest(BankLine(99, deposit, gross - fee, "ELAVON"), items, POLICY)
    assert any(set(s.item_ids) == set(range(len(amounts))) and s.fee == fee for s in suggestions)


@given(st.lists(st.tuples(cents, st.integers(1, 4)), min_size=1, max_size=8), cents, st.integers(1, 4))
def test_a_match_never_takes_items_of_the_wrong_direction_or_partner(items_spec, amount, partner):
    items = [OpenItem(i, TUE, cents_, p) for i, (cents_, p) in enumerate(items_spec)]
    line = BankLine(99, WED, -amount, "", partner_id=partner)
    assert best(line, items) is None  # every item is a debit; a withdrawal settles none


@given(st.lists(st.tuples(cents, st.integers(1, 3)), min_size=1, max_size=8), cents, st.integers(1, 3))
def test_suggestions_are_sorted_and_confidences_bounded(items_spec, amount, partner):
    items = [OpenItem(i, TUE, cents_, p) for i, (cents_, p) in enumerate(items_spec)]
    found = suggest(BankLine(99, WED, amount, "", partner_id=partner), items, POLICY)
    confidences = [s.confidence for s in found]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 < c <= 1 for c in confidences)
    for suggestion in found:
        picked = [item for item in items if item.id in suggestion.item_ids]
        assert all(item.partner_id == partner for item in picked)


def _every_fit(values, low, high, max_size):
    """Brute force: every subset of at most ``max_size`` values whose sum lies in ``[low, high]``."""
    return {
        frozenset(subset)
        for size in range(1, max_size + 1)
        for subset in combinations(range(len(values)), size)
        if low <= sum(values[index] for index in subset) <= high
    }


@given(
    st.lists(st.integers(1, 5_000), max_size=9),
    st.integers(0, 12_000),
    st.integers(0, 300),
    st.integers(1, 4),
)
def test_the_bounded_subset_search_finds_what_brute_force_finds(values, low, width, max_size):
    # The search prunes by the largest values the subset may still take: it must lose no fit.
    found = fits(values, low, low + width, max_size=max_size, max_items=16, max_steps=10**6, limit=10**6)
    assert found.complete
    assert {frozenset(subset) for subset in found.subsets} == _every_fit(values, low, low + width, max_size)
    assert len(found.subsets) == len({frozenset(subset) for subset in found.subsets})


@given(st.lists(st.text(alphabet="INV/2026-0123456789 ", max_size=14), min_size=1, max_size=8), st.text(max_size=60))
def test_a_label_quotes_the_same_references_as_a_substring_scan(references, label):
    # Long keys are looked up by their last six characters: the same as trying every substring of every key length.
    items = [OpenItem(index + 1, date(2026, 1, 5), 100, None, (ref,)) for index, ref in enumerate(references)]
    index = ItemIndex(items, MatchPolicy())
    whole = normalize(label)
    tokens = {normalize(token) for token in re.findall(r"[0-9A-Za-z][0-9A-Za-z/_.\-]*", label)}
    expected = {
        item.id
        for key, pairs in index.by_key.items()
        for item, _ref in pairs
        if key in tokens or (len(key) >= 6 and key in whole)
    }
    assert {item.id for item, _ref in index.quoted(label)} == expected
