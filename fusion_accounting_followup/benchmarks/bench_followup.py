"""Follow-up benchmark: P50/P95 of the engine's hot operations, printed as one JSON object.

How it works: a throwaway database gets the core, the follow-up addon and the
Canadian chart; one real posted invoice is created through the ORM, then its
receivable line is cloned in bulk with SQL to give

* a "heavy" partner with 200 open lines (the issue's target case),
* an "empty" partner with none (the floor the original document measured),
* 200, then 1,000, then 10,000 overdue partners (3 open lines each) for ``list_overdue``.

Timings run inside ``odoo shell`` (same process as the ORM, no HTTP), the
caches are invalidated before every call, and nothing is committed.  The
script prints figures; it never asserts on time.

``--scan N`` measures the daily scan instead: N partners with an email and
three overdue lines each (a third due each level of the default ladder) are
committed, then ``_cron_daily_scan()`` runs once, as the cron does (it commits
every batch), with the process's RSS sampled at every commit.  Give it its own
database or a throwaway copy: it commits.  ``--profile FILE`` also runs the scan
under cProfile (CPU time) and writes its stats to FILE (``python -m pstats FILE``); the
profiler inflates the timings, so read the figures of a run without it.

Usage: ``python bench_followup.py [--size small|medium|large] [--addons-path PATH] [--db EXISTING] [--scan N]
[--profile FILE]``
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPETITIONS = {"small": 30, "medium": 100, "large": 300}
OVERDUE_SIZES = (200, 1000, 10000)
HEAVY_LINES = 200
LINES_PER_PARTNER = 3
PAGE = 80


def _template_invoice(env, today):
    """A posted invoice of a new partner with an email, and its receivable line: what the clones copy."""
    from datetime import timedelta

    template_partner = env["res.partner"].create(
        {"name": "Bench template", "email": "bench@example.com", "lang": "en_US"}
    )
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": template_partner.id,
            "invoice_date": today - timedelta(days=40),
            "invoice_date_due": today - timedelta(days=35),
            "invoice_line_ids": [(0, 0, {"name": "Bench", "quantity": 1, "price_unit": 100.0, "tax_ids": []})],
        }
    )
    invoice.action_post()
    env.flush_all()
    return template_partner, invoice.line_ids.filtered(lambda aml: aml.account_type == "asset_receivable")


def _cloners(env, template_partner, line, today):
    """``(clone_partners(count, prefix) -> ids, clone_lines(partner_ids, per_partner, ages))`` in bulk SQL."""
    cr = env.cr

    def columns(table):
        cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'",
            [table],
        )
        return [name for (name,) in cr.fetchall()]

    partner_columns = columns("res_partner")
    line_columns = columns("account_move_line")

    def clone_partners(count, prefix):
        exprs = [f"'{prefix} ' || g" if c in ("name", "complete_name") else c for c in partner_columns]
        cr.execute(
            f"INSERT INTO res_partner ({', '.join(partner_columns)}) "
            f"SELECT {', '.join(exprs)} FROM res_partner, generate_series(1, %s) g WHERE id = %s RETURNING id",
            [count, template_partner.id],
        )
        ids = [pid for (pid,) in cr.fetchall()]
        cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
        return ids

    def clone_lines(partner_ids, per_partner, ages):
        # One row per (partner, k): amount and due date vary so every aging bucket is populated.
        replaced = {
            "partner_id": "p.pid",
            "date_maturity": "%(today)s::date - (ages.a[1 + (k %% array_length(ages.a, 1))])",
            "amount_residual": "50 + k * 10",
            "amount_residual_currency": "50 + k * 10",
            "balance": "50 + k * 10",
            "debit": "50 + k * 10",
            "amount_currency": "50 + k * 10",
        }
        exprs = [replaced.get(c, f"t.{c}") for c in line_columns]
        cr.execute(
            f"INSERT INTO account_move_line ({', '.join(line_columns)}) "
            f"SELECT {', '.join(exprs)} FROM account_move_line t, unnest(%(pids)s) p(pid), "
            f"generate_series(1, %(per)s) k, (SELECT %(ages)s::int[] AS a) ages WHERE t.id = %(line)s",
            {"today": today, "pids": partner_ids, "per": per_partner, "ages": ages, "line": line.id},
        )

    return clone_partners, clone_lines


def measure(env, size):
    """Runs inside ``odoo shell``: build the data, time the operations, print the JSON document."""
    import time
    from datetime import date

    today = date.today()
    cr = env.cr
    reps = REPETITIONS[size]
    engine = env["fusion.followup.engine"]
    template_partner, line = _template_invoice(env, today)
    clone_partners, clone_lines = _cloners(env, template_partner, line, today)

    def percentiles(samples):
        ordered = sorted(samples)
        pick = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
        return {"p50_ms": round(pick(0.50) * 1000, 2), "p95_ms": round(pick(0.95) * 1000, 2), "n": len(ordered)}

    def timed(operation, count=reps):
        samples = []
        for _ in range(count):
            env.invalidate_all()
            start = time.perf_counter()
            operation()
            samples.append(time.perf_counter() - start)
        return percentiles(samples)

    heavy = env["res.partner"].browse(clone_partners(1, "Bench heavy"))
    empty = env["res.partner"].browse(clone_partners(1, "Bench empty"))
    clone_lines(heavy.ids, HEAVY_LINES, [-10, 5, 20, 45, 75, 100, 150])
    env.invalidate_all()

    result = {"repetitions": reps, "heavy_partner_open_lines": HEAVY_LINES, "operations": {}, "list_overdue": {}}
    for label, partner in (("200_open_lines", heavy), ("no_open_lines", empty)):
        result["operations"][label] = {
            "engine.get_overdue_for_partner": timed(lambda p=partner: engine.get_overdue_for_partner(p)),
            "engine.compute_followup_level": timed(lambda p=partner: engine.compute_followup_level(p)),
            "engine.send_followup_email(force=True)": timed(
                lambda p=partner: engine.send_followup_email(p, force=True), max(5, reps // 3)
            ),
        }
    made = 1  # the heavy partner is overdue too
    for target in OVERDUE_SIZES:
        ids = clone_partners(target - made, f"Bench {target}")
        clone_lines(ids, LINES_PER_PARTNER, [-5, 12, 40, 70, 95, 130])
        made = target
        cr.execute("ANALYZE account_move_line")
        page = engine.list_overdue(offset=0, limit=PAGE)
        result["list_overdue"][str(target)] = {
            "page_size": PAGE,
            "total_reported": page["total"],
            "first_page": timed(lambda: engine.list_overdue(offset=0, limit=PAGE)),
            "middle_page": timed(lambda t=target: engine.list_overdue(offset=t // 2, limit=PAGE)),
        }
    result["controller.list_overdue"] = "same engine call behind a JSON-RPC route; HTTP overhead not included"
    print("BENCH_JSON " + json.dumps(result, sort_keys=True))


def measure_scan(env, partners, profile=None):
    """Runs inside ``odoo shell``: ``partners`` overdue partners committed, then the daily scan once, timed."""
    import cProfile
    import time
    from datetime import date
    from pathlib import Path

    from odoo import sql_db

    def rss_mb():
        status = Path("/proc/self/status").read_text()
        return round(int(status.split("VmRSS:")[1].split()[0]) / 1024, 1)

    today = date.today()
    template_partner, line = _template_invoice(env, today)
    clone_partners, clone_lines = _cloners(env, template_partner, line, today)
    ids = clone_partners(partners, "Bench scan")
    third = len(ids) // 3
    # Oldest line 15, 45 and 95 days overdue: a third of the partners is due each level of the default ladder.
    for chunk, ages in (
        (ids[:third], [5, 10, 15]),
        (ids[third : 2 * third], [10, 40, 45]),
        (ids[2 * third :], [20, 70, 95]),
    ):
        clone_lines(chunk, LINES_PER_PARTNER, ages)
    env.cr.execute("ANALYZE account_move_line")
    env.cr.execute("ANALYZE res_partner")
    env.cr.commit()
    env.invalidate_all()

    cron_class = type(env["ir.cron"])
    commit_progress = cron_class._commit_progress
    samples = []

    def sampled(self, *args, **kwargs):
        samples.append(rss_mb())
        return commit_progress(self, *args, **kwargs)

    cron_class._commit_progress = sampled
    try:
        started_rss = rss_mb()
        queries = sql_db.sql_counter
        profiler = cProfile.Profile(time.process_time) if profile else None  # CPU: the load does not skew it
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.runcall(env["fusion.followup.cron"]._cron_daily_scan)
        else:
            env["fusion.followup.cron"]._cron_daily_scan()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profiler:
            profiler.dump_stats(profile)
        queries = sql_db.sql_counter - queries
    finally:
        cron_class._commit_progress = commit_progress
    env.cr.execute("SELECT state, COUNT(*) FROM fusion_followup_run WHERE partner_id = ANY(%s) GROUP BY state", [ids])
    runs = dict(env.cr.fetchall())
    mails = env["mail.mail"].search_count([("model", "=", "res.partner"), ("res_id", "in", ids)])
    scanned = len(ids) + 1  # the template partner is overdue too
    tenth = max(1, len(samples) // 10)
    result = {
        "partners_scanned": scanned,
        "runs_by_state": runs,
        "mails_queued": mails,
        "seconds": round(elapsed, 2),
        "ms_per_partner": round(elapsed * 1000 / scanned, 2),
        "cpu_ms_per_partner": round(cpu * 1000 / scanned, 2),
        "queries_per_partner": round(queries / scanned, 2),
        "commits": len(samples),
        "rss_mb_start": started_rss,
        "rss_mb_first_tenth": max(samples[:tenth], default=None),
        "rss_mb_last_tenth": max(samples[-tenth:], default=None),
        "rss_mb_end": rss_mb(),
        "target_s_for_10000": 60,
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "profiled": bool(profile),
    }
    print("BENCH_JSON " + json.dumps({"followup_daily_scan": result}, sort_keys=True))


def _odoo(args, addons_path, data_dir, **kwargs):
    cmd = [sys.executable, "-m", "odoo", *args[:1], f"--addons-path={addons_path}", f"--data-dir={data_dir}", *args[1:]]
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=sorted(REPETITIONS))
    parser.add_argument("--addons-path", help="defaults to this repository plus Odoo's own addons")
    parser.add_argument("--db", help="an existing database with the follow-up addon (kept; nothing is committed)")
    parser.add_argument(
        "--scan", type=int, metavar="N", help="time the daily scan over N new overdue partners (commits)"
    )
    parser.add_argument("--profile", metavar="FILE", help="with --scan: cProfile the scan, stats written to FILE")
    opts = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tools"))
    import odoo_env

    addons_path = opts.addons_path or odoo_env.addons_path()
    db = opts.db or f"fusion_bench_followup_{os.getpid()}"
    with tempfile.TemporaryDirectory() as data_dir:
        try:
            install = opts.db and subprocess.CompletedProcess([], 0, "", "")
            install = install or _odoo(
                [
                    "server",
                    "-d",
                    db,
                    "-i",
                    "fusion_accounting_followup,l10n_ca",
                    "--stop-after-init",
                    "--no-http",
                    "--workers=0",
                    "--max-cron-threads=0",
                    "--log-level=warn",
                ],
                addons_path,
                data_dir,
                env=odoo_env.odoo_env(),
            )
            if install.returncode:
                print(json.dumps({"error": "install failed", "log": install.stdout[-3000:] + install.stderr[-3000:]}))
                return 1
            code = (
                "import runpy\n"
                f"ns = runpy.run_path({str(Path(__file__).resolve())!r}, run_name='followup_bench')\n"
                + (
                    f"ns['measure_scan'](env, {opts.scan}, {opts.profile and str(Path(opts.profile).resolve())!r})\n"
                    if opts.scan
                    else f"ns['measure'](env, {opts.size!r})\n"
                )
            )
            shell = _odoo(
                ["shell", "-d", db, "--no-http", "--log-level=warn"],
                addons_path,
                data_dir,
                input=code,
                env=odoo_env.odoo_env(),
            )
            found = [line for line in shell.stdout.splitlines() if line.startswith("BENCH_JSON ")]
            if not found:
                print(json.dumps({"error": "benchmark failed", "log": shell.stdout[-3000:] + shell.stderr[-3000:]}))
                return 1
            print(json.dumps(json.loads(found[-1].removeprefix("BENCH_JSON ")), sort_keys=True))
        finally:
            if not opts.db:
                subprocess.run(["dropdb", "--if-exists", db], check=False, capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
