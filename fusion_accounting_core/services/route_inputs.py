"""Check what a browser sent to a route before anything reads or stores it (pure).

A JSON-RPC route receives whatever a client posts: ``"abc"`` for an id,
``-5`` for a limit, ``NaN`` for an amount, ``"0000-00-00"`` for a date, a NUL
byte in a text.  Passed on, they surface as ``ValueError``, ``OverflowError``
or a PostgreSQL error (``integer out of range``, ``date/time field value out of
range``, ``A string literal cannot contain NUL``) and the user reads a
traceback.  Each checker here returns the clean value or raises
:class:`RouteInputError`, whose message is one sentence for the user; the
Odoo adapter turns it into a ``UserError``.

The bounds are the ones Odoo's columns hold: ids are PostgreSQL ``int4``,
dates are days that Odoo's date arithmetic can still move around in.

>>> record_id("42"), record_id(7, "proposal_id")
(42, 7)
>>> record_id(2**31)
Traceback (most recent call last):
...
fusion_accounting_core.services.route_inputs.RouteInputError: id must be a whole number from 1 to 2147483647.
>>> bounded_limit(-5)
Traceback (most recent call last):
...
fusion_accounting_core.services.route_inputs.RouteInputError: limit must be a whole number from 1 to 100.
>>> bounded_limit(None, default=20), bounded_offset("10")
(20, 10)
>>> id_list([3, "4", 3])
[3, 4]
>>> id_list("1,2")
Traceback (most recent call last):
...
fusion_accounting_core.services.route_inputs.RouteInputError: ids must be a list of record ids.
>>> finite_number("12.5", "amount")
12.5
>>> finite_number(float("nan"), "amount")
Traceback (most recent call last):
...
fusion_accounting_core.services.route_inputs.RouteInputError: amount must be a finite number.
>>> odoo_date("2026-10-31")
datetime.date(2026, 10, 31)
>>> odoo_date("0001-01-01", "today")
Traceback (most recent call last):
...
fusion_accounting_core.services.route_inputs.RouteInputError: today must be a day from 1900-01-01 to 2199-12-31.
>>> text_value("a\\x00b", "reason")
Traceback (most recent call last):
...
fusion_accounting_core.services.route_inputs.RouteInputError: reason must not contain a NUL character.
>>> choice("approve", "action", ("approve", "reject"))
'approve'
"""

import math
import re
from datetime import date

INT4_MAX = 2**31 - 1  # PostgreSQL ``integer``: every id and Integer field
MAX_LIMIT = 100  # rows one page of a list may ask for
MAX_IDS = 1000  # ids one request may name
MAX_AMOUNT = 1e11  # a hundred billion: no single amount of the books is larger; beyond, floats lose cents
MIN_DATE = date(1900, 1, 1)  # Odoo stores older days, but date arithmetic around them (aging, periods) breaks
MAX_DATE = date(2199, 12, 31)
MAX_TEXT = 20_000  # characters of one free text (a chat message, a rejection reason)

_INT_RE = re.compile(r"[+-]?\d{1,12}")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


class RouteInputError(ValueError):
    """A value sent to a route is unusable; ``str(error)`` is one sentence for the user."""

    def __init__(self, sentence, name=""):
        super().__init__(sentence)
        self.sentence = sentence
        self.name = name


def whole_number(value, name, *, minimum=-INT4_MAX - 1, maximum=INT4_MAX, default=None):
    """``value`` as an ``int`` from ``minimum`` to ``maximum``; ``default`` when it is ``None`` or ``""``.

    Accepts an int, a string of digits or an integral float (JSON has one
    number type); refuses booleans, fractions, NaN and anything else.

    >>> whole_number("7", "top", minimum=1, maximum=10), whole_number(3.0, "top"), whole_number(None, "n", default=4)
    (7, 3, 4)
    >>> whole_number(True, "top")
    Traceback (most recent call last):
    ...
    fusion_accounting_core.services.route_inputs.RouteInputError: top must be a whole number.
    """
    if value is None or value == "":
        if default is not None:
            return default
        raise RouteInputError(f"{name} is required.", name)
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
        number = int(value.strip())
    if number is None:
        if minimum > -INT4_MAX - 1 or maximum < INT4_MAX:
            raise RouteInputError(f"{name} must be a whole number from {minimum} to {maximum}.", name)
        raise RouteInputError(f"{name} must be a whole number.", name)
    if not minimum <= number <= maximum:
        raise RouteInputError(f"{name} must be a whole number from {minimum} to {maximum}.", name)
    return number


