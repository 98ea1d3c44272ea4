"""``make eval`` collects one JSON object per evaluation script, and says when a script fails."""

import sys

from conftest import ROOT

sys.path[:0] = [str(ROOT / "tools")]

import eval as eval_driver  # noqa: E402


def test_the_last_json_line_of_a_script_is_its_result(tmp_path):
    script = tmp_path / "eval_demo.py"
    script.write_text(
        "import json, sys\nprint('progress noise')\nprint(json.dumps({'seeds': int(sys.argv[2]), 'recall': 1.0}))\n"
    )
    assert eval_driver.run(script, "--seeds", "3") == {"seeds": 3, "recall": 1.0}


def test_a_failing_script_is_reported_not_hidden(tmp_path):
    script = tmp_path / "eval_broken.py"
    script.write_text("raise SystemExit('generator crashed')\n")
    result = eval_driver.run(script, "--seeds", "2")
    assert result["error"] == "exit 1"
    assert "generator crashed" in result["stderr"]


def test_every_evaluation_script_is_found_by_its_name():
    names = [script.stem for script in eval_driver.scripts()]
    assert all(name.startswith("eval_") for name in names)
    assert names == sorted(names)
