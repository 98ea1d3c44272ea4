"""Accrual lifecycle: an expense accrued at a period end on a liability account, released when it is paid.

An accrual is a general-journal entry debiting only expense accounts and crediting a liability;
its release is a later debit of that liability (the reversal, or the bill booked against it).
An accrual never released leaves the expense counted twice (the accrual and the bill); a
release with no accrual takes an expense away that was never added.

Payroll paid before the month end is accrued for the days after the last pay date: such an
accrual follows ``pay x days after / days in month`` with one ratio, which predicts a missing one.

An accrual missed months ago is often no longer missing: the bill it anticipated was expensed
when it came (and, the accrual being absent, nothing reversed it).  A catch-up then counts the
expense twice; it is proposed only when no later entry names the period and the series' expense
over the period and the two after is short of one period.

>>> names_month("Consulting - Aug 2025", 2025 * 12 + 7), names_month("Consulting 09/2025", 2025 * 12 + 7)
(True, False)
"""

import re
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from .close_books import EXPENSE_TYPES, days_in_month, month_end, month_index
from .close_cutoff import service_period
from .close_series import near

RELEASE_WINDOW = timedelta(days=62)  # a release is looked for this long after its accrual
RELEASE_DUE = timedelta(days=45)  # past this, an accrual not released is a finding
PAYROLL_FIT = 0.01
ACCRUAL_ACCOUNT_TYPES = ("liability_current", "liability_non_current")


@dataclass(frozen=True)
class Accrual:
    entry: object
    account_id: int
    amount: int
    expenses: dict  # expense account id -> cents debited


@dataclass(frozen=True)
class Release:
    entry: object
    account_id: int
    amount: int
    expenses: dict  # expense account id -> cents credited back (empty: paid by a bill)


def _is_accrual(books, entry):
    """Expenses against one liability in a general journal (a pay run, crediting several, is not one)."""
    debits, credits = entry.debits(), entry.credits()
    return (
        entry.journal_type == "general"
        and debits
        and all(books.type_of(a) in EXPENSE_TYPES for a in debits)
        and len(credits) == 1
        and books.type_of(next(iter(credits))) in ACCRUAL_ACCOUNT_TYPES
    )


def accruals(books, until):
    found = []
    for entry in books.entries:
        if entry.date <= until and _is_accrual(books, entry):
            for account, cents in sorted(entry.credits().items()):
                if books.type_of(account) in ACCRUAL_ACCOUNT_TYPES:
                    found.append(Accrual(entry, account, cents, entry.debits()))
    return sorted(found, key=lambda a: (a.entry.date, a.entry.id, a.account_id))


def accrual_accounts(books, until):
    return sorted({a.account_id for a in accruals(books, until)})


def releases(books, accounts, until):
    found = []
    for entry in books.entries:
        if entry.date > until:
            continue
        credits = {a: c for a, c in entry.credits().items() if books.type_of(a) in EXPENSE_TYPES}
        for account, cents in sorted(entry.debits().items()):
            if account in accounts:
                found.append(Release(entry, account, cents, credits))
    return sorted(found, key=lambda r: (r.entry.date, r.entry.id, r.account_id))


def match(accrued, released):
    """``(pairs, unreleased accruals, releases without accrual)``.

    Each release (oldest first) releases the latest accrual before it on its account: the same
    amount first, then one within 10% (a bill booked against the accrual).
    """
    pairs, open_accruals, orphans = [], list(accrued), []
    for release in released:
        window = [
            a
            for a in open_accruals
            if a.account_id == release.account_id and a.entry.date < release.entry.date <= a.entry.date + RELEASE_WINDOW
        ]
        chosen = next((a for a in reversed(window) if a.amount == release.amount), None) or next(
            (a for a in reversed(window) if near(a.amount, release.amount, 0.1)), None
        )
        if chosen:
            open_accruals.remove(chosen)
            pairs.append((chosen, release))
        else:
            orphans.append(release)
    return pairs, open_accruals, orphans


def lifecycle(books, window_start, period_end):
    """``(unreleased, orphan releases)`` worth a finding at ``period_end``.

    Only accounts whose accruals are released as a rule are judged, and only once a release is due;
    a release early in the window may release an accrual from before it (the opening balance).
    """
    accrued = accruals(books, period_end)
    accounts = {a.account_id for a in accrued}
    pairs, unmatched, orphans = match(accrued, releases(books, accounts, period_end))
    practised = {accrual.account_id for accrual, _release in pairs}
    unreleased = [a for a in unmatched if a.account_id in practised and a.entry.date + RELEASE_DUE <= period_end]
    orphan_releases = [
        r for r in orphans if r.expenses and r.account_id in practised and r.entry.date >= window_start + RELEASE_WINDOW
    ]
    return unreleased, orphan_releases


