"""ADP split, aging and deposit matching."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.adp import (
    AdpInvoice,
    OpenItem,
    age_items,
    match_deposit,
    summarize,
    verify_split,
)

D = Decimal
TODAY = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("total", "customer", "adp", "flagged"),
    [
        ("1000.00", "250.00", "750.00", False),
        ("1000.00", "250.00", "750.01", False),  # a cent of rounding
        ("1000.00", "250.00", "749.00", True),
        ("1000.00", "0.00", "0.00", True),
        ("0.00", "0.00", "0.00", False),
        ("-500.00", "-125.00", "-375.00", False),  # a credit note splits too
    ],
)
def test_split_must_add_up_to_the_invoice_total(total, customer, adp, flagged):
    invoice = AdpInvoice("INV", TODAY, D(total), D(customer), D(adp))
    assert bool(verify_split([invoice])) is flagged


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 10**7)), max_size=30))
def test_aging_buckets_lose_nothing(rows):
    items = [OpenItem(f"I{i}", TODAY - timedelta(days=age), D(cents) / 100) for i, (age, cents) in enumerate(rows)]
    buckets = age_items(items, TODAY)
    assert sum(b.amount for b in buckets) == sum(i.residual for i in items)
    assert sum(b.count for b in buckets) == len(items)


@pytest.mark.parametrize(("age", "label"), [(0, "0-30"), (30, "0-30"), (31, "31-60"), (120, "91-120"), (121, "120+")])
def test_bucket_edges(age, label):
    buckets = age_items([OpenItem("X", TODAY - timedelta(days=age), D("1"))], TODAY)
    assert [b.label for b in buckets if b.count] == [label]


def test_bad_bounds_are_refused():
    with pytest.raises(ValueError):
        age_items([], TODAY, bounds=(60, 30))


def test_a_deposit_is_matched_to_the_fewest_then_oldest_exact_items():
    items = [
        OpenItem("A", date(2026, 1, 1), D("300")),
        OpenItem("B", date(2026, 1, 2), D("200")),
        OpenItem("C", date(2026, 1, 3), D("450")),
        OpenItem("D", date(2026, 1, 4), D("500")),
    ]
    assert [i.ref for i in match_deposit(D("500"), items).items] == ["D"]
    match = match_deposit(D("650"), items)
    assert ([i.ref for i in match.items], match.exact, match.difference) == (["B", "C"], True, 0)


def test_without_an_exact_match_the_proposal_is_partial():
    items = [OpenItem("A", date(2026, 1, 1), D("300")), OpenItem("B", date(2026, 1, 2), D("250"))]
    match = match_deposit(D("400"), items)
    assert (match.exact, [i.ref for i in match.items], match.difference) == (False, ["A"], D("100"))


def test_summary_rate_is_none_without_billing():
    assert summarize([], D("0"), D("0")).collection_rate is None
