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
from functools import cached_property
from itertools import combinations
from operator import attrgetter

from .bank_references import ReferenceIndex, fold
from .bank_subsets import fits
from .counterparty_names import NameIndex

_NON_ALNUM = re.compile(r"[^0-9A-Z]")
_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z/_.\-]*")
_WORDS = re.compile(r"[A-Z0-9]+")
# A suggestion this confident is not questioned by the (costlier) name and subset searches.
_NEAR_CERTAIN = 0.95
# A reference key this long may be found anywhere in a label, not only as a whole token.
_LONG_KEY = 6
# Words of the deposits card processors make; a card batch paying invoices directly is only sought on those.
CARD_PROCESSOR_WORDS = (
    "ADYEN",
    "AMEX",
    "BAMBORA",
    "BATCH",
    "CARD",
    "CARTE",
    "CHASE",
    "CLOVER",
    "ELAVON",
    "GLOBAL PAYMENTS",
    "HELCIM",
    "MASTERCARD",
    "MERCH",
    "MERCHANT",
    "MONERIS",
    "PAYMENTECH",
    "PAYOUT",
    "PAYPAL",
    "POS",
    "SETTLEMENT",
    "SHOPIFY",
    "SQUARE",
    "STRIPE",
    "VISA",
    "WORLDPAY",
)


@dataclass(frozen=True)
class BankLine:
    """A statement line still (partly) in the suspense account; ``amount`` in cents, > 0 for a deposit.

    ``label`` is the bank's text; ``partner_name`` the counterparty name the
    bank gives, ``ref`` and ``narration`` the line's other free texts.
    """

    id: int
    date: date
    amount: int
    label: str
    partner_id: int | None = None
    partner_name: str = ""
    ref: str = ""
    narration: str = ""


@dataclass(frozen=True)
class OpenItem:
    """An unreconciled journal item; ``residual`` in cents, > 0 when it waits for a deposit.

    ``references`` are the strings a payer could quote (move name, reference,
    payment reference, customer PO, vendor's bill number); ``is_card`` marks a
    card payment waiting for its batch deposit.
    """

    id: int
    date: date
    residual: int
    partner_id: int | None
    references: tuple = ()
    is_card: bool = False


@dataclass(frozen=True)
class MatchPolicy:
    """Thresholds of the engine; fees in basis points (160 = 1.6 %).

    ``max_deduction_bps``: a line paying the referenced items less by at most
    this share is a short payment (a bank fee, a discount) of those items.
    The ``max_batch_*`` and ``max_subset_steps`` bound the subset searches.
    """

    auto_threshold: float = 0.85
    margin: float = 0.05
    card_fee_bps: int = 160
    card_fee_tolerance_bps: int = 60
    batch_max_span_days: int = 3
    batch_max_lag_days: int = 4
    max_items_per_remittance: int = 3
    max_partner_items_searched: int = 12
    min_reference_length: int = 4
    max_deduction_bps: int = 300
    max_named_items: int = 12
    max_batch_invoices: int = 24
    max_batch_size: int = 5
    max_subset_steps: int = 30_000
    card_processor_words: tuple = CARD_PROCESSOR_WORDS


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


def _texts(line):
    return tuple(text for text in (line.label, line.ref, line.narration) if text)


