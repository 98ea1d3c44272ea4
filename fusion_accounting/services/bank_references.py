"""Document references as people write them in bank labels, and which open items they name.

A reference such as ``INV/2026/00116`` is read as a prefix (``INV``) and a
run of numbers (``2026``, ``116``).  A label names it when one of its number
runs ends with the same last number and is a subsequence of the reference's
numbers, so ``inv 2026-116``, ``INV2026116``, ``INV-116``, ``2026/00116`` and
``00116`` all name it, and ``INV/2025/00116`` does not (another year).  A
prefix written before the numbers must be the reference's own; other words
(``PMT``, ``PAYMENT``) say nothing, except the words for a document (``INVOICE``,
``FACTURE``, ``BILL``...), which back a number as its own prefix would.  Numbers following a prefixed one in a
list (``INV 116, 117 & 118``) keep that prefix.

A mention is *strong* when a prefix, the year or the verbatim zero-padded
number backs it; a bare number (``116``) is *weak*: it only confirms an
exact amount.

>>> index = ReferenceIndex([(1, "INV/2026/00116"), (2, "INV/2026/00117"), (3, "88812")])
>>> index.named("PMT inv2026-116 and 117, bill 88812")
{1: 'strong', 2: 'strong', 3: 'strong'}
>>> index.named("payment 116")
{1: 'weak'}
>>> index.named("INV/2025/00116")
{}
"""

import re
import unicodedata
from typing import NamedTuple

_PART = re.compile(r"[A-Z]+|[0-9]+")
_DIGITS = re.compile(r"[0-9]+")
_LETTERS = re.compile(r"[A-Z]+")
# Between two parts of one reference: nothing, or a short separator.
_JOINER = re.compile(r"[\s/\\\-_.#:]{0,3}")
# Words that continue a list of numbers without changing its prefix.
CONNECTORS = frozenset({"AND", "ET", "NO", "NOS", "NR", "NUM", "N", "REF", "Y", "E"})
# Words payers write before a document's number whatever its own prefix: they back the number as a prefix would.
DOCUMENT_WORDS = frozenset(
    {"INVOICE", "INVOICES", "INV", "INVS", "FACTURE", "FACTURES", "FACT", "FAC", "BILL", "BILLS"}
)
_ANY_PREFIX = "*"
_ASCII_DIGITS = "0123456789"
_MAX_RUN = 4
_MIN_BARE_DIGITS = 3


def fold(text):
    """Upper case without accents, so ``Facture n°`` and ``FACTURE N`` read alike."""
    if not text or text.isascii():
        return (text or "").upper()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


def _is_year(part, years):
    return len(part) == 4 and part.isdigit() and int(part) in years


class Reference(NamedTuple):
    """A reference read from an item: its prefix (may be empty), its numbers as ints, its last number verbatim."""

    # A tuple, not a dataclass: one is read for every reference of every open item, and a tuple is made faster.
    prefix: str
    numbers: tuple
    last_raw: str


def parse_reference(text):
    """The :class:`Reference` of an item's reference, or None when it has no number.

    >>> parse_reference("BILL/2026/03/0004")
    Reference(prefix='BILL', numbers=(2026, 3, 4), last_raw='0004')
    >>> parse_reference("Acme order") is None
    True
    """
    folded = fold(text)
    digits = _DIGITS.findall(folded)
    if not digits:
        return None
    letters = _LETTERS.search(folded)
    return Reference(letters.group() if letters else "", tuple(map(int, digits)), digits[-1])


# ``116-118``, ``116 THRU 118``, ``INV116-INV118``: a run of documents, written as its first and last numbers.
_RANGE = re.compile(
    r"(?<![0-9])([0-9]{3,})\s*(?:-|\u2013|THRU|THROUGH|TO|AU|A)\s*(?:[A-Z]{1,6}\s*)?([0-9]{3,})(?![0-9])"
)
_MAX_RANGE = 12


