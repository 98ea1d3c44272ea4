"""The collections dashboard's figures from plain values: promises, disputes, DSO, 90+ share, cash after follow-ups.

* **DSO** (days sales outstanding) = open receivables / credit sales of the last
  ``window`` days x ``window`` (none when nothing was sold);
* the **at-risk share** is the part of the open receivables more than 90 days past due;
* **promises due this week** are the open promises dated today to six days on;
  **broken** ones are those found broken in the last 30 days.

>>> from datetime import date
>>> summary = summarize_collections(CollectionsInputs(
...     today=date(2025, 6, 30), receivable=Decimal("30000"), over_90=Decimal("6000"),
...     sales=Decimal("90000"), window_days=90, promises=(PromiseRow(date(2025, 7, 2), Decimal("500"), "open"),),
...     open_disputes=2, disputed_amount=Decimal("800"), collected_after_followup=Decimal("1200")))
>>> summary.dso_days, summary.at_risk_share, summary.promises_due_this_week, summary.promised_this_week
(30.0, 0.2, 1, Decimal('500'))
"""

import dataclasses
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

AT_RISK_DAYS = 90
WEEK_DAYS = 7
BROKEN_LOOKBACK_DAYS = 30
COLLECTED_AFTER_DAYS = 14  # a payment this many days after a follow-up counts as collected by it


@dataclass(frozen=True)
class PromiseRow:
    promised_date: date
    amount: Decimal
    state: str  # open / kept / broken
    closed_on: date | None = None


@dataclass(frozen=True)
class CollectionsInputs:
    today: date
    receivable: Decimal  # open receivables of the company (signed)
    over_90: Decimal  # the part of it more than AT_RISK_DAYS past due
    sales: Decimal  # customer invoices of the last window_days
    window_days: int
    promises: Sequence[PromiseRow]
    open_disputes: int
    disputed_amount: Decimal
    collected_after_followup: Decimal


@dataclass(frozen=True)
class CollectionsSummary:
    promises_due_this_week: int
    promised_this_week: Decimal
    broken_promises: int
    open_disputes: int
    disputed_amount: Decimal
    dso_days: float | None
    at_risk_share: float | None
    collected_after_followup: Decimal

    def to_dict(self) -> dict:
        """JSON-ready: amounts as strings (no precision lost on the wire)."""
        return {key: str(value) if isinstance(value, Decimal) else value for key, value in asdict(self).items()}


def summarize_collections(inputs: CollectionsInputs) -> CollectionsSummary:
    today = inputs.today
    week_end = today + timedelta(days=WEEK_DAYS - 1)
    due = [row for row in inputs.promises if row.state == "open" and today <= row.promised_date <= week_end]
    since = today - timedelta(days=BROKEN_LOOKBACK_DAYS)
    broken = [row for row in inputs.promises if row.state == "broken" and (row.closed_on or row.promised_date) >= since]
    receivable = max(inputs.receivable, Decimal(0))
    dso = round(float(receivable / inputs.sales) * inputs.window_days, 1) if inputs.sales > 0 else None
    share = round(float(max(inputs.over_90, Decimal(0)) / receivable), 4) if receivable > 0 else None
    return CollectionsSummary(
        promises_due_this_week=len(due),
        promised_this_week=sum((row.amount for row in due), Decimal(0)),
        broken_promises=len(broken),
        open_disputes=inputs.open_disputes,
        disputed_amount=inputs.disputed_amount,
        dso_days=dso,
        at_risk_share=share,
        collected_after_followup=inputs.collected_after_followup,
    )


def merge_inputs(inputs: Sequence[CollectionsInputs]) -> CollectionsInputs:
    """The inputs of several companies as one, for their total: amounts must share a currency (the caller's check).

    DSO and the 90+ share of the total are recomputed from the summed receivables and sales, never averaged.

    >>> one = CollectionsInputs(date(2025, 6, 30), Decimal("100"), Decimal("10"), Decimal("300"), 90, (), 1,
    ...                         Decimal("5"), Decimal("0"))
    >>> two = dataclasses.replace(one, receivable=Decimal("300"), over_90=Decimal("30"), sales=Decimal("100"))
    >>> summarize_collections(merge_inputs((one, two))).dso_days
    90.0
    """
    if not inputs:
        raise ValueError("merge_inputs needs the inputs of at least one company")
    if len({(item.today, item.window_days) for item in inputs}) != 1:
        raise ValueError("the companies' inputs must be read for the same day and window")

    def total(name):
        return sum((getattr(item, name) for item in inputs), Decimal(0))

    return dataclasses.replace(
        inputs[0],
        receivable=total("receivable"),
        over_90=total("over_90"),
        sales=total("sales"),
        promises=tuple(row for item in inputs for row in item.promises),
        open_disputes=sum(item.open_disputes for item in inputs),
        disputed_amount=total("disputed_amount"),
        collected_after_followup=total("collected_after_followup"),
    )