class ItemIndex:
    """Open items indexed once by partner, amount, reference, (card payments, invoices) day, for many lines.

    ``partners`` are ``(partner id, name)`` pairs: every name a partner is
    known by (its own, its commercial partner's, its contacts', its bank
    accounts' holders'), keyed by the partner id items carry.
    """

    def __init__(self, items, policy, partners=()):
        self.policy = policy
        self.items = tuple(sorted(items, key=attrgetter("id")))
        self.by_id = {item.id: item for item in self.items}
        self.by_partner, self.by_amount, self.by_key, self.cards, self.invoice_days = {}, {}, {}, {}, {}
        references = []
        for item in self.items:
            if item.is_card:
                self.cards.setdefault(item.date, []).append(item)
                continue
            self.by_amount.setdefault(item.residual, []).append(item)
            if item.residual > 0:
                self.invoice_days.setdefault(item.date, []).append(item)
            if item.partner_id:
                self.by_partner.setdefault(item.partner_id, []).append(item)
            # One pass over an item's references for both indexes: there are tens of thousands of items.
            for ref in item.references:
                if not ref:
                    continue
                references.append(((item.id, ref), ref))
                key = normalize(ref)
                # A bare "12" or a word without digits would match labels by accident (a key holds only A-Z, 0-9).
                if len(key) >= policy.min_reference_length and not key.isalpha():
                    self.by_key.setdefault(key, []).append((item, ref))
        self.references = ReferenceIndex(references)
        self.partners = tuple(partners)
        self._card_windows, self._invoice_windows, self._named = {}, {}, (None, {})
        # Keys of six characters or more by their last six (numbers end them, so few share them): a label is
        # then read once, not once per key length.
        self.long_keys = {}
        for key in self.by_key:
            if len(key) >= _LONG_KEY:
                self.long_keys.setdefault(key[-_LONG_KEY:], []).append(key)

    @cached_property
    def names(self):
        """The partners' names, indexed when a line first needs them (never, when every line knows its partner)."""
        return NameIndex(self.partners)

    def card_windows(self, deposit_date):
        """``(days, card payments, gross)`` of every batch a deposit of that day could be (computed once a day)."""
        if deposit_date not in self._card_windows:
            windows = []
            for days in card_batch_windows(deposit_date, self.cards.keys(), self.policy):
                group = [item for day in days for item in self.cards[day]]
                windows.append((days, group, sum(item.residual for item in group)))
            self._card_windows[deposit_date] = windows
        return self._card_windows[deposit_date]

    def invoice_windows(self, deposit_date):
        """``(days, invoices, their residuals)`` of every batch window a card deposit of that day could pay."""
        if deposit_date not in self._invoice_windows:
            windows = []
            for days in card_batch_windows(deposit_date, self.invoice_days.keys(), self.policy):
                group = [item for day in days for item in self.invoice_days[day]]
                windows.append((days, group, [item.residual for item in group]))
            self._invoice_windows[deposit_date] = windows
        return self._invoice_windows[deposit_date]

    def quoted(self, label):
        """``(item, reference)`` pairs whose reference the label quotes verbatim, each item once, by item id.

        A reference counts as a whole token of the label, or, from six
        characters on, anywhere in the label once spaces and punctuation go.
        """
        whole = normalize(label)
        keys = {normalize(token) for token in _TOKEN.findall(label or "")}
        for end in range(_LONG_KEY, len(whole) + 1):
            ending = [
                key for key in self.long_keys.get(whole[end - _LONG_KEY : end], ()) if whole.endswith(key, 0, end)
            ]
            # Only the longest reference ending there: ``RINV202600001`` quotes the credit note, not ``INV202600001``.
            if ending:
                longest = max(map(len, ending))
                keys.update(key for key in ending if len(key) == longest)
        found = {}
        for key in keys:
            for item, ref in self.by_key.get(key, ()):
                found.setdefault(item.id, (item, ref))
        return [found[item_id] for item_id in sorted(found)]

    def named(self, line):
        """``{item id: (strength, reference)}`` of the items the line's texts name, strong mentions first."""
        if self._named[0] == line:  # asked again for the partner its name resolves to
            return self._named[1]
        found = {}
        for text in _texts(line):
            for item, ref in self.quoted(text[:2000]):
                found.setdefault(item.id, ("strong", ref))
        for (item_id, ref), strength in sorted(self.references.named(*_texts(line)).items()):
            if found.get(item_id, ("weak",))[0] != "strong":
                found[item_id] = (strength, ref)
        self._named = (line, found)
        return found


def _same_direction(line, item):
    return (line.amount > 0 and item.residual > 0) or (line.amount < 0 and item.residual < 0)


