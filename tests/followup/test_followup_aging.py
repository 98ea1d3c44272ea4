"""Aging: the platform's one table (Enterprise's six periods) partitions a partner's open balance exactly.

The follow-up services keep no table of their own: the adapters pass the core's, as values.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_core.services.ar_aging_buckets import AGING_BUCKETS, BUCKETS, bucket_for
from fusion_accounting_followup.services.open_item import OpenItem
from fusion_accounting_followup.services.partner_overdue import age_items, overdue_balance, summarize

TODAY = date(2025, 6, 30)
amounts = st.decimals(min_value=Decimal("-100000"), max_value=Decimal("100000"), places=2, allow_nan=False)
items = st.lists(
    st.builds(
        OpenItem,
        line_id=st.integers(1, 10**6),
        amount_residual=amounts,
        date_maturity=st.integers(-400, 400).map(lambda days: TODAY - timedelta(days=days)),
        excluded=st.booleans(),
    ),
    max_size=40,
)


def test_the_table_is_enterprises_six_periods():
    # account_reports' aged receivable: At Date, then four 30-day periods, then Older.
    assert BUCKETS == ("current", "1-30", "31-60", "61-90", "91-120", "120+")
    assert [(b.min_days, b.max_days) for b in AGING_BUCKETS] == [
        (None, 0),
        (1, 30),
        (31, 60),
        (61, 90),
        (91, 120),
        (121, None),
    ]


@given(items)
def test_buckets_partition_the_open_balance_exactly(open_items):
    aging = age_items(open_items, TODAY, AGING_BUCKETS)
    assert tuple(aging.amounts) == BUCKETS
    assert aging.total == sum((item.amount_residual for item in open_items), Decimal(0))
    assert aging.overdue == aging.total - aging.amounts["current"] == overdue_balance(open_items, TODAY)


@given(st.integers(-(10**5), 10**5))
def test_every_day_count_lands_in_exactly_one_bucket(days):
    assert sum(bucket.contains(days) for bucket in AGING_BUCKETS) == 1
    assert bucket_for(days).contains(days)


@pytest.mark.parametrize(
    ("days", "key"),
    [
        (-5, "current"),
        (0, "current"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "91-120"),
        (120, "91-120"),
        (121, "120+"),
        (9999, "120+"),
    ],
)
def test_bucket_boundaries(days, key):
    assert bucket_for(days).key == key
    assert age_items([OpenItem(1, Decimal("1"), TODAY - timedelta(days=days))], TODAY, AGING_BUCKETS).amounts[key]


def test_credits_reduce_the_bucket_they_fall_in():
    aging = age_items(
        [
            OpenItem(1, Decimal("300"), TODAY - timedelta(days=45)),
            OpenItem(2, Decimal("-100"), TODAY - timedelta(days=40)),
        ],
        TODAY,
        AGING_BUCKETS,
    )
    assert aging.amounts["31-60"] == Decimal("200")
    assert aging.overdue == Decimal("200")


def test_a_table_with_a_gap_is_refused_not_silently_dropped():
    with pytest.raises(ValueError, match="gap at 45"):
        age_items([OpenItem(1, Decimal("1"), TODAY - timedelta(days=45))], TODAY, AGING_BUCKETS[:2])


@given(items)
def test_the_oldest_day_and_the_followed_items_agree(open_items):
    # "Oldest N days" and the items a follow-up mentions come from the same rule: a debit past due, not excluded.
    summary = summarize(1, "CAD", open_items, TODAY, buckets=AGING_BUCKETS)
    followed = [i for i in open_items if i.amount_residual > 0 and not i.excluded and i.days_overdue(TODAY) > 0]
    assert summary.max_days_overdue == max((i.days_overdue(TODAY) for i in followed), default=0)
    assert {i.line_id for i in summary.overdue_items} == {i.line_id for i in followed}
    assert summary.excluded_overdue == sum(
        (i.amount_residual for i in open_items if i.excluded and i.days_overdue(TODAY) > 0), Decimal(0)
    )
