"""CPP, CPP2, EI and income tax per pay: the published maximums, the caps, and the check of given amounts."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.payroll_tables import TABLES, UnsupportedTaxYearError, table_for
from fusion_accounting.services.source_deductions import (
    PayInput,
    Paystub,
    Tolerance,
    check_paystub,
    expected_deductions,
)

D = Decimal
PAY_DATE_2026 = date(2026, 1, 16)


@pytest.mark.parametrize(
    ("year", "cpp_max", "cpp2_max", "ei_max"),
    [(2026, "4230.45", "416.00", "1123.07"), (2025, "4034.10", "396.00", "1077.48")],
)
def test_yearly_maximums_are_the_published_ones(year, cpp_max, cpp2_max, ei_max):
    table = table_for(year)
    assert (table.cpp.max_contribution, table.cpp2.max_contribution, table.ei.max_premium) == (
        D(cpp_max),
        D(cpp2_max),
        D(ei_max),
    )


def test_every_table_names_its_source():
    for table in TABLES.values():
        assert "T4127" in table.source and str(table.year) in table.source


def test_an_unknown_year_is_refused_not_guessed():
    with pytest.raises(UnsupportedTaxYearError):
        expected_deductions(PayInput(D("1000"), 26, date(2031, 1, 2)))


@pytest.mark.parametrize(
    ("gross", "periods", "cpp", "ei"),
    [
        # CPP: 5.95 % of (gross - 3,500 / periods); EI: 1.63 % of gross (2026).
        ("2000.00", 26, "110.99", "32.60"),
        ("1000.00", 52, "55.50", "16.30"),
        ("5000.00", 12, "280.15", "81.50"),
        ("100.00", 26, "0.00", "1.63"),  # below the period's share of the exemption
    ],
)
def test_cpp_and_ei_per_pay_follow_the_formula(gross, periods, cpp, ei):
    expected = expected_deductions(PayInput(D(gross), periods, PAY_DATE_2026))
    assert (expected.cpp, expected.ei) == (D(cpp), D(ei))
    assert expected.employer_cpp == expected.cpp
    assert expected.employer_ei == (expected.ei * D("1.4")).quantize(D("0.01"))


def test_contributions_stop_at_the_yearly_maximum():
    pay = PayInput(D("4000"), 26, PAY_DATE_2026, ytd_cpp=D("4200.00"), ytd_ei=D("1123.07"))
    expected = expected_deductions(pay)
    assert expected.cpp == D("30.45")
    assert expected.ei == D("0")


def test_cpp2_starts_once_the_year_passes_the_ympe():
    below = PayInput(D("4000"), 26, PAY_DATE_2026, ytd_pensionable=D("60000"))
    across = PayInput(D("4000"), 26, PAY_DATE_2026, ytd_pensionable=D("73600"))
    assert expected_deductions(below).cpp2 == D("0")
    # 77,600 - 74,600 = 3,000 above the YMPE, at 4 %.
    assert expected_deductions(across).cpp2 == D("120.00")


@given(
    gross=st.decimals(min_value=0, max_value=20000, places=2),
    periods=st.sampled_from([12, 24, 26, 52]),
)
def test_income_tax_is_never_negative_and_grows_with_pay(gross, periods):
    low = expected_deductions(PayInput(gross, periods, PAY_DATE_2026))
    high = expected_deductions(PayInput(gross + 100, periods, PAY_DATE_2026))
    assert low.income_tax >= 0
    assert high.income_tax >= low.income_tax


def _stub(**amounts):
    pay = PayInput(D("2000.00"), 26, PAY_DATE_2026)
    values = {"cpp": D("110.99"), "ei": D("32.60"), "income_tax": D("254.83")} | amounts
    return Paystub("Avery Lee", pay, **values)


def test_a_correct_paystub_has_no_finding():
    assert check_paystub(_stub()).ok


@pytest.mark.parametrize(
    ("amounts", "kind", "severity"),
    [
        ({"cpp": D("120.99")}, "cpp", "error"),
        ({"ei": D("30.00")}, "ei", "error"),
        ({"income_tax": D("200.00")}, "income_tax", "warning"),
        ({"employer_ei": D("32.60")}, "employer_ei", "error"),  # employer EI is 1.4 times, not 1 time
        ({"cpp2": D("5.00")}, "cpp2", "error"),
    ],
)
def test_a_wrong_amount_is_one_finding_of_its_kind(amounts, kind, severity):
    check = check_paystub(_stub(**amounts))
    assert [(f.kind, f.severity) for f in check.findings] == [(kind, severity)]


def test_rounding_within_tolerance_is_not_a_finding():
    assert check_paystub(_stub(cpp=D("111.02"), income_tax=D("255.50"))).ok
    assert not check_paystub(_stub(cpp=D("111.05")), Tolerance(contribution=D("0.01"))).ok
