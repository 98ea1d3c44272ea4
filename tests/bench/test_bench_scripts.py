"""The benchmark scripts measure what they say (figures only: nothing here asserts on time)."""

import doctest
import sys

from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

sys.path[:0] = [str(ROOT / "tools"), str(ROOT / "tools" / "bench")]

import bench_agent  # noqa: E402
import figures  # noqa: E402


def test_figures_doctests():
    failures, _ = doctest.testmod(figures)
    assert failures == 0


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1), st.integers(1, 100))
def test_a_percentile_is_a_measured_value_and_grows_with_q(values, q):
    assert figures.percentile(values, q) in values
    assert figures.percentile(values, q) <= figures.percentile(values, min(100, q + 1))
    assert figures.percentile(values, 100) == max(values)


def _bench():
    modules = bench_agent.agent_modules("fusion_accounting_core")
    agent, _providers, tools, _wire = modules
    registry = bench_agent.fallback_registry(tools)
    caller = agent.Caller(user_id=2, groups=frozenset({bench_agent.STAFF}), may_write=True)
    names = [spec.name for spec in registry]
    return bench_agent.TurnBench(registry, "accounts_receivable", names, caller, modules), agent


def test_the_timed_turn_is_three_model_requests_and_four_tool_runs_then_an_answer():
    bench, agent = _bench()
    result = bench.run(bench.conversation)
    assert result.status is agent.TurnStatus.ANSWERED
    assert len(result.executions) == 4
    assert all(record.ok for record in result.executions)
    assert sum(1 for message in result.messages if message.role == "assistant") == 3 * (bench_agent.EARLIER_TURNS + 1)


def test_the_encoded_request_carries_the_earlier_turns():
    bench, _agent = _bench()
    bench.run(())
    first_turn = bench.request_chars
    bench.run(bench.conversation)
    assert bench.request_chars > first_turn


def test_prompt_size_counts_fewer_tools_for_staff_than_for_a_manager_when_writes_exist():
    modules = bench_agent.agent_modules("fusion_accounting_core")
    agent, _providers, tools, wire = modules
    registry = bench_agent.fallback_registry(tools)

    @tools.tool(domain="accounts_receivable", tier=3, groups=(bench_agent.STAFF,), registry=registry)
    def write_something(env, amount: float) -> dict:
        """Change the books.

        Args:
            amount: How much.
        """
        return {}

    callers = {
        "manager": agent.Caller(user_id=2, groups=frozenset({bench_agent.STAFF}), may_write=True),
        "staff": agent.Caller(user_id=7, groups=frozenset({bench_agent.STAFF}), may_write=False),
    }
    sizes = bench_agent.prompt_sizes(agent, wire, tuple(registry), callers)
    assert sizes["manager"]["all_tools"]["tools"] == 4
    assert sizes["staff"]["all_tools"]["tools"] == 3
    assert sizes["staff"]["all_tools"]["chars"] < sizes["manager"]["all_tools"]["chars"]
    assert sizes["manager"]["all_tools"]["tokens_est"] == round(sizes["manager"]["all_tools"]["chars"] / 4)
