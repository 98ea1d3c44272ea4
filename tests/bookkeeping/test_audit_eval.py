"""The audit's evaluation runs end to end on two seeds and judges the groups the duplicate checks find."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "evals" / "eval_audit.py"


def _module():
    spec = importlib.util.spec_from_file_location("eval_audit", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_seeds_find_every_planted_copy_and_flag_almost_no_look_alike():
    result = _module().evaluate(2)
    assert result["companies"] == 8
    for check in ("duplicate_bill", "duplicate_entry"):
        assert result["per_check"][check]["recall"] >= 0.95, result["misses"]
        assert result["per_check"][check]["precision"] >= 0.95, result["spurious_examples"]


def test_the_judge_counts_a_look_alike_in_a_group_as_spurious():
    module = _module()
    planted = [("duplicate_bill", "same_day", 1, 2)]
    found, spurious = module.judge({"duplicate_bill": [(1, 2, 3)], "duplicate_entry": []}, planted)
    assert found == [("duplicate_bill", "same_day", True)]
    assert spurious["duplicate_bill"] == 1
    missed, _spurious = module.judge({"duplicate_bill": [], "duplicate_entry": []}, planted)
    assert missed == [("duplicate_bill", "same_day", False)]


def test_every_company_holds_the_look_alikes_and_the_neighbour_shares_its_vendors():
    companies = _module().build(3)
    assert {c.style for c in companies} == {"numbered", "messy", "sparse", "account_number"}
    for company in companies:
        assert any(b.move_type == "in_refund" for b in company.bills)
        assert any(b.state == "cancel" for b in company.bills)
        assert {kind for check, kind, *_ids in company.planted if check == "duplicate_bill"}
    vendors = [{b.vendor_id for b in c.bills} for c in companies]
    assert set.intersection(*vendors)


def test_the_script_prints_one_json_object_on_its_last_line():
    done = subprocess.run([sys.executable, str(SCRIPT), "--seeds", "1"], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"per_check", "recall_per_kind", "spurious_per_style", "per_seed"} <= set(result)
