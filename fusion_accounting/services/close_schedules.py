"""Schedules the balances set: depreciation and amortization run until the asset is used up; goods sold were
received first.

A series drawing down a fixed asset or a prepaid expense ends legitimately when what is left of
the balance is less than one more period; any series ends legitimately at the end its entries
state ("until 2026-06-30", "ends June 2026", "to 30/06/2026"), or when its last entry says it
was the last.  Inventory is the current asset that cost of sales
(``expense_direct_cost``) is credited from; a month with cost of sales and no receipt, or a
month ending with less than nothing in stock, says goods received were never posted.
"""

import re
from collections import defaultdict
from functools import cache

import dateparser

from .close_books import SCHEDULE_ASSET_TYPES, month_end, month_index

ENDING_WORDS = ("final", "last", "ended", "ends", "terminat", "fully", "until", "through", "expir", "closing")
# A stated end: an ending word, then a date of a month and a year (a day is optional: the month's last).
_END_DATE = re.compile(
    r"\b(?:until|till|through|thru|to|ends?|ending|ended|expir\w*|terminat\w*|jusqu.au)\s+(?:on\s+|in\s+|le\s+)?"
    r"(?P<when>[\w/.\-]+(?:\s+[\w/.\-]+){0,2})",
    re.IGNORECASE,
)
_DATE_SETTINGS = {"PREFER_DAY_OF_MONTH": "last", "REQUIRE_PARTS": ["month", "year"], "DATE_ORDER": "DMY"}


@cache
def _parse_end(words):
    """The date the longest leading part of ``words`` states, with the part read (None: no date)."""
    tokens = words.split()
    for size in range(len(tokens), 0, -1):
        phrase = " ".join(tokens[:size]).strip(".,;:")
        if not re.search(r"\d{4}", phrase):
            continue  # a year must be written: 'to the office' or 'ends soon' is no end date
        parsed = dateparser.parse(phrase, languages=["en", "fr"], settings=_DATE_SETTINGS)
        if parsed:
            return parsed.date(), phrase
    return None


@cache
def stated_ends(text):
    """``(end dates the text states, the text without the phrases stating them)``.

    >>> stated_ends("Office lease until 2026-06-30")
    ((datetime.date(2026, 6, 30),), 'Office lease ')
    >>> stated_ends("Cleaning contract, ends June 2026")[0], stated_ends("Support to 30/06/2026")[0]
    ((datetime.date(2026, 6, 30),), (datetime.date(2026, 6, 30),))
    >>> stated_ends("Payment to supplier, last one")
    ((), 'Payment to supplier, last one')
    """
    found, rest, cursor = [], [], 0
    for match in _END_DATE.finditer(text or ""):
        parsed = _parse_end(match.group("when"))
        if parsed:
            found.append(parsed[0])
            rest.append(text[cursor : match.start()])
            cursor = match.start("when") + match.group("when").find(parsed[1]) + len(parsed[1])
    rest.append((text or "")[cursor:])
    return tuple(found), "".join(rest)


def _text(entry):
    return " ".join(part for part in (entry.ref, entry.narration, *(line.label for line in entry.lines)) if part)


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
    """One of ``entries`` (a series' last, and the entries of its accounts just after) says it was the last.

    An ending word that states a date ('until 2026-12-31') says when, not that this was the last: see
    :func:`ended_by`.
    """
    text = " ".join(stated_ends(_text(entry))[1] for entry in entries).lower()
    return any(word in text for word in ENDING_WORDS)


def ended_by(entries, day):
    """The latest end date ``entries`` state is on or before ``day`` (a contract that ran its term)."""
    stated = [end for entry in entries for end in stated_ends(_text(entry))[0]]
    return bool(stated) and max(stated) <= day


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
