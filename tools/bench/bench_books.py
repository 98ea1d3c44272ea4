"""Books benchmark on the demo company: receivables, dashboard, bank reconciliation, follow-up scan; Enterprise beside.

Figures (P50/P95 unless said), printed as one JSON object on the last line:

* ``receivables``: our ``get_ar_aging`` against one hand-written SQL aggregate
  over the same rows (totals compared to the cent, time ratio);
* ``dashboard``: the six cards cold (new cursor, every ``ormcache`` cleared)
  and warm (same environment, after a first call);
* ``bank_reconciliation``: our auto-reconcile over the answer key's
  unreconciled statement lines: time, lines per second, coverage, precision;
* ``followup_daily_scan``: the daily cron over every partner, once, on a
  throwaway copy (it commits), with the process's memory as it goes;
* ``enterprise``: when Enterprise's ``account_reports`` is on this machine, a
  copy of the database gets ``account_reports`` and ``account_accountant``;
  Enterprise's aged receivable report (``get_options`` + ``_get_lines``, no
  HTML) and ``_try_auto_reconcile_statement_lines`` on the same statements
  are timed and scored the same way, beside ours re-timed in the same process.

The database is ``bench_<size>``; it is built with ``tools/demo_data.py`` when
missing and kept for the next run; the copies are dropped.  The in-Odoo work
is done by ``books_probe.py`` in child processes (one at a time).

Usage: ``python tools/bench/bench_books.py [--size small|medium|large] [--no-enterprise] [--no-scan]``
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tools"), str(ROOT / "tools" / "bench")]

from odoo_env import enterprise_dir, odoo_command, odoo_env  # noqa: E402

RUNS = {"small": 30, "medium": 15, "large": 7}
# Each run books every unreconciled line of the demo (hundreds at the medium size): few runs.
RECONCILE_RUNS = {"small": 3, "medium": 1, "large": 1}
SEED = 42
PROBE = Path(__file__).resolve().parent / "books_probe.py"
ENTERPRISE_MODULES = ("account_accountant", "account_reports")


class BenchError(RuntimeError):
    """A step of the benchmark could not run (database, install, probe)."""


def log_dir():
    """Where logs and the answer key go (``BENCH_LOG_DIR``, default ``/tmp``); names start with the database's."""
    return Path(os.environ.get("BENCH_LOG_DIR", "/tmp"))


def log_path(name):
    return log_dir() / f"{name}.log"


def _run(cmd, log_name):
    """Run ``cmd`` with its output appended to a log, which the error names when it fails."""
    path = log_path(log_name)
    with path.open("a") as log:
        done = subprocess.run(cmd, env=odoo_env(), stdout=log, stderr=subprocess.STDOUT, check=False)
    if done.returncode:
        raise BenchError(f"{' '.join(cmd[:4])}... exited {done.returncode}; see {path}")


def ensure_demo(db, size):
    """``bench_<size>`` with the demo company (``demo_data.py`` is idempotent)."""
    cmd = [sys.executable, str(ROOT / "tools" / "demo_data.py"), "--size", size, "--db", db, "--seed", str(SEED)]
    _run([*cmd, "--answer-key", str(answer_key_path(db))], f"{db}_demo")


def copy_db(source, target):
    subprocess.run(["dropdb", "--if-exists", target], check=True)
    subprocess.run(["createdb", "-T", source, target], check=True)


def drop_db(name):
    subprocess.run(["dropdb", "--if-exists", name], check=False)


def answer_key_path(db):
    """One file per demo database, shared by its copies (which have no filestore to read it from)."""
    for suffix in ("_ee", "_scan"):
        db = db.removesuffix(suffix)
    return log_dir() / f"{db}-answer-key.json"


def probe(db, mode, size):
    """Run ``books_probe.py`` in a child process and return its JSON."""
    cmd = [sys.executable, str(PROBE), "--db", db, "--mode", mode, "--answer-key", str(answer_key_path(db))]
    cmd += ["--runs", str(RUNS[size]), "--reconcile-runs", str(RECONCILE_RUNS[size])]
    done = subprocess.run(cmd, env=odoo_env(), capture_output=True, text=True, check=False)
    with log_path(f"{db}_probe").open("a") as log:
        log.write(done.stderr)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": f"probe {mode} exited {done.returncode}", "stderr": done.stderr[-1500:]}


def followup_scan(db, size):
    copy = f"{db}_scan"
    copy_db(db, copy)
    try:
        figures = probe(copy, "scan", size)
    finally:
        drop_db(copy)
    return figures.get("followup_daily_scan", figures)


def enterprise_side(db, size):
    """Enterprise's figures on a copy of ``db`` with its accounting apps installed."""
    if not enterprise_dir() or not (Path(enterprise_dir()) / "account_reports").is_dir():
        return {"skipped": "Enterprise's account_reports is not on this machine"}
    copy = f"{db}_ee"
    copy_db(db, copy)
    try:
        started = time.monotonic()
        install = odoo_command(
            "-d", copy, "-i", ",".join(ENTERPRISE_MODULES), "--stop-after-init", "--no-http", enterprise=True
        )
        _run([*install, "--max-cron-threads=0", "--log-level=warn"], f"{copy}_install")
        figures = probe(copy, "enterprise", size)
        figures["install_s"] = round(time.monotonic() - started, 1)
        return figures
    finally:
        drop_db(copy)


def machine():
    load = os.getloadavg()
    memory = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1]
    return {"cpus": os.cpu_count(), "memory_gib": round(int(memory) / 1024**2, 1), "load_1_5_15": load}


def counts(db):
    query = (
        "SELECT (SELECT count(*) FROM account_move_line), (SELECT count(*) FROM res_partner), "
        "(SELECT count(*) FROM account_bank_statement_line)"
    )
    done = subprocess.run(["psql", "-d", db, "-tAc", query], capture_output=True, text=True, check=True)
    lines, partners, statement_lines = (int(value) for value in done.stdout.strip().split("|"))
    return {"move_lines": lines, "partners": partners, "statement_lines": statement_lines}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=sorted(RUNS))
    parser.add_argument("--no-enterprise", action="store_true", help="skip the Enterprise side by side")
    parser.add_argument("--no-scan", action="store_true", help="skip the follow-up daily scan")
    opts = parser.parse_args()
    db = f"bench_{opts.size}"
    result = {"size": opts.size, "db": db, "machine_before": machine()}
    try:
        ensure_demo(db, opts.size)
        result["rows"] = counts(db)
        books = probe(db, "fusion", opts.size)
        result.update(books if "error" not in books else {"books": books})
        if not opts.no_scan:
            result["followup_daily_scan"] = followup_scan(db, opts.size)
        if not opts.no_enterprise:
            result["enterprise"] = enterprise_side(db, opts.size)
    except (BenchError, subprocess.CalledProcessError) as error:
        result["error"] = str(error)
    result["machine_after"] = machine()
    print(json.dumps(result, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
