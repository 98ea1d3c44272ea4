"""Aging buckets: six contiguous intervals that partition the open balance exactly."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_followup.services.open_item import OpenItem
from fusion_accounting_followup.services.overdue_aging import BUCKETS, age_items, bucket_for

TODAY = date(2025, 6, 30)
amounts = st.decimals(min_value=Decimal("-100000"), max_value=Decimal("100000"), places=2, allow_nan=False)
items = st.lists(
    st.builds(
        OpenItem,
        line_id=st.integers(1, 10**6),
        amount_residual=amounts,
        date_maturity=st.integers(-400, 400).map(lambda days: TODAY - timedelta(days=days)),
    ),
    max_size=40,
)


@given(items)
def test_buckets_partition_the_open_balance_exactly(open_items):
    aging = age_items(open_items, TODAY)
    assert set(aging.amounts) == {bucket.key for bucket in BUCKETS}
    assert aging.total == sum((item.amount_residual for item in open_items), Decimal(0))


@given(st.integers(-(10**5), 10**5))
def test_every_day_count_lands_in_exactly_one_bucket(days):
    assert sum(bucket.contains(days) for bucket in BUCKETS) == 1
    assert bucket_for(days).contains(days)


def test_bucket_boundaries():
    table = [
        (-5, "current"),
        (0, "current"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "91_120"),
        (120, "91_120"),
        (121, "120_plus"),
        (9999, "120_plus"),
    ]
    for days, key in table:
        assert bucket_for(days).key == key, days


def test_credits_reduce_the_bucket_they_fall_in():
    aging = age_items(
        [
            OpenItem(1, Decimal("300"), TODAY - timedelta(days=45)),
            OpenItem(2, Decimal("-100"), TODAY - timedelta(days=40)),
        ],
        TODAY,
    )
    assert aging.amounts["31_60"] == Decimal("200")
    assert aging.overdue == Decimal("200")
