"""Statements computed from balances tie out: zero trial balance, net income = current-year earnings, cash explained."""

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fusion_accounting.services.financial_statements import (
    AccountBalance,
    UnknownAccountTypeError,
    balance_sheet,
    cash_flow,
    compare_statements,
    profit_and_loss,
    trial_balance,
)

D = Decimal
CHART = {
    "1000": "asset_cash",
    "1010": "asset_cash",
    "1100": "asset_receivable",
    "1101": "asset_receivable",
    "1200": "asset_current",
    "1300": "asset_prepayments",
    "1500": "asset_fixed",
    "1600": "asset_non_current",
    "2000": "liability_payable",
    "2100": "liability_current",
    "2200": "liability_credit_card",
    "2500": "liability_non_current",
    "3000": "equity",
    "3900": "equity_unaffected",
    "4000": "income",
    "4900": "income_other",
    "5000": "expense_direct_cost",
    "6000": "expense",
    "6100": "expense_depreciation",
    "6900": "expense_other",
}


def balances(amounts):
    return [AccountBalance(code, f"Account {code}", CHART[code], D(amount)) for code, amount in amounts.items()]


# A balanced entry: a list of (account, amount) lines, cents, summing to zero.
_cents = st.integers(min_value=1, max_value=10_000_000)
_entry = st.tuples(st.sampled_from(sorted(CHART)), st.sampled_from(sorted(CHART)), _cents)
_year = st.lists(_entry, max_size=25)


def _post(entries, into=None):
    book = defaultdict(int) if into is None else defaultdict(int, into)
    for debit, credit, cents in entries:
        book[debit] += cents
        book[credit] -= cents
    return book


def _as_balances(book):
    return [AccountBalance(code, code, CHART[code], D(cents) / 100) for code, cents in sorted(book.items())]


def _pl_only(book):
    return {code: cents for code, cents in book.items() if CHART[code].startswith(("income", "expense"))}


@settings(max_examples=150)
@given(prior=_year, current=_year)
def test_books_that_balance_give_a_zero_trial_balance(prior, current):
    tb = trial_balance(_as_balances(_post(prior + current)))
    assert tb.balanced
    assert tb.total_debit - tb.total_credit == 0


@settings(max_examples=150)
@given(prior=_year, current=_year)
def test_net_income_is_the_current_year_earnings_and_the_balance_sheet_balances(prior, current):
    closing = _post(prior + current)
    current_year = _pl_only(_post(current))
    pl = profit_and_loss(_as_balances(current_year))
    bs = balance_sheet(_as_balances(closing), _as_balances(current_year))
    assert pl.totals["net_income"] == bs.totals["current_year_earnings"]
    assert bs.totals["difference"] == 0
    assert bs.totals["assets"] == bs.totals["liabilities_and_equity"]


@settings(max_examples=150)
@given(prior=_year, current=_year)
def test_cash_flow_explains_opening_to_closing_cash(prior, current):
    opening = _post(prior)
    closing = _post(current, into=opening)
    flow = cash_flow(_as_balances(opening), _as_balances(closing))
    totals = flow.totals
    assert totals["unexplained"] == 0
    assert totals["opening_cash"] + totals["net_change"] == totals["closing_cash"]
    assert totals["net_income"] == profit_and_loss(_as_balances(_pl_only(_post(current)))).totals["net_income"]


def test_a_small_year_by_hand():
    # Owner puts 10,000 in; sells 3,000 on credit (1,000 collected); pays 500 rent; buys a 4,000 asset
    # depreciated by 400.
    opening = balances({"1000": "10000", "3000": "-10000"})
    closing = balances(
        {
            "1000": "6500",
            "1100": "2000",
            "1500": "3600",
            "3000": "-10000",
            "4000": "-3000",
            "6000": "500",
            "6100": "400",
        }
    )
    flow = cash_flow(opening, closing).totals
    assert (flow["net_income"], flow["depreciation"]) == (D("2100"), D("400"))
    assert flow["operating"] == D("2100") + D("400") - D("2000")
    assert flow["investing"] == D("-4000")
    assert flow["financing"] == D("0")
    assert flow["net_change"] == D("-3500")
    pl = profit_and_loss(closing)
    assert (pl.totals["revenue"], pl.totals["operating_expenses"], pl.totals["net_income"]) == (
        D("3000"),
        D("900"),
        D("2100"),
    )
    assert [line.code for line in pl.section("revenue")] == ["4000"]


def test_trial_balance_splits_debits_and_credits_and_merges_duplicate_codes():
    rows = balances({"1000": "150", "4000": "-200", "6000": "50"}) + balances({"1000": "-25"})
    tb = trial_balance(rows + balances({"6000": "25"}))
    assert [(r.code, r.debit, r.credit) for r in tb.rows] == [
        ("1000", D("125"), D("0")),
        ("4000", D("0"), D("200")),
        ("6000", D("75"), D("0")),
    ]
    assert tb.balanced


def test_an_unbalanced_trial_balance_says_so():
    assert not trial_balance(balances({"1000": "100", "4000": "-90"})).balanced


def test_an_unknown_account_type_is_refused():
    with pytest.raises(UnknownAccountTypeError):
        profit_and_loss([AccountBalance("9", "Mystery", "asset_mystery", D(1))])


def test_two_periods_side_by_side_cover_lines_of_either_period():
    now = profit_and_loss(balances({"4000": "-1200", "6000": "300"}))
    then = profit_and_loss(balances({"4000": "-1000", "6900": "50"}))
    rows = {(r.section, r.code): r for r in compare_statements(now, then)}
    assert rows[("revenue", "4000")].change == D("200")
    assert rows[("revenue", "4000")].change_pct == D("20.0")
    assert rows[("other_expenses", "6900")].current == 0
    assert rows[("operating_expenses", "6000")].change_pct is None
    assert rows[("totals", "net_income")].previous == D("950")
