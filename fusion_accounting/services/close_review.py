"""The substantive month-end review: what is missing from the books, and the adjusting entries that fix it.

``review_close(books, period_start, period_end)`` reads a window of posted entries (the fiscal
year up to the period end, a little after it for cut-off) and returns :class:`Finding` values,
each with its evidence, a confidence and a balanced adjusting entry dated at the period end
(a catch-up for gaps of earlier months).  A finding without lines asks for a review only.
"""

import statistics
from collections import defaultdict

from .close_accruals import (
    ACCRUAL_ACCOUNT_TYPES,
    BILL_FIT,
    accrual_accounts,
    covered,
    expensed_later,
    lifecycle,
    payroll_model,
)
from .close_books import (
    EXPENSE_TYPES,
    Books,
    Finding,
    adjustment_lines,
    cents_text,
    label_pattern,
    month_label,
)
from .close_cutoff import capitalizable, crossing
from .close_fx import revaluation_findings
from .close_schedules import (
    ended_by,
    inventory_accounts,
    inventory_months,
    negative_months,
    receipt_gaps,
    says_it_ended,
    used_up,
)
from .close_series import find_series, near, series_key

# Money accounts: a series settled through them follows the bank statement, not the accounting period.
SETTLED = frozenset({"asset_cash", "asset_receivable", "liability_credit_card"})
RESTOCK_FIT = 0.02  # receipts that are each month's cost of sales within 2%
# Trailing gaps beyond this many periods: the series rather stopped; asked for a review, not booked.
MAX_CATCH_UP = 2
# The kinds that change the books; a checklist is not ready to lock while one is open.
SUBSTANTIVE_CONFIDENCE = 0.5
EVIDENCE_PERIODS = 3


