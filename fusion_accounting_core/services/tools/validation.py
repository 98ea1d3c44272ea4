"""Check a model's tool arguments against the tool's JSON Schema, and coerce them.

Only the subset of JSON Schema that :mod:`.schema` produces is understood; an
argument that does not fit is refused with a message the model can act on.

>>> from datetime import date
>>> schema = {"type": "object", "properties": {"as_of": {"type": "string", "format": "date"},
...           "top": {"type": "integer", "default": 10}}, "required": ["as_of"], "additionalProperties": False}
>>> validate_arguments(schema, {"as_of": "2026-10-31"})
{'as_of': datetime.date(2026, 10, 31), 'top': 10}
>>> validate_arguments(schema, {"as_of": "31/10/2026"})
Traceback (most recent call last):
...
fusion_accounting_core...ToolArgumentError: as_of: expected a date as YYYY-MM-DD, got '31/10/2026'
"""

import math
import re
from datetime import date

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PY_TYPES = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


class ToolArgumentError(ValueError):
    """Arguments do not match the tool's schema; the message names the offending path."""


def _fits(kind, value):
    if isinstance(value, bool) and kind in ("integer", "number"):
        return False  # JSON true is not 1
    if kind == "number" and isinstance(value, float) and not math.isfinite(value):
        return False
    return isinstance(value, _PY_TYPES[kind])


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _coerce(schema, value, path):
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if kinds and not any(_fits(kind, value) for kind in kinds):
        raise ToolArgumentError(f"{path}: expected {' or '.join(kinds)}, got {_short(value)}")
    if "enum" in schema and value not in schema["enum"]:
        raise ToolArgumentError(f"{path}: must be one of {schema['enum']!r}, got {_short(value)}")
    if value is None:
        return None
    if schema.get("format") == "date" and isinstance(value, str):
        try:
            if not _DATE_RE.fullmatch(value):  # fromisoformat also takes "20261031"
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            raise ToolArgumentError(f"{path}: expected a date as YYYY-MM-DD, got {_short(value)}") from None
    if isinstance(value, list):
        return [_coerce(schema.get("items", {}), item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        return _coerce_object(schema, value, path)
    return value


def _coerce_object(schema, value, path):
    properties = schema.get("properties", {})
    prefix = f"{path}." if path else ""
    if schema.get("additionalProperties") is False:
        unknown = sorted(set(value) - set(properties))
        if unknown:
            raise ToolArgumentError(f"{prefix}{unknown[0]}: unknown argument; expected one of {sorted(properties)}")
    missing = [name for name in schema.get("required", []) if name not in value]
    if missing:
        raise ToolArgumentError(f"{prefix}{missing[0]}: required argument is missing")
    result = {}
    for name, sub in properties.items():
        if name in value:
            result[name] = _coerce(sub, value[name], f"{prefix}{name}")
        elif "default" in sub:
            result[name] = _coerce(sub, sub["default"], f"{prefix}{name}")
    return result


def validate_arguments(schema, arguments):
    """Return ``arguments`` checked against ``schema``, defaults filled and dates as :class:`date`."""
    if not isinstance(arguments, dict):
        raise ToolArgumentError(f"arguments must be a JSON object, got {_short(arguments)}")
    return _coerce_object(schema, arguments, "")
