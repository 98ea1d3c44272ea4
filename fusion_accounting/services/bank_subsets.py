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
    suffix = [0] * (len(order) + 1)
    for position in range(len(order) - 1, -1, -1):
        suffix[position] = suffix[position + 1] + values[order[position]]
    found, steps = [], 0

    def walk(position, chosen, total):
        nonlocal steps
        steps += 1
        if steps > max_steps or len(found) >= limit:
            return
        if chosen and low <= total <= high:
            found.append(tuple(chosen))
        if len(chosen) >= max_size:
            return
        for nxt in range(position, len(order)):
            value = values[order[nxt]]
            if total + suffix[nxt] < low:
                return  # even every value left cannot reach the target
            if total + value > high:
                continue
            chosen.append(order[nxt])
            walk(nxt + 1, chosen, total + value)
            chosen.pop()
            if len(found) >= limit or steps > max_steps:
                return

    walk(0, [], 0)
    return Fits(tuple(found), steps <= max_steps or len(found) >= limit)
