"""The messy-feed evaluation of bank matching runs on two seeds and prints its figures as one JSON object."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "evals" / "eval_bank_matching.py"


def _module():
    spec = importlib.util.spec_from_file_location("eval_bank_matching", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_seeds_give_figures_per_kind_and_per_seed():
    module = _module()
    result = module.evaluate(2)
    assert set(result["kinds"]) == set(module.KINDS)
    assert set(result["per_seed"]) == {0, 1}
    for figures in result["kinds"].values():
        assert {"lines", "matched", "precision", "coverage"} <= set(figures)
        assert figures["lines"] > 0
    assert result["noise_lines"] > 0
    assert 0.0 <= result["precision"] <= 1.0 and 0.0 <= result["coverage"] <= 1.0


def test_every_answer_names_items_of_its_own_book():
    book, lines = _module().build(3)
    ids = {item.id for item in book.items}
    assert all(entry.expected is None or entry.expected <= ids for entry in lines)
    assert {entry.kind for entry in lines} >= {"noise", "card_invoices", "name_only"}


def test_the_script_prints_one_json_object_on_its_last_line():
    done = subprocess.run([sys.executable, str(SCRIPT), "--seeds", "2"], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"precision", "coverage", "kinds", "per_seed", "noise_matched"} <= set(result)
