"""When a series is not missing anything after all: it ran to the end its entries state, or the expense of a missed
accrual was booked since (a catch-up would count it twice)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fusion_accounting.services.close_books import Account, Books, Entry, Line, month_end
from fusion_accounting.services.close_review import review_close
from fusion_accounting.services.close_schedules import stated_ends

YEAR = 2026
EXPENSE, ACCRUED, PAYABLE = 10, 13, 14
ACCOUNTS = {
    EXPENSE: Account(EXPENSE, "x1", "expense"),
    ACCRUED: Account(ACCRUED, "x4", "liability_current"),
    PAYABLE: Account(PAYABLE, "x5", "liability_payable"),
}

END_FORMATS = (
    lambda end: f"contract to {end:%d/%m/%Y}",
    lambda end: f"until {end.isoformat()}",
    lambda end: f"ends {end:%B %Y}",
    lambda end: f"expires {end:%d %b %Y}",
)


def close(entries, month):
    end = month_end(YEAR * 12 + month - 1)
    return review_close(Books(ACCOUNTS, tuple(entries)), end.replace(day=1), end)


def bills(months, amount, label, first_id=1, narration=""):
    return [
        Entry(
            first_id + m,
            date(YEAR, m, 8),
            1,
            "purchase",
            label(m),
            (Line(EXPENSE, amount), Line(PAYABLE, -amount, 7)),
            narration=narration,
        )
        for m in months
    ]


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("Office lease until 2026-06-30", (date(2026, 6, 30),)),
        ("Cleaning, ends June 2026", (date(2026, 6, 30),)),
        ("Support to 30/06/2026", (date(2026, 6, 30),)),
        ("Term: 12 months, expires 15 Jul 2026 (renewable)", (date(2026, 7, 15),)),
        ("Payment to supplier", ()),
        ("Transfer to reserve 2026", ()),
        ("Paid to 12345", ()),
        ("", ()),
        (None, ()),
    ],
)
def test_the_end_a_text_states(text, ends):
    assert stated_ends(text)[0] == ends


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 10), st.integers(1, 2), st.sampled_from(END_FORMATS), st.booleans())
def test_property_a_contract_billed_to_its_stated_end_leaves_no_gap_at_the_close(last, after, fmt, in_narration):
    stated = fmt(month_end(YEAR * 12 + last - 1))
    if in_narration:
        entries = bills(range(1, last + 1), 61000, lambda m: f"Alarm monitoring {m:02d}/{YEAR}", narration=stated)
    else:
        entries = bills(range(1, last + 1), 61000, lambda m: f"Alarm monitoring {m:02d}/{YEAR}, {stated}")
    assert close(entries, last + after) == []


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 9), st.sampled_from(END_FORMATS))
def test_property_a_contract_that_stops_before_its_stated_end_is_missing_its_bills(last, fmt):
    stated = fmt(date(YEAR, 12, 31))
    entries = bills(range(1, last + 1), 61000, lambda m: f"Alarm monitoring {m:02d}/{YEAR}, {stated}")
    found = close(entries, last + 2)
    assert [(f.kind, f.evidence["period"]) for f in found] == [
        ("missing_recurring", f"{YEAR}-{last + 1:02d}"),
        ("missing_recurring", f"{YEAR}-{last + 2:02d}"),
    ]


FEES = 150000


def fees_books(*, missed, billed=True, later=()):
    """Fees accrued at each month end and reversed on the 1st, the firm's bill of the month before on the 10th."""
    entries = []
    for m in range(1, 13):
        end = month_end(YEAR * 12 + m - 1)
        if m != missed:
            entries.append(
                Entry(
                    100 + m,
                    end,
                    1,
                    "general",
                    f"Accrued fees {m:02d}/{YEAR}",
                    (Line(EXPENSE, FEES), Line(ACCRUED, -FEES)),
                )
            )
            if m < 12:
                reversal = (Line(ACCRUED, FEES), Line(EXPENSE, -FEES))
                entries.append(Entry(200 + m, end + timedelta(days=1), 1, "general", f"Reverse fees {m:02d}", reversal))
        if m > 1 and (billed or m != missed + 1):
            bill = (Line(EXPENSE, FEES), Line(PAYABLE, -FEES, 8))
            entries.append(Entry(300 + m, date(YEAR, m, 10), 2, "purchase", f"Firm invoice {m:02d}/{YEAR}", bill))
    return [*entries, *later]


def kinds(findings):
    return [(f.kind, f.evidence.get("period"), bool(f.lines)) for f in findings]


def test_a_missed_accrual_whose_bill_was_expensed_the_month_after_is_not_caught_up_but_reported():
    found = close(fees_books(missed=5), 12)
    assert kinds(found) == [("expensed_later", f"{YEAR}-05", False)]
    assert "twice" in found[0].memo


def test_a_missed_accrual_never_billed_since_is_caught_up_once_and_flagged_for_the_accountant():
    [found] = close(fees_books(missed=5, billed=False), 12)
    assert (found.kind, found.evidence["period"], found.amount) == ("missing_accrual", f"{YEAR}-05", FEES)
    assert found.evidence["catch_up"]["check"], "the accountant is told to look for a later bill"
    assert found.evidence["not_billed_either"]["period"] == f"{YEAR}-06", "the missing bill is the same expense"


def test_a_later_entry_naming_the_missed_month_expensed_it():
    late = Entry(
        900,
        date(YEAR, 9, 3),
        1,
        "general",
        "Consulting fees for May 2026",
        (Line(EXPENSE, 99000), Line(PAYABLE, -99000, 8)),
    )
    found = close(fees_books(missed=5, billed=False, later=[late]), 12)
    assert [(f.kind, f.evidence.get("period")) for f in found if f.lines] == [], [f.memo for f in found]
    assert "Consulting fees for May 2026" in next(f.memo for f in found if f.kind == "expensed_later")


def test_the_closing_months_missed_accrual_is_always_proposed():
    found = close(fees_books(missed=12), 12)
    assert kinds(found) == [("missing_accrual", f"{YEAR}-12", True)]


def test_accruals_with_no_bill_at_all_are_caught_up():
    entries = [e for e in fees_books(missed=5) if e.journal_type != "purchase"]
    assert kinds(close(entries, 12)) == [("missing_accrual", f"{YEAR}-05", True)]


def test_an_unrelated_expense_on_a_shared_account_does_not_cover_a_missed_accrual():
    other = [
        replace(
            e, id=e.id + 1000, ref=f"Rent {e.date.month:02d}", lines=(Line(EXPENSE, 480000), Line(PAYABLE, -480000, 9))
        )
        for e in bills(range(1, 13), 0, str)
    ]
    assert kinds(close(fees_books(missed=5, billed=False, later=other), 12)) == [
        ("missing_accrual", f"{YEAR}-05", True)
    ]