def expand_ranges(text):
    """``text`` with each short run of document numbers written out, its zeros kept.

    >>> expand_ranges("INVOICES 116-118"), expand_ranges("INV00116 THRU INV00118")
    ('INVOICES 116, 117, 118', 'INV00116, 00117, 00118')

    A date, a year span, a reference (``2026-0116``) or a long span stays as it is:

    >>> expand_ranges("2026-0116"), expand_ranges("2025-2026"), expand_ranges("100-900")
    ('2026-0116', '2025-2026', '100-900')
    """

    def written_out(match):
        first, last = match.group(1), match.group(2)
        low, high = int(first), int(last)
        if not 0 < high - low < _MAX_RANGE or 1990 <= low <= 2099:
            return match.group()
        return ", ".join(str(number).zfill(len(first)) for number in range(low, high + 1))

    return _RANGE.sub(written_out, fold(text))


def is_calendar_date(numbers):
    """Number parts a label gives as a calendar date, not as a document's numbers.

    ``2026-10-02``, ``02/10/2026``, ``10/02/2026`` and ``20261002``: a bank
    prints the day of a fee or a transfer, and ``2026-10`` of it would
    otherwise name document 10 of 2026.  A document number padded to three
    digits or more (``BILL/2026/03/0004``) is not a day.

    >>> is_calendar_date(["2026", "10", "02"]), is_calendar_date(["20261002"]), is_calendar_date(["31", "12", "2026"])
    (True, True, True)
    >>> is_calendar_date(["2026", "03", "0004"]), is_calendar_date(["2026", "116"])
    (False, False)
    >>> is_calendar_date(["2026", "13", "40"])
    False
    """
    if len(numbers) == 1 and len(numbers[0]) == 8:
        numbers = [numbers[0][:4], numbers[0][4:6], numbers[0][6:]]
    if len(numbers) != 3:
        return False
    if len(numbers[0]) == 4:
        year, *rest = numbers
    elif len(numbers[2]) == 4:
        *rest, year = numbers
    else:
        return False
    if not 1990 <= int(year) <= 2099 or any(len(part) > 2 for part in rest):
        return False
    first, second = (int(part) for part in rest)
    # Either order of day and month (ISO, Canadian and American habits).
    return any(1 <= month <= 12 and 1 <= day <= 31 for month, day in ((first, second), (second, first)))


def _groups(label, prefixes):
    """``(prefix, [number parts])`` groups of a label: numbers joined by short separators, under a known prefix."""
    text = fold(label)
    prefix, numbers, end = "", [], 0
    for match in _PART.finditer(text):
        part, joined = match.group(), bool(_JOINER.fullmatch(text[end : match.start()]))
        end = match.end()
        if part.isalpha():
            if numbers:
                yield prefix, numbers
                numbers = []
            if part in prefixes:
                prefix = part
            elif part in DOCUMENT_WORDS:
                prefix = _ANY_PREFIX
            elif part not in CONNECTORS:
                prefix = ""
            continue
        if numbers and not joined:
            yield prefix, numbers
            numbers = []
        numbers.append(part)
    if numbers:
        yield prefix, numbers


def _runs(numbers, years):
    """Contiguous runs of up to ``_MAX_RUN`` numbers; a long number opening with a year also splits in two."""
    expanded = []
    for part in numbers:
        if len(part) >= 7 and _is_year(part[:4], years):
            expanded.append((part[:4], part[4:]))
        expanded.append((part,))
    flat = [part for group in expanded for part in group]
    seen = set()
    for sequence in (numbers, flat):
        for start in range(len(sequence)):
            # A number written after a year belongs to that year: ``INV/2025/00116`` is not ``INV/2026/00116``.
            if start and _is_year(sequence[start - 1], years):
                continue
            for stop in range(start + 1, min(len(sequence), start + _MAX_RUN) + 1):
                # Nor is a year followed by its number a document number on its own.
                if stop < len(sequence) and _is_year(sequence[stop - 1], years):
                    continue
                run = tuple(sequence[start:stop])
                if run not in seen:
                    seen.add(run)
                    yield run


def _subsequence_ending(run, numbers):
    """``run`` (ints) is a subsequence of ``numbers`` that ends with its last number."""
    if not numbers or run[-1] != numbers[-1]:
        return False
    position = len(numbers) - 1
    for value in reversed(run[:-1]):
        position -= 1
        while position >= 0 and numbers[position] != value:
            position -= 1
        if position < 0:
            return False
    return True