def record_id(value, name="id", *, optional=False):
    """A record id: a whole number from 1 to :data:`INT4_MAX` (``None`` when ``optional`` and empty or false)."""
    if optional and value in (None, "", False, 0):
        return None
    if value is False:
        value = None
    return whole_number(value, name, minimum=1, maximum=INT4_MAX)


def bounded_limit(value, name="limit", *, default=20, maximum=MAX_LIMIT):
    """How many rows to return: 1 to ``maximum``, ``default`` when not sent."""
    return whole_number(value, name, minimum=1, maximum=maximum, default=default)


def bounded_offset(value, name="offset", *, maximum=INT4_MAX):
    """How many rows to skip: 0 to ``maximum``, 0 when not sent."""
    return whole_number(value, name, minimum=0, maximum=maximum, default=0)


def id_list(value, name="ids", *, max_items=MAX_IDS, allow_empty=True):
    """A list of record ids, duplicates dropped, order kept; a single id is not a list."""
    if not isinstance(value, (list, tuple)):
        raise RouteInputError(f"{name} must be a list of record ids.", name)
    if len(value) > max_items:
        raise RouteInputError(f"{name} may name at most {max_items} records.", name)
    if not value and not allow_empty:
        raise RouteInputError(f"{name} must name at least one record.", name)
    ids = []
    for item in value:
        try:
            number = record_id(item, name)
        except RouteInputError:
            raise RouteInputError(f"{name} must be a list of record ids.", name) from None
        if number not in ids:
            ids.append(number)
    return ids


def finite_number(value, name, *, minimum=-MAX_AMOUNT, maximum=MAX_AMOUNT, default=None):
    """A finite ``float`` from ``minimum`` to ``maximum`` (an int, float or numeric string).

    >>> finite_number(-1e12, "fee_amount", minimum=0)
    Traceback (most recent call last):
    ...
    fusion_accounting_core.services.route_inputs.RouteInputError: fee_amount must be a number from 0 to 100000000000.
    """
    if value is None or value == "":
        if default is not None:
            return default
        raise RouteInputError(f"{name} is required.", name)
    number = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value) if abs(value) < 1e300 else math.inf
    elif isinstance(value, str) and len(value) <= 40:
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        raise RouteInputError(f"{name} must be a finite number.", name)
    if not minimum <= number <= maximum:
        raise RouteInputError(f"{name} must be a number from {_figure(minimum)} to {_figure(maximum)}.", name)
    return number


def _figure(value):
    return str(int(value)) if float(value).is_integer() else str(value)


def odoo_date(value, name="date", *, optional=True, minimum=MIN_DATE, maximum=MAX_DATE):
    """A :class:`date` from an ISO ``YYYY-MM-DD`` string (or a date), inside ``minimum``..``maximum``.

    ``None`` when ``optional`` and nothing (``None``, ``""``, ``False``) was sent.

    >>> odoo_date("0000-00-00")
    Traceback (most recent call last):
    ...
    fusion_accounting_core.services.route_inputs.RouteInputError: date must be a day written YYYY-MM-DD.
    """
    if value in (None, "", False):
        if optional:
            return None
        raise RouteInputError(f"{name} is required.", name)
    if isinstance(value, date):
        day = value.date() if hasattr(value, "date") and callable(value.date) else value
    elif isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            day = None
    else:
        day = None
    if day is None:
        raise RouteInputError(f"{name} must be a day written YYYY-MM-DD.", name)
    if not minimum <= day <= maximum:
        raise RouteInputError(f"{name} must be a day from {minimum.isoformat()} to {maximum.isoformat()}.", name)
    return day


