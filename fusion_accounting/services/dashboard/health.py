"""Green / yellow / red for the six health cards of design 6.2.

Each function takes the figures the card already shows, so the colour can
always be explained from what the user sees.

>>> bank_light(unmatched=0, oldest_age_days=0)
<Light.GREEN: 'green'>
>>> bank_light(unmatched=3, oldest_age_days=2)
<Light.YELLOW: 'yellow'>
>>> bank_light(unmatched=3, oldest_age_days=45)
<Light.RED: 'red'>
>>> audit_score({"high": 1, "medium": 2})
74
"""

from enum import Enum

# A bank line older than this has missed a month-end: it is no longer "in progress".
BANK_STALE_DAYS = 30
BANK_BACKLOG_LINES = 50
# Share of the receivable that is past due.
AR_YELLOW_SHARE = 0.10
AR_RED_SHARE = 0.30
# Points an open audit finding takes off a perfect score, by severity.
AUDIT_WEIGHTS = {"critical": 25, "high": 12, "medium": 7, "low": 2, "info": 0}
AUDIT_GREEN_FROM = 90
AUDIT_YELLOW_FROM = 70
MONTH_END_RED_ITEMS = 10


class Light(Enum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    # The figure's job has not run recently enough to say anything (see ``freshness``).
    UNKNOWN = "unknown"


def bank_light(unmatched, oldest_age_days):
    """Red when the backlog is large or a line has waited past a month-end."""
    if unmatched <= 0:
        return Light.GREEN
    if unmatched > BANK_BACKLOG_LINES or oldest_age_days > BANK_STALE_DAYS:
        return Light.RED
    return Light.YELLOW


def ar_light(outstanding, overdue):
    """Colour by the share of the receivable that is past due.

    >>> ar_light(outstanding=1000, overdue=50), ar_light(1000, 200), ar_light(1000, 400)
    (<Light.GREEN: 'green'>, <Light.YELLOW: 'yellow'>, <Light.RED: 'red'>)
    """
    if outstanding <= 0 or overdue <= 0:
        return Light.GREEN
    share = overdue / outstanding
    if share >= AR_RED_SHARE:
        return Light.RED
    if share >= AR_YELLOW_SHARE:
        return Light.YELLOW
    return Light.GREEN


def ap_light(overdue_count, due_this_week_count):
    """Red when a bill is already late, yellow when some fall due within the week."""
    if overdue_count > 0:
        return Light.RED
    if due_this_week_count > 0:
        return Light.YELLOW
    return Light.GREEN


def hst_light(net_payable, unposted_tax_moves):
    """Yellow when a remittance is owed; red when draft entries carry tax.

    Draft entries with tax make the net figure wrong until they are posted.

    >>> hst_light(-10, 0), hst_light(500, 0), hst_light(0, 2)
    (<Light.GREEN: 'green'>, <Light.YELLOW: 'yellow'>, <Light.RED: 'red'>)
    """
    if unposted_tax_moves > 0:
        return Light.RED
    if net_payable > 0:
        return Light.YELLOW
    return Light.GREEN


def audit_score(open_findings_by_severity):
    """Score 0-100: 100 minus the weight of each open finding; unknown severities count as low."""
    penalty = sum(
        AUDIT_WEIGHTS.get(severity, AUDIT_WEIGHTS["low"]) * max(count, 0)
        for severity, count in open_findings_by_severity.items()
    )
    return max(0, 100 - penalty)


def audit_light(score):
    """
    >>> audit_light(100), audit_light(75), audit_light(10)
    (<Light.GREEN: 'green'>, <Light.YELLOW: 'yellow'>, <Light.RED: 'red'>)
    """
    if score >= AUDIT_GREEN_FROM:
        return Light.GREEN
    if score >= AUDIT_YELLOW_FROM:
        return Light.YELLOW
    return Light.RED


def month_end_light(period_locked, open_items):
    """Green once the last period is locked; red when much is still open."""
    if period_locked:
        return Light.GREEN
    if open_items >= MONTH_END_RED_ITEMS:
        return Light.RED
    return Light.YELLOW
