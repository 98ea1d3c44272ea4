"""Scoring and tier promotion: proven patterns promote, nothing else does, and every move is logged."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.scoring import (
    AUTO,
    DEMOTED,
    NEEDS_APPROVAL,
    PROMOTED,
    REINSTATED,
    Score,
    ScoringError,
    ScoringPolicy,
    TierEvent,
    demote,
    record_decision,
    record_use,
    reinstate,
    wilson_lower_bound,
)

policies = st.builds(
    ScoringPolicy,
    threshold=st.floats(0.5, 1.0),
    min_sample=st.integers(1, 60),
    z=st.floats(0.0, 3.0),
)
decision_streams = st.lists(st.booleans(), max_size=150)


def replay(decisions, policy, score=None):
    """Feed ``decisions`` one by one; return the final score and every event."""
    score = score or Score()
    events = []
    for approved in decisions:
        score, new = record_decision(score, approved, policy)
        events.extend(new)
    return score, events


@given(decision_streams, policies)
def test_no_promotion_below_the_minimum_sample(decisions, policy):
    score = Score()
    for approved in decisions:
        score, events = record_decision(score, approved, policy)
        if score.tier == AUTO:
            assert score.decisions >= policy.min_sample
        for event in events:
            if event.to_tier == AUTO:
                assert event.decisions >= policy.min_sample
                assert event.confidence >= policy.threshold - 1e-6


@given(decision_streams, policies)
def test_a_rejection_never_raises_confidence(decisions, policy):
    score, _ = replay(decisions, policy)
    after, _ = record_decision(score, False, policy)
    assert after.confidence(policy) <= score.confidence(policy)


@given(decision_streams, policies)
def test_an_approval_never_lowers_confidence(decisions, policy):
    score, _ = replay(decisions, policy)
    after, _ = record_decision(score, True, policy)
    assert after.confidence(policy) >= score.confidence(policy)


@given(decision_streams, policies)
def test_counters_add_up_and_confidence_is_a_probability(decisions, policy):
    score, _ = replay(decisions, policy)
    assert score.uses == score.decisions == len(decisions)
    assert score.approved == sum(decisions)
    assert 0.0 <= score.confidence(policy) <= 1.0
    assert score.confidence(policy) <= (score.approved / score.decisions if score.decisions else 0.0) + 1e-9


@given(decision_streams, policies)
def test_every_tier_change_is_returned_as_one_event(decisions, policy):
    score = Score()
    for approved in decisions:
        before = score.tier
        score, events = record_decision(score, approved, policy)
        assert len(events) == (1 if score.tier != before else 0)
        for event in events:
            assert isinstance(event, TierEvent)
            assert (event.from_tier, event.to_tier) == (before, score.tier)
            assert event.kind in {PROMOTED, DEMOTED}
            assert event.reason


@given(policies)
def test_promotion_and_admin_demotion_are_reversible_and_logged(policy):
    promoted, events = replay([True] * max(policy.min_sample, 200), policy)
    if promoted.tier != AUTO:  # some policies (z large, threshold 1.0) can never be met
        assert not promoted.eligible(policy)
        return
    assert [event.kind for event in events] == [PROMOTED]
    demoted, demotion = demote(promoted, policy, reason="fee account changed")
    assert (demoted.tier, demoted.held, demotion.kind, demotion.reason) == (
        NEEDS_APPROVAL,
        True,
        DEMOTED,
        "fee account changed",
    )
    # Held: more approvals do not promote it behind the admin's back.
    still_held, events = replay([True] * 5, policy, demoted)
    assert still_held.tier == NEEDS_APPROVAL and events == []
    back, reinstatement = reinstate(still_held, policy)
    assert back.tier == AUTO and not back.held
    assert (reinstatement.kind, reinstatement.from_tier, reinstatement.to_tier) == (REINSTATED, NEEDS_APPROVAL, AUTO)


def test_a_rejection_of_an_automatic_pattern_that_breaks_the_threshold_demotes_it():
    policy = ScoringPolicy(threshold=0.95, min_sample=30)
    score, _ = replay([True] * 30, policy)
    assert score.tier == AUTO
    score, events = record_decision(score, False, policy)
    assert score.tier == NEEDS_APPROVAL and not score.held
    assert [event.kind for event in events] == [DEMOTED]
    assert "rejection" in events[0].reason


def test_a_reinstated_pattern_that_is_no_longer_proven_waits_for_evidence():
    policy = ScoringPolicy(threshold=0.95, min_sample=30)
    score, _ = replay([True] * 30, policy)
    score, _ = demote(score, policy)
    score, _ = replay([False] * 3, policy, score)
    released, event = reinstate(score, policy)
    assert (released.tier, released.held, event) == (NEEDS_APPROVAL, False, None)


def test_small_perfect_samples_are_not_confident():
    assert wilson_lower_bound(3, 3) < 0.8
    assert wilson_lower_bound(30, 30) > wilson_lower_bound(3, 3)


def test_defaults_follow_the_settings_and_one_rejection_delays_promotion():
    policy = ScoringPolicy()
    assert (policy.threshold, policy.min_sample) == (0.95, 30)
    clean, _ = replay([True] * 30, policy)
    assert clean.tier == AUTO
    one_bad, _ = replay([False] + [True] * 29, policy)
    assert one_bad.tier == NEEDS_APPROVAL


def test_uses_without_decisions_do_not_change_confidence():
    policy = ScoringPolicy()
    score = record_use(Score(approved=3, rejected=1, uses=4))
    assert score.uses == 5 and score.confidence(policy) == Score(approved=3, rejected=1).confidence(policy)


@pytest.mark.parametrize("kwargs", [{"threshold": 0}, {"threshold": 1.5}, {"min_sample": 0}, {"z": -1}], ids=str)
def test_nonsense_policies_are_refused(kwargs):
    with pytest.raises(ScoringError):
        ScoringPolicy(**kwargs)


def test_only_automatic_patterns_can_be_demoted_and_only_held_ones_reinstated():
    policy = ScoringPolicy()
    with pytest.raises(ScoringError):
        demote(Score(), policy)
    with pytest.raises(ScoringError):
        reinstate(Score(), policy)
