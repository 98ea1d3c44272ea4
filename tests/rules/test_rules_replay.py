"""The replay benchmark as a specification: learning raises coverage, never at the cost of precision."""

import importlib.util
from datetime import date

from conftest import ROOT

from fusion_accounting_core.demo_company.planner import build_plan


def _bench():
    spec = importlib.util.spec_from_file_location("bench_rules_replay", ROOT / "tools/bench/bench_rules_replay.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_replaying_a_year_raises_coverage_and_keeps_automatic_precision():
    bench = _bench()
    months, scenarios, promotions, _proposals = bench.replay(build_plan("small", 42, date(2026, 11, 22)))
    curve = [months[month] for month in sorted(months)]
    auto = sum(month["auto"] for month in curve)
    correct = sum(month["auto_ok"] for month in curve)

    assert curve[0]["auto"] == 0, "nothing is automatic before any decision"
    assert auto and correct / auto >= 0.995
    first_quarter = sum(m["auto"] for m in curve[:3]) / sum(m["lines"] for m in curve[:3])
    last_quarter = sum(m["auto"] for m in curve[-3:]) / sum(m["lines"] for m in curve[-3:])
    assert last_quarter > first_quarter + 0.2
    assert any(event["event"] == "promoted" for event in promotions)
    assert all(score.decisions >= 30 for score in scenarios.values() if score.tier == "auto")
