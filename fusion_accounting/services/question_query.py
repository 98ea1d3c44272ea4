"""Turn a model's structured question into a safe, read-only grouped query.

``answer_financial_question`` never runs text the model wrote: the model fills
a :class:`QuestionRequest` (model, measures, group-bys, filters, period) and
this module checks every name against a whitelist before building a
:class:`QuerySpec`, i.e. the arguments of Odoo's ``_read_group(domain, groupby,
aggregates, limit=, order=)``.  Anything outside the whitelist is refused with
a :class:`QueryRefusedError` the model can read and correct.

>>> spec = build_query(QuestionRequest(
...     model="account.move.line", measures=("balance:sum",), group_by=("account_id",),
...     filters=(QueryFilter("parent_state", "=", "posted"),), date_from="2026-01-01", date_to="2026-03-31"))
>>> spec.domain
(('parent_state', '=', 'posted'), ('date', '>=', '2026-01-01'), ('date', '<=', '2026-03-31'))
>>> spec.groupby, spec.aggregates, spec.limit
(('account_id',), ('balance:sum',), 50)
>>> build_query(QuestionRequest(model="res.users", measures=("__count",)))
Traceback (most recent call last):
...
fusion_accounting.services.question_query.QueryRefusedError: model 'res.users' is not queryable; ...
"""

import math
import re
from dataclasses import dataclass
from datetime import date

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_FILTERS = 10
MAX_LIST_VALUES = 50
AGGREGATES = ("sum", "avg", "min", "max", "count")
DATE_GRANULARITIES = ("day", "week", "month", "quarter", "year")
OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "not in", "ilike")


@dataclass(frozen=True)
class ModelWhitelist:
    """What may be asked of one model: its measurable, groupable and filterable fields, and its period field.

    ``fields`` maps field name -> kind (``number``, ``date``, ``many2one``,
    ``selection``, ``boolean``, ``text``); only ``number`` fields are measures.
    """

    date_field: str
    fields: dict


WHITELIST = {
    "account.move.line": ModelWhitelist(
        "date",
        {
            "balance": "number",
            "debit": "number",
            "credit": "number",
            "amount_residual": "number",
            "date": "date",
            "date_maturity": "date",
            "account_id": "many2one",
            "partner_id": "many2one",
            "journal_id": "many2one",
            "product_id": "many2one",
            "move_id": "many2one",
            "account_type": "selection",
            "parent_state": "selection",
            "reconciled": "boolean",
            "name": "text",
        },
    ),
    "account.move": ModelWhitelist(
        "date",
        {
            "amount_total_signed": "number",
            "amount_untaxed_signed": "number",
            "amount_tax_signed": "number",
            "amount_residual_signed": "number",
            "date": "date",
            "invoice_date": "date",
            "invoice_date_due": "date",
            "partner_id": "many2one",
            "journal_id": "many2one",
            "move_type": "selection",
            "state": "selection",
            "payment_state": "selection",
            "name": "text",
            "ref": "text",
        },
    ),
    "account.payment": ModelWhitelist(
        "date",
        {
            "amount_company_currency_signed": "number",
            "date": "date",
            "partner_id": "many2one",
            "journal_id": "many2one",
            "payment_type": "selection",
            "partner_type": "selection",
            "state": "selection",
            "is_reconciled": "boolean",
        },
    ),
    "account.bank.statement.line": ModelWhitelist(
        "date",
        {
            "amount": "number",
            "date": "date",
            "partner_id": "many2one",
            "journal_id": "many2one",
            "is_reconciled": "boolean",
            "payment_ref": "text",
        },
    ),
}

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


class QueryRefusedError(ValueError):
    """The request names something outside the whitelist or malformed; the message says what."""


@dataclass(frozen=True)
class QueryFilter:
    """``field operator value``; ``value`` is a scalar, or a list for ``in``/``not in``."""

    field: str
    operator: str
    value: object


@dataclass(frozen=True)
class QuestionRequest:
    """What the model asks: ``measures`` as ``field:aggregate`` or ``__count``, ``group_by`` fields
    (dates as ``date:month``), ``filters``, an optional period on the model's date field, ``limit`` and ``order``
    (``measure desc``)."""

    model: str
    measures: tuple = ("__count",)
    group_by: tuple = ()
    filters: tuple = ()
    date_from: str | None = None
    date_to: str | None = None
    limit: int = DEFAULT_LIMIT
    order: str | None = None


@dataclass(frozen=True)
class QuerySpec:
    """Arguments for ``env[model]._read_group(list(domain), list(groupby), list(aggregates), limit=, order=)``."""

    model: str
    domain: tuple
    groupby: tuple
    aggregates: tuple
    limit: int
    order: str | None


def _refuse(message):
    raise QueryRefusedError(message)


def _field(whitelist, model, name, purpose):
    if not isinstance(name, str) or name not in whitelist.fields:
        allowed = ", ".join(sorted(whitelist.fields))
        _refuse(f"{purpose} field {name!r} is not allowed on {model}; allowed: {allowed}")
    return whitelist.fields[name]


def _measure(whitelist, model, measure):
    if measure == "__count":
        return measure
    if not isinstance(measure, str) or measure.count(":") != 1:
        _refuse(f"measure {measure!r} must be 'field:aggregate' or '__count'")
    name, aggregate = measure.split(":")
    kind = _field(whitelist, model, name, "measure")
    if aggregate not in AGGREGATES:
        _refuse(f"aggregate {aggregate!r} is not allowed; allowed: {', '.join(AGGREGATES)}")
    if kind != "number" and aggregate != "count":
        _refuse(f"field {name!r} is not a number: only 'count' applies")
    return measure


