"""Documents that look entered twice, and why: the audit's duplicate bills and duplicate entries.

A vendor bill is a copy of another of the same company, vendor, type and total when both
carry the same vendor reference, however typed and up to ``REFERENCE_WINDOW_DAYS`` apart
(entered at receipt, then again from the statement; or with the date mistyped); or, when the
references cannot tell them apart (one is missing, or the vendor puts the same account
number on every bill), when their dates are within a few days.  Two bills with different
references are two bills, however alike: weekly services, two deliveries of one week.

>>> from datetime import date
>>> bills = [Document(1, 1, 5, 25000, date(2026, 3, 2), "INV-1234"),
...          Document(2, 1, 5, 25000, date(2026, 4, 2), "inv 1234"),     # the same bill, a month later
...          Document(3, 1, 5, 25000, date(2026, 3, 9), "INV-1241"),     # next week's service
...          Document(4, 1, 5, 25000, date(2026, 3, 9), "")]             # entered again, no reference
>>> [(g.ids, g.reasons) for g in bill_duplicates(bills, window_days=3)]  # doctest: +NORMALIZE_WHITESPACE
[((1, 2), ('same vendor reference INV-1234 (typed inv 1234), bill dates 31 days apart',)),
 ((3, 4), ('same vendor and total (250.00) and no vendor reference to tell them apart, same bill date',))]

A journal entry is a copy of another of the same journal, date, partner, reference and total,
unless each settles documents of its own (two equal card payments, each of its invoice):

>>> entries = [Document(7, 1, None, 34465, date(2026, 3, 2), "Card payment", "misc", frozenset({70})),
...            Document(8, 1, None, 34465, date(2026, 3, 2), "card payment", "misc", frozenset({80})),
...            Document(9, 1, None, 34465, date(2026, 3, 2), "Card payment", "misc")]
>>> [(g.ids, g.reasons) for g in entry_duplicates(entries)]  # doctest: +NORMALIZE_WHITESPACE
[((7, 9), ('same journal, date, partner, reference and total (344.65), and it settles nothing of its own',))]
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from .bank_references import CONNECTORS, DOCUMENT_WORDS, fold

# Bills compared: drafts too, so a copy is caught before it is paid; a cancelled copy is already dealt with.
BILL_STATES = ("draft", "posted")
# A copy with the bill's own number: a month later (receipt, then statement), or its date
# mistyped (day and month swapped, last year's): the number tells, not the date.
REFERENCE_WINDOW_DAYS = 400
# Days between two bills whose references cannot tell them apart (the setting's default): a copy
# with its bill date typed from the statement; a weekly service stays out.
DEFAULT_WINDOW_DAYS = 3
# A reference on the vendor's bills of this many months is an account number, not an invoice's.
STANDING_MONTHS = 3
_TOKEN = re.compile(r"[A-Z]+|[0-9]+")


@dataclass(frozen=True)
class Document:
    """A bill or an entry as the checks see it; ``kind`` must also be equal (the move type, the journal)."""

    id: int
    company_id: int
    partner_id: int | None
    amount: int  # cents
    date: date
    ref: str = ""
    kind: object = None
    settles: frozenset = frozenset()  # ids of the documents its items are reconciled with


@dataclass(frozen=True)
class DuplicateGroup:
    """An original (the first id, in date order) and its copies, each copy with the reason it is one."""

    ids: tuple
    partner_id: int | None
    amount: int
    first_date: date
    last_date: date
    reasons: tuple  # one per copy, in the order of ids[1:]


@dataclass(frozen=True)
class ReferenceKey:
    """A reference read for comparison: its words (document words dropped) and its numbers as ints.

    >>> reference_key("INV-01234") == reference_key("#1234") == reference_key("No. 1234")
    True
    >>> reference_key("Rent March 2026") == reference_key("Rent April 2026"), reference_key("  ")
    (False, None)
    """

    words: tuple
    numbers: tuple


def reference_key(text):
    """The :class:`ReferenceKey` of a reference, or None when it holds neither letters nor digits."""
    tokens = _TOKEN.findall(fold(text))
    if not tokens:
        return None
    words = tuple(t for t in tokens if t.isalpha() and t not in DOCUMENT_WORDS and t not in CONNECTORS)
    return ReferenceKey(words, tuple(int(t) for t in tokens if t.isdigit()))


def same_reference(one, other):
    """Two references name one document: the numbers of one end the other's, and the words agree or one has none.

    So ``ACME/2026/001234``, ``2026-1234``, ``acme 1234`` and ``1234`` are one reference, and
    ``ACME-1234`` and ``ACME-1235``, or ``Rent March 2026`` and ``Rent April 2026``, are two.

    >>> same_reference(reference_key("ACME/2026/001234"), reference_key("1234"))
    True
    >>> same_reference(reference_key("PO 1234"), reference_key("CN 1234"))
    False
    """
    if one.words and other.words and one.words != other.words:
        return False
    short, long = sorted((one.numbers, other.numbers), key=len)
    if not short:
        return not long and one.words == other.words
    # A bare number that short could end any reference: it must be the whole of both.
    if len(short) < len(long) and short[-1] < 100:
        return False
    return long[len(long) - len(short) :] == short


def lookback_days(window_days):
    """How far before a period its bills' originals may lie."""
    return max(window_days, REFERENCE_WINDOW_DAYS)


