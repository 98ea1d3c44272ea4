"""``make demo-data``: build the Canadian demo company in a database, with its answer key.

    python3 tools/demo_data.py --size small|medium|large --db NAME --seed N [--answer-key PATH]

Makes sure the database exists with our addons and ``l10n_ca`` installed
(running Odoo's installer when needed), then plans and writes the books
in-process through Odoo's API and commits.  Prints one JSON document with row
counts and timings.  Idempotent: on a database that already holds the demo
company it says so and exits 0.
"""

import argparse
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from odoo_env import ADDONS, ROOT, db_args, odoo_command, odoo_env

REQUIRED = (*ADDONS, "l10n_ca")
ANSWER_KEY_ATTACHMENT = "fusion_demo_answer_key.json"


def _psql(db, query):
    done = subprocess.run(["psql", "-d", db, "-tAc", query], capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def missing_modules(db):
    """Required modules not installed in ``db`` (all of them when the database does not exist)."""
    names = ",".join(f"'{name}'" for name in REQUIRED)
    installed = _psql(db, f"SELECT name FROM ir_module_module WHERE state = 'installed' AND name IN ({names})")
    if installed is None:
        return list(REQUIRED)
    return sorted(set(REQUIRED) - set(installed.split()))


def install(db, modules):
    print(f"Installing {', '.join(modules)} in {db} (a few minutes)...", file=sys.stderr)
    cmd = odoo_command("-d", db, "-i", ",".join(modules), "--stop-after-init", "--no-http", "--max-cron-threads=0")
    subprocess.run(cmd, env=odoo_env(), check=True, stdout=sys.stderr)


def open_registry(db):
    """Odoo's registry of ``db`` with our addons path, configured like the CLI would."""
    sys.path.insert(0, str(ROOT))
    from odoo_env import addons_path

    from odoo.tools import config

    config.parse_config(
        [f"--addons-path={addons_path()}", "-d", db, "--log-level=warn", *db_args()], setup_logging=True
    )
    from odoo.modules.registry import Registry

    return Registry(db)


def build(db, size, seed, today, answer_key_path):
    registry = open_registry(db)  # first: it puts our addons on odoo.addons' path
    from odoo import SUPERUSER_ID, Command, api

    from odoo.addons.fusion_accounting_core.demo_company.answer_key import build_answer_key
    from odoo.addons.fusion_accounting_core.demo_company.planner import build_plan
    from odoo.addons.fusion_accounting_core.demo_company.writer import BULK_TABLES, find_demo_company, write_plan

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
        existing = find_demo_company(env)
        if existing:
            return {"status": "exists", "db": db, "company": existing.name, "company_id": existing.id}
        started = time.monotonic()
        plan = build_plan(size, seed, today)
        plan_s = round(time.monotonic() - started, 2)
        written = write_plan(env, plan)
        key = build_answer_key(plan, written)
        text = json.dumps(key, indent=1, sort_keys=True)
        admin = env.ref("base.user_admin", raise_if_not_found=False)
        if admin:  # make run: the administrator lands in the demo company's books
            admin.write({"company_ids": [Command.link(written.company_id)], "company_id": written.company_id})
        env["ir.attachment"].create(
            {
                "name": ANSWER_KEY_ATTACHMENT,
                "raw": text.encode(),
                "mimetype": "application/json",
                "res_model": "res.company",
                "res_id": written.company_id,
            }
        )
        cr.commit()
    # Index-only scans (the dashboard's) need the pages marked all-visible, which only VACUUM does, outside a
    # transaction; a server's autovacuum would get there later, or never where it is off (as on our CI machine).
    vacuum_started = time.monotonic()
    _psql(db, f"VACUUM (ANALYZE) {', '.join(BULK_TABLES)}")
    written.timings["vacuum_s"] = round(time.monotonic() - vacuum_started, 2)
    answer_key_path.write_text(text)
    return {
        "status": "created",
        "db": db,
        "size": size,
        "seed": seed,
        "today": today.isoformat(),
        "company_id": written.company_id,
        "answer_key": str(answer_key_path),
        "counts": written.counts,
        "timings": {"plan_s": plan_s, **written.timings, "total_s": round(time.monotonic() - started, 2)},
        "answer_key_summary": {
            "unreconciled_statement_lines": len(key["unreconciled_statement_lines"]),
            "defects": len(key["defects"]),
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today(), help="last day of the books")
    parser.add_argument(
        "--answer-key", type=Path, help="where to write the answer key (default: ./<db>-answer-key.json)"
    )
    opts = parser.parse_args()
    if not opts.db.replace("_", "").isalnum():
        sys.exit("--db takes letters, digits and underscores")
    started = time.monotonic()
    missing = missing_modules(opts.db)
    if missing:
        install(opts.db, missing)
    install_s = round(time.monotonic() - started, 2)
    result = build(opts.db, opts.size, opts.seed, opts.today, opts.answer_key or Path(f"{opts.db}-answer-key.json"))
    if missing:
        result["install_s"] = install_s
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
