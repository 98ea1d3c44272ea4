"""The dashboard's figures agree with the aging tools, and no card looks good because a job never ran."""

from collections import namedtuple
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.dashboard import Light, aging_figures, freshness, tool_label

Row = namedtuple("Row", "currency partner bucket amount")
BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
TODAY = date(2026, 3, 20)

rows = st.lists(
    st.builds(
        Row,
        currency=st.sampled_from(("CAD", "USD")),
        partner=st.one_of(st.none(), st.integers(1, 20)),
        bucket=st.sampled_from(BUCKETS),
        amount=st.floats(min_value=-1e7, max_value=1e7, allow_nan=False).map(lambda x: round(x, 2)),
    ),
    max_size=60,
)


@given(rows)
def test_the_card_total_is_the_aging_total_of_every_bucket(amounts):
    figures = aging_figures(amounts)
    for currency, found in figures.items():
        expected = round(sum(row.amount for row in amounts if row.currency == currency), 2)
        assert found.total == pytest.approx(expected, abs=0.011)
        late = sum(row.amount for row in amounts if row.currency == currency and row.bucket != "current")
        assert found.overdue == pytest.approx(round(late, 2), abs=0.011)


@given(rows)
def test_overdue_customers_are_those_with_something_past_due(amounts):
    for currency, found in aging_figures(amounts).items():
        late_partners = {row.partner for row in amounts if row.currency == currency and row.bucket != "current"}
        assert 0 <= found.overdue_partners <= len(late_partners)


def test_a_credit_note_that_cancels_the_late_invoice_leaves_nothing_to_chase():
    figures = aging_figures([Row("CAD", 7, "90+", 500.0), Row("CAD", 7, "1-30", -500.0), Row("CAD", 8, "1-30", 1.0)])
    assert figures["CAD"].overdue_partners == 1
    assert figures["CAD"].overdue == 1.0


def test_current_amounts_are_not_overdue():
    assert aging_figures([Row("CAD", 1, "current", 900.0)])["CAD"].overdue_partners == 0


@pytest.mark.parametrize(
    ("checked", "period", "stale", "never"),
    [
        ([], 1, True, True),  # no company: nothing was checked
        ([None], 1, True, True),
        ([TODAY], 1, False, False),
        ([TODAY - timedelta(days=1)], 1, False, False),  # the daily cron ran yesterday
        ([TODAY - timedelta(days=2)], 1, True, False),
        ([TODAY - timedelta(days=7)], 7, False, False),
        ([TODAY - timedelta(days=8)], 7, True, False),
        ([TODAY, None], 28, True, True),  # one selected company never audited
        ([TODAY, TODAY - timedelta(days=40)], 28, True, False),  # the oldest company decides
    ],
)
def test_stale_when_never_checked_or_older_than_the_period(checked, period, stale, never):
    found = freshness(checked, TODAY, period)
    assert (found.stale, found.never_checked) == (stale, never)


@given(st.lists(st.dates(min_value=date(2000, 1, 1), max_value=TODAY), min_size=1), st.integers(0, 60))
def test_fresh_only_if_every_company_is_within_the_period(days, period):
    found = freshness(days, TODAY, period)
    assert found.stale == any((TODAY - day).days > period for day in days)
    assert found.checked_on == min(days)


def test_not_checked_is_a_light_of_its_own():
    assert Light.UNKNOWN.value == "unknown"
    assert Light.UNKNOWN not in (Light.GREEN, Light.YELLOW, Light.RED)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("reconcile_payment_to_invoice", "Reconcile payment to invoice"),
        ("get_ar_aging", "Get AR aging"),
        ("calculate_hst_balance", "Calculate HST balance"),
        ("run_full_audit", "Run full audit"),
        ("", ""),
        (None, ""),
        ("__", ""),
    ],
)
def test_tool_names_read_as_sentences(name, label):
    assert tool_label(name) == label


@given(st.from_regex(r"[a-z]{1,8}(_[a-z0-9]{1,8}){0,5}", fullmatch=True))
def test_a_label_never_shows_an_underscore(name):
    assert "_" not in tool_label(name)
