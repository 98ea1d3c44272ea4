"""Match bank statement lines to open journal items, with a confidence and a one-line reason.

How it works: :func:`suggest` scores every way one statement line could be
settled by the open items it is given (all amounts in integer cents, signed
like the bank: a deposit is positive and settles items with a debit residual):

* ``reference``: an item's reference (invoice number, payment memo) appears in
  the bank label; when the line pays less than the item it is a partial payment.
* ``amount_partner``: the line's partner owes exactly the amount, on one item
  or on a small set of its items (one remittance for several invoices).
* ``amount``: exactly the amount, no partner to confirm it.
* ``partial``: the partner's only open item is larger than the line.
* ``card_batch``: card payments of one to a few consecutive days (Fri+Sat
  weekend batches included) whose total, less the processor's fee, is the
  deposit; the fee is returned so that it can be booked to the fee account.

:func:`decide` takes the best suggestion only when it is confident and clearly
ahead of the next one; :func:`plan_auto_reconcile` does this for many lines
and refuses to give one item to two lines.  Nothing here knows about Odoo.

>>> policy = MatchPolicy()
>>> line = BankLine(1, date(2026, 3, 4), 11300, "Payment INV/2026/00012 thanks", partner_id=7)
>>> items = [OpenItem(10, date(2026, 2, 1), 11300, 7, ("INV/2026/00012",)),
...          OpenItem(11, date(2026, 2, 3), 11300, 7, ("INV/2026/00013",))]
>>> best = decide(suggest(line, items, policy), policy)
>>> best.item_ids, best.kind, best.reason
((10,), 'reference', 'reference INV/2026/00012 in the bank label, exact amount')
>>> unsure = BankLine(2, date(2026, 3, 4), 11300, "e-transfer", partner_id=7)
>>> decide(suggest(unsure, items, policy), policy) is None  # two equal invoices: ambiguous
True
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations

_NON_ALNUM = re.compile(r"[^0-9A-Z]")
_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z/_.\-]*")


@dataclass(frozen=True)
class BankLine:
    """A statement line still (partly) in the suspense account; ``amount`` in cents, > 0 for a deposit."""

    id: int
    date: date
    amount: int
    label: str
    partner_id: int | None = None


@dataclass(frozen=True)
class OpenItem:
    """An unreconciled journal item; ``residual`` in cents, > 0 when it waits for a deposit.

    ``references`` are the strings a payer could quote (move name, reference,
    payment memo); ``is_card`` marks a card payment waiting for its batch deposit.
    """

    id: int
    date: date
    residual: int
    partner_id: int | None
    references: tuple = ()
    is_card: bool = False


@dataclass(frozen=True)
class MatchPolicy:
    """Thresholds of the engine; fees in basis points (160 = 1.6 %)."""

    auto_threshold: float = 0.85
    margin: float = 0.05
    card_fee_bps: int = 160
    card_fee_tolerance_bps: int = 60
    batch_max_span_days: int = 3
    batch_max_lag_days: int = 4
    max_items_per_remittance: int = 3
    max_partner_items_searched: int = 12
    min_reference_length: int = 4


@dataclass(frozen=True)
class Suggestion:
    """One way to settle a line: the items, what is left to a fee, and why.

    ``fee`` (cents, >= 0) is the part of the items' total the line does not
    bring and that is booked as an expense; ``partial`` says the line pays
    only part of the items, which stay open for the rest.
    """

    item_ids: tuple
    confidence: float
    kind: str
    reason: str
    fee: int = 0
    partial: bool = False

    def as_dict(self):
        """JSON-ready form for tool results."""
        return {
            "item_ids": list(self.item_ids),
            "confidence": round(self.confidence, 2),
            "kind": self.kind,
            "reason": self.reason,
            "fee": self.fee / 100,
            "partial": self.partial,
        }


def normalize(text):
    """Upper-case alphanumerics only, so ``inv/2026-12`` and ``INV 2026 12`` compare equal.

    >>> normalize(" inv/2026-00012 ")
    'INV202600012'
    """
    return _NON_ALNUM.sub("", (text or "").upper())


def _reference_keys(item, policy):
    for ref in item.references:
        key = normalize(ref)
        # A bare "12" or a word without digits would match labels by accident.
        if len(key) >= policy.min_reference_length and any(ch.isdigit() for ch in key):
            yield key, ref


class ItemIndex:
    """Open items indexed once by partner, amount, reference key and (card payments) day, for many lines."""

    def __init__(self, items, policy):
        self.items = tuple(items)
        self.by_partner, self.by_amount, self.by_key, self.cards = {}, {}, {}, {}
        for item in self.items:
            if item.is_card:
                self.cards.setdefault(item.date, []).append(item)
                continue
            self.by_amount.setdefault(item.residual, []).append(item)
            if item.partner_id:
                self.by_partner.setdefault(item.partner_id, []).append(item)
            for key, ref in _reference_keys(item, policy):
                self.by_key.setdefault(key, []).append((item, ref))
        # Substrings of a label are only worth looking up at the lengths some reference has.
        self.long_key_lengths = sorted({len(key) for key in self.by_key if len(key) >= 6})

    def quoted(self, label):
        """``(item, reference)`` pairs whose reference the label quotes, each item once, by item id.

        A reference counts as a whole token of the label, or, from six
        characters on, anywhere in the label once spaces and punctuation go.
        """
        whole = normalize(label)
        keys = {normalize(token) for token in _TOKEN.findall(label or "")}
        for length in self.long_key_lengths:
            keys.update(whole[start : start + length] for start in range(len(whole) - length + 1))
        found = {}
        for key in keys:
            for item, ref in self.by_key.get(key, ()):
                found.setdefault(item.id, (item, ref))
        return [found[item_id] for item_id in sorted(found)]


def _same_direction(line, item):
    return (line.amount > 0 and item.residual > 0) or (line.amount < 0 and item.residual < 0)


def _date_bonus(line, items):
    """A little confidence for items dated shortly before the line, none for later ones."""
    latest = max(item.date for item in items)
    if latest > line.date:
        return -0.1
    return 0.04 if (line.date - latest).days <= 45 else 0.0


def _reference_suggestions(line, index):
    for item, ref in index.quoted(line.label):
        if not _same_direction(line, item):
            continue
        if item.residual == line.amount:
            yield Suggestion((item.id,), 0.99, "reference", f"reference {ref} in the bank label, exact amount")
        elif abs(line.amount) < abs(item.residual):
            yield Suggestion(
                (item.id,), 0.9, "reference", f"reference {ref} in the bank label, partial payment", partial=True
            )
        else:
            yield Suggestion((item.id,), 0.5, "reference", f"reference {ref} in the bank label, but the line pays more")


def _partner_suggestions(line, partner_items, policy):
    exact = [item for item in partner_items if item.residual == line.amount]
    for item in exact:
        confidence = 0.87 + _date_bonus(line, [item])
        yield Suggestion((item.id,), confidence, "amount_partner", "same partner, exact amount")
    if exact:
        return
    searched = sorted(partner_items, key=lambda item: item.date)[: policy.max_partner_items_searched]
    for size in range(2, policy.max_items_per_remittance + 1):
        for group in combinations(searched, size):
            if sum(item.residual for item in group) == line.amount:
                yield Suggestion(
                    tuple(item.id for item in group),
                    0.86,
                    "amount_partner",
                    f"same partner, {size} open items add up to the amount",
                )
    if len(partner_items) == 1 and abs(line.amount) < abs(partner_items[0].residual):
        yield Suggestion(
            (partner_items[0].id,), 0.7, "partial", "partner's only open item, partial payment", partial=True
        )


def card_batch_windows(deposit_date, card_days, policy):
    """Runs of consecutive days with card payments whose batch could be this deposit.

    A window ends at most ``batch_max_lag_days`` before the deposit and spans
    at most ``batch_max_span_days`` days, so a Friday+Saturday weekend batch
    paid on Monday is one window among the single days.

    >>> p = MatchPolicy()
    >>> fri, sat, mon = date(2026, 3, 6), date(2026, 3, 7), date(2026, 3, 9)
    >>> card_batch_windows(mon, {fri, sat}, p)
    [(datetime.date(2026, 3, 7),), (datetime.date(2026, 3, 6), datetime.date(2026, 3, 7)), (datetime.date(2026, 3, 6),)]
    """
    windows = []
    for lag in range(1, policy.batch_max_lag_days + 1):
        end = deposit_date - timedelta(days=lag)
        if end not in card_days:
            continue
        for span in range(1, policy.batch_max_span_days + 1):
            days = tuple(end - timedelta(days=offset) for offset in reversed(range(span)))
            if days[0] not in card_days:
                break
            windows.append(days)
    return windows


def _card_batch_suggestions(line, by_day, policy):
    """Card batches ``line`` could be; ``by_day`` maps a day to its open card payments."""
    if line.amount <= 0 or not by_day:
        return
    for days in card_batch_windows(line.date, set(by_day), policy):
        group = [item for day in days for item in by_day[day]]
        gross = sum(item.residual for item in group)
        fee = gross - line.amount
        if fee < 0 or gross <= 0:
            continue
        expected = round(gross * policy.card_fee_bps / 10_000)
        if abs(fee - expected) <= 1:
            confidence = 0.96
        elif abs(fee * 10_000 - gross * policy.card_fee_bps) <= gross * policy.card_fee_tolerance_bps:
            confidence = 0.8
        else:
            continue
        span = "weekend batch " if len(days) > 1 else ""
        label = "+".join(day.strftime("%a %b %d") for day in days)
        yield Suggestion(
            tuple(item.id for item in group),
            confidence,
            "card_batch",
            f"{span}{len(group)} card payments ({label}), fee {fee / 100:.2f} = {fee * 100 / gross:.2f}%",
            fee=fee,
        )


def suggest(line, items, policy):
    """Every plausible way to settle ``line``, most confident first, one suggestion per set of items.

    ``items`` is a list of :class:`OpenItem` or, for many lines, an :class:`ItemIndex` built once.
    """
    index = items if isinstance(items, ItemIndex) else ItemIndex(items, policy)
    found = list(_reference_suggestions(line, index))
    if line.partner_id:
        partner_items = [item for item in index.by_partner.get(line.partner_id, ()) if _same_direction(line, item)]
        found.extend(_partner_suggestions(line, partner_items, policy))
    else:
        found.extend(
            Suggestion((item.id,), 0.6, "amount", "exact amount, no partner to confirm it")
            for item in index.by_amount.get(line.amount, ())
        )
    found.extend(_card_batch_suggestions(line, index.cards, policy))
    best = {}
    for suggestion in found:
        key = frozenset(suggestion.item_ids)
        if key not in best or suggestion.confidence > best[key].confidence:
            best[key] = suggestion
    return tuple(sorted(best.values(), key=lambda s: (-s.confidence, s.item_ids)))


def decide(suggestions, policy):
    """The suggestion to apply without asking, or None when nothing is confident and unambiguous."""
    if not suggestions or suggestions[0].confidence < policy.auto_threshold:
        return None
    if len(suggestions) > 1 and suggestions[0].confidence - suggestions[1].confidence < policy.margin:
        return None
    return suggestions[0]


@dataclass(frozen=True)
class AutoPlan:
    """What auto-reconciliation will do: ``matches`` maps a line id to its suggestion, ``left`` to all of them."""

    matches: dict
    left: dict


def plan_auto_reconcile(lines, items, policy):
    """Decide every line; an item wanted by two lines goes to neither, which both stay for review.

    >>> p = MatchPolicy()
    >>> it = [OpenItem(1, date(2026, 1, 5), 500, 3)]
    >>> twins = [BankLine(7, date(2026, 1, 9), 500, "", 3), BankLine(8, date(2026, 1, 9), 500, "", 3)]
    >>> plan = plan_auto_reconcile(twins, it, p)
    >>> plan.matches, sorted(plan.left)
    ({}, [7, 8])
    """
    chosen, left = {}, {}
    index = ItemIndex(items, policy)
    for line in lines:
        suggestions = suggest(line, index, policy)
        decision = decide(suggestions, policy)
        if decision is None:
            left[line.id] = suggestions
        else:
            chosen[line.id] = (decision, suggestions)
    claims = {}
    for line_id, (decision, _suggestions) in chosen.items():
        for item_id in decision.item_ids:
            claims.setdefault(item_id, []).append(line_id)
    contested = {line_id for owners in claims.values() if len(owners) > 1 for line_id in owners}
    matches = {}
    for line_id, (decision, suggestions) in chosen.items():
        if line_id in contested:
            left[line_id] = suggestions
        else:
            matches[line_id] = decision
    return AutoPlan(matches=matches, left=left)