def _groupby(whitelist, model, spec):
    if not isinstance(spec, str):
        _refuse(f"group by {spec!r} must be a field name")
    name, _, granularity = spec.partition(":")
    kind = _field(whitelist, model, name, "group by")
    if kind in ("number", "text"):
        _refuse(f"cannot group by {kind} field {name!r}")
    if kind == "date":
        granularity = granularity or "month"
        if granularity not in DATE_GRANULARITIES:
            _refuse(f"date granularity {granularity!r} is not allowed; allowed: {', '.join(DATE_GRANULARITIES)}")
        return f"{name}:{granularity}"
    if granularity:
        _refuse(f"only date fields take a granularity, not {name!r}")
    return name


def _scalar(kind, name, value):
    ok = {
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "date": lambda v: isinstance(v, str) and _DATE_RE.fullmatch(v) is not None and _is_date(v),
        "many2one": lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
        "selection": lambda v: isinstance(v, str) and len(v) <= 64,
        "boolean": lambda v: isinstance(v, bool),
        "text": lambda v: isinstance(v, str) and len(v) <= 200,
    }[kind]
    if not ok(value):
        _refuse(f"value {value!r} does not fit {kind} field {name!r}")
    return value


def _is_date(text):
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _filter(whitelist, model, item):
    if not isinstance(item, QueryFilter):
        _refuse(f"filter {item!r} must be a (field, operator, value) filter")
    kind = _field(whitelist, model, item.field, "filter")
    if item.operator not in OPERATORS:
        _refuse(f"operator {item.operator!r} is not allowed; allowed: {', '.join(OPERATORS)}")
    if item.operator == "ilike" and kind != "text":
        _refuse(f"'ilike' only applies to text fields, not {item.field!r}")
    if item.operator in ("in", "not in"):
        if not isinstance(item.value, (list, tuple)) or not item.value or len(item.value) > MAX_LIST_VALUES:
            _refuse(f"'{item.operator}' needs a list of 1 to {MAX_LIST_VALUES} values")
        return (item.field, item.operator, tuple(_scalar(kind, item.field, v) for v in item.value))
    if item.operator in ("<", "<=", ">", ">=") and kind not in ("number", "date"):
        _refuse(f"'{item.operator}' only applies to numbers and dates, not {item.field!r}")
    return (item.field, item.operator, _scalar(kind, item.field, item.value))


def _order(order, aggregates, groupby):
    if order is None:
        return None
    if not isinstance(order, str):
        _refuse(f"order {order!r} must be 'measure asc|desc'")
    term, _, direction = order.strip().partition(" ")
    if direction.lower() not in ("", "asc", "desc"):
        _refuse(f"order direction {direction!r} must be asc or desc")
    if term not in aggregates and term not in groupby:
        _refuse(f"order {term!r} must be one of the measures or group-bys")
    return f"{term} {direction.lower() or 'asc'}"


def filter_from_text(model, field, operator, text):
    """A :class:`QueryFilter` from the text a model gives (tool schemas carry strings), typed by the field's kind.

    Lists for ``in``/``not in`` are comma-separated; booleans are ``true``/``false``.

    >>> filter_from_text("account.move.line", "account_id", "in", "12, 15")
    QueryFilter(field='account_id', operator='in', value=[12, 15])
    >>> filter_from_text("account.move.line", "balance", ">", "1e3")
    QueryFilter(field='balance', operator='>', value=1000.0)
    >>> filter_from_text("account.move.line", "reconciled", "=", "yes")
    Traceback (most recent call last):
    ...
    fusion_accounting.services.question_query.QueryRefusedError: 'yes' is not true or false
    """
    if model not in WHITELIST:
        _refuse(f"model {model!r} is not queryable; allowed: {', '.join(sorted(WHITELIST))}")
    kind = _field(WHITELIST[model], model, field, "filter")
    if not isinstance(text, str):
        _refuse(f"filter value {text!r} must be text")
    parts = [part.strip() for part in text.split(",")] if operator in ("in", "not in") else [text.strip()]
    values = [_typed(kind, part) for part in parts]
    return QueryFilter(field, operator, values if operator in ("in", "not in") else values[0])


def _typed(kind, text):
    try:
        if kind == "number":
            value = float(text)
            if not math.isfinite(value):
                raise ValueError(text)
            return value
        if kind == "many2one":
            return int(text)
    except ValueError:
        _refuse(f"{text!r} is not a {'number' if kind == 'number' else 'record id'}")
    if kind == "boolean":
        if text.lower() not in ("true", "false"):
            _refuse(f"{text!r} is not true or false")
        return text.lower() == "true"
    return text


def build_query(request):
    """Check ``request`` against :data:`WHITELIST` and return its :class:`QuerySpec`; refuse anything else."""
    model = request.model
    if model not in WHITELIST:
        _refuse(f"model {model!r} is not queryable; allowed: {', '.join(sorted(WHITELIST))}")
    whitelist = WHITELIST[model]
    if not request.measures:
        _refuse("at least one measure is needed, e.g. '__count' or 'balance:sum'")
    aggregates = tuple(_measure(whitelist, model, m) for m in request.measures)
    groupby = tuple(_groupby(whitelist, model, g) for g in request.group_by)
    if len(request.filters) > MAX_FILTERS:
        _refuse(f"at most {MAX_FILTERS} filters")
    domain = [_filter(whitelist, model, f) for f in request.filters]
    for bound, operator in ((request.date_from, ">="), (request.date_to, "<=")):
        if bound is not None:
            domain.append((whitelist.date_field, operator, _scalar("date", whitelist.date_field, bound)))
    limit = request.limit
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        _refuse(f"limit must be between 1 and {MAX_LIMIT}")
    order = _order(request.order, aggregates, groupby)
    return QuerySpec(model, tuple(domain), groupby, aggregates, limit, order)
