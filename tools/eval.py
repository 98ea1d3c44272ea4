"""``make eval``: run every evaluation of an engine that judges books; print one JSON document.

An evaluation is a script ``tools/evals/eval_*.py`` that accepts ``--seeds N``, generates
books of many styles over seeds 0..N-1 (with distractors and data that must be left alone),
runs one engine over them and prints one JSON object on its last line: precision and
recall/coverage per kind (and per seed).  Evaluations print figures; nothing asserts on them.
"""

import argparse
import json

from bench import run
from odoo_env import ROOT


def scripts():
    return sorted((ROOT / "tools" / "evals").glob("eval_*.py"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--only", default="", help="comma-separated evaluation names (default: all)")
    opts = parser.parse_args()
    wanted = {name for name in opts.only.split(",") if name}
    results = {
        script.stem.removeprefix("eval_"): run(script, "--seeds", str(opts.seeds))
        for script in scripts()
        if not wanted or script.stem.removeprefix("eval_") in wanted
    }
    print(json.dumps({"seeds": opts.seeds, "evaluations": results}, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
