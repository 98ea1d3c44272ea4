"""Payroll deductions: every pay adds up, and CPP and EI stop at their yearly maximum."""

from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_core.demo_company.payroll import (
    CPP_MAX_CONTRIBUTION,
    EI_MAX_PREMIUM,
    PAYS_PER_YEAR,
    biweekly_pay,
)

salaries = st.integers(20_000_00, 250_000_00)


@given(salaries)
def test_a_pay_adds_up(salary):
    pay = biweekly_pay(salary, 0, 0)
    assert pay.gross - pay.cpp - pay.ei - pay.income_tax == pay.net > 0
    assert pay.employer_cpp == pay.cpp
    assert pay.employer_ei >= pay.ei


@given(salaries)
def test_a_year_of_pays_respects_the_maximums(salary):
    cpp = ei = 0
    for _ in range(PAYS_PER_YEAR):
        pay = biweekly_pay(salary, cpp, ei)
        cpp, ei = cpp + pay.cpp, ei + pay.ei
    assert cpp <= CPP_MAX_CONTRIBUTION
    assert ei <= EI_MAX_PREMIUM


@given(salaries, salaries)
def test_more_pay_never_means_less_tax(low, high):
    low, high = sorted((low, high))
    assert biweekly_pay(low, 0, 0).income_tax <= biweekly_pay(high, 0, 0).income_tax
