"""ADP (Ontario Assistive Devices Program) receivable arithmetic.

An ADP invoice is split: the customer pays a portion, the government (ADP)
pays the rest, booked on the ADP receivable.  This module checks the split,
ages the open ADP items, proposes which open items a government deposit pays,
and summarises billing against collection.

>>> inv = AdpInvoice("INV/1", date(2026, 1, 5), Decimal("1000.00"), Decimal("250.00"), Decimal("750.00"))
>>> verify_split([inv])
()
>>> bad = AdpInvoice("INV/2", date(2026, 1, 5), Decimal("1000.00"), Decimal("250.00"), Decimal("700.00"))
>>> [(f.ref, f.difference) for f in verify_split([inv, bad])]
[('INV/2', Decimal('-50.00'))]
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import combinations

ZERO = Decimal("0")
CENT = Decimal("0.01")
DEFAULT_BOUNDS = (30, 60, 90, 120)


@dataclass(frozen=True)
class AdpInvoice:
    """One ADP invoice: its total and the two portions as booked."""

    ref: str
    invoice_date: date
    total: Decimal
    customer_portion: Decimal
    adp_portion: Decimal


@dataclass(frozen=True)
class SplitFinding:
    """An invoice whose portions do not add up to its total; ``difference`` = portions - total."""

    ref: str
    total: Decimal
    customer_portion: Decimal
    adp_portion: Decimal
    difference: Decimal


def verify_split(invoices, tolerance=CENT):
    """Invoices where ``customer_portion + adp_portion`` differs from ``total`` by more than ``tolerance``."""
    findings = []
    for invoice in invoices:
        difference = invoice.customer_portion + invoice.adp_portion - invoice.total
        if abs(difference) > tolerance:
            findings.append(
                SplitFinding(invoice.ref, invoice.total, invoice.customer_portion, invoice.adp_portion, difference)
            )
    return tuple(findings)


@dataclass(frozen=True)
class OpenItem:
    """An open ADP receivable item: what ADP still owes on one invoice, aged from ``item_date``."""

    ref: str
    item_date: date
    residual: Decimal
    key: int = 0


@dataclass(frozen=True)
class Bucket:
    """An aging bucket: items whose age in days is in ``[low, high]`` (``high=None``: no upper bound)."""

    label: str
    low: int
    high: int | None
    amount: Decimal
    count: int


def bucket_labels(bounds=DEFAULT_BOUNDS):
    """Labels of the buckets :func:`age_items` makes.

    >>> bucket_labels()
    ('0-30', '31-60', '61-90', '91-120', '120+')
    """
    lows = (0, *(b + 1 for b in bounds))
    highs = (*bounds, None)
    return tuple(
        f"{low}-{high}" if high is not None else f"{bounds[-1]}+" for low, high in zip(lows, highs, strict=True)
    )


def age_items(items, today, bounds=DEFAULT_BOUNDS):
    """Buckets of ``items`` by age at ``today``; items dated after ``today`` count as age 0.

    >>> items = [OpenItem("A", date(2026, 1, 1), Decimal("100")), OpenItem("B", date(2025, 9, 1), Decimal("40"))]
    >>> [(b.label, b.amount) for b in age_items(items, date(2026, 1, 31)) if b.count]
    [('0-30', Decimal('100')), ('120+', Decimal('40'))]
    """
    if list(bounds) != sorted(set(bounds)) or not bounds or bounds[0] < 0:
        raise ValueError(f"bucket bounds must be increasing non-negative days, got {bounds!r}")
    lows = (0, *(b + 1 for b in bounds))
    highs = (*bounds, None)
    sums = [ZERO] * len(lows)
    counts = [0] * len(lows)
    for item in items:
        age = max(0, (today - item.item_date).days)
        index = next(i for i, high in enumerate(highs) if high is None or age <= high)
        sums[index] += item.residual
        counts[index] += 1
    labels = bucket_labels(bounds)
    return tuple(Bucket(labels[i], lows[i], highs[i], sums[i], counts[i]) for i in range(len(lows)))


@dataclass(frozen=True)
class DepositMatch:
    """Open items a deposit most likely pays: ``exact`` when they add up to the deposit within tolerance."""

    deposit: Decimal
    items: tuple
    matched: Decimal
    exact: bool

    @property
    def difference(self):
        return self.deposit - self.matched


def match_deposit(deposit, items, tolerance=CENT, max_items=5, max_candidates=30):
    """The smallest, then oldest, set of at most ``max_items`` open items adding up to ``deposit``.

    Only the ``max_candidates`` oldest items are searched (a government deposit
    pays old claims first and the search stays bounded).  Without an exact
    combination, the oldest items whose running total stays within the deposit
    are returned with ``exact=False``: a partial proposal, never an approval.

    >>> items = [OpenItem("A", date(2026, 1, 1), Decimal("300")), OpenItem("B", date(2026, 1, 2), Decimal("450")),
    ...          OpenItem("C", date(2026, 1, 3), Decimal("200"))]
    >>> m = match_deposit(Decimal("500"), items)
    >>> [i.ref for i in m.items], m.exact
    (['A', 'C'], True)
    """
    pool = sorted((i for i in items if i.residual > 0), key=lambda i: (i.item_date, i.ref))[:max_candidates]
    for size in range(1, min(max_items, len(pool)) + 1):
        for combo in combinations(pool, size):
            total = sum((i.residual for i in combo), ZERO)
            if abs(total - deposit) <= tolerance:
                return DepositMatch(deposit, combo, total, True)
    chosen, running = [], ZERO
    for item in pool:
        if running + item.residual <= deposit + tolerance and len(chosen) < max_items:
            chosen.append(item)
            running += item.residual
    return DepositMatch(deposit, tuple(chosen), running, False)


@dataclass(frozen=True)
class AdpSummary:
    """ADP billing against collection over a period."""

    billed: Decimal
    collected: Decimal
    invoice_count: int
    outstanding: Decimal

    @property
    def collection_rate(self):
        """Collected over billed, in percent; ``None`` when nothing was billed."""
        return (self.collected / self.billed * 100).quantize(Decimal("0.1")) if self.billed else None


def summarize(invoices, collected, outstanding):
    """Period summary from the period's ADP invoices, the ADP deposits received and what is still open.

    >>> inv = AdpInvoice("INV/1", date(2026, 1, 5), Decimal("1000"), Decimal("250"), Decimal("750"))
    >>> summarize([inv], Decimal("600"), Decimal("150")).collection_rate
    Decimal('80.0')
    """
    billed = sum((i.adp_portion for i in invoices), ZERO)
    return AdpSummary(billed, collected, len(invoices), outstanding)
