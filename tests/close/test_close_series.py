"""The series model of the month-end close: what a clean series is, and the one gap a removed period makes."""

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from fusion_accounting.services.close_books import Account, Books, Entry, Line, balanced, month_end
from fusion_accounting.services.close_review import review_close
from fusion_accounting.services.close_series import find_series

YEAR = 2026
EXPENSE, PREPAID, FIXED, ACCRUED, PAYABLE = 10, 11, 12, 13, 14
ACCOUNTS = {
    EXPENSE: Account(EXPENSE, "x1", "expense"),
    PREPAID: Account(PREPAID, "x2", "asset_prepayments"),
    FIXED: Account(FIXED, "x3", "asset_fixed"),
    ACCRUED: Account(ACCRUED, "x4", "liability_current"),
    PAYABLE: Account(PAYABLE, "x5", "liability_payable"),
}
# (credit account, journal type, label): an amortization, a depreciation, an accrual, a bill.
SHAPES = (
    (PREPAID, "general", "Prepaid amortization"),
    (FIXED, "general", "Depreciation"),
    (ACCRUED, "general", "Accrued services"),
    (PAYABLE, "purchase", "Rent"),
)
OPENING = {PREPAID: 10**9, FIXED: 10**9}


def monthly(months, amount, shape, first_id=1):
    credit, journal_type, label = shape
    return [
        Entry(
            first_id + m,
            month_end(YEAR * 12 + m - 1) if journal_type == "general" else date(YEAR, m, 1),
            1,
            journal_type,
            f"{label} {m:02d}/{YEAR}",
            (Line(EXPENSE, amount), Line(credit, -amount, 7 if credit == PAYABLE else None)),
        )
        for m in months
    ]


def review(entries, close_month):
    books = Books(ACCOUNTS, tuple(entries), OPENING)
    end = month_end(YEAR * 12 + close_month - 1)
    return review_close(books, end.replace(day=1), end)


series_args = st.tuples(
    st.integers(1, 6),  # first month
    st.integers(4, 12),  # length
    st.integers(1, 10**7),  # amount in cents
    st.sampled_from(SHAPES),
)


@settings(max_examples=150, deadline=None)
@given(series_args)
def test_a_clean_monthly_series_through_the_closing_month_never_yields_a_finding(args):
    first, length, amount, shape = args
    last = min(12, first + length - 1)
    assert review(monthly(range(first, last + 1), amount, shape), last) == []


@settings(max_examples=150, deadline=None)
@given(series_args, st.data())
def test_removing_one_period_of_a_clean_series_yields_exactly_that_gap(args, data):
    first, length, amount, shape = args
    last = min(12, first + length - 1)
    if last - first < 3:
        return
    removed = data.draw(st.integers(first + 1, last), label="removed month")
    findings = review(monthly([m for m in range(first, last + 1) if m != removed], amount, shape), last)
    assert [(f.evidence["period"], f.amount) for f in findings] == [(f"{YEAR}-{removed:02d}", amount)]
    [finding] = findings
    assert {line.account_id for line in finding.lines if line.debit} == {EXPENSE}
    assert finding.date == month_end(YEAR * 12 + last - 1), "a catch-up is dated in the period being closed"


