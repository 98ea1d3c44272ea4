"""When the decisions on a tier-3 tool's proposals prove it in one scenario (design 3.1).

A (tool, scenario) pair is promoted to tier 2 only on evidence that one person
cannot manufacture alone:

- only an approved proposal whose execution succeeded counts for the tool (a
  run that raised, or refused with a ``ToolRefusal``, is recorded failed: it
  did not do what was approved);
- identical arguments count once: approving the same call thirty times proves
  one call;
- a rejection, a failed execution and a success later undone each count
  against the tool (in the Wilson lower bound of :mod:`.scoring`);
- the counted successes were approved by at least :data:`MIN_APPROVERS`
  distinct people, *and* span at least the policy's minimum number of days.
  Both, not either: with one approver a Manager could promote a tool for
  himself by waiting; with no span two colleagues could do it in an afternoon;
- the ``general`` scenario (every call of the tool) never rests on one narrow
  pattern: no single pattern (a call's narrowest scenario, e.g. one partner)
  may carry more than half of its counted successes.

>>> from datetime import date, timedelta
>>> policy = PromotionPolicy(ScoringPolicy(threshold=0.6, min_sample=5), min_span_days=14)
>>> day = date(2026, 3, 2)
>>> one_man = [Decision(SUCCEEDED, 7, f"h{i}", day + timedelta(days=3 * i)) for i in range(10)]
>>> assess(one_man, policy).eligible, assess(one_man, policy).missing
(False, ('2 distinct approvers',))
>>> two = [Decision(SUCCEEDED, 7 + i % 2, f"h{i}", day + timedelta(days=3 * i)) for i in range(10)]
>>> assess(two, policy).eligible
True
>>> settle(NEEDS_APPROVAL, False, assess(two, policy))[0]
'auto'
"""

from dataclasses import dataclass, field
from datetime import date

from .scoring import AUTO, DEMOTED, NEEDS_APPROVAL, PROMOTED, REINSTATED, Score, ScoringPolicy, TierEvent

SUCCEEDED = "succeeded"  # approved, executed, did what was asked
REJECTED = "rejected"
FAILED = "failed"  # approved, but the execution raised or the tool refused (recorded failed)
UNDONE = "undone"  # succeeded, then a later action undid it
OUTCOMES = (SUCCEEDED, REJECTED, FAILED, UNDONE)

# Fixed, not a setting: lowering it to 1 would give one person the keys again.
MIN_APPROVERS = 2
# The share of the ``general`` scenario's successes that one narrow pattern may carry at most.
MAX_PATTERN_SHARE = 0.5
DEFAULT_MIN_SPAN_DAYS = 14


class PromotionError(ValueError):
    """A policy or a decision that makes no sense (negative span, unknown outcome)."""


@dataclass(frozen=True)
class Decision:
    """One human decision on a tier-3 proposal of the tool, as the adapter read it.

    ``pattern`` is the narrowest scenario of the call (e.g. ``partner_7``);
    ``arguments_hash`` identifies the exact call.
    """

    outcome: str
    approver_id: int
    arguments_hash: str
    decided_on: date
    pattern: str = ""

    def __post_init__(self):
        if self.outcome not in OUTCOMES:
            raise PromotionError(f"unknown outcome {self.outcome!r}")


def outcome_of(decision, executed, undone=False):
    """What a history record counts as: its ``decision`` (``approved``...), whether the run ``executed``, ``undone``.

    None when it is no human decision (pending, or a logged tier-2 run that nobody undid).

    >>> outcome_of("approved", True), outcome_of("approved", False), outcome_of("auto", True, undone=True)
    ('succeeded', 'failed', 'undone')
    >>> outcome_of("rejected", False), outcome_of("pending", False), outcome_of("auto", True)
    ('rejected', None, None)
    """
    if undone:
        return UNDONE
    if decision == "rejected":
        return REJECTED
    if decision == "approved":
        return SUCCEEDED if executed else FAILED
    return None


