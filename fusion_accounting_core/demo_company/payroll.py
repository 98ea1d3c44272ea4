"""Canadian payroll deductions for one biweekly pay, with 2025 rates.

CPP and EI follow CRA's rates, exemptions and yearly maximums.  Income tax is
an approximation (federal plus Ontario brackets on annualised pay, basic
personal amounts only), plausible in size but not CRA's T4127 formula: the
demo needs realistic journal entries, not payslips.

>>> pay = biweekly_pay(5_200_000, cpp_to_date=0, ei_to_date=0)
>>> pay.gross, pay.cpp, pay.ei, pay.income_tax, pay.net
(200000, 11099, 3280, 28319, 157302)
>>> pay.employer_cpp, pay.employer_ei
(11099, 4592)
>>> biweekly_pay(5_200_000, cpp_to_date=403_410, ei_to_date=107_748).cpp
0
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PAYS_PER_YEAR = 26
CPP_RATE = Decimal("0.0595")
CPP_BASIC_EXEMPTION = 350_000  # cents a year
CPP_MAX_CONTRIBUTION = 403_410
EI_RATE = Decimal("0.0164")
EI_EMPLOYER_FACTOR = Decimal("1.4")
EI_MAX_PREMIUM = 107_748
# (upper bound of the bracket in cents a year or None, rate), and the basic personal amount.
FEDERAL_BRACKETS = ((5_737_500, Decimal("0.15")), (None, Decimal("0.205")))
FEDERAL_BASIC = 1_612_900
ONTARIO_BRACKETS = ((5_288_600, Decimal("0.0505")), (None, Decimal("0.0915")))
ONTARIO_BASIC = 1_274_700


def _cents(value):
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _bracket_tax(income, brackets, basic):
    tax, lower = Decimal(0), 0
    for upper, rate in brackets:
        top = income if upper is None else min(income, upper)
        if top > lower:
            tax += (top - lower) * rate
        lower = upper or lower
    return max(Decimal(0), tax - basic * brackets[0][1])


@dataclass(frozen=True)
class Pay:
    """One employee's pay, in cents: ``gross - cpp - ei - income_tax == net``."""

    gross: int
    cpp: int
    ei: int
    income_tax: int
    employer_cpp: int
    employer_ei: int

    @property
    def net(self):
        return self.gross - self.cpp - self.ei - self.income_tax


def biweekly_pay(annual_salary, cpp_to_date, ei_to_date):
    """The pay for ``annual_salary`` (cents), capping CPP and EI at what is left of their yearly maximum."""
    gross = annual_salary // PAYS_PER_YEAR
    cpp = _cents((gross - Decimal(CPP_BASIC_EXEMPTION) / PAYS_PER_YEAR) * CPP_RATE)
    cpp = max(0, min(cpp, CPP_MAX_CONTRIBUTION - cpp_to_date))
    ei = max(0, min(_cents(gross * EI_RATE), EI_MAX_PREMIUM - ei_to_date))
    annual = gross * PAYS_PER_YEAR
    tax = _bracket_tax(annual, FEDERAL_BRACKETS, FEDERAL_BASIC) + _bracket_tax(annual, ONTARIO_BRACKETS, ONTARIO_BASIC)
    return Pay(gross, cpp, ei, _cents(tax / PAYS_PER_YEAR), cpp, _cents(ei * EI_EMPLOYER_FACTOR))
