"""The collections dashboard's figures (services/collections_summary.py)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_followup.services.collections_summary import (
    CollectionsInputs,
    PromiseRow,
    summarize_collections,
)

TODAY = date(2025, 6, 30)


def inputs(**changes):
    values = {
        "today": TODAY,
        "receivable": Decimal("10000"),
        "over_90": Decimal("2500"),
        "sales": Decimal("30000"),
        "window_days": 90,
        "promises": (),
        "open_disputes": 0,
        "disputed_amount": Decimal(0),
        "collected_after_followup": Decimal(0),
    }
    return CollectionsInputs(**{**values, **changes})


def test_promises_due_this_week_are_open_ones_from_today_to_six_days_on():
    rows = (
        PromiseRow(TODAY, Decimal("100"), "open"),
        PromiseRow(TODAY + timedelta(days=6), Decimal("200"), "open"),
        PromiseRow(TODAY + timedelta(days=7), Decimal("400"), "open"),  # next week
        PromiseRow(TODAY - timedelta(days=1), Decimal("800"), "open"),  # the check judges it tonight
        PromiseRow(TODAY + timedelta(days=2), Decimal("1600"), "kept"),
    )
    summary = summarize_collections(inputs(promises=rows))
    assert (summary.promises_due_this_week, summary.promised_this_week) == (2, Decimal("300"))


def test_broken_promises_count_the_last_thirty_days():
    rows = (
        PromiseRow(TODAY - timedelta(days=5), Decimal("1"), "broken", TODAY - timedelta(days=4)),
        PromiseRow(TODAY - timedelta(days=60), Decimal("1"), "broken", TODAY - timedelta(days=59)),
    )
    assert summarize_collections(inputs(promises=rows)).broken_promises == 1


def test_dso_and_share():
    summary = summarize_collections(inputs())
    assert (summary.dso_days, summary.at_risk_share) == (30.0, 0.25)


def test_no_sales_no_dso_no_receivable_no_share():
    summary = summarize_collections(inputs(sales=Decimal(0), receivable=Decimal(0), over_90=Decimal(0)))
    assert (summary.dso_days, summary.at_risk_share) == (None, None)
    assert summary.to_dict()["collected_after_followup"] == "0"


@given(st.integers(0, 10**7), st.integers(0, 10**7), st.integers(0, 10**7))
def test_the_share_is_a_fraction_and_dso_grows_with_receivables(receivable, over, sales):
    over = min(over, receivable)
    summary = summarize_collections(inputs(receivable=Decimal(receivable), over_90=Decimal(over), sales=Decimal(sales)))
    if summary.at_risk_share is not None:
        assert 0 <= summary.at_risk_share <= 1
    if sales:
        more = summarize_collections(inputs(receivable=Decimal(receivable + 1000), sales=Decimal(sales)))
        assert more.dso_days >= summary.dso_days
