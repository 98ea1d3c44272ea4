"""Argument validation: what the model sends is checked before any tool runs."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_core.services.tools import ToolArgumentError, tool, validate_arguments


@tool(domain="ar", tier=3)
def reconcile(env, *, invoice_id: int, line_ids: list[int], on: date, mode: str = "full", ratio: float | None = None):
    """Reconcile."""


SCHEMA = reconcile.parameters
GOOD = {"invoice_id": 7, "line_ids": [1, 2], "on": "2026-10-31"}

HOSTILE = [
    ("not an object", "[1, 2]", "JSON object"),
    ("missing required", {"line_ids": [1], "on": "2026-10-31"}, "invoice_id: required"),
    ("unknown argument", {**GOOD, "sudo": True}, "sudo: unknown argument"),
    ("string for int", {**GOOD, "invoice_id": "7"}, "invoice_id: expected integer"),
    ("bool for int", {**GOOD, "invoice_id": True}, "invoice_id: expected integer"),
    ("float for int", {**GOOD, "invoice_id": 7.0}, "invoice_id: expected integer"),
    ("SQL in int", {**GOOD, "invoice_id": "7; DROP TABLE account_move"}, "expected integer"),
    ("dict for list", {**GOOD, "line_ids": {"0": 1}}, "line_ids: expected array"),
    ("bad list item", {**GOOD, "line_ids": [1, "2"]}, r"line_ids\[1\]: expected integer"),
    ("null for required", {**GOOD, "invoice_id": None}, "expected integer"),
    ("date as words", {**GOOD, "on": "last Friday"}, "on: expected a date"),
    ("date basic format", {**GOOD, "on": "20261031"}, "on: expected a date"),
    ("impossible date", {**GOOD, "on": "2026-02-30"}, "on: expected a date"),
    ("date as number", {**GOOD, "on": 20261031}, "on: expected string"),
    ("NaN float", {**GOOD, "ratio": float("nan")}, "ratio: expected number or null"),
    ("infinite float", {**GOOD, "ratio": float("inf")}, "ratio: expected number"),
    ("reasoning smuggled", {**GOOD, "ai_reasoning": "x"}, "ai_reasoning: unknown argument"),
]


@pytest.mark.parametrize(("case", "arguments", "message"), HOSTILE, ids=[case for case, _a, _m in HOSTILE])
def test_hostile_arguments_are_refused(case, arguments, message):
    with pytest.raises(ToolArgumentError, match=message):
        validate_arguments(SCHEMA, arguments)


def test_valid_arguments_are_coerced_and_defaults_filled():
    assert validate_arguments(SCHEMA, {**GOOD, "ratio": None}) == {
        "invoice_id": 7,
        "line_ids": [1, 2],
        "on": date(2026, 10, 31),
        "mode": "full",
        "ratio": None,
    }


def test_enum_is_enforced():
    @tool(domain="x", tier=1)
    def f(env, kind: str = "a"):
        """Doc."""

    schema = {**f.parameters, "properties": {"kind": {"type": "string", "enum": ["a", "b"]}}}
    with pytest.raises(ToolArgumentError, match="must be one of"):
        validate_arguments(schema, {"kind": "c"})


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.sampled_from(["invoice_id", "line_ids", "on", "mode", "ratio", "x"]), JSON))
def test_any_json_is_accepted_or_refused_with_a_tool_argument_error(arguments):
    try:
        result = validate_arguments(SCHEMA, arguments)
    except ToolArgumentError:
        return
    assert isinstance(result["invoice_id"], int) and not isinstance(result["invoice_id"], bool)
    assert all(isinstance(i, int) for i in result["line_ids"])
    assert isinstance(result["on"], date)


# -- bounds every tool gets from the one validator (issue 18) ---------------------------------


def _fee_tool():
    from fusion_accounting_core.services.tools import NonNegativeAmount

    @tool(domain="bank", tier=3)
    def book(
        env, line_id: int, *, fee: NonNegativeAmount = 0.0, rate: float = 0.0, note: str = "", on: date | None = None
    ):
        """Book a fee."""

    return book


BOUNDED = [
    ("negative fee", {"fee": -1e12}, "fee: expected a number from 0 to 100000000000"),
    ("small negative fee", {"fee": -0.01}, "fee: expected a number from 0"),
    ("huge fee", {"fee": 1e12}, "fee: expected a number from 0 to 100000000000"),
    ("huge rate", {"rate": -1e300}, "rate: expected a number from -100000000000"),
    ("int over int4", {"line_id": 2**31}, "line_id: expected a whole number from -2147483648 to 2147483647"),
    ("NUL in text", {"note": "a\x00b"}, "note: a text may not contain a NUL character"),
    ("huge text", {"note": "x" * 200_001}, "note: at most 200000 characters"),
    ("day one", {"on": "0001-01-01"}, "on: expected a day from 1900-01-01 to 2199-12-31"),
    ("day 9999", {"on": "9999-12-31"}, "on: expected a day from 1900-01-01"),
    ("day zero", {"on": "0000-00-00"}, "on: expected a date as YYYY-MM-DD"),
]


@pytest.mark.parametrize(("label", "extra", "message"), BOUNDED, ids=[b[0] for b in BOUNDED])
def test_every_number_text_and_date_is_bounded(label, extra, message):
    spec = _fee_tool()
    with pytest.raises(ToolArgumentError, match=message.replace("(", r"\(")):
        validate_arguments(spec.parameters, {"line_id": 1, **extra})


def test_the_sign_of_a_fee_reaches_the_model_and_good_values_pass():
    spec = _fee_tool()
    assert spec.parameters["properties"]["fee"] == {"type": "number", "minimum": 0, "default": 0.0}
    assert validate_arguments(spec.parameters, {"line_id": 2**31 - 1, "fee": 16.0, "rate": -1e11, "note": "é"}) == {
        "line_id": 2**31 - 1,
        "fee": 16.0,
        "rate": -1e11,
        "note": "é",
    }
