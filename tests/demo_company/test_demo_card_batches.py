"""Card batches: which deposit a sale lands in, and the processor's fee."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_core.demo_company.card_batches import ClosedOnSunday, batch_of, card_fee

WEEK = date(2025, 3, 3)  # a Monday
EXPECTED = {  # weekday of the sale -> (batch weekday offset, deposit offset) from that Monday
    0: (0, 1),
    1: (1, 2),
    2: (2, 3),
    3: (3, 4),
    4: (4, 7),
    5: (4, 7),
}


@pytest.mark.parametrize("weekday", sorted(EXPECTED))
def test_batches_follow_the_processor_calendar(weekday):
    batch, deposit = EXPECTED[weekday]
    assert batch_of(WEEK + timedelta(days=weekday)) == (WEEK + timedelta(days=batch), WEEK + timedelta(days=deposit))


def test_there_are_no_sunday_sales():
    with pytest.raises(ClosedOnSunday):
        batch_of(WEEK + timedelta(days=6))


@given(st.integers(0, 10**9))
def test_the_fee_is_one_point_six_percent_to_the_cent(gross):
    assert abs(card_fee(gross) - gross * 0.016) <= 0.5


@given(st.dates(date(2020, 1, 1), date(2035, 12, 31)).filter(lambda d: d.weekday() != 6))
def test_deposits_are_business_days_after_the_sale(day):
    batch, deposit = batch_of(day)
    assert batch <= day < deposit and deposit.weekday() < 5
