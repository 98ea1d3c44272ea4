"""CRA payroll figures (CPP, CPP2, EI, federal and Ontario income tax) by year, as data.

Sources, named per figure so a reviewer can check each one:

* 2026: CRA T4127 "Payroll Deductions Formulas", 122nd edition, effective
  January 1, 2026 (CPP/CPP2 and EI maximums as announced by CRA and ESDC in
  November 2025; federal thresholds indexed by 2.0 %; lowest federal rate 14 %
  for the whole year).  Ontario 2026 thresholds (indexed by 1.9 %) are the
  published brackets 53,891 / 107,785; the Ontario basic personal amount and
  surtax thresholds below are the values consistent with those brackets and the
  published 2026 combined marginal-rate table (surtax starts at 94,907 and
  111,814 of taxable income).  The Ontario tax-reduction basic amount for 2026
  was not confirmed when this table was written: the published 2025 value is
  kept and marked below.
* 2025: CRA T4127, 121st edition, effective January 1, 2025.  The July 2025
  edition (lowest federal rate cut to 14 %, i.e. 14.5 % for the whole of 2025)
  is not modelled: 2025 income tax is checked against the January formula, so
  income-tax findings for pays after July 1, 2025 overstate by about 0.5 % of
  the lowest bracket; CPP and EI are unaffected.

Amounts are :class:`~decimal.Decimal` dollars; rates are fractions.

>>> table = table_for(2026)
>>> table.cpp.max_contribution, table.cpp2.max_contribution, table.ei.max_premium
(Decimal('4230.45'), Decimal('416.00'), Decimal('1123.07'))
>>> table_for(1999)
Traceback (most recent call last):
...
fusion_accounting.services.payroll_tables.UnsupportedTaxYearError: no CRA payroll table for 1999; ...
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


class UnsupportedTaxYearError(LookupError):
    """No payroll table is known for the requested year."""


def cents(value):
    """Round ``value`` to the cent, half up, as CRA does.

    >>> cents(Decimal("1.005")), cents(2)
    (Decimal('1.01'), Decimal('2.00'))
    """
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CppRates:
    """Base + first enhanced CPP (one rate), on pensionable earnings above the exemption up to the YMPE."""

    ympe: Decimal
    basic_exemption: Decimal
    rate: Decimal
    # Share of the rate that is the base contribution (4.95 of 5.95): a tax credit; the rest is a deduction.
    base_rate: Decimal

    @property
    def max_contribution(self):
        return cents((self.ympe - self.basic_exemption) * self.rate)

    @property
    def max_base_contribution(self):
        return cents((self.ympe - self.basic_exemption) * self.base_rate)


@dataclass(frozen=True)
class Cpp2Rates:
    """Second additional CPP, on earnings between the YMPE and the YAMPE."""

    ympe: Decimal
    yampe: Decimal
    rate: Decimal

    @property
    def max_contribution(self):
        return cents((self.yampe - self.ympe) * self.rate)


@dataclass(frozen=True)
class EiRates:
    """Employment Insurance outside Quebec; the employer pays ``employer_factor`` times the employee premium."""

    max_insurable: Decimal
    rate: Decimal
    employer_factor: Decimal = Decimal("1.4")

    @property
    def max_premium(self):
        return cents(self.max_insurable * self.rate)


@dataclass(frozen=True)
class Bracket:
    """Income above ``threshold`` (annual taxable income) is taxed at ``rate``."""

    threshold: Decimal
    rate: Decimal


@dataclass(frozen=True)
class FederalRates:
    """Federal income tax: brackets, basic personal amount (reduced between two incomes), Canada employment amount."""

    brackets: tuple
    bpa_max: Decimal
    bpa_min: Decimal
    bpa_phase_out: tuple  # (income where the reduction starts, income where bpa_min is reached)
    canada_employment_amount: Decimal

    @property
    def lowest_rate(self):
        return self.brackets[0].rate


@dataclass(frozen=True)
class OntarioRates:
    """Ontario income tax with its surtax, health premium and low-income tax reduction."""

    brackets: tuple
    bpa: Decimal
    surtax: tuple  # (Bracket(threshold on basic Ontario tax, surtax rate), ...)
    tax_reduction_basic: Decimal

    @property
    def lowest_rate(self):
        return self.brackets[0].rate


@dataclass(frozen=True)
class PayrollTable:
    """Every figure the per-pay deduction formulas need for one calendar year."""

    year: int
    source: str
    cpp: CppRates
    cpp2: Cpp2Rates
    ei: EiRates
    federal: FederalRates
    ontario: OntarioRates


def _d(text):
    return Decimal(text)


def _brackets(*pairs):
    return tuple(Bracket(_d(threshold), _d(rate)) for threshold, rate in pairs)


# Ontario Health Premium (Ontario Taxation Act, s. 33.1): not indexed, the same every year.
# (annual taxable income from, income to, premium at "from", phase-in rate) per band.
ONTARIO_HEALTH_PREMIUM = (
    (_d("0"), _d("20000"), _d("0"), _d("0")),
    (_d("20000"), _d("25000"), _d("0"), _d("0.06")),
    (_d("25000"), _d("36000"), _d("300"), _d("0")),
    (_d("36000"), _d("38500"), _d("300"), _d("0.06")),
    (_d("38500"), _d("48000"), _d("450"), _d("0")),
    (_d("48000"), _d("48600"), _d("450"), _d("0.25")),
    (_d("48600"), _d("72000"), _d("600"), _d("0")),
    (_d("72000"), _d("72600"), _d("600"), _d("0.25")),
    (_d("72600"), _d("200000"), _d("750"), _d("0")),
    (_d("200000"), _d("200600"), _d("750"), _d("0.25")),
    (_d("200600"), None, _d("900"), _d("0")),
)

TABLES = {
    2026: PayrollTable(
        year=2026,
        source="CRA T4127 Payroll Deductions Formulas, 122nd edition (January 1, 2026)",
        # CRA: YMPE $74,600, exemption $3,500, 5.95 % -> maximum $4,230.45.
        cpp=CppRates(_d("74600"), _d("3500"), _d("0.0595"), _d("0.0495")),
        # CRA: YAMPE $85,000, 4 % -> maximum $416.00.
        cpp2=Cpp2Rates(_d("74600"), _d("85000"), _d("0.04")),
        # ESDC: maximum insurable earnings $68,900, 1.63 % -> maximum $1,123.07.
        ei=EiRates(_d("68900"), _d("0.0163")),
        federal=FederalRates(
            brackets=_brackets(
                ("0", "0.14"), ("58523", "0.205"), ("117045", "0.26"), ("181440", "0.29"), ("258482", "0.33")
            ),
            bpa_max=_d("16452"),
            bpa_min=_d("14829"),
            bpa_phase_out=(_d("181440"), _d("258482")),
            canada_employment_amount=_d("1501"),
        ),
        ontario=OntarioRates(
            brackets=_brackets(
                ("0", "0.0505"), ("53891", "0.0915"), ("107785", "0.1116"), ("150000", "0.1216"), ("220000", "0.1316")
            ),
            bpa=_d("12989"),
            surtax=_brackets(("5818", "0.20"), ("7446", "0.36")),
            # Published 2025 value, kept for 2026 until the 2026 figure is confirmed (see module docstring).
            tax_reduction_basic=_d("294"),
        ),
    ),
    2025: PayrollTable(
        year=2025,
        source="CRA T4127 Payroll Deductions Formulas, 121st edition (January 1, 2025)",
        cpp=CppRates(_d("71300"), _d("3500"), _d("0.0595"), _d("0.0495")),
        cpp2=Cpp2Rates(_d("71300"), _d("81200"), _d("0.04")),
        ei=EiRates(_d("65700"), _d("0.0164")),
        federal=FederalRates(
            brackets=_brackets(
                ("0", "0.15"), ("57375", "0.205"), ("114750", "0.26"), ("177882", "0.29"), ("253414", "0.33")
            ),
            bpa_max=_d("16129"),
            bpa_min=_d("14538"),
            bpa_phase_out=(_d("177882"), _d("253414")),
            canada_employment_amount=_d("1471"),
        ),
        ontario=OntarioRates(
            brackets=_brackets(
                ("0", "0.0505"), ("52886", "0.0915"), ("105775", "0.1116"), ("150000", "0.1216"), ("220000", "0.1316")
            ),
            bpa=_d("12747"),
            surtax=_brackets(("5710", "0.20"), ("7307", "0.36")),
            tax_reduction_basic=_d("294"),
        ),
    ),
}


def table_for(year):
    """The :class:`PayrollTable` of ``year``; :class:`UnsupportedTaxYearError` when none is known."""
    try:
        return TABLES[year]
    except KeyError:
        known = ", ".join(str(y) for y in sorted(TABLES))
        raise UnsupportedTaxYearError(f"no CRA payroll table for {year}; known years: {known}") from None
