"""The tier gate: the one place that decides what happens to a tool call, and at which tier.

Both the agent loop and the Odoo adapter (direct runs, approvals) ask it, so a
tier-3 write has exactly one way to run: an approved proposal.  What was learned
(a tool promoted as a whole, a call promoted in its scenario, design 3.1) is an
input of the gate, never a change of the spec: every lowering goes through its
clamp, and the tier of the answer is the tier the call runs at and is logged at.

>>> from ..tools import Tier, ToolSpec
>>> staff = Caller(user_id=7, groups=frozenset({"staff"}), may_write=False)
>>> gate(ToolSpec("t", "d", "ar", Tier.APPROVAL, ("staff",)), staff).verdict
<Verdict.REFUSE: 'refuse'>
>>> gate(ToolSpec("t", "d", "ar", Tier.READ, ("staff",)), staff)
GateDecision(verdict=<Verdict.RUN: 'run'>, tier=<Tier.READ: 1>)
"""

from dataclasses import dataclass
from enum import Enum

from ..tools import Tier


@dataclass(frozen=True)
class Caller:
    """Who is asking: ``may_write`` is true for Managers and above (design 7.1)."""

    user_id: int
    groups: frozenset = frozenset()
    may_write: bool = False


class Verdict(Enum):
    RUN = "run"  # tier 1: execute
    RUN_LOGGED = "run_logged"  # tier 2: execute, then log
    PROPOSE = "propose"  # tier 3: store a proposal, never execute
    REFUSE = "refuse"  # the caller may not use this tool


_TIER_OF = {Verdict.RUN: Tier.READ, Verdict.RUN_LOGGED: Tier.LOGGED_WRITE, Verdict.PROPOSE: Tier.APPROVAL}


@dataclass(frozen=True)
class GateDecision:
    """The gate's answer: what happens (``verdict``) and the tier the call runs at (``tier``).

    For a refusal ``tier`` is the spec's own tier: nothing runs.
    """

    verdict: Verdict
    tier: Tier


def gate(spec, caller, *learned):
    """The :class:`GateDecision` for ``caller`` asking for ``spec``.

    ``learned`` are the tiers learned for the tool or for this very call (the
    tool's promotion, the promotion of the call's scenario; ``None`` for none).
    Each may lower the spec's tier, never raise it; a write is never lowered
    below tier 2 (logged), and nothing learned opens a write to a caller who
    may not write.

    >>> from ..tools import Tier, ToolSpec
    >>> manager = Caller(user_id=8, may_write=True)
    >>> spec = ToolSpec("t", "d", "ar", Tier.APPROVAL)
    >>> [gate(spec, manager, *tiers).tier for tiers in ((), (Tier.LOGGED_WRITE,), (Tier.APPROVAL, None), (Tier.READ,))]
    [<Tier.APPROVAL: 3>, <Tier.LOGGED_WRITE: 2>, <Tier.APPROVAL: 3>, <Tier.LOGGED_WRITE: 2>]
    """
    if not spec.allowed_for(caller.groups):
        return GateDecision(Verdict.REFUSE, spec.tier)
    if spec.tier == Tier.READ:
        return GateDecision(Verdict.RUN, Tier.READ)
    if not caller.may_write:
        return GateDecision(Verdict.REFUSE, spec.tier)
    tier = spec.tier
    for lowered in learned:
        if lowered is not None:
            tier = min(tier, Tier(lowered))
    verdict = Verdict.RUN_LOGGED if max(tier, Tier.LOGGED_WRITE) == Tier.LOGGED_WRITE else Verdict.PROPOSE
    return GateDecision(verdict, _TIER_OF[verdict])


def refusal_message(spec, caller):
    """Why :func:`gate` refused, in words for the model and the user."""
    if not spec.allowed_for(caller.groups):
        return f"You may not use the tool {spec.name}."
    return f"The tool {spec.name} changes data; only a Fusion Manager may use it."
