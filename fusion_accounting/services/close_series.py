"""Recurring bookkeeping: posted entries grouped into series, their cadence and amounts, and what breaks them.

A series is the entries of one journal, partner, pair of account sets and label pattern
('Depreciation Jan 2026' and 'Depreciation Feb 2026' are one pattern).  Its cadence
(weekly, biweekly, monthly, quarterly) comes from the days between entries; its periods
are then counted in that cadence, so a gap is a period with no entry between two with one.

>>> from .close_books import Entry, Line
>>> def dep(m, amount=50000):
...     return Entry(m, date(2026, m, 28), 1, "general", f"Depreciation {m}/2026", (Line(8, amount), Line(5, -amount)))
>>> [series] = find_series([dep(m) for m in (1, 2, 3, 5, 6)], date(2026, 6, 30))
>>> series.cadence, series.behaviour, [series.period_label(p) for p, _trailing in series.gaps(date(2026, 7, 31))]
('monthly', 'fixed', ['2026-04', '2026-07'])
>>> series.estimate(3)
(50000, 0.95)
"""

import hashlib
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from itertools import pairwise

from .close_books import label_pattern, month_index, month_label

MIN_PERIODS = 3
VARIABLE_MIN_PERIODS = 6
# A series may miss at most this many periods in a row; longer silences are not one series.
MAX_GAP = 3
NEAR = 0.005  # two amounts within 0.5% are the same amount
TREND_FIT = 0.03  # a trending series' points all sit within 3% of its straight line
OUTLIER = 0.25
CADENCES = (("weekly", 7, 0, 10), ("biweekly", 14, 10, 20), ("monthly", 1, 20, 45), ("quarterly", 3, 70, 110))


def near(a, b, tolerance=NEAR):
    return abs(a - b) <= tolerance * max(abs(a), abs(b), 1)


def _main(amounts):
    """The account carrying the most of one side (None when the side is empty)."""
    return max(amounts, key=lambda account: (amounts[account], -account), default=None)


def series_key(entry):
    """What makes entries one series.  Each side is named by its main account: a pay run whose EI stops at
    the yearly maximum (one line fewer) is still the same pay run."""
    return (
        entry.journal_id,
        entry.partner_id,
        _main(entry.debits()),
        _main(entry.credits()),
        label_pattern(entry.ref or next((line.label for line in entry.lines), "")),
    )


def _cadence(entries):
    days = sorted({entry.date for entry in entries})
    if len(days) < MIN_PERIODS:
        return None
    median = statistics.median_low((b - a).days for a, b in pairwise(days))
    return next(((name, step) for name, step, low, high in CADENCES if low < median <= high), None)


