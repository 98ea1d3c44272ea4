"""The route input checkers against a table of hostile values: a clean value or one sentence, never a crash."""

import math
from datetime import date

import pytest

from fusion_accounting_core.services import route_inputs as ri
from fusion_accounting_core.services.route_inputs import RouteInputError

HOSTILE = [
    ("abc", "text"),
    ("", "empty"),
    (None, "none"),
    (True, "bool"),
    (-1, "negative"),
    (0, "zero"),
    (2**31, "over int4"),
    (10**30, "huge"),
    (1.5, "fraction"),
    (float("nan"), "nan"),
    (float("inf"), "inf"),
    ([1], "list"),
    ({"id": 1}, "dict"),
    ("1\x00", "nul"),
    ("9" * 40, "long digits"),
]

ACCEPTED = [
    (ri.record_id, (5,), 5),
    (ri.record_id, ("5",), 5),
    (ri.record_id, (ri.INT4_MAX,), ri.INT4_MAX),
    (ri.bounded_limit, (100,), 100),
    (ri.bounded_limit, (None,), 20),
    (ri.bounded_offset, (0,), 0),
    (ri.bounded_offset, (None,), 0),
    (ri.id_list, ([1, 2, 2],), [1, 2]),
    (ri.id_list, ([],), []),
    (lambda v: ri.finite_number(v, "amount"), (-12.5,), -12.5),
    (lambda v: ri.finite_number(v, "amount"), ("3",), 3.0),
    (ri.odoo_date, ("2026-10-31",), date(2026, 10, 31)),
    (ri.odoo_date, (None,), None),
    (lambda v: ri.text_value(v, "reason"), ("fine",), "fine"),
    (lambda v: ri.choice(v, "kind", ("a", "b")), ("b",), "b"),
]


@pytest.mark.parametrize(("checker", "args", "expected"), ACCEPTED)
def test_good_values_come_back_clean(checker, args, expected):
    assert checker(*args) == expected


def _sentence(error):
    text = str(error.value)
    assert text.endswith(".") and text[0].isalpha() and "Traceback" not in text and len(text) < 200
    return text


@pytest.mark.parametrize(("value", "label"), [h for h in HOSTILE if h[1] != "none"])
def test_record_id_refuses_every_hostile_value_with_a_sentence(value, label):
    with pytest.raises(RouteInputError) as error:
        ri.record_id(value, "session_id")
    assert _sentence(error).startswith("session_id ")


@pytest.mark.parametrize(("value", "label"), [h for h in HOSTILE if h[1] not in ("none", "empty")])
def test_limit_refuses_hostile_values(value, label):
    with pytest.raises(RouteInputError) as error:
        ri.bounded_limit(value)
    _sentence(error)


@pytest.mark.parametrize("value", [-1, "x", 2**31, float("nan"), True, [0]])
def test_offset_refuses_hostile_values(value):
    with pytest.raises(RouteInputError) as error:
        ri.bounded_offset(value)
    _sentence(error)


@pytest.mark.parametrize("value", ["1,2", 7, None, {"ids": [1]}, [1, "x"], [0], [2**31], [True], list(range(1001))])
def test_id_list_refuses_hostile_values(value):
    with pytest.raises(RouteInputError) as error:
        ri.id_list(value, "proposal_ids")
    _sentence(error)


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), -float("inf"), "NaN", "Infinity", "1e400", 1e12, -1e12, 10**400, True, [], "x"],
)
def test_finite_number_refuses_non_finite_and_huge(value):
    with pytest.raises(RouteInputError) as error:
        ri.finite_number(value, "fee_amount")
    _sentence(error)


def test_finite_number_sign_bound():
    assert ri.finite_number(0, "fee_amount", minimum=0) == 0.0
    with pytest.raises(RouteInputError):
        ri.finite_number(-0.01, "fee_amount", minimum=0)


@pytest.mark.parametrize(
    "value",
    ["0001-01-01", "0000-00-00", "9999-12-31", "2026-02-30", "31/10/2026", "20261031", "2026-10-31\x00", 20261031, []],
)
def test_odoo_date_refuses_days_odoo_cannot_use(value):
    with pytest.raises(RouteInputError) as error:
        ri.odoo_date(value, "today")
    _sentence(error)


@pytest.mark.parametrize("value", ["a\x00", "x" * (ri.MAX_TEXT + 1), 5, ["a"], {"a": 1}])
def test_text_value_refuses_nul_long_and_non_text(value):
    with pytest.raises(RouteInputError) as error:
        ri.text_value(value, "reason")
    _sentence(error)


@pytest.mark.parametrize("value", ["c", None, ["a"], {"a": 1}, 1])
def test_choice_refuses_anything_outside_the_whitelist(value):
    with pytest.raises(RouteInputError) as error:
        ri.choice(value, "kind", ("a", "b"))
    _sentence(error)


@pytest.mark.parametrize(
    "value",
    [
        {"a": math.nan},
        [math.inf],
        {"k\x00": 1},
        {"a": "b\x00"},
        {"n": 2**70},
        [[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]],
    ],
)
def test_clean_json_refuses_what_jsonb_cannot_hold(value):
    with pytest.raises(RouteInputError) as error:
        ri.clean_json(value, "arguments")
    _sentence(error)


def test_the_error_is_a_value_error_carrying_the_name():
    with pytest.raises(ValueError) as error:
        ri.record_id("x", "proposal_id")
    assert error.value.name == "proposal_id" and error.value.sentence == str(error.value)
