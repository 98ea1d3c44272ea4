"""JSON Schema derived from a function's type hints and Google-style docstring.

A tool is written once, as a typed Python function; its schema is never written
by hand, so the schema the model sees and the arguments the function accepts
cannot drift apart.

>>> from datetime import date
>>> from typing import Literal
>>> def aging(env, as_of: date, top: int = 10, sort: Literal["amount", "name"] = "amount") -> dict:
...     '''AR aging.
...
...     Args:
...         as_of: Day the buckets are counted from.
...         top: How many partners to list.
...     '''
>>> schema = function_schema(aging)
>>> schema["required"], schema["properties"]["as_of"]
(['as_of'], {'type': 'string', 'format': 'date', 'description': 'Day the buckets are counted from.'})
>>> schema["properties"]["sort"]
{'type': 'string', 'enum': ['amount', 'name'], 'default': 'amount'}
>>> parse_docstring(aging.__doc__).summary
'AR aging.'
"""

import dataclasses
import inspect
import re
import types
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}
_SECTION_RE = re.compile(r"^(Args|Arguments|Parameters|Returns|Return|Raises|Yields|Examples?|Notes?):\s*$")
_ARG_RE = re.compile(r"^(\*{0,2}\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")


class ToolDefinitionError(TypeError):
    """A function cannot be a tool: unsupported type hint, missing context parameter..."""


@dataclass(frozen=True)
class Bounds:
    """Bounds of a number argument, written in its hint: ``Annotated[float, Bounds(minimum=0)]``.

    They become the schema's ``minimum``/``maximum``; validation enforces them
    on top of the bounds every number has (finite, at most ``MAX_AMOUNT``).

    >>> type_schema(Annotated[float, Bounds(minimum=0)])
    {'type': 'number', 'minimum': 0}
    """

    minimum: float | None = None
    maximum: float | None = None

    def schema(self):
        return {
            key: value for key, value in (("minimum", self.minimum), ("maximum", self.maximum)) if value is not None
        }


# A money argument whose sign matters: a fee, a payment amount (never negative).
NonNegativeAmount = Annotated[float, Bounds(minimum=0)]


@dataclass(frozen=True)
class Docstring:
    """The parts of a Google-style docstring a tool needs."""

    summary: str
    description: str
    params: dict


def parse_docstring(doc):
    """Split ``doc`` into summary, full description (before sections) and ``Args:`` entries.

    >>> d = parse_docstring('''Sum.
    ...
    ... Longer text.
    ...
    ... Args:
    ...     a (int): First
    ...         operand.
    ...     b: Second.
    ... Returns:
    ...     The sum.
    ... ''')
    >>> d.description, d.params
    ('Sum.\\n\\nLonger text.', {'a': 'First operand.', 'b': 'Second.'})
    """
    lines = inspect.cleandoc(doc or "").splitlines()
    body, params, section, current = [], {}, None, None
    for line in lines:
        header = _SECTION_RE.match(line.strip()) if not line.startswith(" ") else None
        if header:
            section = header.group(1)
            current = None
            continue
        if section is None:
            body.append(line)
        elif section in ("Args", "Arguments", "Parameters") and line.strip():
            indent = len(line) - len(line.lstrip())
            match = _ARG_RE.match(line.strip())
            if match and (current is None or indent <= params[current][0]):
                current = match.group(1).lstrip("*")
                params[current] = (indent, match.group(2).strip())
            elif current is not None:
                params[current] = (params[current][0], f"{params[current][1]} {line.strip()}".strip())
    description = "\n".join(body).strip()
    summary = description.split("\n\n")[0].replace("\n", " ").strip()
    return Docstring(summary, description, {name: text for name, (_indent, text) in params.items()})


def _is_optional(hint):
    origin = get_origin(hint)
    return origin in (Union, types.UnionType) and type(None) in get_args(hint)


