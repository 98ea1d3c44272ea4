"""Learn from match history: similar past decisions move a new match's confidence.

Design 5.2 gives the model the recent history as text; this is its
deterministic counterpart.  A new match is compared with past decided matches
on four facets: partner, label words, amount pattern and fee ratio (plus the
kind of match and the fee account, which must agree).  Every similar approved
match removes part of the remaining doubt; every similar rejected match adds
doubt back.  The reason names the past matches relied on, so an approval card
can say *why* it is more confident than last month.

>>> history = [PastMatch(id=n, approved=True, partner_id=4, label=f"ELAVON MERCH DEP 03{n:02} BATCH 5",
...                      amount=69761, kind="card_batch", fee_bps=160) for n in (12, 15, 31)]
>>> new = MatchFacts(partner_id=4, label="ELAVON MERCH DEP 0411 BATCH 4", amount=70112, kind="card_batch",
...                  fee_bps=161)
>>> recall = remember(new, 0.8, history)
>>> round(recall.confidence, 3), recall.support
(0.942, (31, 15, 12))
>>> recall.reason
'0.80 -> 0.94: like approved matches #31, #15, #12 (same partner, same label words, similar amount, same fee ratio)'
"""

import math
import re
from dataclasses import dataclass
from functools import lru_cache

# Words only: numbers in bank labels are dates, batch counts and references,
# which differ on every line of an otherwise identical pattern.
_WORD = re.compile(r"[A-Za-z]{2,}")

FACETS = ("partner", "label", "amount", "fee")


@dataclass(frozen=True)
class MatchFacts:
    """What is compared: amounts in cents (signed like the bank), fee ratio in basis points."""

    partner_id: int | None
    label: str
    amount: int
    kind: str = ""
    fee_bps: int | None = None
    fee_account_id: int | None = None


@dataclass(frozen=True)
class PastMatch(MatchFacts):
    """A decided match of ``fusion.accounting.match.history`` (``id`` is the history record)."""

    id: int = 0
    approved: bool = True


@dataclass(frozen=True)
class MemoryPolicy:
    """How much one similar decision weighs.

    ``gain`` is the share of the remaining doubt one fully similar approval
    removes; ``penalty`` the share of the remaining certainty one fully
    similar rejection removes (rejections weigh more: precision first).
    """

    min_similarity: float = 0.7
    gain: float = 0.35
    penalty: float = 0.6
    max_support: int = 5
    ceiling: float = 0.995
    weights: tuple = (("partner", 0.3), ("label", 0.35), ("amount", 0.15), ("fee", 0.2))


@dataclass(frozen=True)
class Recall:
    """The new confidence and the past matches behind it (most similar first)."""

    confidence: float
    base: float
    support: tuple = ()
    against: tuple = ()
    reason: str = ""


@lru_cache(maxsize=4096)  # history labels are compared with every new line
def label_words(label):
    """The lower-case words of a bank label, without numbers.

    >>> sorted(label_words("E-TFR 4471 WALKER MOBILITY"))
    ['mobility', 'tfr', 'walker']
    """
    return frozenset(word.lower() for word in _WORD.findall(label or ""))


def facet_scores(new, past):
    """Per-facet similarity in [0, 1], or None when the two cannot be the same pattern."""
    if (new.kind or past.kind) and new.kind != past.kind:
        return None
    if new.fee_account_id != past.fee_account_id or (new.amount > 0) != (past.amount > 0):
        return None
    if new.partner_id and past.partner_id:
        partner = 1.0 if new.partner_id == past.partner_id else 0.0
    else:
        partner = 0.5 if new.partner_id == past.partner_id else 0.0
    words_new, words_past = label_words(new.label), label_words(past.label)
    union = words_new | words_past
    label = len(words_new & words_past) / len(union) if union else 0.0
    return {
        "partner": partner,
        "label": label,
        "amount": _amount_score(new.amount, past.amount),
        "fee": _fee_score(new, past),
    }


def similarity(new, past, policy):
    """Weighted similarity in [0, 1] (0 when the kinds or fee accounts differ)."""
    scores = facet_scores(new, past)
    if scores is None:
        return 0.0
    return sum(weight * scores[facet] for facet, weight in policy.weights)


def remember(new, base, history, policy=None):
    """Adjust ``base`` confidence of ``new`` with the similar decided matches of ``history``.

    Deterministic and independent of the order of ``history``: the most
    similar matches are used first, ties broken by the most recent id.
    """
    policy = policy or MemoryPolicy()
    ranked = sorted(
        ((similarity(new, past, policy), past) for past in history),
        key=lambda pair: (-pair[0], -pair[1].id),
    )
    similar = [(score, past) for score, past in ranked if score >= policy.min_similarity]
    approved = [(score, past) for score, past in similar if past.approved][: policy.max_support]
    rejected = [(score, past) for score, past in similar if not past.approved][: policy.max_support]
    confidence = base
    if approved:
        doubt = 1.0 - base
        for score, _past in approved:
            doubt *= 1.0 - policy.gain * score
        confidence = max(base, min(1.0 - doubt, policy.ceiling))
    for score, _past in rejected:
        confidence *= 1.0 - policy.penalty * score
    support = tuple(past.id for _score, past in approved)
    against = tuple(past.id for _score, past in rejected)
    return Recall(confidence, base, support, against, _reason(new, base, confidence, approved, rejected))


def _amount_score(a, b):
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    # Recurring amounts (rent, a retainer) repeat exactly; batches vary by a few percent.
    spread = abs(math.log(abs(a) / abs(b)))
    if spread <= math.log(1.1):
        return 0.8
    return 0.4 if spread <= math.log(10) else 0.0


def _fee_score(new, past):
    if new.fee_bps is None or past.fee_bps is None:
        return 1.0 if new.fee_bps == past.fee_bps else 0.0
    gap = abs(new.fee_bps - past.fee_bps)
    return 1.0 if gap <= 20 else 0.5 if gap <= 60 else 0.0


def _reason(new, base, confidence, approved, rejected):
    parts = []
    if approved:
        ids = ", ".join(f"#{past.id}" for _score, past in approved)
        parts.append(f"like approved matches {ids} ({_common_facets(new, approved[0][1])})")
    if rejected:
        ids = ", ".join(f"#{past.id}" for _score, past in rejected)
        parts.append(f"but like rejected matches {ids}")
    if not parts:
        return "no similar past match"
    return f"{base:.2f} -> {confidence:.2f}: " + "; ".join(parts)


def _common_facets(new, past):
    scores = facet_scores(new, past) or {}
    wording = {
        "partner": ("same partner", None),
        "label": ("same label words", "similar label words"),
        "amount": ("same amount", "similar amount"),
        "fee": ("same fee ratio", "similar fee ratio"),
    }
    found = []
    for facet in FACETS:
        if facet == "fee" and new.fee_bps is None:
            continue
        score = scores.get(facet, 0.0)
        exact, close = wording[facet]
        if score == 1.0:
            found.append(exact)
        elif score >= 0.5 and close:
            found.append(close)
    return ", ".join(found) or "similar"
