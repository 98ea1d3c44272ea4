"""What a running turn reports while it runs, so the chat can show each tool call as it happens.

The loop calls its ``observer`` with a :class:`ProgressEvent` before and after
every tool call.  Progress is only a view: the conversation and the match
history written when the turn ends stay the record of what happened.

>>> ProgressEvent(ProgressKind.DONE, "c1", "get_ar_aging", ok=True, rows=3).as_json()["rows"]
3
"""

from dataclasses import dataclass, field
from enum import Enum

from .prompt import CONFIDENCE_ARG, REASONING_ARG

MAX_ARGUMENT_CHARS = 80  # per argument shown: a pasted payroll summary must not travel with every event


class ProgressKind(Enum):
    STARTED = "started"
    DONE = "done"
    AWAITING_APPROVAL = "awaiting_approval"


@dataclass(frozen=True)
class ProgressEvent:
    """One step of a tool call.  ``ok``/``rows`` are set on DONE; ``detail`` says why a call failed."""

    kind: ProgressKind
    call_id: str
    tool: str
    arguments: dict = field(default_factory=dict)
    ok: bool = True
    rows: int | None = None
    detail: str = ""

    def as_json(self):
        """The event as the chat panel receives it (arguments shortened)."""
        return {
            "kind": self.kind.value,
            "call_id": self.call_id,
            "tool": self.tool,
            "arguments": short_arguments(self.arguments),
            "ok": self.ok,
            "rows": self.rows,
            "detail": self.detail[:200],
        }


def short_arguments(arguments):
    """``arguments`` without the tier-3 reasoning fields, each value cut to :data:`MAX_ARGUMENT_CHARS`.

    >>> shown = short_arguments({"text": "x" * 100, "ai_reasoning": "because", "limit": 5})
    >>> len(shown["text"]), shown["text"][-3:], shown["limit"], "ai_reasoning" in shown
    (80, '...', '5', False)
    """
    shown = {}
    for name, value in (arguments or {}).items():
        if name in (REASONING_ARG, CONFIDENCE_ARG):
            continue
        text = str(value)
        shown[name] = text if len(text) <= MAX_ARGUMENT_CHARS else text[: MAX_ARGUMENT_CHARS - 3] + "..."
    return shown


def row_count(value):
    """How many rows a tool returned: a list's length, or the longest list in a dict; ``None`` otherwise.

    >>> row_count([1, 2]), row_count({"total": 5, "lines": [1, 2, 3]}), row_count("done")
    (2, 3, None)
    """
    if isinstance(value, (list, tuple)):
        return len(value)
    if isinstance(value, dict):
        lengths = [len(item) for item in value.values() if isinstance(item, (list, tuple))]
        return max(lengths) if lengths else None
    return None
