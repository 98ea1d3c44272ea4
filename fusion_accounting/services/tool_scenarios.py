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
"""

from dataclasses import dataclass

GENERAL = "general"
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
        scenarios.append("card_batch")
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
