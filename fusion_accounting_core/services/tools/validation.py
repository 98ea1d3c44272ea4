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

Every value is also bounded, once here for all tools: integers fit PostgreSQL's
``int4``, numbers are finite and at most :data:`MAX_AMOUNT` in magnitude (a
schema's ``minimum``/``maximum``, e.g. from ``Annotated[float, Bounds(minimum=0)]``,
narrows that), dates are days Odoo can compute with, texts hold no NUL and at
most :data:`MAX_TEXT_CHARS` characters, lists at most :data:`MAX_ITEMS` items.

>>> validate_arguments(schema, {"as_of": "0001-01-01"})
Traceback (most recent call last):
...
fusion_accounting_core...ToolArgumentError: as_of: expected a day from 1900-01-01 to 2199-12-31, got '0001-01-01'
>>> validate_arguments(schema, {"as_of": "2026-10-31", "top": 2**31})
Traceback (most recent call last):
...
fusion_accounting_core...ToolArgumentError: top: expected a whole number from -2147483648 to 2147483647, got 2147483648
>>> fee = {"type": "object", "properties": {"fee": {"type": "number", "minimum": 0}}, "required": ["fee"]}
>>> validate_arguments(fee, {"fee": -1e12})
Traceback (most recent call last):
...
fusion_accounting_core...ToolArgumentError: fee: expected a number from 0 to 100000000000, got -1000000000000.0
"""

import math
import re
from datetime import date

from ..route_inputs import INT4_MAX, MAX_AMOUNT, MAX_DATE, MIN_DATE

INT4_MIN = -INT4_MAX - 1
MAX_TEXT_CHARS = 200_000  # a pasted payroll summary; an upload's text is capped at the same size
MAX_ITEMS = 5_000  # items of one list argument

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


def _figure(value):
    return str(int(value)) if float(value).is_integer() else str(value)


def _check_bounds(schema, value, path):
    """Refuse a value outside the sizes Odoo and PostgreSQL hold, or outside the schema's own bounds."""
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, int) and "number" not in kinds:  # an id, a count: PostgreSQL int4
            floor, ceiling, kind = INT4_MIN, INT4_MAX, "whole number"
        else:  # an amount, a rate
            floor, ceiling, kind = -MAX_AMOUNT, MAX_AMOUNT, "number"
        low, high = max(schema.get("minimum", floor), floor), min(schema.get("maximum", ceiling), ceiling)
        if not low <= value <= high:
            raise ToolArgumentError(
                f"{path}: expected a {kind} from {_figure(low)} to {_figure(high)}, got {_short(value)}"
            )
    if isinstance(value, str):
        if "\x00" in value:
            raise ToolArgumentError(f"{path}: a text may not contain a NUL character")
        limit = min(schema.get("maxLength", MAX_TEXT_CHARS), MAX_TEXT_CHARS)
        if len(value) > limit:
            raise ToolArgumentError(f"{path}: at most {limit} characters, got {len(value)}")
    if isinstance(value, list) and len(value) > min(schema.get("maxItems", MAX_ITEMS), MAX_ITEMS):
        raise ToolArgumentError(f"{path}: at most {min(schema.get('maxItems', MAX_ITEMS), MAX_ITEMS)} items")


def _coerce(schema, value, path):
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if kinds and not any(_fits(kind, value) for kind in kinds):
        raise ToolArgumentError(f"{path}: expected {' or '.join(kinds)}, got {_short(value)}")
    if "enum" in schema and value not in schema["enum"]:
        raise ToolArgumentError(f"{path}: must be one of {schema['enum']!r}, got {_short(value)}")
    if value is None:
        return None
    _check_bounds(schema, value, path)
    if schema.get("format") == "date" and isinstance(value, str):
        try:
            if not _DATE_RE.fullmatch(value):  # fromisoformat also takes "20261031"
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            raise ToolArgumentError(f"{path}: expected a date as YYYY-MM-DD, got {_short(value)}") from None
        if not MIN_DATE <= day <= MAX_DATE:
            raise ToolArgumentError(
                f"{path}: expected a day from {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}, got {_short(value)}"
            )
        return day
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
