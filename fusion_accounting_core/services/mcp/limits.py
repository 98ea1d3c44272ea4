"""Limits of an MCP key: calls per minute (a sliding window) and calls per session (design: max tool calls).

The clock is an argument: the adapter passes ``now`` and the times of the key's
recent calls (its match-history rows), so the bookkeeping lives in the audit
trail itself and holds across Odoo workers.

>>> from datetime import datetime, timedelta
>>> now = datetime(2026, 1, 1, 12, 0, 0)
>>> limits = Limits(calls_per_minute=2, calls_per_session=5)
>>> limit_refusal(limits, [now - timedelta(seconds=50), now - timedelta(seconds=10)], 0, now)
'Too many tool calls with this API key: at most 2 a minute. Try again in 10 seconds.'
>>> limit_refusal(limits, [now - timedelta(seconds=61)], 0, now)
''
>>> limit_refusal(limits, [], 5, now)[:46]
'This MCP session reached its limit of 5 tool c'
"""

import math
from dataclasses import dataclass
from datetime import timedelta

WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Limits:
    """``calls_per_minute`` per API key; ``calls_per_session`` per MCP session (the chat's max per turn)."""

    calls_per_minute: int = 60
    calls_per_session: int = 20


def rate_limit_wait(call_times, now, limit, window=WINDOW):
    """Seconds to wait before one more call fits in ``limit`` calls per ``window`` (0: it fits now).

    ``call_times`` are the earlier calls (any order; those older than the window are ignored).

    >>> from datetime import datetime
    >>> now = datetime(2026, 1, 1)
    >>> rate_limit_wait([now - timedelta(seconds=s) for s in (1, 2, 3)], now, 3)
    57.0
    >>> rate_limit_wait([], now, 0)
    60.0
    """
    recent = sorted(time for time in call_times if now - time < window)
    if len(recent) < limit:
        return 0.0
    if limit <= 0:
        return window.total_seconds()
    # The call that must leave the window first is the one ``limit`` places before the newest.
    oldest_blocking = recent[len(recent) - limit]
    return max((oldest_blocking + window - now).total_seconds(), 0.0) or 1.0


def limit_refusal(limits, key_call_times, session_calls, now):
    """The sentence refusing one more call, or ``""`` when the limits allow it."""
    if session_calls >= limits.calls_per_session:
        return (
            f"This MCP session reached its limit of {limits.calls_per_session} tool calls "
            "(the setting Max Tool Calls Per Turn). Reconnect the server to start a new session."
        )
    wait = rate_limit_wait(key_call_times, now, limits.calls_per_minute)
    if wait:
        return (
            f"Too many tool calls with this API key: at most {limits.calls_per_minute} a minute. "
            f"Try again in {math.ceil(wait)} seconds."
        )
    return ""