def text_value(value, name, *, max_length=MAX_TEXT, default="", required=False):
    """A string without NUL characters and at most ``max_length`` long (``default`` when not sent).

    >>> text_value("x" * 5, "reason", max_length=4)
    Traceback (most recent call last):
    ...
    fusion_accounting_core.services.route_inputs.RouteInputError: reason is too long: at most 4 characters.
    """
    if value is None or value is False:
        if required:
            raise RouteInputError(f"{name} is required.", name)
        return default
    if not isinstance(value, str):
        raise RouteInputError(f"{name} must be a text.", name)
    if "\x00" in value:
        raise RouteInputError(f"{name} must not contain a NUL character.", name)
    if len(value) > max_length:
        raise RouteInputError(f"{name} is too long: at most {max_length} characters.", name)
    if required and not value.strip():
        raise RouteInputError(f"{name} is required.", name)
    return value


def choice(value, name, choices, *, default=None):
    """``value`` when it is one of ``choices`` (``default`` when not sent and a default is given).

    >>> choice("delete", "action", ("approve", "reject"))
    Traceback (most recent call last):
    ...
    fusion_accounting_core.services.route_inputs.RouteInputError: action must be one of: approve, reject.
    """
    if value is None and default is not None:
        return default
    # Lists and dicts are unhashable: never look them up in a set of choices.
    if not isinstance(value, (list, dict, set)) and value in choices:
        return value
    raise RouteInputError(f"{name} must be one of: {', '.join(str(c) for c in choices)}.", name)


def boolean(value, name, *, default=False):
    """A JSON boolean (``default`` when not sent); ``"false"`` is not true."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    raise RouteInputError(f"{name} must be true or false.", name)


def json_object(value, name, *, default=None, max_keys=100):
    """A JSON object (dict) with string keys, at most ``max_keys`` of them (``default`` or ``{}`` when not sent)."""
    if value is None:
        return {} if default is None else default
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise RouteInputError(f"{name} must be a JSON object.", name)
    if len(value) > max_keys:
        raise RouteInputError(f"{name} has too many entries: at most {max_keys}.", name)
    return value


def clean_json(value, name, *, max_depth=20):
    """Refuse JSON a PostgreSQL ``jsonb`` column cannot hold: NaN/Infinity, NUL characters, deep nesting.

    >>> clean_json({"a": [1, "b"]}, "arguments")
    {'a': [1, 'b']}
    >>> clean_json({"fee": float("inf")}, "arguments")
    Traceback (most recent call last):
    ...
    fusion_accounting_core.services.route_inputs.RouteInputError: arguments must hold finite numbers only.
    """

    def walk(item, depth):
        if depth > max_depth:
            raise RouteInputError(f"{name} is nested too deeply.", name)
        if isinstance(item, float) and not math.isfinite(item):
            raise RouteInputError(f"{name} must hold finite numbers only.", name)
        if isinstance(item, int) and not isinstance(item, bool) and abs(item) > 2**63 - 1:
            raise RouteInputError(f"{name} holds a number too large.", name)
        if isinstance(item, str) and "\x00" in item:
            raise RouteInputError(f"{name} must not contain a NUL character.", name)
        if isinstance(item, dict):
            for key, sub in item.items():
                walk(key, depth + 1)
                walk(sub, depth + 1)
        elif isinstance(item, (list, tuple)):
            for sub in item:
                walk(sub, depth + 1)

    walk(value, 0)
    return value


def storable_json(value):
    """``value`` as PostgreSQL ``jsonb`` stores it: NaN/Infinity become their names as text, NUL characters go.

    For what is kept whatever it holds (a conversation, a model's tool call):
    refusing it would lose it, and ``jsonb`` refuses the whole row for one NaN.

    >>> storable_json({"fee": float("nan"), "note\\x00": ["a\\x00b", float("-inf"), 1.5]})
    {'fee': 'NaN', 'note': ['ab', '-Infinity', 1.5]}
    """
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {storable_json(str(key)): storable_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [storable_json(item) for item in value]
    return value