def _date_bonus(line, items):
    """A little confidence for items dated shortly before the line, none for later ones."""
    latest = max(item.date for item in items)
    if latest > line.date:
        return -0.1
    return 0.04 if (line.date - latest).days <= 45 else 0.0


def _short_payment(line, total, policy):
    """The line pays ``total`` less by a small share (a fee, a discount): ``shortfall`` cents, else 0."""
    shortfall = abs(total) - abs(line.amount)
    return shortfall if 0 < shortfall * 10_000 <= abs(total) * policy.max_deduction_bps else 0


def _one_reference(line, item, mention, partner_id, policy):
    """What one named item (``mention``: strength, reference) says: exact, partial or short payment, or more."""
    # Another partner's document named on a line of a known partner: worth a look, not a booking.
    strength, ref = mention
    penalty = 0.15 if partner_id and item.partner_id and item.partner_id != partner_id else 0.0
    if strength == "weak":
        if item.residual != line.amount:
            return None
        same = partner_id and item.partner_id == partner_id
        reason = f"number of {ref} in the bank label, exact amount" + (", same partner" if same else "")
        return Suggestion((item.id,), (0.93 if same else 0.88) - penalty, "reference", reason)
    if item.residual == line.amount:
        return Suggestion((item.id,), 0.99 - penalty, "reference", f"reference {ref} in the bank label, exact amount")
    if abs(line.amount) < abs(item.residual):
        short = _short_payment(line, item.residual, policy)
        what = f"pays {short / 100:.2f} less (fee or short payment)" if short else "partial payment"
        return Suggestion(
            (item.id,), 0.9 - penalty, "reference", f"reference {ref} in the bank label, {what}", partial=True
        )
    return Suggestion((item.id,), 0.5, "reference", f"reference {ref} in the bank label, but the line pays more")


def _several_references(line, named, policy):
    """One suggestion for several documents the label names, when their residuals add up to the line."""
    if len(named) < 2 or len(named) > policy.max_named_items:
        return
    total = sum(item.residual for item in named)
    ids = tuple(item.id for item in named)
    count = len(named)
    if total == line.amount:
        yield Suggestion(ids, 0.97, "references", f"{count} references in the bank label add up to the amount")
        return
    short = _short_payment(line, total, policy)
    if short:
        yield Suggestion(
            ids,
            0.9,
            "references",
            f"{count} references in the bank label, the line pays {short / 100:.2f} less (fee or short payment)",
            partial=True,
        )
        return
    found = fits(
        [abs(item.residual) for item in named],
        abs(line.amount),
        abs(line.amount),
        max_size=count,
        max_items=policy.max_named_items,
        max_steps=policy.max_subset_steps,
    )
    for subset in found.subsets:
        if len(subset) < 2:
            continue
        confidence = 0.93 if len(found.subsets) == 1 and found.complete else 0.8
        yield Suggestion(
            tuple(sorted(named[index].id for index in subset)),
            confidence,
            "references",
            f"{len(subset)} of the {count} references in the bank label add up to the amount",
        )


