"""Bounded subset-sum search: which few open items add up to a bank amount.

Used when a line pays several items at once (a remittance, a card batch
paying invoices directly).  The search is capped in items, in subset size and
in steps, and stops at the second fit: callers only book a subset when it is
the *only* one, so knowing that two exist is enough.

>>> fits([500, 700, 1200, 300], 1200, 1200).subsets
((2,), (1, 0))
>>> fits([100] * 30, 200, 200, max_items=8).complete
False
"""

from bisect import bisect_left
from dataclasses import dataclass


@dataclass(frozen=True)
class Fits:
    """The subsets found (index tuples, at most the search's ``limit``); ``complete`` is False when a cap cut it."""

    subsets: tuple
    complete: bool = True


def fits(values, low, high, *, max_size=5, max_items=16, max_steps=20_000, limit=2):
    """Subsets (index tuples into ``values``, all > 0) whose sum lies in ``[low, high]``, at most ``limit`` of them.

    Values are tried largest first (ties by index) so a permutation of the input
    finds the same subsets.  More than ``max_items`` values, or more than
    ``max_steps`` steps, give an incomplete answer.
    """
    if len(values) > max_items or any(value <= 0 for value in values):
        return Fits((), False)
    order = sorted(range(len(values)), key=lambda index: (-values[index], index))
    desc = [values[index] for index in order]
    rising = [-value for value in desc]  # ascending, for bisect
    # prefix[k]: the k largest values' total (padded past the end), so the next ``room`` values sum to a difference.
    prefix = [0]
    for value in desc:
        prefix.append(prefix[-1] + value)
    prefix += [prefix[-1]] * max(max_size, 0)
    found, steps = [], 0

    def walk(position, chosen, total):
        nonlocal steps
        steps += 1
        if steps > max_steps or len(found) >= limit:
            return
        if chosen and low <= total <= high:
            found.append(tuple(chosen))
        room = max_size - len(chosen)
        if room <= 0:
            return
        # Values too large for what is left of the band come first (largest first): skipped at once.
        for nxt in range(max(position, bisect_left(rising, total - high)), len(desc)):
            if total + prefix[nxt + room] - prefix[nxt] < low:
                return  # even the largest values left, as many as the subset may still take, fall short
            chosen.append(order[nxt])
            walk(nxt + 1, chosen, total + desc[nxt])
            chosen.pop()
            if len(found) >= limit or steps > max_steps:
                return

    walk(0, [], 0)
    return Fits(tuple(found), steps <= max_steps or len(found) >= limit)
