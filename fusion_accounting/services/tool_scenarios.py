"""The scenarios of one tool call, for tier promotion per (tool, scenario) (design 3.1).

A tier-3 tool is promoted to tier 2 per scenario, from the decisions on its
proposals.  A call belongs to several nested scenarios, narrowest first: its
partner, card batches, amount bands, and always ``general`` (every call of the
tool).  Decisions are counted on each scenario of the call, and a call runs at
tier 2 only when one of its own scenarios is promoted, so a promotion for
partner 7 never lets a call for partner 8 through.

The facts come from the records the call's arguments name (the Odoo adapter
reads them on the server; the model's words play no part):

>>> scenarios_of(CallFacts(partner_id=7, amount=450_00, card_batch=True))
('partner_7', 'card_batch', 'amount_below_1000', 'amount_below_10000', 'general')
>>> promoted_call(scenarios_of(CallFacts(partner_id=8)), promoted={"partner_7"})
False

People read a scenario as a label, not as its key; :func:`scenario_label` says
what a key is about and the adapter words it (and names the partner):

>>> scenario_label("partner_59"), scenario_label("amount_below_1000").amount
(ScenarioLabel(kind='partner', record_id=59, amount=None, words=''), 1000)
>>> scenario_label("accounts_payable").words
'Accounts payable'
"""

import re
from dataclasses import dataclass

from .dashboard.labels import tool_label

GENERAL = "general"
CARD_BATCH = "card_batch"
# Upper bounds (currency units, exclusive) of the amount scenarios; a call is in every band above its amount.
AMOUNT_LIMITS = (100, 1_000, 10_000)


@dataclass(frozen=True)
class CallFacts:
    """What the records named by a call say: its one commercial partner, its largest amount (cents), card batch."""

    partner_id: int | None = None
    amount: int | None = None
    card_batch: bool = False


def scenarios_of(facts):
    """The scenarios a call with ``facts`` belongs to, narrowest first, ``general`` last."""
    scenarios = []
    if facts.partner_id:
        scenarios.append(f"partner_{facts.partner_id}")
    if facts.card_batch:
        scenarios.append(CARD_BATCH)
    if facts.amount is not None:
        scenarios += [f"amount_below_{limit}" for limit in AMOUNT_LIMITS if abs(facts.amount) < limit * 100]
    scenarios.append(GENERAL)
    return tuple(scenarios)


def promoted_call(scenarios, promoted, held=frozenset()):
    """True when one of the call's ``scenarios`` is promoted and an admin has reverted none of them.

    ``promoted`` and ``held`` are the promoted and the admin-reverted scenarios
    of the tool; a revert of any scenario of the call wins over a promotion.
    """
    return not held & set(scenarios) and bool(promoted & set(scenarios))


# What a scenario key is about (``kind`` of :class:`ScenarioLabel`, besides GENERAL and CARD_BATCH);
# any other key is shown in words.
PARTNER, AMOUNT_BELOW, WORDS = "partner", "amount_below", "words"
_PARTNER_KEY = re.compile(r"^partner_(\d+)$")
_AMOUNT_KEY = re.compile(r"^amount_below_(\d+)$")


@dataclass(frozen=True)
class ScenarioLabel:
    """The parts of a scenario's label: its ``kind``, the partner's id or the amount limit, or the key in words."""

    kind: str
    record_id: int | None = None
    amount: int | None = None
    words: str = ""


def scenario_label(key):
    """The :class:`ScenarioLabel` of a scenario ``key`` (``partner_59``, ``amount_below_100``, ``general``...).

    A key of no known shape (a domain such as ``accounts_payable``) is shown in words.

    >>> scenario_label("general").kind, scenario_label("card_batch").kind, scenario_label("").words
    ('general', 'card_batch', '')
    >>> scenario_label("partner_x").kind
    'words'
    """
    key = (key or "").strip()
    if match := _PARTNER_KEY.match(key):
        return ScenarioLabel(PARTNER, record_id=int(match.group(1)))
    if match := _AMOUNT_KEY.match(key):
        return ScenarioLabel(AMOUNT_BELOW, amount=int(match.group(1)))
    if key in (GENERAL, CARD_BATCH):
        return ScenarioLabel(key)
    return ScenarioLabel(WORDS, words=tool_label(key))
