"""Which partner a bank's counterparty name is: normalized names compared with rapidfuzz.

Banks write the payer as they store it: upper case, no accents, legal
suffixes kept or dropped, words abbreviated, cut at the field's width.  Names
are compared once reduced to their core words (:func:`core_name`): case,
accents, punctuation, ``&``/``AND``/``ET``, legal suffixes (INC, LTD, LLC, CORP, CO,
LTÉE…), a leading ``THE`` and common abbreviations do not count.  A cut name
matches the name it is the beginning of; small typos and reordered words
score through ``rapidfuzz``.

>>> core_name("The Ottawa Valley Care Inc.")
'OTTAWA VALLEY CARE'
>>> core_name("Côté & Fils Ltée")
'COTE AND FILS'
>>> names = NameIndex([(1, "Ottawa Valley Care Inc."), (2, "Northern Lights Plumbing & Heating Ltd")])
>>> names.partners("OTTAWA VALLEY CARE INC")
((1, 100.0),)
>>> names.partners("NORTHERN LIGHTS PLUMBING AND HEA")[0][0]
2
>>> names.partners("ACME TOOLS")
()
"""

import bisect
import re

from rapidfuzz import fuzz, process

from .bank_references import fold

_WORD = re.compile(r"[A-Z0-9]+")
LEGAL_SUFFIXES = frozenset(
    {
        "INC",
        "INCORPORATED",
        "LTD",
        "LIMITED",
        "LTEE",
        "LLC",
        "LLP",
        "LP",
        "CORP",
        "CORPORATION",
        "CO",
        "COMPANY",
        "CIE",
        "PLC",
        "ULC",
        "ENR",
        "GMBH",
        "SARL",
        "SA",
        "SAS",
        "SENC",
        "PC",
    }
)
ABBREVIATIONS = {
    "ASSOC": "ASSOCIATES",
    "ASSOCS": "ASSOCIATES",
    "BROS": "BROTHERS",
    "CDN": "CANADIAN",
    "CNTR": "CENTRE",
    "CTR": "CENTRE",
    "CENTER": "CENTRE",
    "CONST": "CONSTRUCTION",
    "CONSTR": "CONSTRUCTION",
    "DIST": "DISTRIBUTION",
    "ELEC": "ELECTRIC",
    "ENGR": "ENGINEERING",
    "ENT": "ENTERPRISES",
    "GRP": "GROUP",
    "HLDGS": "HOLDINGS",
    "HTG": "HEATING",
    "INDS": "INDUSTRIES",
    "INTL": "INTERNATIONAL",
    "MFG": "MANUFACTURING",
    "MGMT": "MANAGEMENT",
    "MGT": "MANAGEMENT",
    "PLBG": "PLUMBING",
    "PRODS": "PRODUCTS",
    "SERV": "SERVICES",
    "SVC": "SERVICES",
    "SVCS": "SERVICES",
    "SOLNS": "SOLUTIONS",
    "SYS": "SYSTEMS",
    "TECH": "TECHNOLOGIES",
    "TECHS": "TECHNOLOGIES",
    "TRANSP": "TRANSPORT",
}
# A name is compared on at least this many characters: shorter ones ("ACE") say too little.
_MIN_CORE = 5
# A cut name must keep this many characters to stand for the whole.
_MIN_CUT = 10
_STRONG = 90.0
_FUZZY_CUTOFF = 85.0


def _words(name):
    # O'Brien is OBRIEN to a bank, not O BRIEN.
    text = fold(name).replace("&", " AND ").replace("'", "").replace("\u2019", "")
    return ["AND" if word == "ET" else word for word in _WORD.findall(text)]


def _sorted_words(text):
    return " ".join(sorted(text.split()))


def full_name(name):
    """Words of a name with its suffixes, as a bank prints (and cuts) it.

    >>> full_name("Northern Lights Plumbing & Heating, Ltd.")
    'NORTHERN LIGHTS PLUMBING AND HEATING LTD'
    """
    return " ".join(_words(name))


def core_name(name):
    """The words that identify a name: no legal suffix, no leading THE, abbreviations written out."""
    words = [ABBREVIATIONS.get(word, word) for word in _words(name)]
    while words and words[0] == "THE":
        words = words[1:]
    return " ".join(word for word in words if word not in LEGAL_SUFFIXES)


