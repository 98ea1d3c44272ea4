"""The follow-up levels evaluation runs end to end on two seeds, and its answer key catches a wrong plan."""

import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "evals" / "eval_followup_levels.py"


def _module():
    spec = importlib.util.spec_from_file_location("eval_followup_levels", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_seeds_agree_with_the_answer_key_for_every_kind():
    result = _module().evaluate(2)
    assert result["misses"] == []
    for kind, figures in result["per_kind"].items():
        assert figures["send_precision"] == figures["send_recall"] == 1.0, kind
        assert figures["level_accuracy"] == figures["status_accuracy"] == figures["aging_exact"] == 1.0, kind
        assert figures["amount_exact"] == 1.0, kind
    kinds = result["per_kind"]
    assert kinds["third_party"]["expected_sends"] > 0, "a third-party payer is dunned like any customer"
    assert kinds["credit_partial"]["expected_sends"] > 0, "a customer its credits cover in part is chased for the rest"
    for left_alone in ("not_due", "excluded", "paused", "sent_today", "other_company", "credit_covered"):
        assert kinds[left_alone]["expected_sends"] == 0, left_alone


def test_the_answer_key_disagrees_with_a_plan_that_skips_levels_when_it_should_not():
    module = _module()
    rng = random.Random(7)
    spec = module.LevelSpec
    ladder = module.Ladder.of(
        [spec(1, "Reminder", 7, "gentle"), spec(2, "Warning", 30, "firm"), spec(3, "L", 60, "legal")]
    )
    partner = module.generate(rng, "plain", 1, module.date(2026, 6, 30), ladder)
    partner.items = []
    partner.add(module.Decimal("500"), 90)  # never reminded, Legal by days
    expected = module.answer(partner, ladder, skip_levels=False)
    assert expected["level"] == 1
    assert module.answer(partner, ladder, skip_levels=True)["level"] == 3
    assert module.judge(partner, ladder, skip_levels=False)["level_ok"]


def test_the_script_prints_one_json_object_on_its_last_line():
    done = subprocess.run([sys.executable, str(SCRIPT), "--seeds", "1"], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"overall", "per_kind", "per_seed"} <= set(result)