class _Review:
    def __init__(self, books, period_start, period_end, capitalization_threshold):
        # The close's own adjusting entries are corrections, not bookkeeping to learn patterns from;
        # they still count in balances (what is left to depreciate, stock on hand).
        self.all_books = books
        books = Books(books.accounts, tuple(e for e in books.entries if not e.adjustment_key), books.opening)
        self.books, self.start, self.end = books, period_start, period_end
        self.threshold = capitalization_threshold
        self.series = find_series(books.entries, period_end)
        self.inventory = set(inventory_accounts(books, period_end))
        self.accrual_accounts = set(accrual_accounts(books, period_end))
        self.findings = {}
        self.by_accounts = defaultdict(list)
        for entry in books.entries:
            if entry.date <= period_end and entry.amount > 0:
                self.by_accounts[series_key(entry)[:4]].append(entry)

    # -- accounts -------------------------------------------------------------------------
    def _types(self, accounts):
        return {self.books.type_of(a) for a in accounts}

    def _accrual_account(self):
        """Where an accrued expense is credited: the accrual account in use, else the first current liability."""
        if self.accrual_accounts:
            return min(self.accrual_accounts)
        return next(iter(self.books.of_type(*ACCRUAL_ACCOUNT_TYPES)), None)

    def _most_used(self, account_type):
        counts = {}
        for entry in self.books.entries:
            for line in entry.lines:
                if self.books.type_of(line.account_id) == account_type:
                    counts[line.account_id] = counts.get(line.account_id, 0) + 1
        return min(counts, key=lambda a: (-counts[a], a)) if counts else None

    # -- series ---------------------------------------------------------------------------
    def _kind(self, series):
        debit_types, credit_types = self._types(series.debit_accounts), self._types(series.credit_accounts)
        if series.debit_accounts & self.inventory:
            return "missing_receipt"
        if not debit_types & EXPENSE_TYPES or series.credit_accounts & self.inventory or debit_types & SETTLED:
            # Revenue, payments, releases, cost of sales and money received net of a fee are judged
            # elsewhere (bank reconciliation, inventory) or not at all.
            return None
        if "asset_prepayments" in credit_types:
            return "missing_amortization"
        if "expense_depreciation" in debit_types or credit_types & {"asset_fixed", "asset_non_current"}:
            return "missing_depreciation"
        if series.credit_accounts & self.accrual_accounts and series.entries[0].journal_type == "general":
            return "payroll_cutoff" if payroll_model(series, self.series) else "missing_accrual"
        return "missing_recurring"

    def _shares(self, series, kind):
        template = series.entries[-1]
        debits, credits = template.debits(), template.credits()
        accrual_like = {"liability_payable", "asset_cash", "liability_credit_card", "asset_receivable"}
        if kind in ("missing_recurring", "missing_receipt") and self._types(credits) & accrual_like:
            account = self._accrual_account()
            credits = {account: 1} if account else {}
        return debits, credits

    def _evidence(self, series, period, amount):
        around = range(period - EVIDENCE_PERIODS, period + EVIDENCE_PERIODS + 1)
        return {
            "series": series.pattern or "(no label)",
            "cadence": series.cadence,
            "behaviour": series.behaviour,
            "debit_account_ids": sorted(series.debit_accounts),
            "credit_account_ids": sorted(series.credit_accounts),
            "period": series.period_label(period),
            "expected": amount / 100,
            "around": [
                {"period": series.period_label(p), "amount": series.amounts[p] / 100 if p in series.amounts else None}
                for p in around
                if p >= next(iter(series.amounts)) and series.period_due(p) <= self.end
            ],
        }

    def _add(self, kind, key, memo, evidence, confidence, lines=()):  # noqa: PLR0917 (a finding's fields)
        self.findings[key] = Finding(kind, key, self.end, memo, evidence, round(confidence, 2), tuple(lines))

    def _siblings(self, series, after, until):
        """Entries of the series' journal, partner and accounts under another label, in ``(after, until]``."""
        return [
            e
            for e in self.by_accounts.get(series.key[:4], ())
            if after < e.date <= until and e.id not in {m.id for m in series.entries}
        ]

    def _relabelled(self, series, period, amount):
        """The period's entry is there, under another label ('Rent - final month')."""
        start, words = series.period_due(period - 1), set(series.pattern.split())
        return any(
            near(e.amount, amount) and words & set(label_pattern(e.ref).split())
            for e in self._siblings(series, start, series.period_due(period))
        )

    def _ended(self, series, first_trailing):
        last = series.entries[-1]
        after = self._siblings(series, last.date, series.period_due(first_trailing))
        return (
            says_it_ended([last, *after])
            or ended_by([*series.entries, *after], series.period_due(first_trailing - 1))
            or used_up(self.all_books, series, series.estimate(first_trailing)[0])
        )

    def _series_gaps(self, series, kind, model):
        gaps = series.gaps(self.end) if series.dependable else []
        if self._types(series.credit_accounts) & SETTLED:
            # Paid straight from the bank: the closing month's payment is most likely a statement line
            # not reconciled yet (the checklist counts those), not an expense to accrue.
            gaps = [(p, t) for p, t in gaps if not t]
        trailing = [p for p, is_trailing in gaps if is_trailing]
        if trailing and (self._ended(series, trailing[0]) or len(trailing) > MAX_CATCH_UP):
            if not self._ended(series, trailing[0]):
                self._add(
                    "series_stopped",
                    f"series_stopped:{series.identity}",
                    f"'{series.pattern}' stopped after {series.period_label(trailing[0] - 1)} with no sign it ended",
                    self._evidence(series, trailing[0], 0),
                    0.3,
                )
            gaps = [(p, t) for p, t in gaps if not t]
        debits, credits = self._shares(series, kind)
        catch_up = _CatchUp(self, series, gaps) if kind == "missing_accrual" else None
        for period, trailing in gaps:
            amount, confidence = series.estimate(period)
            modelled = model(period) if model else None
            if modelled == 0:
                continue  # paid on the last day of the month: nothing to accrue
            amount = modelled or amount
            if self._relabelled(series, period, amount):
                continue
            label = series.period_label(period)
            evidence = self._evidence(series, period, amount)
            if catch_up and not trailing:
                booked_later = catch_up.booked_later(period, amount)
                if booked_later:
                    self._add(
                        "expensed_later",
                        f"expensed_later:{series.identity}:{label}",
                        f"'{series.pattern}' for {label} was not accrued, but its expense was booked later "
                        f"({booked_later}): no catch-up, it would count the expense twice",
                        evidence,
                        0.4,
                    )
                    continue
                evidence["catch_up"] = catch_up.evidence(period)
            self._add(
                kind,
                f"{kind}:{series.identity}:{label}",
                f"Catch-up: '{series.pattern}' for {label} was not posted ({cents_text(amount)})",
                evidence,
                confidence,
                adjustment_lines(debits, credits, amount),
            )

    def _series_doubles(self, series):
        for period, extra in series.duplicates():
            for entry in extra:
                self._add(
                    "duplicate_period",
                    f"duplicate_period:{entry.id}",
                    f"'{series.pattern}' posted twice for {series.period_label(period)}: reverse entry {entry.id}",
                    {**self._evidence(series, period, entry.amount), "entry_id": entry.id},
                    0.8,
                    adjustment_lines(entry.credits(), entry.debits(), entry.amount),
                )

    def _series_outliers(self, series, model):
        for period, entry, expected in series.outliers(model):
            excess = entry.amount - expected
            debits, credits = (entry.credits(), entry.debits()) if excess > 0 else (entry.debits(), entry.credits())
            self._add(
                "amount_outlier",
                f"amount_outlier:{entry.id}",
                f"'{series.pattern}' for {series.period_label(period)} is {cents_text(entry.amount)}, "
                f"the series {cents_text(expected)}",
                {**self._evidence(series, period, expected), "entry_id": entry.id, "posted": entry.amount / 100},
                0.6,
                adjustment_lines(debits, credits, abs(excess)),
            )

    def _restocking(self, series):
        """``period -> cents`` when the goods received each month are what was sold (one ratio to cost of
        sales): a missing receipt is then that month's cost of sales.  None otherwise."""
        account = min(series.debit_accounts & self.inventory)
        months, _counterparts = inventory_months(self.books, account, self.end)
        ratios = [received / cogs for received, cogs in months.values() if received and cogs]
        if len(ratios) < 3 or not all(near(r, statistics.median(ratios), RESTOCK_FIT) for r in ratios):
            return None
        ratio = statistics.median(ratios)

        def expected(period):
            cogs = months.get(series.month_of(period), (0, 0))[1]
            return round(ratio * cogs) or None

        return expected

    def series_checks(self):
        for series in self.series:
            kind = self._kind(series)
            if not kind:
                continue
            model = None
            if kind == "payroll_cutoff":
                by_month = payroll_model(series, self.series)
                model = lambda period, s=series, f=by_month: f(s.month_of(period))  # noqa: E731
            elif kind == "missing_receipt" and series.behaviour == "variable":
                model = self._restocking(series)
            self._series_gaps(series, kind, model)
            self._series_doubles(series)
            self._series_outliers(series, model)

    def one_catch_up_per_expense(self):
        """A missed accrual and the missing bill it anticipated (its month or the next) are one expense: the
        accrual's finding stays (its catch-up, or why none is due), naming the bill's period."""
        accrued = [f for f in self.findings.values() if f.kind in ("missing_accrual", "expensed_later")]
        for bill in [f for f in self.findings.values() if f.kind == "missing_recurring"]:
            month, debits = _month_number(bill.evidence["period"]), set(bill.evidence["debit_account_ids"])
            twin = next(
                (
                    f
                    for f in accrued
                    if month - _month_number(f.evidence["period"]) in (0, 1)
                    and debits & set(f.evidence["debit_account_ids"])
                    and near(f.evidence["expected"], bill.evidence["expected"], BILL_FIT)
                ),
                None,
            )
            if twin:
                del self.findings[bill.key]
                twin.evidence["not_billed_either"] = {
                    "series": bill.evidence["series"],
                    "period": bill.evidence["period"],
                }

    # -- accruals, inventory, cut-off -----------------------------------------------------
    def accrual_checks(self, window_start):
        unreleased, orphans = lifecycle(self.books, window_start, self.end)
        for accrual in unreleased:
            self._add(
                "unreleased_accrual",
                f"unreleased_accrual:{accrual.entry.id}:{accrual.account_id}",
                f"Accrual of {accrual.entry.date} ({cents_text(accrual.amount)}) was never released: "
                "the expense is counted twice",
                {
                    "accrual_entry_id": accrual.entry.id,
                    "date": accrual.entry.date.isoformat(),
                    "amount": accrual.amount / 100,
                },
                0.85,
                adjustment_lines({accrual.account_id: 1}, accrual.expenses, accrual.amount),
            )
        for release in orphans:
            self._add(
                "release_without_accrual",
                f"release_without_accrual:{release.entry.id}:{release.account_id}",
                f"Release of {release.entry.date} ({cents_text(release.amount)}) has no accrual to release",
                {
                    "release_entry_id": release.entry.id,
                    "date": release.entry.date.isoformat(),
                    "amount": release.amount / 100,
                },
                0.6,
                adjustment_lines(release.expenses, {release.account_id: 1}, release.amount),
            )

    def inventory_checks(self):
        booked = {f.evidence.get("period") for f in self.findings.values() if f.kind == "missing_receipt"}
        for account in sorted(self.inventory):
            _months, counterparts = inventory_months(self.books, account, self.end)
            credit = min(counterparts, key=lambda a: (-counterparts[a], a)) if counterparts else None
            if credit is not None and self.books.type_of(credit) in ("liability_payable", "asset_cash"):
                credit = self._accrual_account()
            for index, cogs in receipt_gaps(self.books, account, self.end):
                if month_label(index) in booked:
                    continue
                self._add(
                    "missing_receipt",
                    f"missing_receipt:{account}:{month_label(index)}",
                    f"{month_label(index)} has cost of sales ({cents_text(cogs)}) and no goods received",
                    {"period": month_label(index), "cost_of_sales": cogs / 100, "inventory_account_id": account},
                    0.5,
                    adjustment_lines({account: 1}, {credit: 1}, cogs) if credit else (),
                )
            fixed = sum(f.amount for f in self.findings.values() if f.kind == "missing_receipt")
            for index, balance in negative_months(self.all_books, account, self.end):
                if balance + fixed < 0:
                    self._add(
                        "negative_inventory",
                        f"negative_inventory:{account}:{month_label(index)}",
                        f"Inventory is {cents_text(balance)} at the end of {month_label(index)}",
                        {"period": month_label(index), "balance": balance / 100, "inventory_account_id": account},
                        0.7,
                    )

    def cutoff_checks(self):
        prepaid, accrued = self._most_used("asset_prepayments"), self._accrual_account()
        for entry, account, cents, period, side, share in crossing(self.books, self.start, self.end):
            other = prepaid if side == "prepaid" else accrued
            if other is None:
                continue
            debits, credits = ({other: 1}, {account: 1}) if side == "prepaid" else ({account: 1}, {other: 1})
            self._add(
                f"cutoff_{side}",
                f"cutoff_{side}:{entry.id}:{account}",
                f"Entry {entry.ref or entry.id} covers {period[0]} to {period[1]}: {cents_text(share)} is {side}",
                {"entry_id": entry.id, "service_period": [d.isoformat() for d in period], "amount": cents / 100},
                0.75,
                adjustment_lines(debits, credits, share),
            )
        recurring = {entry.id for series in self.series for entry in series.entries}
        fixed = self._most_used("asset_fixed")
        for entry, account, cents in capitalizable(self.books, self.start, self.end, self.threshold, recurring):
            self._add(
                "capitalizable_expense",
                f"capitalizable_expense:{entry.id}:{account}",
                f"{cents_text(cents)} expensed by {entry.ref or entry.id} is above the capitalization threshold",
                {"entry_id": entry.id, "amount": cents / 100, "threshold": self.threshold / 100},
                0.5,
                adjustment_lines({fixed: 1}, {account: 1}, cents) if fixed else (),
            )


