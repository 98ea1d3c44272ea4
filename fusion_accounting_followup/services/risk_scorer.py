"""Payment-risk score (0-100) with the drivers that produced it.

Each driver contributes bounded points and is non-decreasing in the lateness
it measures, so the total is monotone in lateness: a partner who pays later,
or owes longer, never scores lower.  The maxima add up to 100.

>>> score = score_risk(RiskInputs(open_balance=Decimal("1000"), overdue_balance=Decimal("500"),
...                               oldest_overdue_days=60, paid_count=10, paid_late_count=5,
...                               avg_days_late=15.0, trust="normal"))
>>> score.score, score.band
(41, 'medium')
>>> [(d.name, d.points) for d in score.drivers][:2]
[('overdue_ratio', 12.5), ('oldest_overdue_days', 12.5)]
>>> band_for(0), band_for(25), band_for(50), band_for(75)
('low', 'medium', 'high', 'critical')
"""

from dataclasses import dataclass
from decimal import Decimal

# driver -> maximum points; the weights sum to 100.
WEIGHTS = {
    "overdue_ratio": 25,
    "oldest_overdue_days": 25,
    "paid_late_ratio": 15,
    "avg_days_late": 15,
    "trust": 10,
    "credit_limit_usage": 10,
}
OLDEST_DAYS_CAP = 120  # beyond the last aging bucket, age adds no risk
AVG_DAYS_LATE_CAP = 60
CREDIT_USAGE_CAP = Decimal("1.5")  # 150% of the limit scores the maximum
TRUST_POINTS = {"good": 0.0, "normal": 5.0, None: 5.0, "bad": 10.0}
BANDS = ((75, "critical"), (50, "high"), (25, "medium"), (0, "low"))


@dataclass(frozen=True)
class RiskInputs:
    """What the adapter reads for one partner in one company.

    ``paid_count``/``paid_late_count``/``avg_days_late`` come from
    reconciliation data; ``trust`` is Community's ``res.partner.trust``;
    ``credit_limit`` is ``None`` when the company does not use limits.
    """

    open_balance: Decimal
    overdue_balance: Decimal
    oldest_overdue_days: int
    paid_count: int = 0
    paid_late_count: int = 0
    avg_days_late: float = 0.0
    trust: str | None = None
    credit_limit: Decimal | None = None


@dataclass(frozen=True)
class RiskDriver:
    """One contribution: the measured ``value`` and the ``points`` it is worth."""

    name: str
    value: float
    points: float
    max_points: int


@dataclass(frozen=True)
class RiskScore:
    score: int
    band: str
    drivers: tuple[RiskDriver, ...]


def band_for(score: int) -> str:
    """``low`` / ``medium`` / ``high`` / ``critical`` for a 0-100 score."""
    for threshold, band in BANDS:
        if score >= threshold:
            return band
    return "low"


def _fraction(value: float, cap: float) -> float:
    return min(max(value, 0.0), cap) / cap if cap else 0.0


def _ratios(inputs: RiskInputs) -> dict[str, tuple[float, float]]:
    """driver -> (measured value, fraction of its weight earned)."""
    open_balance = float(inputs.open_balance)
    overdue_ratio = float(inputs.overdue_balance) / open_balance if open_balance > 0 else 0.0
    late_ratio = inputs.paid_late_count / inputs.paid_count if inputs.paid_count else 0.0
    usage = 0.0
    if inputs.credit_limit and inputs.credit_limit > 0:
        usage = float(inputs.open_balance / inputs.credit_limit)
    return {
        "overdue_ratio": (overdue_ratio, _fraction(overdue_ratio, 1.0)),
        "oldest_overdue_days": (inputs.oldest_overdue_days, _fraction(inputs.oldest_overdue_days, OLDEST_DAYS_CAP)),
        "paid_late_ratio": (late_ratio, _fraction(late_ratio, 1.0)),
        "avg_days_late": (inputs.avg_days_late, _fraction(inputs.avg_days_late, AVG_DAYS_LATE_CAP)),
        "trust": (TRUST_POINTS.get(inputs.trust, 5.0), TRUST_POINTS.get(inputs.trust, 5.0) / WEIGHTS["trust"]),
        "credit_limit_usage": (usage, _fraction(usage, float(CREDIT_USAGE_CAP))),
    }


def score_risk(inputs: RiskInputs) -> RiskScore:
    """Score one partner; the drivers are listed in :data:`WEIGHTS` order."""
    drivers = tuple(
        RiskDriver(name, round(float(value), 4), round(fraction * WEIGHTS[name], 4), WEIGHTS[name])
        for name, (value, fraction) in _ratios(inputs).items()
    )
    score = min(100, max(0, round(sum(driver.points for driver in drivers))))
    return RiskScore(score, band_for(score), drivers)
