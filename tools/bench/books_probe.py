"""The in-Odoo half of ``bench_books.py``: one process, one database, figures printed as one JSON object.

    python tools/bench/books_probe.py --db NAME --mode fusion|enterprise|scan|bank --runs N [--reconcile-runs N]
        [--answer-key PATH] [--bank-inputs PATH] [--profile PATH]

``fusion`` and ``enterprise`` time the receivables, dashboard and bank
reconciliation figures; ``enterprise`` (on a copy with ``account_reports`` and
``account_accountant``) times Enterprise's screens instead of ours.  ``scan``
runs the follow-up daily cron once, for real (it commits after every batch of
partners: run it on a throwaway copy).  ``bank`` runs our auto-reconcile once
and gives CPU time, wall time and SQL queries per statement line of each of
its phases (reading, pure planning, booking, Odoo's reconciliation).

Every timed run gets a new cursor and environment (an empty record cache) and
is rolled back; "cold" also clears every ``ormcache`` of the registry.
PostgreSQL's own buffers stay warm: the figures are those of a running server.
"""

import argparse
import cProfile
import dataclasses
import json
import os
import pstats
import sys
import time
from contextlib import closing, contextmanager, nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tools"), str(ROOT / "tools" / "bench")]

from figures import repeat, timed_figure  # noqa: E402
from odoo_env import addons_path, db_args  # noqa: E402

ANSWER_KEY = "fusion_demo_answer_key.json"
# Enterprise's aged receivable columns and the buckets of ``get_ar_aging`` they add up to.
EE_PERIODS = {
    "current": ("period0",),
    "1-30": ("period1",),
    "31-60": ("period2",),
    "61-90": ("period3",),
    "91-120": ("period4",),
    "120+": ("period5",),
}

# The open receivable lines of the companies, which every receivable figure here reads.
OPEN_RECEIVABLES = """
  FROM account_move_line aml
  JOIN account_account account ON account.id = aml.account_id
 WHERE aml.company_id = ANY(%(companies)s)
   AND account.account_type = 'asset_receivable'
   AND aml.parent_state = 'posted'
   AND NOT aml.reconciled
   AND aml.amount_residual != 0
"""

AGING_SQL = (
    """
SELECT aml.partner_id,
       SUM(aml.amount_residual) FILTER (WHERE COALESCE(aml.date_maturity, aml.date) >= %(as_of)s),
       SUM(aml.amount_residual) FILTER (WHERE %(as_of)s - COALESCE(aml.date_maturity, aml.date) BETWEEN 1 AND 30),
       SUM(aml.amount_residual) FILTER (WHERE %(as_of)s - COALESCE(aml.date_maturity, aml.date) BETWEEN 31 AND 60),
       SUM(aml.amount_residual) FILTER (WHERE %(as_of)s - COALESCE(aml.date_maturity, aml.date) BETWEEN 61 AND 90),
       SUM(aml.amount_residual) FILTER (WHERE %(as_of)s - COALESCE(aml.date_maturity, aml.date) > 90)
"""
    + OPEN_RECEIVABLES
    + """ GROUP BY aml.partner_id
"""
)


# Open receivable lines without a due date (Odoo leaves it empty on plain journal entries):
# ``get_ar_aging``, the SQL aggregate and Enterprise all age them by their accounting date.
NO_DUE_DATE_SQL = (
    """
SELECT count(*), COALESCE(SUM(aml.amount_residual), 0)
"""
    + OPEN_RECEIVABLES
    + """   AND aml.date_maturity IS NULL
"""
)


def open_registry(db, enterprise):
    from odoo.tools import config

    config.parse_config(
        [f"--addons-path={addons_path(enterprise)}", "-d", db, "--log-level=warn", *db_args()], setup_logging=True
    )
    from odoo.modules.registry import Registry

    return Registry(db)


def load_answer_key(env, company, path):
    """The answer key attached to the demo company, saved to ``path``; else read from ``path``.

    A copy of a database (``createdb -T``) has no filestore, so its attachment is empty: the
    copy reads the file its original saved.
    """
    attachment = env["ir.attachment"].search(
        [("res_model", "=", "res.company"), ("res_id", "=", company.id), ("name", "=", ANSWER_KEY)], limit=1
    )
    if attachment.raw:
        if path:
            Path(path).write_bytes(attachment.raw)
        return json.loads(attachment.raw)
    if path and Path(path).is_file():
        return json.loads(Path(path).read_text())
    return None


