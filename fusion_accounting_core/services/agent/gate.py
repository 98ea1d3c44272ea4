"""The tier gate: the one place that decides what happens to a tool call.

Both the agent loop and the Odoo adapter (direct runs, approvals) ask it, so a
tier-3 write has exactly one way to run: an approved proposal.

>>> from ..tools import Tier, ToolSpec
>>> staff = Caller(user_id=7, groups=frozenset({"staff"}), may_write=False)
>>> gate(ToolSpec("t", "d", "ar", Tier.APPROVAL, ("staff",)), staff)
<Verdict.REFUSE: 'refuse'>
>>> gate(ToolSpec("t", "d", "ar", Tier.READ, ("staff",)), staff)
<Verdict.RUN: 'run'>
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


def gate(spec, caller, call_tier=None):
    """What may happen when ``caller`` asks for ``spec``.

    ``call_tier`` is the tier learned for this very call, from its arguments (a
    tier-3 tool promoted in the call's scenario, design 3.1): it may lower the
    spec's tier, never raise it, and never opens a write to a caller who may
    not write.

    >>> from ..tools import Tier, ToolSpec
    >>> manager = Caller(user_id=8, may_write=True)
    >>> spec = ToolSpec("t", "d", "ar", Tier.APPROVAL)
    >>> gate(spec, manager), gate(spec, manager, Tier.LOGGED_WRITE), gate(spec, manager, Tier.APPROVAL)
    (<Verdict.PROPOSE: 'propose'>, <Verdict.RUN_LOGGED: 'run_logged'>, <Verdict.PROPOSE: 'propose'>)
    """
    if not spec.allowed_for(caller.groups):
        return Verdict.REFUSE
    if spec.tier == Tier.READ:
        return Verdict.RUN
    if not caller.may_write:
        return Verdict.REFUSE
    tier = spec.tier if call_tier is None else max(min(spec.tier, call_tier), Tier.LOGGED_WRITE)
    if tier == Tier.LOGGED_WRITE:
        return Verdict.RUN_LOGGED
    return Verdict.PROPOSE


def refusal_message(spec, caller):
    """Why :func:`gate` refused, in words for the model and the user."""
    if not spec.allowed_for(caller.groups):
        return f"You may not use the tool {spec.name}."
    return f"The tool {spec.name} changes data; only a Fusion Manager may use it."