def _strength(prefix, run, numbers, reference):
    """``strong``, ``weak`` or None: how well a label's number ``run`` (``numbers`` as ints) names ``reference``."""
    if not _subsequence_ending(numbers, reference.numbers):
        return None
    # Numbers may skip some of the reference's (``INV 2026-116`` for ``INV/2026/03/0116``) only under its own
    # prefix: ``INV/2026/00001`` does not name ``RBILL/2026/02/0001``, whose month it would skip.
    if len(numbers) >= 2 and prefix != reference.prefix and tuple(numbers) != reference.numbers[-len(numbers) :]:
        return None
    if prefix in DOCUMENT_WORDS:  # "INV" in a label may be any invoice's word, even where INV is a prefix
        prefix = _ANY_PREFIX
    if prefix and prefix != _ANY_PREFIX and reference.prefix and prefix != reference.prefix:
        return None
    if (prefix and prefix in (reference.prefix, _ANY_PREFIX)) or len(run) >= 2:
        return "strong"
    raw = run[-1]
    if raw == reference.last_raw and len(raw) >= 4 and (raw.startswith("0") or len(reference.numbers) == 1):
        return "strong"
    return "weak" if len(raw) >= _MIN_BARE_DIGITS and raw.lstrip("0") == raw else None


class ReferenceIndex:
    """``(key, reference text)`` pairs indexed by last number, to find the keys a label names.

    A reference is parsed when a label quotes its last number, not when it is
    indexed: an index holds every open item's references (tens of thousands)
    and a run of labels quotes few of them.  Indexing reads the last number
    off the end of the text and parses one reference per distinct text before
    it (``INV/2026/`` for all of ``INV/2026/00001`` to ``INV/2026/09999``): the
    prefixes and years labels are read with are the same for all of them.
    """

    def __init__(self, pairs):
        self.by_last = {}  # last number: [(key, text)]
        self.prefixes, self.years = set(), set()
        self._parsed = {}  # last number: [(key, Reference)], once a label quoted it
        read_heads = set()
        for key, text in pairs:
            head = text.rstrip(_ASCII_DIGITS)
            # ASCII only: ``fold`` may turn other characters into digits, and the numbers would not be the tail's.
            simple = head != text and text.isascii()
            if simple and head in read_heads:
                last = int(text[len(head) :])
                if last:
                    self.by_last.setdefault(last, []).append((key, text))
                continue
            reference = parse_reference(text)
            if reference is None or reference.numbers[-1] == 0:
                continue
            self.by_last.setdefault(reference.numbers[-1], []).append((key, text))
            if reference.prefix:
                self.prefixes.add(reference.prefix)
            # Years are those near the ones references open with: ``INV 2058 2060`` lists two invoices of 2026.
            if len(reference.numbers) >= 2 and 1990 <= reference.numbers[0] <= 2099:
                self.years.update(range(reference.numbers[0] - 5, reference.numbers[0] + 6))
            if simple:
                read_heads.add(head)

    def _references(self, number):
        """``[(key, Reference)]`` of the references ending with ``number``, parsed on the first call."""
        parsed = self._parsed.get(number)
        if parsed is None:
            parsed = [(key, parse_reference(text)) for key, text in self.by_last.get(number, ())]
            self._parsed[number] = parsed
        return parsed

    def _may_name(self, text):
        for digits in _DIGITS.findall(text):
            if int(digits) in self.by_last or (len(digits) >= 7 and int(digits[4:]) in self.by_last):
                return True
        return False

    def named(self, *texts):
        """``{key: 'strong' | 'weak'}`` of every reference the texts name, the strongest mention kept."""
        found = {}
        for text in texts:
            # Most labels quote no number any reference ends with: nothing to parse then.
            if not text or not self._may_name(text[:2000]):
                continue
            for prefix, numbers in _groups(expand_ranges(text[:2000]), self.prefixes):
                # A date, unless a document's own prefix introduces it.
                if prefix not in self.prefixes and is_calendar_date(numbers):
                    continue
                for run in _runs(numbers, self.years):
                    if int(run[-1]) not in self.by_last:
                        continue
                    values = tuple(int(part) for part in run)
                    mentions = [
                        (key, reference, strength)
                        for key, reference in self._references(values[-1])
                        if (strength := _strength(prefix, run, values, reference))
                    ]
                    # A word that is some references' own prefix names those, when one has the numbers.
                    if any(reference.prefix == prefix for _key, reference, _strength in mentions):
                        mentions = [mention for mention in mentions if mention[1].prefix == prefix]
                    for key, _reference, strength in mentions:
                        if found.get(key) != "strong":
                            found[key] = strength
        return found
