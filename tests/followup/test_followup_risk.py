"""Risk score: bounded, banded and monotone in lateness."""

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from fusion_accounting_followup.services.risk_scorer import WEIGHTS, RiskInputs, band_for, score_risk

money = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2, allow_nan=False)


@st.composite
def risk_inputs(draw):
    open_balance = draw(money)
    paid_count = draw(st.integers(0, 200))
    return RiskInputs(
        open_balance=open_balance,
        overdue_balance=draw(money.filter(lambda amount: amount <= open_balance)),
        oldest_overdue_days=draw(st.integers(0, 1000)),
        paid_count=paid_count,
        paid_late_count=draw(st.integers(0, paid_count)),
        avg_days_late=draw(st.floats(0, 400)),
        trust=draw(st.sampled_from(["good", "normal", "bad", None])),
        credit_limit=draw(st.none() | money),
    )


def replace(inputs, **changes):
    return RiskInputs(**{**inputs.__dict__, **changes})


@given(risk_inputs())
def test_score_is_bounded_and_banded(inputs):
    score = score_risk(inputs)
    assert 0 <= score.score <= 100
    assert score.band == band_for(score.score)
    assert [driver.name for driver in score.drivers] == list(WEIGHTS)
    assert all(0 <= driver.points <= driver.max_points for driver in score.drivers)


@given(risk_inputs(), st.integers(0, 500))
def test_score_is_monotone_in_the_age_of_the_oldest_overdue_item(inputs, extra):
    later = replace(inputs, oldest_overdue_days=inputs.oldest_overdue_days + extra)
    assert score_risk(later).score >= score_risk(inputs).score


@given(risk_inputs(), st.floats(0, 400))
def test_score_is_monotone_in_average_days_late(inputs, extra):
    later = replace(inputs, avg_days_late=inputs.avg_days_late + extra)
    assert score_risk(later).score >= score_risk(inputs).score


@given(risk_inputs(), st.integers(0, 200))
def test_score_is_monotone_in_late_payments(inputs, extra):
    more_late = min(inputs.paid_count, inputs.paid_late_count + extra)
    assert score_risk(replace(inputs, paid_late_count=more_late)).score >= score_risk(inputs).score


@given(risk_inputs(), money)
def test_score_is_monotone_in_the_overdue_share(inputs, extra):
    overdue = min(inputs.open_balance, inputs.overdue_balance + extra)
    assume(overdue >= inputs.overdue_balance)
    assert score_risk(replace(inputs, overdue_balance=overdue)).score >= score_risk(inputs).score


def test_a_clean_good_payer_is_low_and_a_chronic_late_payer_is_critical():
    clean = RiskInputs(Decimal("1000"), Decimal("0"), 0, paid_count=20, trust="good")
    chronic = RiskInputs(Decimal("1000"), Decimal("1000"), 150, 20, 18, 45.0, "bad", Decimal("500"))
    assert score_risk(clean).band == "low"
    assert score_risk(chronic).band == "critical"
