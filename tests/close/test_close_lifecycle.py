"""Accruals and their releases, inventory receipts, cut-off across the period end, purchases that are assets."""

from datetime import date, timedelta

import pytest

from fusion_accounting.services.close_books import (
    Account,
    Books,
    Entry,
    Line,
    balanced,
    label_pattern,
    month_end,
    month_index,
)
from fusion_accounting.services.close_cutoff import service_period
from fusion_accounting.services.close_review import review_close, substantive

YEAR = 2026
FEES, ACCRUED, PAYABLE, COGS, STOCK, PREPAID, FIXED, BANK = 1, 2, 3, 4, 5, 6, 7, 8
ACCOUNTS = {
    FEES: Account(FEES, "a", "expense"),
    ACCRUED: Account(ACCRUED, "b", "liability_current"),
    PAYABLE: Account(PAYABLE, "c", "liability_payable"),
    COGS: Account(COGS, "d", "expense_direct_cost"),
    STOCK: Account(STOCK, "e", "asset_current"),
    PREPAID: Account(PREPAID, "f", "asset_prepayments"),
    FIXED: Account(FIXED, "g", "asset_fixed"),
    BANK: Account(BANK, "h", "asset_cash"),
}
END = date(YEAR, 12, 31)


def entry(number, day, ref, debit, credit, amount, journal="general"):  # noqa: PLR0917 (an entry in one line)
    return Entry(
        number, day, 1 if journal == "general" else 2, journal, ref, (Line(debit, amount), Line(credit, -amount))
    )


def accruals(months, released, amount=50000):
    rows = []
    for m in months:
        end = month_end(YEAR * 12 + m - 1)
        rows.append(entry(m, end, f"Accrued fees {m}", FEES, ACCRUED, amount))
        if m in released:
            rows.append(entry(100 + m, end + timedelta(days=1), f"Reverse fees {m}", ACCRUED, FEES, amount))
    return rows


def review(entries, opening=None, **options):
    return review_close(Books(ACCOUNTS, tuple(entries), opening or {}), END.replace(day=1), END, **options)


def kinds(findings):
    return [(f.kind, f.evidence.get("period") or f.evidence.get("date")) for f in findings]


def test_an_accrual_never_released_is_taken_back_from_the_expense_counted_twice():
    months = range(1, 13)
    findings = review(accruals(months, released=set(range(1, 12)) - {5}))
    assert kinds(findings) == [("unreleased_accrual", f"{YEAR}-05-31")]
    [finding] = findings
    assert {(x.account_id, x.debit, x.credit) for x in finding.lines} == {(ACCRUED, 50000, 0), (FEES, 0, 50000)}
    assert substantive(finding)


def test_the_last_accrual_is_not_due_and_accruals_never_released_as_a_rule_are_not_judged():
    assert review(accruals(range(1, 13), released=set(range(1, 12)))) == []
    assert review(accruals(range(1, 13), released=set())) == []


def test_a_release_with_no_accrual_gives_the_expense_back():
    rows = accruals(range(1, 13), released=set(range(1, 12)))
    rows.append(entry(900, date(YEAR, 7, 15), "Reverse fees again", ACCRUED, FEES, 31000))
    findings = review(rows)
    assert kinds(findings) == [("release_without_accrual", f"{YEAR}-07-15")]
    assert {(x.account_id, x.debit, x.credit) for x in findings[0].lines} == {(FEES, 31000, 0), (ACCRUED, 0, 31000)}


def stock_books(skip=None, receipts=300000):
    rows = []
    for m in range(1, 13):
        if m != skip:
            rows.append(entry(m, date(YEAR, m, 5), f"Goods {m}", STOCK, PAYABLE, receipts, "purchase"))
        rows.append(entry(100 + m, month_end(YEAR * 12 + m - 1), f"COGS {m}", COGS, STOCK, 280000 + 1000 * (m % 3)))
    return rows


def test_a_month_with_cost_of_sales_and_no_receipt_is_goods_received_never_posted():
    findings = review(stock_books(skip=9), {STOCK: 500000})
    assert kinds(findings) == [("missing_receipt", f"{YEAR}-09")]
    assert {(x.account_id, x.debit) for x in findings[0].lines if x.debit} == {(STOCK, 300000)}


def test_inventory_below_nothing_is_flagged_for_review_when_no_missing_receipt_explains_it():
    findings = review(stock_books(receipts=200000), {STOCK: 0})
    assert {f.kind for f in findings} == {"negative_inventory"}
    assert all(not f.lines and not substantive(f) for f in findings)


