"""Pieces shared by the two OpenAI wire formats."""

import json

from .messages import ToolCall


def call_from_json_text(call_id, name, text):
    """A :class:`ToolCall` from OpenAI's arguments string, which the model may have garbled."""
    try:
        arguments = json.loads(text or "{}")
    except ValueError:
        return ToolCall(id=call_id, name=name, arguments={}, parse_error="the arguments were not valid JSON")
    if not isinstance(arguments, dict):
        return ToolCall(id=call_id, name=name, arguments={}, parse_error="the arguments were not a JSON object")
    return ToolCall(id=call_id, name=name, arguments=arguments)


def _get(obj, name, default=None):
    value = getattr(obj, name, default) if obj is not None else default
    return default if value is None else value


def cached_tokens(usage, details_name):
    """Cached input tokens, inside ``usage.<details_name>.cached_tokens`` in both formats."""
    return _get(_get(usage, details_name), "cached_tokens", 0)