class NameIndex:
    """Partners' names (own, commercial partner's, contacts', bank account holders'), to resolve a counterparty."""

    def __init__(self, pairs):
        self.by_core = {}
        cut_keys = set()
        for partner_id, name in pairs:
            core = core_name(name)
            if len(core.replace(" ", "")) < _MIN_CORE:
                continue
            self.by_core.setdefault(core, set()).add(partner_id)
            cut_keys.add((full_name(name), partner_id))
            cut_keys.add((core, partner_id))
        self.cores = sorted(self.by_core)
        # Words in order, once: ``token_sort_ratio`` would sort every known name again at every comparison.
        self.sorted_cores = [_sorted_words(core) for core in self.cores]
        # "MACDONALD ANNE" is Anne MacDonald: the same words in another order are the same name, typo or not.
        self.by_words = {}
        for core, sorted_core in zip(self.cores, self.sorted_cores, strict=True):
            self.by_words.setdefault(sorted_core, set()).update(self.by_core[core])
        self.cut = sorted(cut_keys)
        # A name found word by word in a label starts with one of these (``THE`` and abbreviations included),
        # or, written surname first, with its last word.
        self.first_words = {"THE", *ABBREVIATIONS}
        for text, _partner in self.cut:
            words = text.split()
            self.first_words.update((words[0], words[-1]))
        self._cache, self._text_cache = {}, {}

    def partners(self, name):
        """``((partner id, score 0-100), ...)`` the counterparty ``name`` may be, best first; () when none."""
        if not name or not self.cores:
            return ()
        key = full_name(name)[:200]
        if key not in self._cache:
            self._cache[key] = self._resolve(key)
        return self._cache[key]

    def _resolve(self, full):
        core = core_name(full)
        if len(core.replace(" ", "")) < _MIN_CORE:
            return ()
        scores = {}

        def score(partner_ids, value):
            for partner_id in partner_ids:
                scores[partner_id] = max(scores.get(partner_id, 0.0), value)

        score(self.by_core.get(core, ()) or self.by_words.get(_sorted_words(core), ()), 100.0)
        if len(full) >= _MIN_CUT:
            # Cut at the field's width: the name is the start of a known one (its last word may be cut too).
            for text in {full, core}:
                start = bisect.bisect_left(self.cut, (text,))
                while start < len(self.cut) and self.cut[start][0].startswith(text):
                    score((self.cut[start][1],), 96.0)
                    start += 1
        for match, value in self._fuzzy(core, _FUZZY_CUTOFF, 5):
            score(self.by_core[match], value)
        return tuple(sorted(scores.items(), key=lambda pair: (-pair[1], pair[0])))

    def _fuzzy(self, core, cutoff, limit):
        """``(known core, score)`` of the ``limit`` known names most like ``core`` (``token_sort_ratio``)."""
        found = process.extract(
            _sorted_words(core), self.sorted_cores, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit
        )
        if not found:
            # Sorted words catch a reordered name; the words as written, a typo that reordered them
            # (``SRVICE`` sorts after ``SKY``, ``SERVICE`` before it).
            found = process.extract(core, self.cores, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
        return [(self.cores[position], float(value)) for _match, value, position in found]

    def in_text(self, text, fuzzy=True):
        """``((partner id, score), ...)`` of the partners whose name a free-text label spells out, best first.

        Runs of one to six words are looked up whole (a one-word name needs six
        letters); the label's last words may also be a cut name or a name with
        a typo (banks print the counterparty last).
        """
        words = _words(text or "")[:60]
        if not words or not self.cores:
            return ()
        key = (" ".join(words), fuzzy)
        if key not in self._text_cache:
            self._text_cache[key] = self._in_words(words, fuzzy)
        return self._text_cache[key]

    def _in_words(self, words, fuzzy):
        scores = {}
        for start in range(len(words)):
            if words[start] not in self.first_words:
                continue
            for stop in range(start + 1, min(len(words), start + 6) + 1):
                window = " ".join(words[start:stop])
                core = core_name(window)
                if stop - start == 1 and len(core) < 6:
                    continue
                for partner_id in self.by_core.get(core, ()) or self.by_words.get(_sorted_words(core), ()):
                    scores[partner_id] = 100.0
                if stop == len(words) and len(window) >= _MIN_CUT:
                    begin = bisect.bisect_left(self.cut, (window,))
                    while begin < len(self.cut) and self.cut[begin][0].startswith(window):
                        scores.setdefault(self.cut[begin][1], 96.0)
                        begin += 1
        if not scores and fuzzy:
            for start in range(max(len(words) - 5, 0), len(words) - 1):
                core = core_name(" ".join(words[start:]))
                if len(core) < _MIN_CUT:
                    continue
                for match, value in self._fuzzy(core, _STRONG, 3):
                    for partner_id in self.by_core[match]:
                        scores[partner_id] = max(scores.get(partner_id, 0.0), value)
        return tuple(sorted(scores.items(), key=lambda pair: (-pair[1], pair[0])))

    def resolve(self, name, text="", fuzzy=True):
        """``(partner id, score, strong)`` when one partner clearly carries the name, else None.

        ``name`` is the bank's counterparty field; without a match there, the
        free-text ``text`` is searched.  Strong: a score of at least 90 and no
        other partner within 5 points.
        """
        found = self.partners(name) or self.in_text(text, fuzzy)
        if not found:
            return None
        partner_id, best = found[0]
        runner_up = found[1][1] if len(found) > 1 else 0.0
        if best - runner_up < 5:
            return None
        return partner_id, best, best >= _STRONG