@dataclass(frozen=True)
class PromotionPolicy:
    """Thresholds: the Wilson ``scoring`` policy plus the minimum span of the successes, in days."""

    scoring: ScoringPolicy = field(default_factory=ScoringPolicy)
    min_span_days: int = DEFAULT_MIN_SPAN_DAYS

    def __post_init__(self):
        if self.min_span_days < 0:
            raise PromotionError(f"min_span_days must be non-negative, got {self.min_span_days!r}")


@dataclass(frozen=True)
class Assessment:
    """What the decisions prove: ``score`` counts distinct successes against everything that went wrong.

    ``missing`` names each condition not met (empty when ``eligible``).
    """

    score: Score
    confidence: float
    approvers: int
    span_days: int
    missing: tuple = ()

    @property
    def eligible(self):
        return not self.missing


def assess(decisions, policy, general=False):
    """The :class:`Assessment` of ``decisions`` under ``policy``; ``general``: for the tool's ``general`` scenario."""
    decisions = list(decisions)
    successes = {}  # arguments hash -> first successful decision with those arguments
    # The first success of a call counts; on one day, the lower approver id: never the order they were read in.
    for decision in sorted(decisions, key=lambda d: (d.decided_on, d.approver_id)):
        if decision.outcome == SUCCEEDED:
            successes.setdefault(decision.arguments_hash, decision)
    against = sum(1 for decision in decisions if decision.outcome != SUCCEEDED)
    counted = list(successes.values())
    score = Score(uses=len(decisions), approved=len(counted), rejected=against)
    approvers = len({decision.approver_id for decision in counted})
    days = [decision.decided_on for decision in counted]
    span = (max(days) - min(days)).days if days else 0

    confidence = score.confidence(policy.scoring)
    missing = []
    if score.decisions < policy.scoring.min_sample:
        missing.append(f"{policy.scoring.min_sample} decisions on distinct calls")
    if confidence < policy.scoring.threshold:
        missing.append(f"confidence {policy.scoring.threshold}")
    if approvers < MIN_APPROVERS:
        missing.append(f"{MIN_APPROVERS} distinct approvers")
    if span < policy.min_span_days:
        missing.append(f"successes over {policy.min_span_days} days")
    if general and counted:
        largest = max(sum(1 for d in counted if d.pattern == p) for p in {d.pattern for d in counted})
        if largest > MAX_PATTERN_SHARE * len(counted):
            missing.append("successes over several patterns")
    return Assessment(
        score=score, confidence=round(confidence, 6), approvers=approvers, span_days=span, missing=tuple(missing)
    )


def settle(tier, held, assessment):
    """``(tier, event)`` after ``assessment``: promote what is proven, demote what no longer is.

    An admin hold keeps a pair at tier 3 whatever it proves; ``event`` is None
    when the tier does not move.
    """
    if tier == NEEDS_APPROVAL and not held and assessment.eligible:
        return AUTO, _event(assessment, NEEDS_APPROVAL, AUTO, PROMOTED, _proof(assessment))
    if tier == AUTO and not assessment.eligible:
        reason = "no longer proven: needs " + ", ".join(assessment.missing)
        return NEEDS_APPROVAL, _event(assessment, AUTO, NEEDS_APPROVAL, DEMOTED, reason)
    return tier, None


def reinstate(assessment, reason="reinstated by an administrator"):
    """``(tier, event)`` once an admin lifts a hold: tier 2 again only if the evidence still proves it."""
    if assessment.eligible:
        return AUTO, _event(assessment, NEEDS_APPROVAL, AUTO, REINSTATED, reason)
    return NEEDS_APPROVAL, None


def _proof(assessment):
    score = assessment.score
    return (
        f"{score.approved} distinct successful calls against {score.rejected}, "
        f"confidence {assessment.confidence:.3f}, "
        f"{assessment.approvers} approvers over {assessment.span_days} days"
    )


def _event(assessment, from_tier, to_tier, kind, reason):
    return TierEvent(
        kind=kind,
        from_tier=from_tier,
        to_tier=to_tier,
        confidence=assessment.confidence,
        decisions=assessment.score.decisions,
        reason=reason,
    )