def _less_credits(line, documents, credits, index, *, partner_id, policy):
    """Documents named in the label paid less the payer's open credit notes (a vendor's refunds, for bills).

    The credit notes are those the label names too, else the one set of the
    partner's open credits that makes up the difference to the cent.  A
    customer deducting a credit note is common; a partial payment equal to
    an invoice less one of its credit notes, to the cent, is not.
    """
    owners = {item.partner_id for item in documents}
    if not documents or len(owners) != 1 or None in owners or (partner_id and owners != {partner_id}):
        return
    owner = owners.pop()
    total = sum(item.residual for item in documents)
    gap = abs(total) - abs(line.amount)  # what the credit notes bring
    if gap <= 0:
        return
    ids = tuple(item.id for item in documents)
    mentions = index.named(line)
    named_documents = ", ".join(mentions[item.id][1] for item in documents)
    named = [item for item in credits if item.partner_id == owner]
    if named and total + sum(item.residual for item in named) == line.amount:
        refs = ", ".join(mentions[item.id][1] for item in named)
        ids += tuple(item.id for item in named)
        yield Suggestion(
            ids, 0.97, "references", f"{named_documents} in the bank label, less credit note {refs}: exact amount"
        )
        return
    open_credits = sorted(
        (
            item
            for item in index.by_partner.get(owner, ())
            if not _same_direction(line, item) and not item.is_card and item.id not in ids
        ),
        key=lambda item: (item.date, item.id),
    )[: policy.max_partner_items_searched]
    found = fits(
        [abs(item.residual) for item in open_credits],
        gap,
        gap,
        max_size=policy.max_items_per_remittance,
        max_items=policy.max_partner_items_searched,
        max_steps=policy.max_subset_steps,
    )
    for subset in found.subsets:
        chosen = [open_credits[index] for index in subset]
        refs = ", ".join(item.references[0] if item.references else f"#{item.id}" for item in chosen)
        yield Suggestion(
            tuple(sorted(ids + tuple(item.id for item in chosen))),
            # Several fits: close to the partial-payment reading of the same label, so neither is booked alone.
            0.96 if len(found.subsets) == 1 and found.complete else 0.88,
            "references",
            f"{named_documents} in the bank label, less the partner's open credit note {refs}: exact amount",
        )


def _reference_suggestions(line, index, partner_id, policy):
    named = index.named(line)
    strong, every, credits = [], [], []
    for item_id, (strength, ref) in sorted(named.items()):
        item = index.by_id[item_id]
        if not _same_direction(line, item):
            if not item.is_card:
                credits.append(item)
            continue
        suggestion = _one_reference(line, item, (strength, ref), partner_id, policy)
        if suggestion:
            yield suggestion
        every.append(item)
        if strength == "strong":
            strong.append(item)
    yield from _several_references(line, strong, policy)
    yield from _less_credits(line, strong or every, credits, index, partner_id=partner_id, policy=policy)
    # Bare numbers (``INVOICES 116/117/118``) name several documents only when they add up to the cent.
    if len(every) > len(strong) and 2 <= len(every) <= policy.max_named_items:
        if sum(item.residual for item in every) == line.amount:
            yield Suggestion(
                tuple(item.id for item in every),
                0.95,
                "references",
                f"{len(every)} document numbers in the bank label add up to the amount",
            )


def _partner_suggestions(line, partner_items, policy, why="same partner", lift=0.0):
    """Suggestions from the partner's open items; ``why`` says how the partner is known, ``lift`` lowers trust."""
    exact = [item for item in partner_items if item.residual == line.amount]
    for item in exact:
        confidence = 0.87 + _date_bonus(line, [item]) - lift
        yield Suggestion((item.id,), confidence, "amount_partner", f"{why}, exact amount")
    if exact:
        return
    searched = sorted(partner_items, key=lambda item: (item.date, item.id))[: policy.max_partner_items_searched]
    for size in range(2, policy.max_items_per_remittance + 1):
        for group in combinations(searched, size):
            if sum(item.residual for item in group) == line.amount:
                yield Suggestion(
                    tuple(item.id for item in group),
                    0.86 - lift,
                    "amount_partner",
                    f"{why}, {size} open items add up to the amount",
                )
    if len(partner_items) == 1 and abs(line.amount) < abs(partner_items[0].residual):
        yield Suggestion(
            (partner_items[0].id,),
            0.7 - lift,
            "partial",
            f"{why}, partner's only open item, partial payment",
            partial=True,
        )


def _counterparty(line, index):
    """``(partner id, why, lift)`` of the partner the line's counterparty name resolves to, or None."""
    # A typo'd name in free text is only sought when some open item has the amount it would confirm.
    fuzzy = line.amount in index.by_amount
    resolved = index.names.resolve(line.partner_name, " ".join(_texts(line)), fuzzy=fuzzy)
    if resolved is None:
        return None
    partner_id, score, strong = resolved
    shown = (line.partner_name or "the label").strip()[:40]
    why = f"counterparty {shown!r} is the partner (name {score:.0f}% alike)"
    return partner_id, why, 0.0 if strong else 0.1


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