class Books:
    """The demo company of one database, and fresh environments on it.

    ``today`` (the aging date) is the date of the company's latest entry, so a database built
    on another day measures the same books the same way.
    """

    def __init__(self, registry, answer_key_path=None):
        from odoo import SUPERUSER_ID, api

        self.registry, self.api = registry, api
        with closing(registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("fusion_demo.company")
            admin = env.ref("base.user_admin")
            self.company_id = company.id
            # The admin user (not the superuser): record rules and access checks are part of the cost.
            self.uid = admin.id if company in admin.company_ids else SUPERUSER_ID
            self.answer_key = load_answer_key(env, company, answer_key_path)
            last = env["account.move"].search([("company_id", "=", company.id)], order="date desc", limit=1)
            self.today = last.date

    def env(self, cr):
        context = {"allowed_company_ids": [self.company_id], "tracking_disable": True}
        return self.api.Environment(cr, self.uid, context)

    def timed(self, function, runs, *, cold=False):
        """Durations of ``function(env)``, each on a fresh cursor that is rolled back; and the last result."""
        durations, result = [], None
        for _ in range(runs):
            with closing(self.registry.cursor()) as cr:
                env = self.env(cr)
                if cold:
                    self.registry.clear_all_caches()
                started = time.perf_counter()
                result = function(env)
                env.flush_all()
                durations.append(time.perf_counter() - started)
                cr.rollback()
        return durations, result

    def warm(self, function, runs):
        """Durations of ``function(env)`` repeated on one environment after an untimed first call."""
        with closing(self.registry.cursor()) as cr:
            env = self.env(cr)
            function(env)
            durations, _result = repeat(lambda: function(env), runs)
            cr.rollback()
        return durations


# ---------------------------------------------------------------- receivables


def our_aging(books):
    from odoo.addons.fusion_accounting_core.services.tools import REGISTRY

    spec = REGISTRY.get("get_ar_aging")
    return lambda env: spec.function(env, as_of=books.today, top=10)


def sql_aging(books):
    def run(env):
        env.cr.execute(AGING_SQL, {"as_of": books.today, "companies": [books.company_id]})
        rows = env.cr.fetchall()
        totals = dict.fromkeys(EE_PERIODS, 0.0)
        for row in rows:
            for bucket, amount in zip(EE_PERIODS, row[1:], strict=True):
                totals[bucket] += float(amount or 0)
        return {"totals": {bucket: round(amount, 2) for bucket, amount in totals.items()}, "partner_count": len(rows)}

    return run


def _period_totals(lines):
    totals = dict.fromkeys(EE_PERIODS, 0.0)
    for line in lines:
        values = {column["expression_label"]: column.get("no_format") or 0.0 for column in line["columns"]}
        for bucket, periods in EE_PERIODS.items():
            totals[bucket] += sum(values.get(period, 0.0) for period in periods)
    return {bucket: round(amount, 2) for bucket, amount in totals.items()}


def enterprise_aging(books):
    def run(env):
        report = env.ref("account_reports.aged_receivable_report")
        date = {"date_to": books.today.isoformat(), "mode": "single", "filter": "custom"}
        options = report.get_options({"date": date})
        lines = report._get_lines(options)
        models = [report._get_model_info_from_id(line["id"])[0] for line in lines]
        # The report's own line carries the totals; the partner lines under it are what the user sees.
        root = [line for line, model in zip(lines, models, strict=True) if model == "account.report.line"]
        return {
            "totals": _period_totals(root[:1]),
            "partner_count": models.count("res.partner"),
            "options": {"date_to": options["date"]["date_to"], "aging_based_on": options["aging_based_on"]},
        }

    return run


def differences(ours, theirs):
    """Per bucket, ``theirs - ours`` in cents where they differ (empty: equal to the cent)."""
    return {
        bucket: round((theirs[bucket] - ours[bucket]) * 100)
        for bucket in ours
        if round(ours[bucket] * 100) != round(theirs[bucket] * 100)
    }


def no_due_date(books):
    with closing(books.registry.cursor()) as cr:
        cr.execute(NO_DUE_DATE_SQL, {"companies": [books.company_id]})
        count, amount = cr.fetchone()
    return {"lines": count, "amount": round(float(amount), 2)}


def receivables(books, runs, enterprise):
    ours_t, ours = books.timed(our_aging(books), runs)
    sql_t, sql = books.timed(sql_aging(books), runs)
    figures = {
        "as_of": books.today.isoformat(),
        "open_partners": ours["partner_count"],
        "get_ar_aging": timed_figure(ours_t),
        "sql_aggregate": timed_figure(sql_t),
        "totals": ours["totals"],
        "sql_differences_cents": differences(ours["totals"], sql["totals"]),
        "open_lines_without_due_date": no_due_date(books),
    }
    figures["ratio_to_sql_p50"] = round(figures["get_ar_aging"]["p50_ms"] / figures["sql_aggregate"]["p50_ms"], 2)
    if enterprise:
        ee_t, ee = books.timed(enterprise_aging(books), runs)
        figures["enterprise_aged_receivable"] = timed_figure(ee_t)
        figures["enterprise_totals"] = ee["totals"]
        figures["enterprise_partner_lines"] = ee["partner_count"]
        figures["enterprise_options"] = ee["options"]
        figures["enterprise_differences_cents"] = differences(ours["totals"], ee["totals"])
        figures["speedup_vs_enterprise_p50"] = round(
            figures["enterprise_aged_receivable"]["p50_ms"] / figures["get_ar_aging"]["p50_ms"], 2
        )
    return figures


# ---------------------------------------------------------------- dashboard


def six_cards(books):
    def run(env):
        dashboard = env["fusion.accounting.dashboard"]
        today = books.today
        return [
            dashboard._card_bank(today),
            dashboard._card_ar(today),
            dashboard._card_ap(today),
            dashboard._card_hst(today),
            dashboard._card_audit(),
            dashboard._card_month_end(today),
        ]

    return run


def dashboard(books, runs):
    cold, cards = books.timed(six_cards(books), runs, cold=True)
    whole, _data = books.timed(lambda env: env["fusion.accounting.dashboard"].get_dashboard_data(books.today), runs)
    return {
        "six_cards_cold": timed_figure(cold),
        "six_cards_warm": timed_figure(books.warm(six_cards(books), runs)),
        "whole_dashboard_fresh_cursor": timed_figure(whole),
        "cards": {card["key"]: card["value"] for card in cards},
        "target_cold_ms": 500,
    }


# ---------------------------------------------------------------- bank reconciliation


def counterparts(st_line):
    """Ids of the journal items reconciled with ``st_line``, and the accounts of its own other lines."""
    own = st_line.move_id.line_ids
    partials = own.matched_debit_ids | own.matched_credit_ids
    others = (partials.debit_move_id | partials.credit_move_id) - own
    liquidity = st_line.journal_id.default_account_id
    booked = {line.account_id.id for line in own if line.account_id != liquidity and not line.reconciled}
    return set(others.ids), booked


def score(env, key_lines):
    """Coverage and precision of what is reconciled now, against the answer key."""
    lines = env["account.bank.statement.line"].browse([entry["statement_line_id"] for entry in key_lines])
    reconciled = {line.id: line for line in lines if line.is_reconciled}
    correct, wrong_kinds = 0, {}
    for entry in key_lines:
        line = reconciled.get(entry["statement_line_id"])
        if line is None:
            continue
        items, booked = counterparts(line)
        expected_items = {match["move_line_id"] for match in entry["matches"]}
        expected_accounts = {write_off["account_id"] for write_off in entry["write_offs"]}
        if items == expected_items and (expected_items or booked == expected_accounts):
            correct += 1
        else:
            wrong_kinds[entry["kind"]] = wrong_kinds.get(entry["kind"], 0) + 1
    total, matched = len(key_lines), len(reconciled)
    return {
        "lines": total,
        "matched": matched,
        "correct": correct,
        "coverage": round(matched / total, 4) if total else None,
        "precision": round(correct / matched, 4) if matched else None,
        "wrong_by_kind": wrong_kinds,
    }


@contextmanager
def time_spent_in(registry, model, method):
    """Seconds spent in ``model.method`` while the block runs, summed into the yielded list's first item."""
    cls = registry[model]  # the registry's class: patching it reaches every record of the model
    original, spent = getattr(cls, method), [0.0]

    def timed(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    setattr(cls, method, timed)
    try:
        yield spent
    finally:
        setattr(cls, method, original)


# What ``_auto_reconcile`` spends its time on: reading, pure planning, booking, Odoo's reconciliation.
RECONCILE_PHASES = (
    ("_bank_line", "fusion.bank.reconciler"),
    ("_open_items", "fusion.bank.reconciler"),
    ("_partner_names", "fusion.bank.reconciler"),
    ("plan_auto_reconcile", None),
    ("_book_all", "fusion.bank.reconciler"),
    ("_reconcile", "fusion.bank.reconciler"),
    ("_auto_reconcile", "fusion.bank.reconciler"),
)


def _counted(original, totals, sql_db):
    """``original``, adding the CPU and wall seconds and the queries of each call to ``totals``."""

    def counted(*args, **kwargs):
        queries, cpu, wall = sql_db.sql_counter, time.process_time(), time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals["cpu_s"] += time.process_time() - cpu
            totals["wall_s"] += time.perf_counter() - wall
            totals["queries"] += sql_db.sql_counter - queries
            totals["calls"] += 1

    return counted


@contextmanager
def costs_of(registry, phases):
    """CPU seconds, wall seconds and SQL queries spent in each ``(method, model)`` of ``phases`` while the block runs.

    A model of None names a function of the reconciler's module (the pure planner it calls).
    """
    from odoo import sql_db

    from odoo.addons.fusion_accounting.models import fusion_bank_reconciler as module

    spent, restore = {}, []
    for method, model in phases:
        owner = registry[model] if model else module
        original, totals = getattr(owner, method), {"cpu_s": 0.0, "wall_s": 0.0, "queries": 0, "calls": 0}
        spent[method] = totals
        setattr(owner, method, _counted(original, totals, sql_db))
        restore.append((owner, method, original))
    try:
        yield spent
    finally:
        for owner, method, original in restore:
            setattr(owner, method, original)


@contextmanager
def planner_inputs(path):
    """Save what the reconciler gives the pure planner to ``path`` (JSON), for ``bench_bank_planning.py --inputs``."""
    from odoo.addons.fusion_accounting.models import fusion_bank_reconciler as module

    original = module.plan_auto_reconcile

    def saving(lines, items, policy, partners=()):
        rows = {
            "lines": [dataclasses.asdict(line) for line in lines],
            "items": [dataclasses.asdict(item) for item in items],
            "partners": list(partners),
        }
        Path(path).write_text(json.dumps(rows, default=str))
        return original(lines, items, policy, partners)

    module.plan_auto_reconcile = saving
    try:
        yield
    finally:
        module.plan_auto_reconcile = original


@contextmanager
def profiled(path):
    """cProfile of the block, saved to ``path`` (read it with ``pstats``); the top by own time goes to stderr."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        profiler.dump_stats(path)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(40)


def reconcile_costs(books, inputs_path=None, profile_path=None):
    """One auto-reconcile run of our engine, per phase: CPU and wall milliseconds and queries per statement line.

    With ``profile_path`` the run is profiled too, which inflates its figures (the profiler's own cost).
    """
    lines = len(books.answer_key["unreconciled_statement_lines"])
    with (
        planner_inputs(inputs_path) if inputs_path else nullcontext(),
        costs_of(books.registry, RECONCILE_PHASES) as spent,
        profiled(profile_path) if profile_path else nullcontext(),
    ):
        _durations, result = books.timed(reconcile_run(books, "fusion"), 1)
    phases = {
        method: {
            "cpu_ms_per_line": round(totals["cpu_s"] * 1000 / lines, 3),
            "wall_ms_per_line": round(totals["wall_s"] * 1000 / lines, 3),
            "queries_per_line": round(totals["queries"] / lines, 3),
            "cpu_s": round(totals["cpu_s"], 3),
            "queries": totals["queries"],
        }
        for method, totals in spent.items()
    }
    return {
        "lines": lines,
        "matched": result["matched"],
        "precision": result["precision"],
        "phases": phases,
        "profiled": bool(profile_path),
        "load_1_5_15": [round(value, 2) for value in os.getloadavg()],
    }


def reconcile_run(books, engine):
    key_lines = books.answer_key["unreconciled_statement_lines"]

    def run(env):
        # As users run it: Odoo's chatter trail of the changed journal items is part of the cost.
        env = env(context=dict(env.context, tracking_disable=False))
        st_lines = env["account.bank.statement.line"].browse([entry["statement_line_id"] for entry in key_lines])
        st_lines = st_lines.filtered(lambda line: not line.is_reconciled)
        if engine == "enterprise":
            st_lines._try_auto_reconcile_statement_lines()
        else:
            env["fusion.bank.reconciler"]._auto_reconcile(st_lines)
        env.flush_all()
        return score(env, key_lines)

    return run


def bank_reconciliation(books, runs, enterprise):
    if not books.answer_key:
        return {"skipped": "no answer key attached to the demo company"}
    engines = ["enterprise"] if enterprise else ["fusion"]
    figures = {}
    for engine in engines:
        # Odoo's own reconciliation (partials, full reconciles, invoices paid), which any engine booking
        # through the ORM goes through, ours and Enterprise's alike: the floor of what an engine of ours can reach.
        with time_spent_in(books.registry, "account.move.line", "_reconcile_plan_with_sync") as odoo_reconcile:
            durations, result = books.timed(reconcile_run(books, engine), runs)
        figure = timed_figure(durations)
        figure["lines_per_s_p50"] = round(result["lines"] / (figure["p50_ms"] / 1000), 1)
        figure["odoo_reconcile_ms_per_matched_line"] = (
            round(odoo_reconcile[0] * 1000 / runs / result["matched"], 2) if result["matched"] else None
        )
        figures[engine] = {**figure, **result}
    return figures


# ---------------------------------------------------------------- follow-up daily scan


def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def daily_scan(registry):
    """The daily cron once, as the cron runs it (superuser, commits per batch); RSS sampled at every commit."""
    from odoo import SUPERUSER_ID, api, sql_db

    cron_class = registry["fusion.followup.cron"]  # the registry holds the model classes
    ir_cron_class = registry["ir.cron"]
    scan_ids, commit_progress = cron_class._scan_partner_ids, ir_cron_class._commit_progress
    scanned, samples = [], []

    def counted(self, engine):
        ids = scan_ids(self, engine)
        scanned.extend(ids)
        return ids

    def sampled(self, *args, **kwargs):
        samples.append(rss_mb())
        return commit_progress(self, *args, **kwargs)

    cron_class._scan_partner_ids, ir_cron_class._commit_progress = counted, sampled
    try:
        with closing(registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            started_rss = rss_mb()
            queries = sql_db.sql_counter
            started, cpu = time.perf_counter(), time.process_time()
            env["fusion.followup.cron"]._cron_daily_scan()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            queries = sql_db.sql_counter - queries
            cr.commit()
    finally:
        cron_class._scan_partner_ids, ir_cron_class._commit_progress = scan_ids, commit_progress
    tenth = max(1, len(samples) // 10)
    return {
        "partners_scanned": len(scanned),
        "seconds": round(elapsed, 2),
        "ms_per_partner": round(elapsed * 1000 / len(scanned), 2) if scanned else None,
        "cpu_ms_per_partner": round(cpu * 1000 / len(scanned), 2) if scanned else None,
        "queries_per_partner": round(queries / len(scanned), 2) if scanned else None,
        "commits": len(samples),
        "rss_mb_start": started_rss,
        "rss_mb_first_tenth": max(samples[:tenth], default=None),
        "rss_mb_last_tenth": max(samples[-tenth:], default=None),
        "rss_mb_end": rss_mb(),
        "target_s_for_10000": 60,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--mode", choices=("fusion", "enterprise", "scan", "bank"), default="fusion")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reconcile-runs", type=int, default=2)
    parser.add_argument("--answer-key", help="file the answer key is saved to (original) or read from (copy)")
    parser.add_argument("--bank-inputs", help="with --mode bank: save the pure planner's inputs to this JSON file")
    parser.add_argument("--profile", help="with --mode bank: save a cProfile of the run to this file")
    opts = parser.parse_args()
    enterprise = opts.mode == "enterprise"
    registry = open_registry(opts.db, enterprise)
    if opts.mode == "scan":
        print(json.dumps({"followup_daily_scan": daily_scan(registry)}, sort_keys=True))
        return
    books = Books(registry, opts.answer_key)
    if opts.mode == "bank":
        costs = reconcile_costs(books, opts.bank_inputs, opts.profile)
        print(json.dumps({"bank_reconciliation_costs": costs}, sort_keys=True))
        return
    result = {
        "receivables": receivables(books, opts.runs, enterprise),
        "bank_reconciliation": bank_reconciliation(books, opts.reconcile_runs, enterprise),
    }
    if not enterprise:
        result["dashboard"] = dashboard(books, opts.runs)
    print(json.dumps(result, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
