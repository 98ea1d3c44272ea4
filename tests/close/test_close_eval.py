"""The close evaluation runs end to end on two seeds and judges what the review proposes."""

import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "evals" / "eval_close.py"


def _module():
    spec = importlib.util.spec_from_file_location("eval_close", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_seeds_find_every_planted_error_and_propose_nothing_on_clean_books():
    result = _module().evaluate(2)
    assert result["companies"] == 6
    assert sum(result["planted_per_kind"].values()) >= 8
    assert result["recall"] >= 0.95, result["misses"]
    assert result["spurious"].get("clean", 0) == 0, result["spurious_examples"]


def test_a_company_has_its_own_chart_and_the_planted_errors_name_it():
    module = _module()
    one, _books, _end = module.build(random.Random(1), "planted")
    two, _books, _end = module.build(random.Random(2), "planted")
    assert {a.code for a in one.accounts.values()} != {a.code for a in two.accounts.values()}
    assert all(p["amount"] > 0 and p["debit"] != p["credit"] for p in one.planted)


def test_the_script_prints_one_json_object_on_its_last_line():
    done = subprocess.run([sys.executable, str(SCRIPT), "--seeds", "1"], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"recall_per_kind", "spurious", "per_seed"} <= set(result)
