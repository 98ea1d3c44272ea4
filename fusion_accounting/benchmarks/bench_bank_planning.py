"""Pure bank planning cost per statement line: ``plan_auto_reconcile`` alone, this tree against an older one.

The lines and open items are the messy-feed evaluation's (``tools/evals/eval_bank_matching.py``):
seed after seed, each seed's company is added to one book (ids shifted apart) until the
feed has the size's number of lines, so the open items, partners and names grow with it
as a real company's do (about 10,000 lines against 12,000 open items and 4,000 partners
at ``large``).  Every kind of the evaluation is there, the hard ones (names only, card
deposits paying invoices, several references) far more often than in a real feed: this
is the matcher's worst case, not its average.  ``--inputs`` plans instead the lines and
items an Odoo database gave the planner (saved by ``tools/bench/books_probe.py --mode bank
--bank-inputs``): the demo company's real mix.

Each engine plans the same feed ``--runs`` times in this process; its figure is the
fastest run's CPU time (``time.process_time``, not wall time: the machine is shared).
``--before`` names the older tree (a folder holding ``fusion_accounting/services``) or a
git revision, extracted read-only with ``git archive``.  For instruction counts, run one
engine under ``valgrind --tool=callgrind`` with ``--engine after`` (or ``before``) and
subtract a run with ``--engine none`` (the feed's generation alone).

The last stdout line is one JSON object.  Usage:
``python fusion_accounting/benchmarks/bench_bank_planning.py --size large --before d4e26b3 [--profile]``
"""

import argparse
import cProfile
import dataclasses
import importlib
import inspect
import io
import json
import os
import pstats
import subprocess
import sys
import tarfile
import tempfile
import time
import types
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "evals"))

import eval_bank_matching as feeds  # noqa: E402

LINES = {"small": 100, "medium": 1_000, "large": 10_000}
RUNS = {"small": 5, "medium": 3, "large": 1}
# Ids of one seed's company stay below this; the next company's are shifted past them.
_ID_SPAN = 1_000_000


def feed(size):
    """``(lines, items, partners)`` as plain dicts and pairs, of at least ``LINES[size]`` lines."""
    lines, items, partners, seed = [], [], [], 0
    while len(lines) < LINES[size]:
        book, entries = feeds.build(seed)
        shift = seed * _ID_SPAN
        items += [
            {**dataclasses.asdict(item), "id": item.id + shift, "partner_id": _shifted(item.partner_id, shift)}
            for item in book.items
        ]
        partners += [(partner_id + shift, name) for partner_id, name in book.names]
        lines += [
            {
                **dataclasses.asdict(entry.line),
                "id": entry.line.id + shift,
                "partner_id": _shifted(entry.line.partner_id, shift),
            }
            for entry in entries
        ]
        seed += 1
    return lines[: LINES[size]], items, partners


def saved_feed(path):
    """``(lines, items, partners)`` a reconciler gave the planner (``books_probe.py --mode bank --bank-inputs``)."""
    rows = json.loads(Path(path).read_text())
    for row in rows["lines"] + rows["items"]:
        row["date"] = date.fromisoformat(row["date"])
    for row in rows["items"]:
        row["references"] = tuple(row["references"])
    return rows["lines"], rows["items"], [tuple(pair) for pair in rows["partners"]]


def _shifted(partner_id, shift):
    return partner_id + shift if partner_id else partner_id


def engine_at(before):
    """The ``bank_matching`` module of the older tree ``before`` (a folder or a git revision)."""
    folder = Path(before)
    if not (folder / "fusion_accounting" / "services").is_dir():
        folder = Path(tempfile.mkdtemp(prefix="bank_planning_before_"))
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", before, "fusion_accounting/services"], capture_output=True, check=True
        )
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
    package = types.ModuleType("before_fusion_accounting")
    package.__path__ = [str(folder / "fusion_accounting")]
    sys.modules[package.__name__] = package
    return importlib.import_module("before_fusion_accounting.services.bank_matching")


def _built(cls, values):
    """``cls`` from ``values``, dropping fields an older version of it does not have."""
    names = {field.name for field in dataclasses.fields(cls)}
    return cls(**{name: value for name, value in values.items() if name in names})


def measure(engine, data, runs, profile=False):
    """Fastest CPU time of ``runs`` plans of the feed, and what the plan books."""
    lines = [_built(engine.BankLine, values) for values in data[0]]
    items = [_built(engine.OpenItem, values) for values in data[1]]
    # A matcher older than counterparty names takes no partners' names.
    names = (data[2],) if "partners" in inspect.signature(engine.plan_auto_reconcile).parameters else ()
    arguments = (lines, items, engine.MatchPolicy(), *names)
    times = []
    for _run in range(runs):
        started = time.process_time()
        plan = engine.plan_auto_reconcile(*arguments)
        times.append(time.process_time() - started)
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(engine.plan_auto_reconcile, *arguments)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        sys.stderr.write(out.getvalue())
    best = min(times)
    return {
        "cpu_s": round(best, 3),
        "cpu_ms_per_line": round(best * 1000 / len(lines), 4),
        "cpu_s_runs": [round(value, 3) for value in times],
        "booked": len(plan.matches),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--size", default="small", choices=sorted(LINES))
    parser.add_argument("--before", help="the older tree to compare: a folder or a git revision")
    parser.add_argument("--engine", default="both", choices=["both", "after", "before", "none"])
    parser.add_argument("--runs", type=int, help=f"plans per engine (default {RUNS})")
    parser.add_argument("--profile", action="store_true", help="cProfile of one more plan, on stderr")
    parser.add_argument("--inputs", help="plan the lines and items a reconciler saved there instead of the eval feed")
    opts = parser.parse_args()
    data = saved_feed(opts.inputs) if opts.inputs else feed(opts.size)
    result = {
        "benchmark": "bank_planning",
        "size": opts.size,
        "feed": opts.inputs or "evaluation",
        "lines": len(data[0]),
        "open_items": len(data[1]),
        "partner_names": len(data[2]),
        "load_1_5_15": [round(value, 2) for value in os.getloadavg()],
    }
    runs = opts.runs or RUNS[opts.size]
    if opts.engine in {"both", "after"}:
        result["after"] = measure(feeds.bm, data, runs, opts.profile)
    if opts.before and opts.engine in {"both", "before"}:
        result["before"] = measure(engine_at(opts.before), data, runs)
        result["before_ref"] = opts.before
    if "after" in result and "before" in result:
        result["after_over_before"] = round(result["after"]["cpu_s"] / result["before"]["cpu_s"], 3)
    sys.stdout.write(json.dumps(result, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