def _fee_confidence(gross, fee, policy, exact=0.96, tolerated=0.8):
    """Confidence that ``fee`` is the processor's on ``gross``: exact rate (to the cent), within tolerance, or None."""
    if fee < 0 or gross <= 0:
        return None
    expected = round(gross * policy.card_fee_bps / 10_000)
    if abs(fee - expected) <= 1:
        return exact
    if abs(fee * 10_000 - gross * policy.card_fee_bps) <= gross * policy.card_fee_tolerance_bps:
        return tolerated
    return None


def _days_label(days):
    return "+".join(day.strftime("%a %b %d") for day in days)


def _card_batch_suggestions(line, index, policy):
    """Card batches ``line`` could be, from the index's open card payments by day."""
    if line.amount <= 0 or not index.cards:
        return
    for days, group, gross in index.card_windows(line.date):
        fee = gross - line.amount
        confidence = _fee_confidence(gross, fee, policy)
        if confidence is None:
            continue
        span = "weekend batch " if len(days) > 1 else ""
        yield Suggestion(
            tuple(item.id for item in group),
            confidence,
            "card_batch",
            f"{span}{len(group)} card payments ({_days_label(days)}), fee {fee / 100:.2f} = {fee * 100 / gross:.2f}%",
            fee=fee,
        )


def _looks_like_card_deposit(line, policy):
    words = f" {' '.join(_WORDS.findall(fold(' '.join((line.partner_name, *_texts(line))))))} "
    return any(f" {word} " in words for word in policy.card_processor_words)


