"""AI usage and cost over a period, from per-conversation token counts.

The platform prices each turn when it knows the model's price; a
conversation without a price adds its tokens but no cost.

>>> usage_totals([(1_000_000, 100_000, 4.5), (10, 10, None)])
UsageTotals(turns=2, input_tokens=1000010, output_tokens=100010, cost=4.5)
>>> usage_totals([(10, 10, None)]).cost is None
True
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class UsageTotals:
    turns: int
    input_tokens: int
    output_tokens: int
    cost: float | None  # None when no conversation has a cost


def usage_totals(turns):
    """Sum ``(input_tokens, output_tokens, cost_or_None)`` rows."""
    count = input_tokens = output_tokens = 0
    cost = None
    for turn_in, turn_out, turn_cost in turns:
        count += 1
        input_tokens += turn_in or 0
        output_tokens += turn_out or 0
        if turn_cost is not None:
            cost = (cost or 0.0) + turn_cost
    return UsageTotals(count, input_tokens, output_tokens, None if cost is None else round(cost, 6))