def test_a_bill_for_a_service_period_past_the_period_end_is_partly_prepaid():
    bill = entry(1, date(YEAR, 12, 10), "Support 2026-12-01 to 2027-02-28", FEES, PAYABLE, 90000, "purchase")
    used = entry(2, date(YEAR, 1, 3), "Policy", PREPAID, BANK, 1000)
    [finding] = review([bill, used])
    assert finding.kind == "cutoff_prepaid"
    assert {(x.account_id, x.debit, x.credit) for x in finding.lines} == {(PREPAID, 59000, 0), (FEES, 0, 59000)}


def test_a_bill_dated_after_the_period_end_for_a_service_before_it_is_partly_accrued():
    bill = entry(1, date(YEAR + 1, 1, 8), "Cleaning 2026-12-01 to 2027-01-31", FEES, PAYABLE, 62000, "purchase")
    [finding] = review([bill])
    assert finding.kind == "cutoff_accrued"
    assert {(x.account_id, x.debit, x.credit) for x in finding.lines} == {(FEES, 31000, 0), (ACCRUED, 0, 31000)}


def test_a_purchase_above_the_capitalization_threshold_is_proposed_as_an_asset_only_when_the_setting_is_on():
    laptop = entry(1, date(YEAR, 12, 4), "Server", FEES, PAYABLE, 750000, "purchase")
    owned = entry(2, date(YEAR, 2, 1), "Truck", FIXED, BANK, 100)
    assert review([laptop, owned]) == []
    [finding] = review([laptop, owned], capitalization_threshold=500000)
    assert finding.kind == "capitalizable_expense"
    assert {(x.account_id, x.debit, x.credit) for x in finding.lines} == {(FIXED, 750000, 0), (FEES, 0, 750000)}
    assert balanced(finding.lines)


def test_findings_of_an_earlier_fiscal_year_are_left_out():
    rows = accruals(range(1, 13), released=set(range(1, 12)) - {2})
    assert kinds(review(rows, report_from=date(YEAR, 1, 1))) == [("unreleased_accrual", f"{YEAR}-02-28")]
    assert review(rows, report_from=date(YEAR, 6, 1)) == []


def test_an_adjusting_entry_of_the_close_is_not_bookkeeping_to_learn_from():
    rows = accruals(range(1, 13), released=set(range(1, 12)) - {5})
    catch_up = Entry(999, END, 1, "general", "x", (Line(ACCRUED, 50000), Line(FEES, -50000)), adjustment_key="k")
    assert kinds(review([*rows, catch_up])) == [("unreleased_accrual", f"{YEAR}-05-31")]


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Support 2026-12-01 to 2027-02-28", (date(2026, 12, 1), date(2027, 2, 28))),
        ("Licence 2026-01-01 - 2026-12-31", (date(2026, 1, 1), date(2026, 12, 31))),
        ("Backwards 2027-01-01 to 2026-01-01", None),
        ("Impossible 2026-02-30 to 2026-03-31", None),
        ("No dates at all", None),
        ("", None),
        (None, None),
    ],
)
def test_service_periods_read_from_labels(text, period):
    assert service_period(text) == period


@pytest.mark.parametrize(
    ("label", "pattern"),
    [
        ("Depreciation Jan 2026", "depreciation"),
        ("Depreciation 01/2026", "depreciation"),
        ("DEPRECIATION-202601", "depreciation"),
        ("Rent - March", "rent"),
        ("", ""),
    ],
)
def test_label_patterns_drop_dates_numbers_and_punctuation(label, pattern):
    assert label_pattern(label) == pattern


def test_a_missing_payroll_cut_off_is_the_days_after_the_last_weekly_pay_date():
    wages = 9
    accounts = {**ACCOUNTS, wages: Account(wages, "w", "expense")}
    rows, pays = [], {}
    day = date(YEAR, 1, 2)
    while day <= END:
        rows.append(entry(len(rows) + 1, day, "Weekly pay", wages, BANK, 700000))
        pays[month_index(day)] = day
        day += timedelta(days=7)
    for index, last in sorted(pays.items()):
        if index == YEAR * 12 + 7:  # August's cut-off is missing
            continue
        cutoff = round(700000 * (month_end(index).day - last.day) / 7)
        if cutoff:
            rows.append(entry(len(rows) + 1, month_end(index), "Wages accrued", wages, ACCRUED, cutoff))
    findings = review_close(Books(accounts, tuple(rows), {}), END.replace(day=1), END)
    august = YEAR * 12 + 7
    expected = round(700000 * (month_end(august).day - pays[august].day) / 7)
    assert expected
    assert [(f.kind, f.evidence["period"], f.amount) for f in findings] == [("payroll_cutoff", f"{YEAR}-08", expected)]
