"""``make bench``: run every benchmark script and print one JSON document.

A benchmark is a script ``tools/bench/bench_*.py`` (or ``<addon>/benchmarks/bench_*.py``)
that accepts ``--size`` and prints one JSON object on its last line of output.
Benchmarks print figures; they never assert on time.
"""

import argparse
import json
import subprocess
import sys

from odoo_env import ADDONS, ROOT, odoo_env


def scripts():
    found = sorted((ROOT / "tools" / "bench").glob("bench_*.py"))
    for addon in ADDONS:
        found += sorted((ROOT / addon / "benchmarks").glob("bench_*.py"))
    return found


def run(script, *args):
    """Run one script with ``args``; its result is the JSON object on its last line of output."""
    done = subprocess.run(
        [sys.executable, str(script), *args], env=odoo_env(), capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": f"exit {done.returncode}", "stderr": done.stderr[-2000:]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=["small", "medium", "large"])
    opts = parser.parse_args()
    results = {script.stem.removeprefix("bench_"): run(script, "--size", opts.size) for script in scripts()}
    print(json.dumps({"size": opts.size, "benchmarks": results}, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
