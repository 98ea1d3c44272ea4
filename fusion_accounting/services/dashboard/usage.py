"""AI usage and cost over a period, from per-turn token counts.

Prices are per million tokens and are passed in: they change with vendors
and models, and the platform may already have stored the cost of a turn.

>>> usage_totals([(1_000_000, 100_000, None)], input_price=3.0, output_price=15.0)
UsageTotals(turns=1, input_tokens=1000000, output_tokens=100000, cost=4.5)
>>> usage_totals([(10, 10, 0.25), (0, 0, None)], input_price=None, output_price=None).cost
0.25
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class UsageTotals:
    turns: int
    input_tokens: int
    output_tokens: int
    cost: float | None  # None when no turn has a cost and no price is known


def usage_totals(turns, input_price, output_price):
    """Sum ``(input_tokens, output_tokens, stored_cost_or_None)`` rows.

    A stored cost wins; otherwise the cost is priced from the tokens when both
    prices are known.
    """
    count = input_tokens = output_tokens = 0
    cost = None
    for turn_in, turn_out, stored in turns:
        count += 1
        input_tokens += turn_in or 0
        output_tokens += turn_out or 0
        turn_cost = stored
        if turn_cost is None and input_price is not None and output_price is not None:
            turn_cost = ((turn_in or 0) * input_price + (turn_out or 0) * output_price) / 1_000_000
        if turn_cost is not None:
            cost = (cost or 0.0) + turn_cost
    return UsageTotals(count, input_tokens, output_tokens, None if cost is None else round(cost, 6))