@settings(max_examples=60, deadline=None)
@given(series_args, st.integers(0, 2**32), st.data())
def test_permuting_the_entries_changes_nothing(args, seed, data):
    first, length, amount, shape = args
    last = min(12, first + length - 1)
    removed = data.draw(st.integers(first, last))
    entries = monthly([m for m in range(first, last + 1) if m != removed], amount, shape)
    entries += monthly(range(first, last + 1), amount // 3 + 1, SHAPES[3], first_id=100)
    shuffled = list(entries)
    random.Random(seed).shuffle(shuffled)
    assert review(shuffled, last) == review(entries, last)


lines = st.lists(
    st.tuples(st.sampled_from(sorted(ACCOUNTS)), st.integers(-(10**6), 10**6)), min_size=1, max_size=4
).map(lambda pairs: (*pairs, (PAYABLE, -sum(b for _a, b in pairs))))
entries = st.lists(
    st.tuples(st.integers(1, 12), st.integers(1, 28), st.sampled_from(("general", "purchase")), lines), max_size=40
)


@settings(max_examples=150, deadline=None)
@given(entries, st.integers(1, 12))
def test_every_proposed_adjustment_balances_whatever_the_books(rows, close_month):
    books = [
        Entry(i, date(YEAR, m, d), 1, journal, f"Entry {m}", tuple(Line(a, b) for a, b in pairs if b))
        for i, (m, d, journal, pairs) in enumerate(rows)
    ]
    for finding in review(books, close_month):
        assert balanced(finding.lines)
        assert all(
            line.debit >= 0 and line.credit >= 0 and bool(line.debit) != bool(line.credit) for line in finding.lines
        )


def test_cadence_and_behaviour_of_the_usual_series():
    quarterly = monthly((3, 6, 9, 12), 120000, SHAPES[3])
    trending = [
        Entry(
            m,
            month_end(YEAR * 12 + m - 1),
            1,
            "general",
            "Fuel",
            (Line(EXPENSE, 1000 + 100 * m), Line(ACCRUED, -1000 - 100 * m)),
        )
        for m in range(1, 9)
    ]
    weekly = [
        Entry(
            w,
            date.fromordinal(date(YEAR, 1, 5).toordinal() + 7 * w),
            1,
            "purchase",
            "Cleaning",
            (Line(EXPENSE, 9000), Line(PAYABLE, -9000)),
        )
        for w in range(20)
        if w != 11
    ]
    [q], [t], [w] = (find_series(s, date(YEAR, 12, 31)) for s in (quarterly, trending, weekly))
    assert (q.cadence, q.behaviour, q.gaps(date(YEAR, 12, 31))) == ("quarterly", "fixed", [])
    assert (t.cadence, t.behaviour) == ("monthly", "trending")
    assert t.estimate(8) == (1900, 0.8), "a trending series extrapolates its line"
    assert w.cadence == "weekly"
    assert [p for p, _trailing in w.gaps(w.entries[-1].date)] == [11]


def test_a_series_that_starts_mid_year_or_ends_for_a_reason_is_left_alone():
    started = monthly(range(6, 13), 50000, SHAPES[3])
    used_up = monthly(range(1, 7), 25000, SHAPES[0])
    ended = [
        *monthly(range(1, 7), 30000, SHAPES[2]),
        Entry(
            99,
            month_end(YEAR * 12 + 6),
            1,
            "general",
            "Accrued services final",
            (Line(EXPENSE, 30000), Line(ACCRUED, -30000)),
        ),
    ]
    books = Books(ACCOUNTS, tuple(started + used_up + ended), {PREPAID: 6 * 25000})
    assert review_close(books, date(YEAR, 12, 1), date(YEAR, 12, 31)) == []


def test_a_gap_at_the_close_and_a_duplicate_are_proposed_as_catch_up_and_reversal():
    rent = monthly(range(1, 12), 400000, SHAPES[3])
    copy = Entry(500, date(YEAR, 5, 3), 1, "purchase", rent[4].ref, rent[4].lines)
    findings = review([*rent, copy], 12)
    assert [(f.kind, f.evidence["period"], f.amount) for f in findings] == [
        ("duplicate_period", f"{YEAR}-05", 400000),
        ("missing_recurring", f"{YEAR}-12", 400000),
    ]
    reversal = findings[0].lines
    assert {(x.account_id, x.debit, x.credit) for x in reversal} == {(PAYABLE, 400000, 0), (EXPENSE, 0, 400000)}
    accrual = findings[1].lines
    assert {(x.account_id, x.debit, x.credit) for x in accrual} == {(EXPENSE, 400000, 0), (ACCRUED, 0, 400000)}