@dataclass(frozen=True, eq=False)
class Series:
    key: tuple
    cadence: str
    step: int  # months (monthly, quarterly) or days (weekly, biweekly)
    entries: tuple  # sorted by date, id

    @cached_property
    def debit_accounts(self):
        return frozenset(account for entry in self.entries for account in entry.debits())

    @cached_property
    def credit_accounts(self):
        return frozenset(account for entry in self.entries for account in entry.credits())

    @property
    def pattern(self):
        return self.key[4]

    @cached_property
    def identity(self):
        """Short and stable whatever window the series was read in: what it is, not where it starts."""
        journal, partner, debits, credits, pattern = self.key
        text = f"{journal}|{partner}|{debits}|{credits}|{pattern}|{self.cadence}"
        return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:10]

    @property
    def _by_months(self):
        return self.cadence in ("monthly", "quarterly")

    @cached_property
    def _origin(self):
        first = self.entries[0].date
        return month_index(first) if self._by_months else first.toordinal()

    def period_of(self, day):
        if self._by_months:
            return (month_index(day) - self._origin) // self.step
        return round((day.toordinal() - self._origin) / self.step)

    def period_label(self, period):
        if self._by_months:
            return month_label(self._origin + period * self.step)
        return date.fromordinal(self._origin + period * self.step).isoformat()

    def period_due(self, period):
        """The last day an entry of ``period`` is expected by."""
        if self._by_months:
            index = self._origin + (period + 1) * self.step
            return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)
        return date.fromordinal(self._origin + period * self.step + 2)

    @cached_property
    def periods(self):
        grouped = defaultdict(list)
        for entry in self.entries:
            grouped[self.period_of(entry.date)].append(entry)
        return dict(sorted(grouped.items()))

    @cached_property
    def amounts(self):
        """Per period with entries, the typical amount of one entry (the median when doubled)."""
        return {p: int(statistics.median(e.amount for e in entries)) for p, entries in self.periods.items()}

    @cached_property
    def regular(self):
        points = list(self.periods)
        if len(points) < MIN_PERIODS:
            return False
        diffs = [b - a for a, b in pairwise(points)]
        return max(diffs) <= MAX_GAP and sum(d == 1 for d in diffs) >= 0.5 * len(diffs)

    @cached_property
    def dependable(self):
        """Regular enough to say a period is missing: any regular series of one amount (or a straight line);
        a varying one (office supplies, utilities) only when long and nearly unbroken."""
        if self.behaviour != "variable":
            return self.regular
        points = list(self.periods)
        diffs = [b - a for a, b in pairwise(points)]
        return len(points) >= VARIABLE_MIN_PERIODS and sum(d == 1 for d in diffs) >= 0.8 * len(diffs)

    @cached_property
    def _line(self):
        xs, ys = list(self.amounts), list(self.amounts.values())
        if len(xs) < MIN_PERIODS:
            return None
        mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
        spread = sum((x - mean_x) ** 2 for x in xs)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread if spread else 0.0
        return slope, mean_y - slope * mean_x

    def _fit(self, period):
        slope, intercept = self._line
        return slope * period + intercept

    @cached_property
    def behaviour(self):
        values = list(self.amounts.values())
        middle = statistics.median(values)
        if all(near(v, middle) for v in values):
            return "fixed"
        if self._line and all(near(y, self._fit(x), TREND_FIT) for x, y in self.amounts.items()):
            return "trending"
        return "variable"

    def _neighbours(self, period):
        before = [p for p in self.amounts if p < period]
        after = [p for p in self.amounts if p > period]
        return (before[-1] if before else None), (after[0] if after else None)

    def estimate(self, period):
        """``(cents, confidence)`` expected for ``period`` from the series around it."""
        before, after = self._neighbours(period)
        amounts = self.amounts
        if before is not None and after is not None:
            if near(amounts[before], amounts[after]):
                return amounts[before], 0.95
            if self.behaviour == "trending":
                return round(self._fit(period)), 0.85
            later = [amounts[p] for p in amounts if p > period][:2]
            if len(later) == 2 and near(*later):
                return later[0], 0.6  # a new fixed amount from the gap on (a rent raise): the one in force now
            return round((amounts[before] + amounts[after]) / 2), 0.6
        last = [amounts[p] for p in list(amounts)[-3:]]
        if all(near(v, last[-1]) for v in last):
            return last[-1], 0.9
        if self.behaviour == "trending":
            return round(self._fit(period)), 0.8
        return round(statistics.median(last)), 0.55

    def _late(self, first_missing, last_missing):
        """A gap next to a period holding as many extra entries: posted late or early, not missing."""
        missing = last_missing - first_missing + 1
        return sum(self._moved(p) for p in (first_missing - 1, last_missing + 1)) >= missing

    def _moved(self, period):
        """Entries of ``period`` beyond the first that name another document: the same reference twice is a copy."""
        return max(0, len({e.document or e.ref for e in self.periods.get(period, ())}) - 1)

    def month_of(self, period):
        """The month index a period of a monthly or quarterly series starts in."""
        return self._origin + period * self.step

    def gaps(self, closing_day):
        """``[(period, trailing)]``: periods with no entry between the first and ``closing_day``.

        ``trailing`` periods come after the last entry (the series stopped, or the closing month is missing).
        """
        points = list(self.periods)
        found = []
        for a, b in pairwise(points):
            if b - a > 1 and not self._late(a + 1, b - 1):
                found += [(p, False) for p in range(a + 1, b)]
        period = points[-1] + 1
        while self.period_due(period) <= closing_day:
            found.append((period, True))
            period += 1
        return found

    def duplicates(self):
        """``[(period, extra entries)]``: periods holding more than one entry of the amount around them."""
        found = []
        for period, entries in self.periods.items():
            if len(entries) < 2 or (self._moved(period) and self._next_to_gap(period)):
                continue
            first = entries[0].amount
            around = [self.amounts[p] for p in self._neighbours(period) if p is not None]
            if all(near(e.amount, first) for e in entries) and any(near(first, a) for a in around):
                found.append((period, entries[1:]))
        return found

    def _next_to_gap(self, period):
        first, last = next(iter(self.periods)), next(reversed(self.periods))
        return (first <= period - 1 and period - 1 not in self.periods) or (
            period + 1 <= last and period + 1 not in self.periods
        )

    def outliers(self, model=None):
        """``[(period, entry, expected)]``: an amount far from equal amounts on both sides of it, or from what
        ``model(period)`` expects when the series follows one."""
        found = []
        for period, entries in self.periods.items():
            if len(entries) != 1:
                continue
            before, after = self._neighbours(period)
            if model:
                expected = model(period)
            elif before is not None and after is not None and near(self.amounts[before], self.amounts[after]):
                expected = self.amounts[before]
                if sum(near(a, expected) for a in self.amounts.values()) < max(3, len(self.amounts) // 2):
                    continue  # two equal neighbours by chance in a varying series
            else:
                continue
            if expected and not near(entries[0].amount, expected, OUTLIER):
                found.append((period, entries[0], expected))
        return found


def find_series(entries, until):
    """Regular series among ``entries`` dated on or before ``until``, in a stable order."""
    groups = defaultdict(list)
    for entry in entries:
        if entry.date <= until and entry.amount > 0 and not entry.adjustment_key:
            groups[series_key(entry)].append(entry)
    found = []
    for key, members in groups.items():
        members.sort(key=lambda e: (e.date, e.id))
        cadence = _cadence(members)
        if not cadence:
            continue
        series = Series(key, cadence[0], cadence[1], tuple(members))
        if series.regular:
            found.append(series)
    return sorted(found, key=lambda s: (s.entries[0].date, s.entries[0].id))
