"""Expected CPP, CPP2, EI and income tax for one pay, and the check of amounts a payroll gave.

The formulas follow CRA's T4127 "Option 1" for an Ontario employee with claim
code 1 (basic personal amounts only) and no other deductions (RRSP, union dues,
benefits): the usual small-business payslip.  Income tax is annualised
(``A = P * (I - F5)``) and brought back to the pay period.

>>> from datetime import date
>>> pay = PayInput(gross=Decimal("2000.00"), pays_per_year=26, pay_date=date(2026, 1, 16))
>>> expected = expected_deductions(pay)
>>> expected.cpp, expected.cpp2, expected.ei, expected.employer_ei
(Decimal('110.99'), Decimal('0.00'), Decimal('32.60'), Decimal('45.64'))
>>> stub = Paystub("Avery Lee", pay, cpp=Decimal("120.99"), ei=Decimal("32.60"), income_tax=expected.income_tax)
>>> [(f.kind, f.difference) for f in check_paystub(stub).findings]
[('cpp', Decimal('10.00'))]
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .payroll_tables import ONTARIO_HEALTH_PREMIUM, cents, table_for

ZERO = Decimal("0")


@dataclass(frozen=True)
class PayInput:
    """One employee's pay: gross pensionable/insurable earnings of the period and what was deducted so far this year.

    ``ytd_pensionable`` is the pensionable earnings of the year *before* this pay
    (CPP2 only starts once the year's earnings pass the YMPE).
    """

    gross: Decimal
    pays_per_year: int
    pay_date: date
    ytd_cpp: Decimal = ZERO
    ytd_cpp2: Decimal = ZERO
    ytd_ei: Decimal = ZERO
    ytd_pensionable: Decimal = ZERO


@dataclass(frozen=True)
class ExpectedDeductions:
    """What CRA's tables give for one pay, to the cent."""

    cpp: Decimal
    cpp2: Decimal
    ei: Decimal
    federal_tax: Decimal
    ontario_tax: Decimal
    employer_cpp: Decimal
    employer_cpp2: Decimal
    employer_ei: Decimal

    @property
    def income_tax(self):
        return self.federal_tax + self.ontario_tax


@dataclass(frozen=True)
class Paystub:
    """Amounts a payroll produced for one employee.  ``cpp2=None`` means CPP2 is included in ``cpp``.

    Employer amounts are optional: ``None`` skips their check.
    """

    employee: str
    pay: PayInput
    cpp: Decimal
    ei: Decimal
    income_tax: Decimal
    cpp2: Decimal | None = None
    employer_cpp: Decimal | None = None
    employer_ei: Decimal | None = None


@dataclass(frozen=True)
class Tolerance:
    """How far a given amount may be from the expected one before it is a finding.

    CPP and EI are exact formulas (a cent of rounding); income tax depends on
    TD1 claims we do not see, so it gets a wider, relative margin.
    """

    contribution: Decimal = Decimal("0.05")
    income_tax_absolute: Decimal = Decimal("1.00")
    income_tax_ratio: Decimal = Decimal("0.02")

    def for_kind(self, kind, expected):
        if kind == "income_tax":
            return max(self.income_tax_absolute, abs(expected) * self.income_tax_ratio)
        return self.contribution


@dataclass(frozen=True)
class DeductionFinding:
    """One amount off by more than the tolerance; ``difference`` is actual minus expected."""

    employee: str
    kind: str
    expected: Decimal
    actual: Decimal
    difference: Decimal
    severity: str


@dataclass(frozen=True)
class PaystubCheck:
    """The expected amounts and the findings (empty when everything is within tolerance)."""

    employee: str
    expected: ExpectedDeductions
    findings: tuple = field(default_factory=tuple)

    @property
    def ok(self):
        return not self.findings


def _progressive(income, brackets):
    tax = ZERO
    for index, bracket in enumerate(brackets):
        upper = brackets[index + 1].threshold if index + 1 < len(brackets) else None
        top = income if upper is None else min(income, upper)
        if top > bracket.threshold:
            tax += (top - bracket.threshold) * bracket.rate
    return tax


def _federal_bpa(federal, income):
    start, end = federal.bpa_phase_out
    if income <= start:
        return federal.bpa_max
    if income >= end:
        return federal.bpa_min
    return federal.bpa_max - (federal.bpa_max - federal.bpa_min) * (income - start) / (end - start)


def ontario_health_premium(income):
    """Ontario Health Premium on annual taxable ``income``.

    >>> [ontario_health_premium(Decimal(x)) for x in ("19000", "22000", "50000", "72300", "250000")]
    [Decimal('0'), Decimal('120.00'), Decimal('600'), Decimal('675.00'), Decimal('900')]
    """
    for low, high, base, rate in ONTARIO_HEALTH_PREMIUM:
        if high is None or income <= high:
            return base + (income - low) * rate if income > low else base
    return ONTARIO_HEALTH_PREMIUM[-1][2]


def _cpp(pay, table):
    periods = pay.pays_per_year
    cpp = table.cpp
    room = max(ZERO, cpp.max_contribution - pay.ytd_cpp)
    contribution = cents(max(ZERO, (pay.gross - cpp.basic_exemption / periods) * cpp.rate))
    return min(room, contribution)


def _cpp2(pay, table):
    cpp2 = table.cpp2
    earnings_after = pay.ytd_pensionable + pay.gross
    above = min(earnings_after, cpp2.yampe) - max(pay.ytd_pensionable, cpp2.ympe)
    room = max(ZERO, cpp2.max_contribution - pay.ytd_cpp2)
    return min(room, cents(max(ZERO, above) * cpp2.rate))


def expected_deductions(pay):
    """CPP, CPP2, EI and federal + Ontario tax for ``pay``, from the table of its pay date's year."""
    table = table_for(pay.pay_date.year)
    periods = Decimal(pay.pays_per_year)
    cpp, cpp2 = _cpp(pay, table), _cpp2(pay, table)
    ei = min(max(ZERO, table.ei.max_premium - pay.ytd_ei), cents(pay.gross * table.ei.rate))

    # Enhanced CPP (the 1 % above the base 4.95 %) and all of CPP2 are deductions from income (T4127 F5).
    enhanced_share = (table.cpp.rate - table.cpp.base_rate) / table.cpp.rate
    income = max(ZERO, periods * (pay.gross - cpp * enhanced_share - cpp2))
    base_cpp_credit_base = min(periods * cpp * table.cpp.base_rate / table.cpp.rate, table.cpp.max_base_contribution)
    ei_credit_base = min(periods * ei, table.ei.max_premium)

    federal = table.federal
    low = federal.lowest_rate
    federal_tax = (
        _progressive(income, federal.brackets)
        - low * _federal_bpa(federal, income)
        - low * (base_cpp_credit_base + ei_credit_base)
        - min(low * income, low * federal.canada_employment_amount)
    )
    ontario = table.ontario
    low_on = ontario.lowest_rate
    basic_on = max(
        ZERO,
        _progressive(income, ontario.brackets)
        - low_on * ontario.bpa
        - low_on * (base_cpp_credit_base + ei_credit_base),
    )
    surtax = sum((max(ZERO, basic_on - b.threshold) * b.rate for b in ontario.surtax), ZERO)
    reduction = max(ZERO, min(basic_on + surtax, 2 * ontario.tax_reduction_basic - (basic_on + surtax)))
    ontario_tax = basic_on + surtax - reduction + ontario_health_premium(income)
    return ExpectedDeductions(
        cpp=cpp,
        cpp2=cpp2,
        ei=ei,
        federal_tax=cents(max(ZERO, federal_tax) / periods),
        ontario_tax=cents(max(ZERO, ontario_tax) / periods),
        employer_cpp=cpp,
        employer_cpp2=cpp2,
        employer_ei=cents(ei * table.ei.employer_factor),
    )


def _compare(employee, kind, expected, actual, *, tolerance, severity):
    difference = actual - expected
    if abs(difference) <= tolerance.for_kind(kind, expected):
        return None
    return DeductionFinding(employee, kind, expected, actual, difference, severity)


def check_paystub(stub, tolerance=None):
    """Compare ``stub``'s amounts with :func:`expected_deductions`; one finding per amount out of tolerance.

    CPP and EI are ``error`` findings (the formula is exact); income tax is a
    ``warning`` (it depends on the employee's TD1 claims).
    """
    tolerance = tolerance or Tolerance()
    expected = expected_deductions(stub.pay)
    pairs = [
        ("ei", expected.ei, stub.ei, "error"),
        ("income_tax", expected.income_tax, stub.income_tax, "warning"),
    ]
    if stub.cpp2 is None:
        pairs.insert(0, ("cpp", expected.cpp + expected.cpp2, stub.cpp, "error"))
    else:
        pairs[:0] = [("cpp", expected.cpp, stub.cpp, "error"), ("cpp2", expected.cpp2, stub.cpp2, "error")]
    if stub.employer_cpp is not None:
        employer_cpp = expected.employer_cpp + (expected.employer_cpp2 if stub.cpp2 is None else ZERO)
        pairs.append(("employer_cpp", employer_cpp, stub.employer_cpp, "error"))
    if stub.employer_ei is not None:
        pairs.append(("employer_ei", expected.employer_ei, stub.employer_ei, "error"))
    findings = tuple(
        finding
        for kind, want, got, severity in pairs
        if (finding := _compare(stub.employee, kind, want, got, tolerance=tolerance, severity=severity)) is not None
    )
    return PaystubCheck(stub.employee, expected, findings)
