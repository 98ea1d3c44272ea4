"""The demo company's monthly closing entries, and three closing errors planted among them (issue 21).

The van is depreciated straight on its asset account, the insurance paid upfront is
expensed monthly, and professional fees are accrued at each month end and reversed on the
1st.  Three errors sit in months of the fiscal year being closed: one month's depreciation
skipped, one month's fee accrual missing (and so its reversal), and one accrual never
reversed.  The draws come from their own ``random.Random`` so that the rest of the plan stays
what it was.

>>> from datetime import date
>>> entries, gaps = plan_close(date(2025, 4, 1), date(2026, 3, 31), 7, iter(range(1, 10**6)).__next__)
>>> sorted(gap.kind for gap in gaps)
['missing_accrual', 'missing_depreciation', 'unreleased_accrual']
>>> all(sum(line.balance for line in entry.lines) == 0 for entry in entries)
True
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from .model import Entry, EntryLine

SEED_OFFSET = 2100
VAN_COST = 42_000_00


@dataclass(frozen=True)
class CloseGap:
    """A planted closing error and the adjustment that fixes it (roles of ``chart.ACCOUNTS``, cents)."""

    kind: str
    month: str  # YYYY-MM
    debit: str
    credit: str
    amount: int


def _month_end(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _whole_months(start, today):
    day = start
    while _month_end(day) <= today:
        yield day
        day = _month_end(day) + timedelta(days=1)


def _entry(key, day, ref, debit, credit, *, amount):
    lines = (EntryLine(debit, amount, label=ref), EntryLine(credit, -amount, label=ref))
    return Entry(key, "misc", day, ref, lines, "close")


def _gap_months(rng, months):
    """Months of the last fiscal year (not the first of the series) for the three errors, or {}."""
    this_year = [m for m in months[1:] if m.year == months[-1].year]
    releasable = [m for m in this_year if _month_end(m) + timedelta(days=45) <= _month_end(months[-1])]
    if not releasable or len(this_year) < 2:
        return {}
    unreleased = rng.choice(releasable)
    others = [m for m in this_year if m != unreleased] or this_year
    return {
        "unreleased_accrual": unreleased,
        "missing_depreciation": rng.choice(others),
        "missing_accrual": rng.choice(others),
    }


def plan_close(start, today, seed, next_key):
    """``(entries, gaps)``: the closing entries of every whole month from ``start`` to ``today``."""
    rng = random.Random(seed + SEED_OFFSET)
    months = list(_whole_months(start, today))
    if not months:
        return [], []
    depreciation, insurance, fees = (
        rng.randint(600, 900) * 100,
        rng.randint(200, 400) * 100,
        rng.randint(12, 20) * 10000,
    )
    skip = _gap_months(rng, months)
    entries = [
        _entry(next_key(), start, "Delivery van", "van", "opening_equity", amount=VAN_COST),
        _entry(
            next_key(), start, "Insurance policy", "prepaid_insurance", "opening_equity", amount=insurance * len(months)
        ),
    ]
    for month in months:
        end, tag = _month_end(month), f"{month:%b %Y}"
        if skip.get("missing_depreciation") != month:
            entries.append(
                _entry(next_key(), end, f"Van depreciation {tag}", "depreciation", "van", amount=depreciation)
            )
        entries.append(
            _entry(next_key(), end, f"Insurance expensed {tag}", "insurance", "prepaid_insurance", amount=insurance)
        )
        if skip.get("missing_accrual") == month:
            continue
        entries.append(
            _entry(
                next_key(),
                end,
                f"Accrued professional fees {tag}",
                "professional_fees",
                "accrued_liabilities",
                amount=fees,
            )
        )
        reversal = end + timedelta(days=1)
        if reversal <= today and skip.get("unreleased_accrual") != month:
            entries.append(
                _entry(
                    next_key(),
                    reversal,
                    f"Reversal of accrued fees {tag}",
                    "accrued_liabilities",
                    "professional_fees",
                    amount=fees,
                )
            )
    amounts = {"missing_depreciation": ("depreciation", "van", depreciation)}
    amounts["missing_accrual"] = ("professional_fees", "accrued_liabilities", fees)
    amounts["unreleased_accrual"] = ("accrued_liabilities", "professional_fees", fees)
    gaps = [CloseGap(kind, f"{month:%Y-%m}", *amounts[kind]) for kind, month in sorted(skip.items())]
    return entries, gaps
