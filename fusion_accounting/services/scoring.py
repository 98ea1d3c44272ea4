"""Confidence scoring and tier promotion for rules and for (tool, scenario) pairs.

Design 3.1 and 4.2: every human decision on a proposal counts; once the
pattern is proven (confidence at or above the threshold over at least the
minimum sample) it moves from "needs approval" to "auto"; an admin can demote
it, and that is reversible.  Rules and tool-and-scenario pairs share these
maths: for a tool, ``needs_approval`` is tier 3 and ``auto`` is tier 2.

Why a Wilson lower bound and not the plain approval rate: the plain rate of a
pattern approved 3 times out of 3 is 100%, which says nothing.  The lower
bound of the Wilson score interval shrinks towards 0 on small samples and only
approaches the observed rate as evidence accumulates, so the confidence itself
cannot be gamed by a handful of lucky approvals; the minimum sample is a
second, independent gate.  With the default ``z = 1`` (one-sided ~84%), a
record without any rejection reaches 0.95 at 19 decisions, so the minimum
sample of the settings (30) is what binds for a clean record, while each
rejection costs about 25 further clean approvals (one rejection: 52
decisions, two: 79).

>>> policy = ScoringPolicy(threshold=0.95, min_sample=30)
>>> score = Score()
>>> for _ in range(29):
...     score, events = record_decision(score, True, policy)
>>> score.tier, round(score.confidence(policy), 3)
('needs_approval', 0.967)
>>> score, events = record_decision(score, True, policy)
>>> score.tier, [event.kind for event in events]
('auto', ['promoted'])
>>> score, event = demote(score, policy, reason="wrong fee account in March")
>>> score.tier, score.held, event.kind
('needs_approval', True, 'demoted')
>>> score, event = reinstate(score, policy)
>>> score.tier, event.kind
('auto', 'reinstated')
"""

import math
from dataclasses import dataclass, replace

NEEDS_APPROVAL = "needs_approval"
AUTO = "auto"
TIERS = (NEEDS_APPROVAL, AUTO)

PROMOTED = "promoted"
DEMOTED = "demoted"
REINSTATED = "reinstated"


class ScoringError(ValueError):
    """A policy or transition that makes no sense (e.g. demoting what is not automatic)."""


@dataclass(frozen=True)
class ScoringPolicy:
    """Promotion settings (``fusion_accounting.promotion_threshold`` / ``min_sample_size``)."""

    threshold: float = 0.95
    min_sample: int = 30
    z: float = 1.0

    def __post_init__(self):
        if not 0.0 < self.threshold <= 1.0:
            raise ScoringError(f"threshold must be in (0, 1], got {self.threshold!r}")
        if self.min_sample < 1:
            raise ScoringError(f"min_sample must be at least 1, got {self.min_sample!r}")
        if self.z < 0:
            raise ScoringError(f"z must be non-negative, got {self.z!r}")


@dataclass(frozen=True)
class Score:
    """Counters and tier of one rule or (tool, scenario) pair.

    ``uses`` also counts automatic applications that no human decided on;
    ``held`` is set by an admin demotion and stops automatic re-promotion until
    the admin reinstates the pattern.
    """

    uses: int = 0
    approved: int = 0
    rejected: int = 0
    tier: str = NEEDS_APPROVAL
    held: bool = False

    @property
    def decisions(self):
        return self.approved + self.rejected

    def confidence(self, policy):
        """Wilson lower bound of the approval rate (0.0 without decisions)."""
        return wilson_lower_bound(self.approved, self.decisions, policy.z)

    def eligible(self, policy):
        """Proven: enough decisions and confidence at or above the threshold."""
        return self.decisions >= policy.min_sample and self.confidence(policy) >= policy.threshold


@dataclass(frozen=True)
class TierEvent:
    """One tier transition, for the log (chatter, audit trail)."""

    kind: str
    from_tier: str
    to_tier: str
    confidence: float
    decisions: int
    reason: str


def wilson_lower_bound(successes, trials, z=1.0):
    """Lower bound of the Wilson score interval for ``successes`` out of ``trials``.

    >>> wilson_lower_bound(0, 0)
    0.0
    >>> round(wilson_lower_bound(3, 3), 3), round(wilson_lower_bound(30, 30), 3)
    (0.75, 0.968)
    """
    if trials <= 0:
        return 0.0
    if not 0 <= successes <= trials:
        raise ScoringError(f"{successes} successes out of {trials} trials")
    if successes == 0:
        return 0.0  # exactly: the formula leaves float noise above zero
    p = successes / trials
    z2 = z * z
    centre = p + z2 / (2 * trials)
    margin = z * math.sqrt(max(p * (1 - p) / trials + z2 / (4 * trials * trials), 0.0))
    # Rounded so that float noise cannot make a rejection look like a (tiny) gain.
    return round(max(0.0, min(1.0, (centre - margin) / (1 + z2 / trials))), 12)


def record_use(score):
    """An automatic application that no human decided on: only ``uses`` moves."""
    return replace(score, uses=score.uses + 1)


def record_decision(score, approved, policy):
    """Count one human decision; return ``(score, events)``.

    A needs-approval pattern that becomes eligible is promoted (unless an admin
    holds it); an automatic pattern that a rejection makes ineligible is
    demoted at once, because it is no longer proven.
    """
    before = score.tier
    score = replace(
        score,
        uses=score.uses + 1,
        approved=score.approved + (1 if approved else 0),
        rejected=score.rejected + (0 if approved else 1),
    )
    confidence = score.confidence(policy)
    if before == NEEDS_APPROVAL and not score.held and score.eligible(policy):
        reason = f"confidence {confidence:.3f} >= {policy.threshold} over {score.decisions} decisions"
        return replace(score, tier=AUTO), (_event(score, before, AUTO, PROMOTED, policy, reason),)
    if before == AUTO and not approved and not score.eligible(policy):
        reason = f"a rejection brought confidence to {confidence:.3f}, below {policy.threshold}"
        return replace(score, tier=NEEDS_APPROVAL), (_event(score, before, NEEDS_APPROVAL, DEMOTED, policy, reason),)
    return score, ()


def demote(score, policy, reason="demoted by an administrator"):
    """Admin demotion of an automatic pattern: back to needs-approval, held there."""
    if score.tier != AUTO:
        raise ScoringError("only an automatic pattern can be demoted")
    moved = replace(score, tier=NEEDS_APPROVAL, held=True)
    return moved, _event(score, AUTO, NEEDS_APPROVAL, DEMOTED, policy, reason)


def reinstate(score, policy, reason="reinstated by an administrator"):
    """Undo an admin demotion: lift the hold and promote again if still proven.

    Returns ``(score, event)``; ``event`` is None when the pattern is no longer
    eligible (it then promotes by itself once it is).
    """
    if not score.held:
        raise ScoringError("only a demoted (held) pattern can be reinstated")
    released = replace(score, held=False)
    if score.tier == NEEDS_APPROVAL and released.eligible(policy):
        return replace(released, tier=AUTO), _event(score, NEEDS_APPROVAL, AUTO, REINSTATED, policy, reason)
    return released, None


def _event(score, from_tier, to_tier, kind, policy, reason):  # noqa: PLR0917 - private, called positionally
    return TierEvent(
        kind=kind,
        from_tier=from_tier,
        to_tier=to_tier,
        confidence=round(score.confidence(policy), 6),
        decisions=score.decisions,
        reason=reason,
    )
