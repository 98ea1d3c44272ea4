"""Schedules the balances set: depreciation and amortization run until the asset is used up; goods sold were
received first.

A series drawing down a fixed asset or a prepaid expense ends legitimately when what is left of
the balance is less than one more period.  Inventory is the current asset that cost of sales
(``expense_direct_cost``) is credited from; a month with cost of sales and no receipt, or a
month ending with less than nothing in stock, says goods received were never posted.
"""

from collections import defaultdict

from .close_books import SCHEDULE_ASSET_TYPES, month_end, month_index

ENDING_WORDS = ("final", "last", "ended", "ends", "terminat", "fully", "until", "through", "expir", "closing")


def used_up(books, series, amount):
    """The series draws down a schedule asset whose balance after its last entry is below one more period."""
    last = series.entries[-1].date
    for account in series.credit_accounts:
        if books.type_of(account) in SCHEDULE_ASSET_TYPES:
            remaining = books.balance(account, last)
            if 0 <= remaining < amount:
                return True
    return False


def says_it_ended(entries):
    """One of ``entries`` (a series' last, and the entries of its accounts just after) says it was the last."""
    text = " ".join(part for entry in entries for part in (entry.ref, *(line.label for line in entry.lines))).lower()
    return any(word in text for word in ENDING_WORDS)


def inventory_accounts(books, until):
    found = set()
    for entry in books.entries:
        if entry.date <= until and any(books.type_of(a) == "expense_direct_cost" for a in entry.debits()):
            found |= {a for a in entry.credits() if books.type_of(a) == "asset_current"}
    return sorted(found)


def inventory_months(books, account, until):
    """``{month index: (received cents, cost of sales cents, usual receipt credit accounts)}``."""
    months = defaultdict(lambda: [0, 0])
    counterparts = defaultdict(int)
    for entry in books.entries:
        if entry.date > until:
            continue
        index = month_index(entry.date)
        debit = entry.debits().get(account, 0)
        if debit:
            months[index][0] += debit
            for other, cents in entry.credits().items():
                counterparts[other] += cents
        credit = entry.credits().get(account, 0)
        if credit and any(books.type_of(a) == "expense_direct_cost" for a in entry.debits()):
            months[index][1] += credit
    return dict(sorted(months.items())), dict(counterparts)


def receipt_gaps(books, account, period_end):
    """``[(month index, cost of sales cents)]``: months with cost of sales and no receipt, where receipts are
    otherwise monthly (at least three other months have one)."""
    months, _counterparts = inventory_months(books, account, period_end)
    received = [index for index, (cents, _cogs) in months.items() if cents]
    if len(received) < 3:
        return []
    return [
        (index, cogs)
        for index, (cents, cogs) in months.items()
        if cogs and not cents and received[0] < index and month_end(index) <= period_end
    ]


def negative_months(books, account, period_end):
    """``[(month index, balance cents)]``: month ends where the inventory account holds less than nothing."""
    months, _counterparts = inventory_months(books, account, period_end)
    found = []
    for index in months:
        day = min(month_end(index), period_end)
        balance = books.balance(account, day)
        if balance < 0:
            found.append((index, balance))
    return found
