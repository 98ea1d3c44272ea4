"""How urgent an audit finding is: one score that the dashboard's *Needs Attention* list sorts by.

The severity sets the band; the amount at stake moves a finding within it, on
a log scale so that a large amount never lifts a low finding above a high one.

>>> finding_score("high", 0) < finding_score("high", 50_000) < finding_score("critical", 0)
True
>>> finding_score("low", 10**12) < finding_score("medium", 0)
True
>>> finding_score("unknown", 10)
Traceback (most recent call last):
...
ValueError: unknown severity 'unknown'; expected one of critical, high, medium, low, info
"""

import math

SEVERITIES = ("critical", "high", "medium", "low", "info")
# Band floor per severity; bands are BAND_WIDTH apart and the amount adds less than that.
_FLOOR = {"critical": 80.0, "high": 60.0, "medium": 40.0, "low": 20.0, "info": 0.0}
BAND_WIDTH = 20.0
_AMOUNT_POINTS = 19.0
_AMOUNT_DECADES = 9  # 10^9 dollars at stake reaches the top of the band


def finding_score(severity, amount):
    """A score in ``[0, 100)``: the severity's band plus up to 19 points for ``abs(amount)``."""
    if severity not in _FLOOR:
        raise ValueError(f"unknown severity {severity!r}; expected one of {', '.join(SEVERITIES)}")
    decades = math.log10(1 + abs(amount or 0.0))
    return round(_FLOOR[severity] + min(_AMOUNT_POINTS, _AMOUNT_POINTS * decades / _AMOUNT_DECADES), 2)
