"""Test driver behind ``make test``, ``make test-pure`` and ``make test-odoo``.

Each suite ends with one line ``N passed, N failed, N skipped``; ``all`` adds a
last line covering both.  The exit status is non-zero on any failure, error,
or on a warning/error that our modules write to Odoo's log while installing.

How to use::

    python tools/suite.py pure          # pytest + Hypothesis, never imports odoo
    python tools/suite.py odoo [--tags] # throwaway database, our addons, Odoo's runner; without --tags
                                        # also: uninstall check, optional-modules pass, Enterprise pass
    python tools/suite.py all           # both; the Odoo part only when Odoo 19 is reachable
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from odoo_env import ADDONS, ROOT, addons_path, module_available, odoo_command, odoo_env, probe

DEFAULT_TAGS = ",".join(f"/{name}" for name in ADDONS)
# The demo company is built on the Canadian chart, so the test database has it too.
INSTALL = ",".join((*ADDONS, "l10n_ca"))
COEXISTENCE_TAG = "fusion_coexistence"
OPTIONAL_TAG = "fusion_optional"
# Community apps some of our code uses when present (bill-to-PO matching, inventory valuation).
OPTIONAL_MODULES = ("l10n_ca", "purchase", "stock_account")
ODOO_STEP_TIMEOUT = int(os.environ.get("ODOO_STEP_TIMEOUT", "2700"))  # seconds, per Odoo command
SUMMARY_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
SKIP_RE = re.compile(r" INFO \S+ \S+: skipped ")
# A problem logged outside a test (tests report through the summary line) by our
# code or about it: "<level> <db> <logger>: <message>" naming one of our addons.
OUR_PROBLEM_RE = re.compile(
    r" (?:WARNING|ERROR|CRITICAL) \S+ (?!\S*\.tests\.)(?:\S*fusion_accounting\S*:|\S+: .*fusion_accounting)"
)
# What the attack suite's classes log when they end (fusion_accounting_core/tests/attack_common.py).
ATTACK_RE = re.compile(r"FUSION-ATTACK \S+ attempts=(\d+) refused=(\d+) unapproved_writes=(\d+)")
ECHO_RE = re.compile(r" (ERROR|CRITICAL|WARNING) | FAIL: | ERROR: |: skipped |when loading database|post-tests in")


@dataclass
class Counts:
    passed: int = 0
    failed: int = 0
    skipped: int = 0

    def __add__(self, other):
        return Counts(self.passed + other.passed, self.failed + other.failed, self.skipped + other.skipped)

    def line(self, label=""):
        prefix = f"{label}: " if label else ""
        return f"{prefix}{self.passed} passed, {self.failed} failed, {self.skipped} skipped"


def run_pure(extra=()):
    junit = Path(tempfile.mkstemp(suffix=".xml")[1])
    cmd = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *extra]
    rc = subprocess.run(cmd, cwd=ROOT, check=False).returncode
    counts = Counts()
    if junit.stat().st_size:
        for suite in ET.parse(junit).getroot().iter("testsuite"):
            total, skipped = int(suite.get("tests")), int(suite.get("skipped"))
            failed = int(suite.get("failures")) + int(suite.get("errors"))
            counts += Counts(total - skipped - failed, failed, skipped)
    junit.unlink()
    if rc not in (0, 5) and not counts.failed:  # collection crash, interrupted run
        counts.failed += 1
    return counts


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _odoo(args, log_path, data_dir, enterprise=False):
    """Run one Odoo command, keep its whole log, echo what a reader needs."""
    cmd = odoo_command(
        *args,
        "--stop-after-init",
        "--log-level=info",
        "--http-interface=127.0.0.1",
        f"--http-port={_free_port()}",
        "--workers=0",
        "--max-cron-threads=0",
        data_dir=data_dir,
        enterprise=enterprise,
    )
    lines = []
    with open(log_path, "a", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, env=odoo_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # A hung child (a browser, wkhtmltopdf) must fail the run, not eat CI's time budget.
        watchdog = threading.Timer(ODOO_STEP_TIMEOUT, proc.kill)
        watchdog.start()
        try:
            for line in proc.stdout:
                log.write(line)
                lines.append(line)
                if ECHO_RE.search(line):
                    sys.stdout.write(line)
                    sys.stdout.flush()
            proc.wait()
        finally:
            watchdog.cancel()
    if proc.returncode == -signal.SIGKILL:
        print(f"Odoo was stopped after {ODOO_STEP_TIMEOUT} s: something hung (see the log)")
    return proc.returncode, lines


def attack_totals(lines):
    """(attempts, refused, unapproved writes) over every attack class of a run."""
    rows = [tuple(int(g) for g in m.groups()) for m in map(ATTACK_RE.search, lines) if m]
    return tuple(sum(column) for column in zip(*rows, strict=True)) if rows else (0, 0, 0)


def _count_odoo(rc, lines):
    counts = Counts()
    summaries = [SUMMARY_RE.search(line) for line in lines]
    summaries = [m for m in summaries if m]
    problems = [line for line in lines if OUR_PROBLEM_RE.search(line)]
    for line in problems:
        print(f"OUR MODULE LOGGED A PROBLEM: {line.rstrip()}")
    if not summaries:
        print(f"Odoo ended (exit {rc}) without a test summary: see the log")
        return Counts(failed=1)
    failed, errors, total = (int(g) for g in summaries[-1].groups())
    skipped = sum(1 for line in lines if SKIP_RE.search(line))
    counts = Counts(total - failed - errors - skipped, failed + errors, skipped)
    counts.failed += len(problems)
    if rc and not counts.failed:
        counts.failed = 1
    return counts


def _drop(db):
    subprocess.run(["dropdb", "--if-exists", db], check=False, env=os.environ)


def run_odoo(tags=None, keep=False, log_path=None):
    db = f"fusion_test_{os.getpid()}"
    log_path = Path(log_path or ROOT / ".odoo-test.log")
    log_path.write_text("")
    print(f"Odoo suite: database {db}, full log in {log_path}")
    path = addons_path(enterprise=True)
    counts = Counts()
    with tempfile.TemporaryDirectory() as data_dir:
        try:
            rc, lines = _odoo(
                ["-d", db, "-i", INSTALL, "--test-enable", f"--test-tags={tags or DEFAULT_TAGS}"],
                log_path,
                data_dir,
            )
            counts = _count_odoo(rc, lines)
            attempts, refused, unapproved = attack_totals(lines)
            if attempts:
                print(f"attack suite: {attempts} attempts, {refused} refused, {unapproved} unapproved writes")
            if unapproved:
                counts.failed += 1
            if not tags:
                counts += check_uninstall(db, log_path, data_dir)
                counts += run_optional_pass(db + "_opt", log_path, data_dir)
            if not tags and module_available("account_followup", path):
                counts += run_enterprise_pass(db + "_ee", log_path, data_dir)
            elif not tags:
                print("Enterprise account_followup is not on this server's addons path: coexistence pass skipped")
        finally:
            if not keep:
                _drop(db)
                _drop(db + "_opt")
                _drop(db + "_ee")
    print(counts.line("odoo"))
    return counts


def _shell(db, script, log_path, data_dir, enterprise=False):
    """Run a Python snippet in ``odoo shell`` on ``db``; return (exit code, output)."""
    cmd = odoo_command("-d", db, "--no-http", data_dir=data_dir, subcommand="shell", enterprise=enterprise)
    done = subprocess.run(cmd, input=script, env=odoo_env(), capture_output=True, text=True, check=False)
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(done.stdout + done.stderr)
    return done.returncode, done.stdout + done.stderr


def check_uninstall(db, log_path, data_dir):
    """Our three addons uninstall cleanly: counted as one test."""
    script = (
        f"modules = env['ir.module.module'].search([('name', 'in', {list(ADDONS)!r})])\n"
        "modules.button_immediate_uninstall()\n"
        "env.cr.commit()\n"
        "print('FUSION-STILL-INSTALLED', len(modules.filtered(lambda m: m.state != 'uninstalled')))\n"
    )
    rc, output = _shell(db, script, log_path, data_dir)
    clean = rc == 0 and "FUSION-STILL-INSTALLED 0" in output and "Traceback" not in output
    print(f"uninstall of the three addons: {'ok' if clean else 'FAILED (see the log)'}")
    return Counts(passed=1) if clean else Counts(failed=1)


def run_optional_pass(db, log_path, data_dir):
    """Our addons beside optional Community apps, in one install that runs the tests tagged ``fusion_optional``.

    Skipped (counted as one skip) when one of :data:`OPTIONAL_MODULES` is not on the addons path.
    """
    missing = [name for name in OPTIONAL_MODULES if not module_available(name)]
    if missing:
        print(f"Optional-modules pass skipped: {', '.join(missing)} not on this server's addons path")
        return Counts(skipped=1)
    print(f"Optional-modules pass on {db}: our addons with {', '.join(OPTIONAL_MODULES)}")
    install = ",".join((*ADDONS, *OPTIONAL_MODULES))
    rc, lines = _odoo(["-d", db, "-i", install, "--test-enable", f"--test-tags={OPTIONAL_TAG}"], log_path, data_dir)
    return _count_odoo(rc, lines)


def run_enterprise_pass(db, log_path, data_dir):
    """Our addons first, Enterprise follow-up installed later, then removed again."""
    print(f"Enterprise coexistence pass on {db}")
    counts = Counts()
    steps = [  # (arguments, with Enterprise on the addons path)
        (["-d", db, "-i", ",".join(ADDONS)], False),
        (["-d", db, "-i", "account_followup"], True),
    ]
    for step, enterprise in steps:
        rc, _lines = _odoo(step, log_path, data_dir, enterprise=enterprise)
        if rc:
            print(f"Enterprise pass: {' '.join(step)} failed (exit {rc})")
            return Counts(failed=1)
    rc, lines = _odoo(["-d", db, "--test-enable", f"--test-tags={COEXISTENCE_TAG}"], log_path, data_dir, True)
    counts += _count_odoo(rc, lines)
    uninstall = (
        "env['ir.module.module'].search([('name', '=', 'account_followup')]).button_immediate_uninstall()\n"
        "env.cr.commit()\n"
    )
    rc, _output = _shell(db, uninstall, log_path, data_dir, enterprise=True)
    if rc:
        print("Enterprise pass: uninstalling account_followup failed")
        return counts + Counts(failed=1)
    rc, lines = _odoo(["-d", db, "--test-enable", f"--test-tags={COEXISTENCE_TAG}"], log_path, data_dir, True)
    return counts + _count_odoo(rc, lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", choices=["pure", "odoo", "all"])
    parser.add_argument("--tags", default=os.environ.get("TAGS") or None, help="Odoo --test-tags")
    parser.add_argument("--keep", action="store_true", help="keep the test database")
    parser.add_argument("--log", help="where to write Odoo's full log (default .odoo-test.log)")
    opts = parser.parse_args()

    total = Counts()
    if opts.suite in ("pure", "all"):
        pure = run_pure()
        print(pure.line("pure"))
        total += pure
    if opts.suite in ("odoo", "all"):
        version = probe()
        if version:
            print(f"Odoo {version} found: running the Odoo integration suite")
            total += run_odoo(opts.tags, opts.keep, opts.log)
        elif opts.suite == "odoo":
            print("ERROR: Odoo 19 is not importable (run make setup, or set ODOO_PATH or PYTHON): no Odoo suite")
            return 2
        else:
            print("=" * 78)
            print("WARNING: ODOO 19 IS NOT REACHABLE. ONLY THE PURE SUITE RAN; MODELS, VIEWS,")
            print("CONTROLLERS AND DATA WERE NOT TESTED. Run make setup (see README).")
            print("=" * 78)
    print(total.line())
    return 1 if total.failed else 0


if __name__ == "__main__":
    sys.exit(main())
