"""Spot a repeated pattern in approved matches and propose a rule for it (design 4.2, step 1).

Three or more approved matches that are "identical" (same kind of match, same
partner or, without a partner, the same label words, and the same fee account
and fee ratio) become one :class:`RuleProposal`.  A pattern with any rejected
match is not proposed: a rule must not start from a contested pattern.

>>> from .memory_matcher import PastMatch
>>> fee = dict(kind="card_batch", fee_account_id=60545, fee_bps=160, partner_id=4)
>>> history = [PastMatch(label=f"ELAVON MERCH DEP 03{n} BATCH {n % 5}", amount=69761 + n, id=n, **fee)
...            for n in (10, 11, 12)]
>>> [proposal] = propose_rules(history)
>>> proposal.support, proposal.rule_type, proposal.label_words, proposal.fee_bps
((10, 11, 12), 'fee', ('batch', 'dep', 'elavon', 'merch'), 160)
>>> print(proposal.match_logic)  # doctest: +NORMALIZE_WHITESPACE
Card batch matches of partner #4 whose label has the words "batch dep elavon merch":
book the difference (1.60% of the matched items) to account #60545.
"""

from dataclasses import dataclass
from statistics import median

from .memory_matcher import label_words

MIN_OCCURRENCES = 3
# Fee ratios closer than this (basis points) are "the same ratio".
FEE_BUCKET_BPS = 20


@dataclass(frozen=True)
class RuleProposal:
    """A rule the AI suggests; ``support`` lists the history records it comes from."""

    key: tuple
    name: str
    rule_type: str
    kind: str
    partner_id: int | None
    label_words: tuple
    fee_account_id: int | None
    fee_bps: int | None
    support: tuple
    match_logic: str


def pattern_key(match):
    """The identity of a match's pattern; matches with equal keys are "identical".

    >>> from .memory_matcher import PastMatch
    >>> pattern_key(PastMatch(partner_id=None, label="MONTHLY ACCOUNT FEE 03", amount=-2500, fee_account_id=9))
    ('', None, ('account', 'fee', 'monthly'), 9, None, -1)
    """
    anchor_words = () if match.partner_id else tuple(sorted(label_words(match.label)))
    fee_bucket = None if match.fee_bps is None else round(match.fee_bps / FEE_BUCKET_BPS)
    direction = 1 if match.amount > 0 else -1
    return (match.kind, match.partner_id, anchor_words, match.fee_account_id, fee_bucket, direction)


def propose_rules(history, known_keys=frozenset(), min_occurrences=MIN_OCCURRENCES):
    """Proposals for every uncontested pattern seen ``min_occurrences`` times, oldest support first.

    ``known_keys`` are the keys of patterns already covered by a rule or an
    earlier proposal; they are not proposed again.
    """
    groups = {}
    for match in history:
        groups.setdefault(pattern_key(match), []).append(match)
    proposals = []
    for key, matches in groups.items():
        if key in known_keys or any(not match.approved for match in matches):
            continue
        if len(matches) < min_occurrences:
            continue
        proposals.append(_proposal(key, sorted(matches, key=lambda match: match.id)))
    return sorted(proposals, key=lambda proposal: proposal.support)


def _proposal(key, matches):
    first = matches[0]
    words = frozenset.intersection(*(label_words(match.label) for match in matches))
    fees = [match.fee_bps for match in matches if match.fee_bps is not None]
    fee_bps = round(median(fees)) if fees else None
    rule_type = "fee" if first.fee_account_id else "match"
    who = f"partner #{first.partner_id}" if first.partner_id else "any partner"
    kind = (first.kind or "bank").replace("_", " ")
    logic = f'{kind.capitalize()} matches of {who} whose label has the words "{" ".join(sorted(words))}"'
    if first.fee_account_id and fee_bps is not None:
        logic += (
            f": book the difference ({fee_bps / 100:.2f}% of the matched items) to account #{first.fee_account_id}."
        )
    elif first.fee_account_id:
        logic += f": book the line to account #{first.fee_account_id}."
    else:
        logic += ": match them the same way as the approved examples."
    name = f"{kind.capitalize()}: {' '.join(sorted(words)).upper() or who}"
    return RuleProposal(
        key=key,
        name=name[:80],
        rule_type=rule_type,
        kind=first.kind,
        partner_id=first.partner_id,
        label_words=tuple(sorted(words)),
        fee_account_id=first.fee_account_id,
        fee_bps=fee_bps,
        support=tuple(match.id for match in matches),
        match_logic=logic,
    )
