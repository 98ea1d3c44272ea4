"""Tier promotion of a (tool, scenario) pair needs evidence one person cannot manufacture (issue 18, failure 2)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.scoring import AUTO, DEMOTED, NEEDS_APPROVAL, PROMOTED, ScoringPolicy
from fusion_accounting.services.tool_promotion import (
    FAILED,
    MIN_APPROVERS,
    OUTCOMES,
    REJECTED,
    SUCCEEDED,
    UNDONE,
    Decision,
    PromotionError,
    PromotionPolicy,
    assess,
    reinstate,
    settle,
)

DAY = date(2026, 3, 2)
POLICY = PromotionPolicy(ScoringPolicy(threshold=0.6, min_sample=5), min_span_days=14)


def clean_record(count=10, approvers=(7, 8), every_days=3, patterns=("partner_1", "partner_2", "partner_3")):
    """``count`` successes on distinct calls, approvers and patterns in turn, one every ``every_days``."""
    return [
        Decision(
            SUCCEEDED,
            approvers[i % len(approvers)],
            f"hash-{i}",
            DAY + timedelta(days=every_days * i),
            patterns[i % len(patterns)],
        )
        for i in range(count)
    ]


def test_a_clean_record_of_two_approvers_over_the_span_is_promoted():
    assessment = assess(clean_record(), POLICY, general=True)
    assert assessment.missing == ()
    tier, event = settle(NEEDS_APPROVAL, False, assessment)
    assert (tier, event.kind) == (AUTO, PROMOTED)
    assert "2 approvers over 27 days" in event.reason


def test_the_reported_attack_thirty_failed_approvals_by_one_manager_prove_nothing():
    attack = [Decision(FAILED, 7, "same-hash", DAY, "general") for _ in range(30)]
    assessment = assess(attack, POLICY, general=True)
    assert assessment.score.approved == 0
    assert assessment.score.rejected == 30
    assert settle(NEEDS_APPROVAL, False, assessment) == (NEEDS_APPROVAL, None)


def test_identical_arguments_count_once():
    repeated = [Decision(SUCCEEDED, 7 + i % 2, "same-hash", DAY + timedelta(days=2 * i)) for i in range(30)]
    assessment = assess(repeated, POLICY)
    assert assessment.score.approved == 1
    assert "5 decisions on distinct calls" in assessment.missing


@pytest.mark.parametrize("outcome", [REJECTED, FAILED, UNDONE])
def test_a_rejection_a_failure_and_an_undo_each_count_against(outcome):
    record = [*clean_record(), *(Decision(outcome, 9, f"bad-{i}", DAY) for i in range(7))]
    assessment = assess(record, POLICY)
    assert assessment.score.rejected == 7
    assert assessment.confidence < POLICY.scoring.threshold
    assert not assessment.eligible


def test_one_approver_never_promotes_however_long_he_waits():
    assessment = assess(clean_record(count=40, approvers=(7,), every_days=30), POLICY)
    assert assessment.missing == (f"{MIN_APPROVERS} distinct approvers",)


def test_two_approvers_within_the_span_do_not_promote():
    assessment = assess(clean_record(count=40, every_days=0), POLICY)
    assert assessment.missing == ("successes over 14 days",)


def test_the_general_scenario_never_rests_on_one_narrow_pattern():
    record = clean_record(patterns=("partner_1", "partner_1", "partner_2"))
    assert assess(record, POLICY, general=False).eligible, "the narrow scenarios themselves may promote"
    assert assess(record, POLICY, general=True).missing == ("successes over several patterns",)


def test_a_promoted_pair_that_is_no_longer_proven_is_demoted_and_a_hold_keeps_it_at_tier_3():
    worse = assess([*clean_record(), *(Decision(UNDONE, 7, f"u{i}", DAY) for i in range(9))], POLICY)
    tier, event = settle(AUTO, False, worse)
    assert (tier, event.kind) == (NEEDS_APPROVAL, DEMOTED)
    proven = assess(clean_record(), POLICY)
    assert settle(NEEDS_APPROVAL, True, proven) == (NEEDS_APPROVAL, None)
    assert reinstate(proven)[0] == AUTO
    assert reinstate(worse) == (NEEDS_APPROVAL, None)


def test_nonsense_is_refused():
    with pytest.raises(PromotionError):
        Decision("maybe", 7, "h", DAY)
    with pytest.raises(PromotionError):
        PromotionPolicy(min_span_days=-1)


# -- properties ---------------------------------------------------------------

decisions_of = st.builds(
    Decision,
    outcome=st.sampled_from(OUTCOMES),
    approver_id=st.integers(1, 4),
    arguments_hash=st.sampled_from([f"h{i}" for i in range(60)]),
    decided_on=st.integers(0, 400).map(lambda n: DAY + timedelta(days=n)),
    pattern=st.sampled_from(["partner_1", "partner_2", "partner_3", "general"]),
)
policies = st.builds(
    PromotionPolicy,
    scoring=st.builds(ScoringPolicy, threshold=st.floats(0.01, 1.0), min_sample=st.integers(1, 40)),
    min_span_days=st.integers(1, 60),
)


@given(st.lists(decisions_of, max_size=120), policies, st.integers(1, 4), st.booleans())
def test_no_sequence_of_one_user_s_actions_promotes_a_tool(decisions, policy, user, general):
    mine = [Decision(d.outcome, user, d.arguments_hash, d.decided_on, d.pattern) for d in decisions]
    assert settle(NEEDS_APPROVAL, False, assess(mine, policy, general))[0] == NEEDS_APPROVAL


@given(st.lists(decisions_of, max_size=120), policies, st.integers(0, 400), st.booleans())
def test_no_sequence_of_decisions_within_the_minimum_span_promotes_a_tool(decisions, policy, start, general):
    # Whoever decides: every decision falls inside a window shorter than the minimum span.
    window = [
        Decision(
            d.outcome,
            d.approver_id,
            d.arguments_hash,
            DAY + timedelta(days=start + (d.decided_on - DAY).days % policy.min_span_days),
            d.pattern,
        )
        for d in decisions
    ]
    assert settle(NEEDS_APPROVAL, False, assess(window, policy, general))[0] == NEEDS_APPROVAL


@given(st.lists(decisions_of, max_size=80), policies, st.booleans())
def test_only_successes_promote(decisions, policy, general):
    # Whatever else happened, a record without one successful execution is never proven.
    failures = [d for d in decisions if d.outcome != SUCCEEDED]
    assert not assess(failures, policy, general).eligible
