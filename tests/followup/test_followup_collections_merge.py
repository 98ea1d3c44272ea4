"""The collections total over several companies (services/collections_summary.merge_inputs).

The follow-up dashboard shows one summary per selected company and a total only when their
currencies agree; the total must be the summary of the summed books, not an average of ratios.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_followup.services.collections_summary import (
    CollectionsInputs,
    PromiseRow,
    merge_inputs,
    summarize_collections,
)

TODAY = date(2025, 6, 30)
amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


def company(receivable, over_90, sales, *, promises=(), disputes=0, disputed=Decimal(0), collected=Decimal(0)):
    return CollectionsInputs(TODAY, receivable, over_90, sales, 90, promises, disputes, disputed, collected)


def test_the_total_recomputes_dso_and_the_90_plus_share_from_the_summed_books():
    small = company(Decimal("100"), Decimal("100"), Decimal("900"))  # DSO 10, all of it 90+
    large = company(Decimal("9900"), Decimal("0"), Decimal("8100"))  # DSO 110, none 90+
    total = summarize_collections(merge_inputs((small, large)))
    assert total.dso_days == 100.0  # 10,000 / 9,000 x 90, not the mean 60
    assert total.at_risk_share == 0.01  # 100 / 10,000, not the mean 0.5


def test_counts_promises_and_disputes_of_every_company():
    week = (PromiseRow(TODAY + timedelta(days=1), Decimal("50"), "open"),)
    broken = (PromiseRow(TODAY - timedelta(days=3), Decimal("70"), "broken", TODAY - timedelta(days=2)),)
    one = company(
        Decimal(1), Decimal(0), Decimal(1), promises=week, disputes=1, disputed=Decimal(20), collected=Decimal(5)
    )
    two = company(
        Decimal(1), Decimal(0), Decimal(1), promises=broken, disputes=2, disputed=Decimal(30), collected=Decimal(7)
    )
    total = summarize_collections(merge_inputs((one, two)))
    assert (total.promises_due_this_week, total.promised_this_week, total.broken_promises) == (1, Decimal("50"), 1)
    assert (total.open_disputes, total.disputed_amount, total.collected_after_followup) == (
        3,
        Decimal("50"),
        Decimal("12"),
    )


@pytest.mark.parametrize(
    "books",
    [
        (),
        (company(Decimal(1), Decimal(0), Decimal(1)), CollectionsInputs(TODAY, 1, 0, 1, 30, (), 0, 0, 0)),
        (
            company(Decimal(1), Decimal(0), Decimal(1)),
            CollectionsInputs(TODAY + timedelta(days=1), 1, 0, 1, 90, (), 0, 0, 0),
        ),
    ],
    ids=["nothing", "another window", "another day"],
)
def test_inputs_that_cannot_be_added_are_refused(books):
    with pytest.raises(ValueError):
        merge_inputs(books)


@given(st.lists(st.tuples(amounts, amounts, amounts), min_size=1, max_size=5))
def test_one_company_is_its_own_total_and_amounts_add_up(books):
    companies = [company(receivable, min(over, receivable), sales) for receivable, over, sales in books]
    assert merge_inputs(companies[:1]) == companies[0]
    merged = merge_inputs(companies)
    assert merged.receivable == sum(c.receivable for c in companies)
    assert merged.sales == sum(c.sales for c in companies)
    share = summarize_collections(merged).at_risk_share
    assert share is None or 0 <= share <= 1
