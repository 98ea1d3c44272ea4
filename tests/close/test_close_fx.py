"""Revaluation of open foreign-currency items at a period end: what is revalued, how, and what is left alone."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.close_books import balanced
from fusion_accounting.services.close_fx import FxBooks, FxItem, revaluation_findings
from fusion_accounting.services.close_review import review_close

END = date(2026, 6, 30)
RECEIVABLE, PAYABLE, BANK, REVENUE, GAIN, LOSS = 1, 2, 3, 4, 90, 91
TYPES = {RECEIVABLE: "asset_receivable", PAYABLE: "liability_payable", BANK: "asset_cash", REVENUE: "income"}


def item(account, currency, foreign, booked_cents, account_currency="", id_=1):  # noqa: PLR0917 (an item's fields)
    return FxItem(id_, account, TYPES[account], currency, foreign, booked_cents, account_currency)


def findings(*items, rates=None, gain=GAIN, loss=LOSS):
    return revaluation_findings(FxBooks("CAD", rates or {"USD": 1.40}, items, gain, loss), END)


def lines(finding):
    return {(line.account_id, line.debit, line.credit, line.currency) for line in finding.lines}


def test_a_receivable_worth_more_at_the_period_end_rate_is_a_gain_dated_at_the_period_end():
    [found] = findings(item(RECEIVABLE, "USD", 1000.0, 135000))
    assert (found.kind, found.key, found.date) == ("fx_revaluation", "fx_revaluation:USD:2026-06", END)
    assert lines(found) == {(RECEIVABLE, 5000, 0, "USD"), (GAIN, 0, 5000, "")}
    assert found.evidence["items"][0] == {
        "id": 1,
        "account_id": RECEIVABLE,
        "label": "",
        "amount_currency": 1000.0,
        "booked": 1350.0,
        "booked_rate": 1.35,
        "at_period_end_rate": 1400.0,
        "difference": 50.0,
    }
    assert "2026-07-01" in found.memo, "the memo says when the revaluation is reversed"


def test_a_payable_worth_more_is_a_loss_and_gains_and_losses_of_one_currency_are_booked_apart():
    [found] = findings(item(RECEIVABLE, "USD", 1000.0, 135000), item(PAYABLE, "USD", -500.0, -67500, id_=2))
    assert lines(found) == {
        (RECEIVABLE, 5000, 0, "USD"),
        (PAYABLE, 0, 2500, "USD"),
        (GAIN, 0, 5000, ""),
        (LOSS, 2500, 0, ""),
    }
    assert balanced(found.lines) and found.evidence["difference"] == 25.0


@pytest.mark.parametrize(
    ("case", "items"),
    [
        ("the company's own currency", [item(RECEIVABLE, "CAD", 1000.0, 100000)]),
        ("booked at the period-end rate", [item(RECEIVABLE, "USD", 1000.0, 140000)]),
        ("a cent of rounding", [item(RECEIVABLE, "USD", 1000.0, 139999)]),
        ("already revalued", [item(RECEIVABLE, "USD", 1000.0, 135000), item(RECEIVABLE, "USD", 0.0, 5000, id_=2)]),
        ("no rate for the currency", [item(RECEIVABLE, "JPY", 1000.0, 900)]),
        ("a revenue account kept in dollars", [item(REVENUE, "USD", -1000.0, -130000, "USD")]),
        ("a bank account in the company's currency", [item(BANK, "USD", 1000.0, 130000)]),
    ],
)
def test_nothing_to_revalue(case, items):
    assert findings(*items) == [], case


def test_a_bank_account_kept_in_dollars_is_revalued_on_its_balance():
    [found] = findings(item(BANK, "USD", 2000.0, 290000, "USD", id_=0))
    assert lines(found) == {(BANK, 0, 10000, "USD"), (LOSS, 10000, 0, "")}


def test_without_exchange_accounts_the_difference_is_asked_for_review_not_booked():
    [found] = findings(item(RECEIVABLE, "USD", 1000.0, 135000), gain=None, loss=None)
    assert found.lines == () and found.evidence["missing"] and found.confidence < 0.5


def test_the_review_of_the_close_reports_the_revaluation_with_the_other_findings():
    from fusion_accounting.services.close_books import Books

    fx = FxBooks("CAD", {"USD": 1.4}, (item(RECEIVABLE, "USD", 1000.0, 135000),), GAIN, LOSS)
    assert [f.kind for f in review_close(Books({}, ()), END.replace(day=1), END, fx=fx)] == ["fx_revaluation"]
    assert review_close(Books({}, ()), END.replace(day=1), END) == []


open_items = st.lists(
    st.tuples(
        st.sampled_from((RECEIVABLE, PAYABLE)),
        st.integers(1, 10**8),  # foreign cents
        st.floats(0.5, 2.0),  # the rate it was booked at
    ),
    min_size=1,
    max_size=8,
)


@given(open_items, st.floats(0.5, 2.0))
def test_property_the_adjustment_balances_and_once_booked_nothing_is_left_to_revalue(raw, rate):
    sign = {RECEIVABLE: 1, PAYABLE: -1}
    items = tuple(
        item(account, "USD", sign[account] * cents / 100, sign[account] * round(cents * booked), id_=n)
        for n, (account, cents, booked) in enumerate(raw, 1)
    )
    found = findings(*items, rates={"USD": rate})
    for finding in found:
        assert balanced(finding.lines)
        assert all(
            line.debit >= 0 and line.credit >= 0 and bool(line.debit) != bool(line.credit) for line in finding.lines
        )
    # What the adjustment books on each account is an open item in dollars with no dollar amount.
    booked = tuple(
        FxItem(1000 + n, line.account_id, TYPES[line.account_id], "USD", 0.0, line.debit - line.credit)
        for finding in found
        for n, line in enumerate(finding.lines)
        if line.currency
    )
    assert findings(*items, *booked, rates={"USD": rate}) == []


@given(st.integers(1, 10**8), st.floats(0.5, 2.0), st.floats(0.5, 2.0))
def test_property_a_receivable_gains_when_the_rate_rises_and_loses_when_it_falls(cents, booked_rate, rate):
    found = findings(item(RECEIVABLE, "USD", cents / 100, round(cents * booked_rate)), rates={"USD": rate})
    difference = round(cents / 100 * rate * 100) - round(cents * booked_rate)
    if abs(difference) <= 1:
        assert found == []
    else:
        [finding] = found
        assert finding.amount == abs(difference)
        assert (GAIN if difference > 0 else LOSS) in {line.account_id for line in finding.lines}
