"""The Needs Attention order: severity first, the amount at stake only within a severity."""

from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.audit_ranking import SEVERITIES, finding_score

_amounts = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False)


@given(a=_amounts, b=_amounts, higher=st.integers(0, len(SEVERITIES) - 2))
def test_a_more_severe_finding_always_ranks_first(a, b, higher):
    assert finding_score(SEVERITIES[higher], a) > finding_score(SEVERITIES[higher + 1], b)


@given(a=_amounts, b=_amounts, severity=st.sampled_from(SEVERITIES))
def test_within_a_severity_more_money_ranks_first(a, b, severity):
    if abs(a) > abs(b):
        assert finding_score(severity, a) >= finding_score(severity, b)
    assert 0 <= finding_score(severity, a) < 100