class _CatchUp:
    """Whether an accrual missed in an earlier period is still missing, or its expense was booked since."""

    def __init__(self, review, series, gaps):
        self.review, self.series, self.gaps = review, series, {p for p, _t in gaps}
        self.checked = {}

    def booked_later(self, period, amount):
        """Why the period's expense is already in the books (empty: it is not)."""
        if self.series.cadence in ("monthly", "quarterly"):
            later = expensed_later(self.review.books, self.series, period, self.review.end)
            if later:
                return ", ".join(entry.ref or str(entry.id) for entry in later[:3])
        booked, expected = covered(self.review.books, self.series, period, self.gaps, self.review.end)
        self.checked[period] = (booked, expected)
        if booked - expected >= amount / 2:
            return f"{cents_text(booked)} expensed over {self.series.period_label(period)} and after, " + (
                f"{cents_text(expected)} without it"
            )
        return ""

    def evidence(self, period):
        booked, expected = self.checked.get(period, (0, 0))
        return {
            "expensed_from_the_period_on": booked / 100,
            "expected_without_the_period": expected / 100,
            "check": "no later bill or entry names this period; if one expensed it, do not book the catch-up",
        }


def review_close(
    books, period_start, period_end, *, window_start=None, report_from=None, capitalization_threshold=0, fx=None
):
    """Findings of the close of ``[period_start, period_end]``, sorted by kind then key.

    ``window_start``: the first day of the entries read (default the earliest entry's day);
    ``report_from``: findings of months before it (an earlier fiscal year) are left out;
    ``capitalization_threshold``: cents; 0 turns the check off;
    ``fx``: the open foreign-currency items at the period end (:class:`close_fx.FxBooks`), or None.
    """
    review = _Review(books, period_start, period_end, capitalization_threshold)
    first = min((e.date for e in books.entries), default=period_start)
    review.series_checks()
    review.one_catch_up_per_expense()
    review.accrual_checks(window_start or first)
    review.inventory_checks()
    review.cutoff_checks()
    review.findings.update((f.key, f) for f in revaluation_findings(fx, period_end))
    since = report_from.isoformat()[:7] if report_from else ""
    return sorted((f for f in review.findings.values() if _month(f) >= since), key=lambda f: (f.kind, f.key))


def _month_number(label):
    year, month = label[:7].split("-")
    return int(year) * 12 + int(month) - 1


def _month(finding):
    """The month a finding is about (``YYYY-MM``), or the period end's."""
    when = finding.evidence.get("period") or finding.evidence.get("date") or finding.date.isoformat()
    return when[:7]


def substantive(finding):
    """A finding that changes the books: the close is not ready to lock while it is open."""
    return bool(finding.lines) and finding.confidence >= SUBSTANTIVE_CONFIDENCE
