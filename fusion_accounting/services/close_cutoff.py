"""Period cut-off: documents whose service period crosses the period end, and purchases that look like assets.

A bill stating ``2026-12-01 to 2027-02-28`` and booked to expense in December holds two months
of a later period: that part is prepaid.  A bill dated after the period end for a service
period that began before it holds an expense of the closed period: that part is accrued.

>>> service_period("Support contract 2026-12-01 to 2027-02-28")
(datetime.date(2026, 12, 1), datetime.date(2027, 2, 28))
>>> share_after(100000, (date(2026, 12, 1), date(2027, 2, 28)), date(2026, 12, 31))
65556
"""

import re
from datetime import date

_ISO = r"(\d{4})-(\d{2})-(\d{2})"
_RANGE = re.compile(rf"{_ISO}\s*(?:to|-|\u2013|\u2014|through|until|au|\u00e0)\s*{_ISO}", re.IGNORECASE)


def service_period(text):
    """The ``(first day, last day)`` a text states, or None."""
    match = _RANGE.search(text or "")
    if not match:
        return None
    try:
        start = date(*map(int, match.groups()[:3]))
        end = date(*map(int, match.groups()[3:]))
    except ValueError:
        return None
    return (start, end) if start <= end else None


def share_after(cents, period, day):
    """The part of ``cents`` spread evenly over ``period`` that falls after ``day``."""
    start, end = period
    total = (end - start).days + 1
    after = (end - max(day, start - date.resolution)).days
    return round(cents * max(0, min(after, total)) / total)


def crossing(books, period_start, period_end):
    """``[(entry, expense account, cents, period, 'prepaid' | 'accrued', share)]`` of documents across the end."""
    found = []
    for entry in books.entries:
        period = service_period(" ".join([entry.ref, *(line.label for line in entry.lines)]))
        if not period or entry.journal_type != "purchase":
            continue
        for account, cents in sorted(entry.debits().items()):
            if books.type_of(account) != "expense":
                continue
            if period_start <= entry.date <= period_end and period[1] > period_end:
                found.append((entry, account, cents, period, "prepaid", share_after(cents, period, period_end)))
            elif entry.date > period_end and period[0] <= period_end:
                share = cents - share_after(cents, period, period_end)
                found.append((entry, account, cents, period, "accrued", share))
    return [row for row in found if row[5] > 0]


def capitalizable(books, period_start, period_end, threshold, recurring_ids):
    """``[(entry, expense account, cents)]``: one purchase line at or above ``threshold`` on an expense account,
    not part of a recurring series (rent is an expense however large)."""
    if not threshold or threshold <= 0:
        return []
    return [
        (entry, account, cents)
        for entry in books.entries
        if period_start <= entry.date <= period_end
        and entry.journal_type == "purchase"
        and entry.id not in recurring_ids
        for account, cents in sorted(entry.debits().items())
        if books.type_of(account) == "expense" and cents >= threshold
    ]
