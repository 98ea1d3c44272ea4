"""Whether a job-fed figure can be trusted today: a card never looks good because its job has not run.

The audit stores its findings when it runs; between runs the dashboard shows
what it stored.  That is fine within the job's period (a daily audit checked
yesterday), not when the job never ran for a company or is overdue.

>>> from datetime import date
>>> today = date(2026, 3, 20)
>>> freshness([date(2026, 3, 19)], today, period_days=1)
Freshness(stale=False, checked_on=datetime.date(2026, 3, 19), never_checked=False)
>>> freshness([date(2026, 3, 17)], today, period_days=1).stale
True
>>> freshness([date(2026, 3, 19), None], today, period_days=7)
Freshness(stale=True, checked_on=None, never_checked=True)
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Freshness:
    stale: bool
    # The oldest check among the companies; None when one of them was never checked.
    checked_on: date | None
    never_checked: bool


def freshness(checked_on_by_company, today, period_days):
    """Stale when a company was never checked or its last check is older than ``period_days`` before ``today``.

    No company at all is stale too: nothing was checked.
    """
    dates = list(checked_on_by_company)
    if not dates or any(day is None for day in dates):
        return Freshness(stale=True, checked_on=None, never_checked=True)
    oldest = min(dates)
    return Freshness(stale=(today - oldest).days > max(period_days, 0), checked_on=oldest, never_checked=False)
