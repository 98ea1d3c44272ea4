"""Tool declaration: the schema a model sees is derived from the function itself."""

from dataclasses import dataclass
from datetime import date
from typing import Literal, Optional, TypedDict

import pytest

from fusion_accounting_core.services.tools import (
    DuplicateToolError,
    Tier,
    ToolDefinitionError,
    ToolRegistry,
    UnknownToolError,
    tool,
)


@dataclass
class Window:
    start: date
    days: int = 7


class Filter(TypedDict):
    journal: str
    min_amount: float


def test_every_supported_hint_becomes_json_schema():
    @tool(domain="bank", tier=1)
    def lines(
        env,
        *,
        journal_ids: list[int],
        state: Literal["open", "all"] = "open",
        since: date | None = None,
        limit: Optional[int] = 50,  # noqa: UP045 - the typing.Optional spelling is supported too
        exact: bool = False,
        ratio: float = 0.5,
        window: Window | None = None,
        filters: list[Filter] | None = None,
    ):
        """Bank lines.

        Args:
            journal_ids: Journals to read.
            state (str): Which lines.
        """

    props = lines.parameters["properties"]
    assert lines.parameters["required"] == ["journal_ids"]
    assert lines.parameters["additionalProperties"] is False
    assert props["journal_ids"] == {"type": "array", "items": {"type": "integer"}, "description": "Journals to read."}
    assert props["state"] == {
        "type": "string",
        "enum": ["open", "all"],
        "default": "open",
        "description": "Which lines.",
    }
    assert props["since"] == {"type": ["string", "null"], "format": "date"}
    assert props["limit"] == {"type": ["integer", "null"], "default": 50}
    assert props["exact"]["type"] == "boolean" and props["ratio"]["type"] == "number"
    assert props["window"]["properties"]["start"] == {"type": "string", "format": "date"}
    assert props["window"]["required"] == ["start"]
    assert props["filters"]["items"]["required"] == ["journal", "min_amount"]
    assert "env" not in props


def test_spec_records_metadata_and_runs_with_dataclasses_built():
    seen = {}

    @tool(domain="ar", tier=3, groups=("g.manager",), name="custom_name")
    def act(env, window: Window, note: str = ""):
        """Do something.

        Longer explanation for the model.
        """
        seen.update(env=env, window=window)
        return "done"

    assert (act.name, act.domain, act.tier, act.groups) == ("custom_name", "ar", Tier.APPROVAL, ("g.manager",))
    assert act.description == "Do something.\n\nLonger explanation for the model."
    assert act.module == __name__
    assert act.call("ENV", {"window": {"start": date(2026, 1, 1), "days": 3}}) == "done"
    assert seen == {"env": "ENV", "window": Window(date(2026, 1, 1), 3)}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def f():\n    '''Doc.'''", "first parameter"),
        ("def f(env, x):\n    '''Doc.'''", "no type hint"),
        ("def f(env, x: dict):\n    '''Doc.'''", "unsupported type hint"),
        ("def f(env, x: datetime):\n    '''Doc.'''", "datetime"),
        ("def f(env, x: list):\n    '''Doc.'''", "item type"),
        ("def f(env, x: int | str):\n    '''Doc.'''", "unsupported"),
        ("def f(env, x: Literal[1, 'a']):\n    '''Doc.'''", "Literal"),
        ("def f(env, *args: int):\n    '''Doc.'''", "args"),
        ("def f(env, ai_reasoning: str):\n    '''Doc.'''", "reserved"),
        ("def f(env, x: int):\n    pass", "docstring"),
    ],
)
def test_functions_that_cannot_be_tools_are_refused(source, message):
    from datetime import datetime

    namespace = {"Literal": Literal, "datetime": datetime}
    exec(source, namespace)
    with pytest.raises(ToolDefinitionError, match=message):
        tool(domain="x", tier=1)(namespace["f"])


@pytest.mark.parametrize("tier", [0, 4, "3"])
def test_tier_must_be_1_2_or_3(tier):
    def f(env):
        """Doc."""

    with pytest.raises(ValueError):
        tool(domain="x", tier=tier)(f)


def _spec(name, registry, domain="ar", groups=()):
    def f(env):
        """Doc."""

    f.__qualname__ = f"{name}_{domain}"
    return tool(domain=domain, tier=1, groups=groups, name=name, registry=registry)(f)


def test_registry_refuses_duplicate_names_and_filters():
    reg = ToolRegistry()
    _spec("a", reg, "ar", ("g.staff",))
    _spec("b", reg, "bank", ("g.manager",))
    _spec("c", reg, "bank")
    with pytest.raises(DuplicateToolError):
        _spec("a", reg, "other")
    assert [s.name for s in reg.by_domain("bank")] == ["b", "c"]
    assert [s.name for s in reg.by_domain()] == ["a", "b", "c"]
    assert [s.name for s in reg.for_groups({"g.staff"})] == ["a", "c"]
    assert len(reg) == 3 and "a" in reg and "z" not in reg
    with pytest.raises(UnknownToolError):
        reg.get("z")
