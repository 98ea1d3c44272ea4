"""What a session's tokens cost, from vendors' list prices.

Prices are US dollars per million tokens and change over time: keep this table
in step with the vendors' pricing pages.  A model not listed has an unknown
cost (``None``), never a guessed one.

>>> from .providers import Usage
>>> round(session_cost("claude-sonnet-4-20250514", Usage(1_000_000, 100_000, 2_000_000, 0)), 2)
5.1
>>> session_cost("some-local-llama", Usage(10, 10)) is None
True
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Price:
    input: float
    output: float
    cache_read: float = 0.0
    cache_write: float = 0.0


# Longest matching prefix wins.
PRICES = {
    "claude-opus-4": Price(15.0, 75.0, 1.5, 18.75),
    "claude-sonnet-4": Price(3.0, 15.0, 0.3, 3.75),
    "claude-3-7-sonnet": Price(3.0, 15.0, 0.3, 3.75),
    "claude-3-5-haiku": Price(0.8, 4.0, 0.08, 1.0),
    "claude-haiku-4": Price(1.0, 5.0, 0.1, 1.25),
    "gpt-4o-mini": Price(0.15, 0.6, 0.075),
    "gpt-4o": Price(2.5, 10.0, 1.25),
    "gpt-4.1-mini": Price(0.4, 1.6, 0.1),
    "gpt-4.1": Price(2.0, 8.0, 0.5),
    "gpt-5-mini": Price(0.25, 2.0, 0.025),
    "gpt-5": Price(1.25, 10.0, 0.125),
    "offline": Price(0.0, 0.0),
}


def price_for(model):
    matches = [prefix for prefix in PRICES if (model or "").startswith(prefix)]
    return PRICES[max(matches, key=len)] if matches else None


def session_cost(model, usage):
    """Cost in US dollars of ``usage`` on ``model``, or ``None`` when the model's price is unknown."""
    price = price_for(model)
    if price is None:
        return None
    return (
        usage.input_tokens * price.input
        + usage.output_tokens * price.output
        + usage.cache_read_tokens * price.cache_read
        + usage.cache_write_tokens * price.cache_write
    ) / 1_000_000