def bill_duplicates(bills, window_days):
    """Groups of bills entered twice, in date order of their first bill (see the module).

    Bills without vendor or total are never duplicates: too many legitimate documents share those.
    """
    buckets = defaultdict(list)
    for bill in bills:
        if bill.amount and bill.partner_id:
            buckets[bill.company_id, bill.kind, bill.partner_id, bill.amount].append(bill)
    standing = _standing_references(bills)
    groups = []
    for docs in buckets.values():
        docs.sort(key=lambda doc: (doc.date, doc.id))
        keys = {
            doc.id: None if (doc.partner_id, doc.company_id, doc.ref) in standing else reference_key(doc.ref)
            for doc in docs
        }
        links = _UnionFind()
        for earlier, doc in _pairs(docs, REFERENCE_WINDOW_DAYS):
            if keys[earlier.id] and keys[doc.id] and same_reference(keys[earlier.id], keys[doc.id]):
                links.join(earlier, doc, _reference_reason(earlier, doc))
        # A bill whose number already names its original is not also the copy of a bill without one.
        numbered = set(links.docs)
        for earlier, doc in _pairs(docs, window_days):
            unread = [d for d in (earlier, doc) if not keys[d.id]]
            if unread and not numbered & {d.id for d in (earlier, doc) if keys[d.id]}:
                links.join(earlier, doc, _unread_reason(earlier, doc, unread, standing))
        groups += links.groups()
    return sorted(groups, key=lambda group: (group.first_date, group.ids))


def _standing_references(bills):
    """``{(vendor, company, reference)}`` of the references written on a vendor's bills of STANDING_MONTHS months."""
    months = defaultdict(set)
    texts = defaultdict(set)
    for bill in bills:
        key = reference_key(bill.ref)
        if key and bill.partner_id:
            months[bill.partner_id, bill.company_id, key].add((bill.date.year, bill.date.month))
            texts[bill.partner_id, bill.company_id, key].add(bill.ref)
    return {
        (partner, company, text)
        for (partner, company, key), seen in months.items()
        if len(seen) >= STANDING_MONTHS
        for text in texts[partner, company, key]
    }


def _pairs(docs, days):
    """``(earlier, later)`` pairs of ``docs`` (in date order) at most ``days`` apart."""
    for index, doc in enumerate(docs):
        for earlier in reversed(docs[:index]):
            if (doc.date - earlier.date).days > days:
                break
            yield earlier, doc


def _apart(earlier, doc):
    gap = (doc.date - earlier.date).days
    return "same bill date" if gap == 0 else f"bill dates {gap} days apart"


def _reference_reason(earlier, doc):
    typed = "" if earlier.ref == doc.ref else f" (typed {doc.ref})"
    return f"same vendor reference {earlier.ref}{typed}, {_apart(earlier, doc)}"


def _unread_reason(earlier, doc, unread, standing):
    """Why two bills of one vendor and total whose references cannot tell them apart look like one."""
    account = next((d.ref for d in unread if (d.partner_id, d.company_id, d.ref) in standing), None)
    why = f"only the reference {account} the vendor puts on every bill" if account else "no vendor reference"
    return f"same vendor and total ({_money(doc.amount)}) and {why} to tell them apart, {_apart(earlier, doc)}"


def entry_duplicates(entries):
    """Groups of entries posted twice: same company, journal, date, partner, reference and total.

    Of a group, the entries that settle documents no other of the group settles are genuine
    (equal pay or card payments of one day, each of its own slip or invoice); an entry that
    settles nothing of its own is a copy: the original already did.  A group whose entries all
    settle their own documents is no group.
    """
    buckets = defaultdict(list)
    for entry in entries:
        if entry.amount:
            buckets[
                entry.company_id, entry.kind, entry.date, entry.partner_id, entry.amount, reference_key(entry.ref)
            ].append(entry)
    groups = []
    for docs in buckets.values():
        if len(docs) < 2:
            continue
        docs.sort(key=lambda doc: doc.id)
        own = [doc for doc in docs if doc.settles - set().union(*(d.settles for d in docs if d is not doc))]
        copies = [doc for doc in docs if doc not in own]
        if not copies:
            continue
        same = f"same journal, date, partner, reference and total ({_money(docs[0].amount)})"
        if own:
            ids, reasons = (own[0], *copies), (f"{same}, and it settles nothing of its own",) * len(copies)
        else:
            ids, reasons = tuple(copies), (same,) * (len(copies) - 1)
        groups.append(_group(ids, reasons))
    return sorted(groups, key=lambda group: (group.first_date, group.ids))


def _group(docs, reasons):
    return DuplicateGroup(
        tuple(d.id for d in docs),
        docs[0].partner_id,
        docs[0].amount,
        docs[0].date,
        max(d.date for d in docs),
        tuple(reasons),
    )


def _money(cents):
    return f"{cents / 100:.2f}"


class _UnionFind:
    """Documents joined by links into groups; a document keeps the reason of its first link."""

    def __init__(self):
        self.parent, self.docs, self.reason = {}, {}, {}

    def find(self, doc_id):
        while self.parent[doc_id] != doc_id:
            self.parent[doc_id] = self.parent[self.parent[doc_id]]
            doc_id = self.parent[doc_id]
        return doc_id

    def join(self, earlier, doc, reason):
        for d in (earlier, doc):
            self.parent.setdefault(d.id, d.id)
            self.docs[d.id] = d
        # The later document of a link is its copy; the earlier one's reason serves when it has no earlier link.
        as_copy, _reason = self.reason.get(doc.id, (False, None))
        if not as_copy:
            self.reason[doc.id] = (True, reason)
        self.reason.setdefault(earlier.id, (False, reason))
        self.parent[self.find(doc.id)] = self.find(earlier.id)

    def groups(self):
        members = defaultdict(list)
        for doc_id, doc in self.docs.items():
            members[self.find(doc_id)].append(doc)
        found = []
        for docs in members.values():
            docs.sort(key=lambda doc: (doc.date, doc.id))
            found.append(_group(docs, [self.reason[d.id][1] for d in docs[1:]]))
        return found