def _gross_band(net, bps, spread_bps):
    """Gross amounts whose net of ``bps`` (± ``spread_bps``) could be ``net``, widened by a cent each way."""
    # A rate of 100 % or more (a mistyped setting) would divide by zero: the band stops short of it.
    low = net * 10_000 // (10_000 - min(max(bps - spread_bps, 0), 9_000))
    high = -(-net * 10_000 // (10_000 - min(bps + spread_bps, 9_000)))
    return low - 1, high + 1


def _invoice_batch_suggestions(line, index, policy):
    """A card processor's deposit paying a few customers' invoices directly, net of its fee.

    Invoices dated within a batch window are searched for subsets whose
    total, less the processor's fee, is the deposit: to the cent at the
    configured rate first, else within the tolerance (suggestions only).  An
    exact fit is booked when it is the only one over every window (0.9), or
    the only one of the nearest window that has any (0.87): a processor pays
    out the day before's payments, so a fit of older days is the less likely.
    """
    if line.amount <= 0 or not index.invoice_days or not _looks_like_card_deposit(line, policy):
        return
    windows = index.invoice_windows(line.date)
    for spread, exact in ((0, True), (policy.card_fee_tolerance_bps, False)):
        found, searches = _window_fits(line, policy, windows, spread, exact)
        if not found:
            continue
        nearest = min(position for position, _days, _gross in found.values())
        in_nearest = [chosen for chosen, (position, _days, _gross) in found.items() if position == nearest]
        complete = all(searches)
        sure = exact and complete and len(found) == 1
        first = exact and searches[nearest] and len(in_nearest) == 1 and not sure
        for chosen, (_position, days, gross) in sorted(found.items()):
            fee = gross - line.amount
            confidence, note = 0.75, " (another set fits too)"
            if sure:
                confidence, note = 0.9, ""
            elif first and chosen == in_nearest[0]:
                confidence, note = 0.87, " (the nearest batch days' only fit; older days fit another set)"
            yield Suggestion(
                chosen,
                confidence,
                "card_invoices",
                f"card deposit: {len(chosen)} invoices of {_days_label(days)} add up to it plus a fee of "
                f"{fee / 100:.2f} = {fee * 100 / gross:.2f}%{note}",
                fee=fee,
            )
        return


def _window_fits(line, policy, windows, spread, exact):
    """``({invoice ids: (first window position, days, gross)}, [search complete per window])``."""
    low, high = _gross_band(line.amount, policy.card_fee_bps, spread)
    found, searches = {}, []
    for position, (days, group, residuals) in enumerate(windows):
        search = fits(
            residuals,
            low,
            high,
            max_size=policy.max_batch_size,
            max_items=policy.max_batch_invoices,
            max_steps=policy.max_subset_steps,
            limit=3,
        )
        searches.append(search.complete)
        for subset in search.subsets:
            chosen = tuple(sorted(group[index_].id for index_ in subset))
            gross = sum(group[index_].residual for index_ in subset)
            if not exact or _fee_confidence(gross, gross - line.amount, policy) == 0.96:
                found.setdefault(chosen, (position, days, gross))
    return found, searches


def suggest(line, items, policy, partners=()):
    """Every plausible way to settle ``line``, most confident first, one suggestion per set of items.

    References, card batches, then (when nothing is near-certain yet) the
    partner the bank's counterparty name resolves to, the partner's open
    items, exact amounts, and card deposits paying invoices directly.

    ``items`` is a list of :class:`OpenItem` or, for many lines, an :class:`ItemIndex` built once
    (``partners`` then go to the index).
    """
    index = items if isinstance(items, ItemIndex) else ItemIndex(items, policy, partners)
    found = list(_reference_suggestions(line, index, line.partner_id, policy))
    found.extend(_card_batch_suggestions(line, index, policy))
    # Names are only read when no near-certain match is there already (most of a feed): they cost the most.
    counterparty = None
    if not line.partner_id and not any(s.confidence >= _NEAR_CERTAIN for s in found):
        counterparty = _counterparty(line, index)
        if counterparty:
            found.extend(_reference_suggestions(line, index, counterparty[0], policy))
    partner_id = line.partner_id or (counterparty[0] if counterparty else None)
    if partner_id:
        why, lift = ("same partner", 0.0) if line.partner_id else counterparty[1:]
        partner_items = [item for item in index.by_partner.get(partner_id, ()) if _same_direction(line, item)]
        found.extend(_partner_suggestions(line, partner_items, policy, why, lift))
    if not line.partner_id:
        found.extend(
            Suggestion((item.id,), 0.6, "amount", "exact amount, no partner to confirm it")
            for item in index.by_amount.get(line.amount, ())
            if not partner_id or item.partner_id != partner_id
        )
    if not partner_id and not any(s.confidence >= policy.auto_threshold for s in found):
        found.extend(_invoice_batch_suggestions(line, index, policy))
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


def _instalments(item, owners, chosen, amounts):
    """Several lines each paying part of one item, together no more than it owes: each may take its part."""
    decisions = [chosen[line_id][0] for line_id in owners]
    return all(d.partial and d.item_ids == (item.id,) for d in decisions) and sum(
        amounts[line_id] for line_id in owners
    ) <= abs(item.residual)


def plan_auto_reconcile(lines, items, policy, partners=()):
    """Decide every line; an item wanted by two lines goes to neither, which both stay for review.

    Instalments are the exception: lines that each pay part of one item, and
    together no more than its residual, all keep their part.

    >>> p = MatchPolicy()
    >>> it = [OpenItem(1, date(2026, 1, 5), 500, 3)]
    >>> twins = [BankLine(7, date(2026, 1, 9), 500, "", 3), BankLine(8, date(2026, 1, 9), 500, "", 3)]
    >>> plan = plan_auto_reconcile(twins, it, p)
    >>> plan.matches, sorted(plan.left)
    ({}, [7, 8])
    """
    chosen, left = {}, {}
    index = ItemIndex(items, policy, partners)
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
    amounts = {line.id: abs(line.amount) for line in lines}
    contested = {
        line_id
        for item_id, owners in claims.items()
        if len(owners) > 1 and not _instalments(index.by_id[item_id], owners, chosen, amounts)
        for line_id in owners
    }
    matches = {}
    for line_id, (decision, suggestions) in chosen.items():
        if line_id in contested:
            left[line_id] = suggestions
        else:
            matches[line_id] = decision
    return AutoPlan(matches=matches, left=left)