def _span(pay, index):
    """The days one pay covers: the month for a monthly payroll, else its step (7 or 14 days)."""
    return days_in_month(index) if pay.cadence == "monthly" else pay.step


def _cutoff(pay, paid, ratio, index):
    if index not in paid:
        return None
    day, amount = paid[index]
    return round(ratio * amount * (days_in_month(index) - day) / _span(pay, index))


def _pay_ratio(accrued, pay, wages):
    """``(ratio, {month: (last pay day, its pay)})`` when every accrual is ``ratio x pay x days after / days``."""
    # The entries are in date order: each month keeps its last pay date.
    paid = {month_index(entry.date): (entry.date.day, entry.debits()[wages]) for entry in pay.entries}
    ratios = []
    for index, cents in accrued.items():
        if index in paid:
            day, amount = paid[index]
            after = days_in_month(index) - day
            if after > 0 and amount > 0:
                ratios.append(cents / (amount * after / _span(pay, index)))
    if len(ratios) >= 3 and all(near(r, statistics.median(ratios), PAYROLL_FIT) for r in ratios):
        return statistics.median(ratios), paid
    return None


def payroll_model(accrual_series, all_series):
    """``month index -> expected cents`` when ``accrual_series`` accrues the days after a pay date, else None."""
    wages = min(accrual_series.debit_accounts, default=None)
    if wages is None:
        return None
    accrued = {month_index(e.date): e.debits().get(wages, 0) for e in accrual_series.entries}
    for pay in all_series:
        if pay is accrual_series or wages not in pay.debit_accounts or pay.cadence == "quarterly":
            continue
        if pay.entries[0].journal_type in ("purchase", "sale"):
            continue  # a vendor's bill is no pay run, however well its date fits
        fitted = _pay_ratio(accrued, pay, wages)
        if fitted:
            return partial(_cutoff, pay, fitted[1], fitted[0])
    return None


BILL_FIT = 0.1  # a bill within 10% of the accrued amount is the bill the accrual anticipated
COVER_PERIODS = 3  # a missed accrual's bill is looked for in its period and the two after


def names_month(text, index):
    """``text`` names the month ``index`` ('August 2025', 'Aug-2025', '2025-08', '08/2025') or a service period
    holding it."""
    year, month = divmod(index, 12)
    month += 1
    name = date(2000, month, 1).strftime("%B").lower()
    numeric = rf"(?<!\d)(?:{year}[-/.]?0?{month}|0?{month}[-/.]{year})(?!\d)"
    named = rf"\b(?:{name}|{name[:3]})\w*\.?[\s,\-/]*{year}\b"
    if re.search(numeric, text or "") or re.search(named, text or "", re.IGNORECASE):
        return True
    period = service_period(text)
    return bool(period) and period[0] <= month_end(index) and period[1] >= date(year, month, 1)


def expensed_later(books, series, period, until):
    """Entries after ``period``, until ``until``, debiting the series' expense accounts and naming its month."""
    index, due = series.month_of(period), series.period_due(period)
    own = {entry.id for entry in series.entries}
    return [
        entry
        for entry in books.entries
        if due < entry.date <= until
        and entry.id not in own
        and set(entry.debits()) & series.debit_accounts
        and names_month(" ".join([entry.ref, entry.narration, *(line.label for line in entry.lines)]), index)
    ]


def covered(books, series, period, gaps, until):
    """``(booked, expected)`` cents of the series' expense over ``period`` and the next ones (``COVER_PERIODS``).

    Booked: the series' own debits, less the releases crediting them back, plus the bills of about
    the accrued amount debited to the same accounts (the bills the accruals anticipate; an unrelated
    expense on a shared account is of another amount).  Expected: the series' amount of each period
    there but ``period`` itself, other gaps left out: the period is covered when ``booked`` holds
    about one more period than that.
    """
    last = min(series.period_of(until), period + COVER_PERIODS - 1)
    first_day, last_day = series.period_due(period - 1) + timedelta(days=1), min(series.period_due(last), until)
    expenses = {a for a in series.debit_accounts if books.type_of(a) in EXPENSE_TYPES}
    own = {entry.id for entry in series.entries}
    typical = statistics.median(series.amounts.values())
    booked = 0
    for entry in books.entries:
        if not first_day <= entry.date <= last_day:
            continue
        debit = sum(cents for account, cents in entry.debits().items() if account in expenses)
        credit = sum(cents for account, cents in entry.credits().items() if account in expenses)
        if entry.id in own:
            booked += debit
        elif credit and set(entry.debits()) & series.credit_accounts:
            booked -= credit
        elif debit and near(debit, typical, BILL_FIT):
            booked += debit
    expected = sum(series.amounts.get(p, 0) for p in range(period + 1, last + 1) if p not in gaps)
    return booked, expected
