"""Tones for levels imported from Enterprise ``account_followup.followup.line``.

Enterprise levels carry no tone.  It is derived from the *order* of the
delays, never from their values or sequence numbers, so any ladder works:
the earliest rung is gentle, the latest is legal when there are at least
three rungs, and everything in between is firm.  Equal delays get equal tones.

>>> tones_for_delays([15, -5, 40, 90])
['firm', 'gentle', 'firm', 'legal']
>>> tones_for_delays([3]), tones_for_delays([10, 20]), tones_for_delays([])
(['gentle'], ['gentle', 'firm'], [])
"""

from collections.abc import Sequence

LEGAL_MIN_RUNGS = 3


def tones_for_delays(delays: Sequence[int]) -> list[str]:
    """One tone per delay, aligned with ``delays``."""
    rungs = sorted(set(delays))
    last = len(rungs) - 1

    def tone(rank: int) -> str:
        if rank == 0:
            return "gentle"
        if rank == last and len(rungs) >= LEGAL_MIN_RUNGS:
            return "legal"
        return "firm"

    return [tone(rungs.index(delay)) for delay in delays]
