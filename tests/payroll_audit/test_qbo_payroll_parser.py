"""QBO payroll summaries are read into structured pay runs, written back, and their deductions checked."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.payroll_parser import (
    EmployeePay,
    PayrollParseError,
    PayrollRun,
    parse_payroll_summary,
    render_payroll_summary,
)
from fusion_accounting.services.source_deductions import PayInput, Paystub, check_paystub

SAMPLE = (Path(__file__).parent / "data" / "qbo_payroll_summary_2026-01-16.csv").read_text()
D = Decimal


def _checks(run):
    return [
        check_paystub(
            Paystub(
                e.name,
                PayInput(e.gross, 26, run.pay_date),
                cpp=e.cpp,
                ei=e.ei,
                income_tax=e.income_tax,
                cpp2=e.cpp2,
                employer_cpp=e.employer_cpp,
                employer_ei=e.employer_ei,
            )
        )
        for e in run.employees
    ]


def test_the_sample_summary_is_read_completely():
    run = parse_payroll_summary(SAMPLE)
    assert run.company == "Maple Mobility Supplies Ltd."
    assert (run.pay_date, run.period_start, run.period_end) == (date(2026, 1, 16), date(2026, 1, 1), date(2026, 1, 14))
    assert [e.name for e in run.employees] == ["Lee, Avery", "Singh, Priya", "Tremblay, Marc", "Okafor, Chidi"]
    tremblay = run.employees[2]
    # Federal + provincial tax are one withholding; withholdings shown negative are kept positive.
    assert (tremblay.gross, tremblay.income_tax, tremblay.cpp, tremblay.ei) == (
        D("1464.32"),
        D("152.96"),
        D("79.12"),
        D("23.87"),
    )
    assert run.employees[1].other_deductions == D("25.00")
    totals = run.totals()
    # The TOTAL column of the report equals the employees added up.
    assert (totals.gross, totals.net, totals.employer_ei) == (D("9214.32"), D("7105.02"), D("210.28"))
    assert all(e.net_difference == 0 for e in run.employees)


def test_the_sample_round_trips_through_the_writer():
    run = parse_payroll_summary(SAMPLE)
    assert parse_payroll_summary(render_payroll_summary(run)) == run


def test_the_sample_deductions_match_cra_tables():
    assert all(check.ok for check in _checks(parse_payroll_summary(SAMPLE)))


def test_a_planted_wrong_cpp_amount_is_flagged():
    planted = SAMPLE.replace("CPP,,-110.99,", "CPP,,-119.99,", 1)
    checks = _checks(parse_payroll_summary(planted))
    findings = [f for check in checks for f in check.findings]
    assert [(f.employee, f.kind, f.difference) for f in findings] == [("Lee, Avery", "cpp", D("9.00"))]


def test_pasted_text_with_tabs_is_read_like_csv():
    pasted = (
        "Pay date: 01/16/2026\n"
        "Employee\tGross Pay\tCPP\tEI\tIncome Tax\tNet Pay\n"
        "Avery Lee\t$2,000.00\t110.99\t32.60\t254.83\t1,601.58\n"
    )
    run = parse_payroll_summary(pasted)
    assert run.pay_date == date(2026, 1, 16)
    assert run.employees == (
        EmployeePay("Avery Lee", D("2000.00"), D("254.83"), D("110.99"), ei=D("32.60"), net=D("1601.58")),
    )


def test_text_aligned_with_spaces_is_read():
    pasted = (
        "Employee      Gross Pay    CPP      EI     Income Tax   Net Pay\n"
        "Avery Lee     2000.00      110.99   32.60  254.83       1601.58"
    )
    assert parse_payroll_summary(pasted).employees[0].net == D("1601.58")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        None,
        "hello world",
        "Employee,Gross Pay\nAvery,12abc",
        "Pay date: 31/31/2026\nEmployee,Gross Pay\nA,1",
        ",Avery Lee\n,Hours,Amount\nTaxes Withheld\nMystery Levy,,-3.00",
        "Employee,Gross Pay\nA,NaN",
    ],
)
def test_hostile_or_broken_input_is_a_parse_error(text):
    with pytest.raises(PayrollParseError):
        parse_payroll_summary(text)


_money = st.decimals(min_value=0, max_value=99999, places=2)
_names = (
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij ,.'-", min_size=1, max_size=20)
    .map(str.strip)
    .filter(lambda n: n and n.lower() != "total" and n[0].isalpha())
)


@given(st.lists(st.tuples(_names, _money, _money, _money, _money), min_size=1, max_size=5, unique_by=lambda t: t[0]))
def test_any_run_round_trips(rows):
    run = PayrollRun(
        tuple(EmployeePay(n, gross=g, cpp=c, ei=e, net=net, employer_ei=e) for n, g, c, e, net in rows),
        pay_date=date(2026, 3, 6),
    )
    assert parse_payroll_summary(render_payroll_summary(run)) == run
