"""Deferred tier-3 calls and the decisions that settle them.

The hash binds an approval to the exact arguments the model proposed: it is
computed on canonical JSON (sorted keys, no spaces), so key order does not
matter and any changed value does.

>>> arguments_hash({"b": 1, "a": [1, 2]}) == arguments_hash({"a": [1, 2], "b": 1})
True
>>> canonical_json({"b": 1, "a": "é"})
'{"a":"é","b":1}'
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from enum import Enum


def _default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def canonical_json(arguments):
    return json.dumps(arguments, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def arguments_hash(arguments):
    """SHA-256 (hex) of :func:`canonical_json`."""
    return hashlib.sha256(canonical_json(arguments).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Proposal:
    """A tier-3 call the loop did not run.  ``arguments`` are JSON values, as the model sent them."""

    call_id: str
    tool: str
    arguments: dict
    arguments_hash: str
    reasoning: str
    confidence: float | None


class Outcome(Enum):
    APPROVED = "approved"  # executed with the approver's rights; ``content`` is the result
    FAILED = "failed"  # approved, but the execution raised; ``content`` says why
    REJECTED = "rejected"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Decision:
    """What became of one proposal, handed back to the model as that call's result."""

    call_id: str
    outcome: Outcome
    content: str = ""
    reason: str = ""
    correct_action: str = ""

    def tool_text(self):
        """The text the model reads as the deferred call's result."""
        if self.outcome is Outcome.APPROVED:
            return f"Approved by the user and executed. Result: {self.content}"
        if self.outcome is Outcome.FAILED:
            return f"Approved by the user, but the execution failed: {self.content}"
        if self.outcome is Outcome.EXPIRED:
            return "Not executed: the proposal expired before anyone approved it."
        text = f"Rejected by the user; nothing was executed. Reason: {self.reason or 'none given'}."
        if self.correct_action:
            text += f" What should have been done instead: {self.correct_action}"
        return text