def type_schema(hint):
    """JSON Schema of one type hint.

    >>> type_schema(list[int])
    {'type': 'array', 'items': {'type': 'integer'}}
    >>> type_schema(int | None)
    {'type': ['integer', 'null']}
    """
    if hint in _SCALARS:
        return {"type": _SCALARS[hint]}
    if get_origin(hint) is Annotated:
        schema = dict(type_schema(hint.__origin__))
        for extra in hint.__metadata__:
            if isinstance(extra, Bounds):
                schema.update(extra.schema())
        return schema
    if hint is date:
        return {"type": "string", "format": "date"}
    if hint is datetime:
        raise ToolDefinitionError("datetime arguments are not supported: pass a date")
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        kinds = {type(value) for value in args}
        if len(kinds) != 1 or next(iter(kinds)) not in _SCALARS:
            raise ToolDefinitionError(f"Literal values must share one scalar type: {args!r}")
        return {"type": _SCALARS[next(iter(kinds))], "enum": list(args)}
    if origin is list or hint is list:
        if not args:
            raise ToolDefinitionError("list arguments need an item type, e.g. list[int]")
        return {"type": "array", "items": type_schema(args[0])}
    if _is_optional(hint):
        rest = [arg for arg in args if arg is not type(None)]
        if len(rest) != 1:
            raise ToolDefinitionError(f"only Optional[X] unions are supported: {hint!r}")
        schema = dict(type_schema(rest[0]))
        if "type" in schema:
            schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
        return schema
    if dataclasses.is_dataclass(hint) or is_typeddict(hint):
        return _object_schema(hint)
    raise ToolDefinitionError(f"unsupported type hint for a tool argument: {hint!r}")


def _object_schema(cls):
    hints = get_type_hints(cls, include_extras=True)
    if dataclasses.is_dataclass(cls):
        fields = {f.name: f for f in dataclasses.fields(cls)}
        required = [
            name
            for name, f in fields.items()
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ]
    else:
        fields = hints
        required = sorted(cls.__required_keys__, key=list(hints).index)
    properties = {name: type_schema(hints[name]) for name in fields}
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def function_schema(func, *, descriptions=None):
    """Schema of ``func``'s parameters, all but the first (the execution context).

    ``descriptions`` defaults to the ``Args:`` section of ``func``'s docstring.
    """
    params = list(inspect.signature(func).parameters.values())
    if not params or params[0].kind not in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD):
        raise ToolDefinitionError(f"{func.__name__}: the first parameter must be the execution context (env)")
    hints = get_type_hints(func, include_extras=True)
    if descriptions is None:
        descriptions = parse_docstring(func.__doc__).params
    properties, required = {}, []
    for param in params[1:]:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise ToolDefinitionError(f"{func.__name__}: *args/**kwargs cannot be described to a model")
        if param.name not in hints:
            raise ToolDefinitionError(f"{func.__name__}: parameter {param.name!r} has no type hint")
        schema = type_schema(hints[param.name])
        if param.name in descriptions:
            schema["description"] = descriptions[param.name]
        if param.default is param.empty:
            required.append(param.name)
        elif param.default is not None:
            schema["default"] = param.default.isoformat() if isinstance(param.default, date) else param.default
        properties[param.name] = schema
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def build_value(hint: Any, value: Any):
    """Turn validated JSON ``value`` into ``hint``'s Python form (dataclass instances).

    Dates are already converted by validation; only dataclasses need building.
    """
    if value is None:
        return None
    if get_origin(hint) is Annotated:
        hint = hint.__origin__
    if _is_optional(hint):
        hint = next(arg for arg in get_args(hint) if arg is not type(None))
    if dataclasses.is_dataclass(hint):
        hints = get_type_hints(hint)
        return hint(**{key: build_value(hints[key], item) for key, item in value.items()})
    if get_origin(hint) is list:
        return [build_value(get_args(hint)[0], item) for item in value]
    return value
