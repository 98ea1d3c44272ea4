"""Auto-reconciliation on the demo company's books, scored on its answer key.

Creates a throwaway database (Community addons path, or Enterprise's with
``--enterprise``), writes the demo company of ``--size``, runs our engine
(``fusion.bank.reconciler``) on every unreconciled statement line, or, with
``--enterprise``, Enterprise's ``_try_auto_reconcile_statement_lines``, and
prints one JSON object: lines, share matched, precision against the answer
key, seconds.  The database is dropped at the end.  With ``--db`` an existing
database is used and the run rolled back, except that Enterprise's engine
commits as it goes: use a scratch database for ``--enterprise``.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

from odoo_env import ADDONS, addons_path, odoo_command, odoo_env  # noqa: E402

TODAY = date(2026, 3, 31)
SEED = 7


def create_database(name, enterprise):
    modules = [*ADDONS, "l10n_ca", *(["account_accountant"] if enterprise else [])]
    cmd = odoo_command(
        "-d", name, "-i", ",".join(modules), "--stop-after-init", "--no-http", "--log-level=warn", enterprise=enterprise
    )
    subprocess.run(cmd, env=odoo_env(), check=True, capture_output=True)


def score(env, size, enterprise):
    from odoo.addons.fusion_accounting_core.demo_company.answer_key import build_answer_key
    from odoo.addons.fusion_accounting_core.demo_company.planner import build_plan
    from odoo.addons.fusion_accounting_core.demo_company.writer import write_plan

    plan = build_plan(size, SEED, TODAY)
    written = write_plan(env, plan)
    key = build_answer_key(plan, written)
    env = env(context=dict(env.context, allowed_company_ids=[written.company_id]))
    icp = env["ir.config_parameter"].sudo()
    icp.set_param("fusion_accounting.card_clearing_account_code", key["accounts"]["card_clearing"]["code"])
    icp.set_param("fusion_accounting.card_fee_account_code", key["accounts"]["card_fees"]["code"])
    answers = {line["statement_line_id"]: line for line in key["unreconciled_statement_lines"]}
    st_lines = env["account.bank.statement.line"].browse(sorted(answers))
    env.flush_all()
    env.cr.flush()  # run what the demo writer left for commit time (chart loading) before the clock starts
    started = time.perf_counter()
    if enterprise:
        st_lines._try_auto_reconcile_statement_lines()
    else:
        env["fusion.bank.reconciler"]._auto_reconcile(st_lines)
    env.flush_all()
    elapsed = time.perf_counter() - started
    matched = correct = 0
    for st_line in st_lines:
        _liquidity, _suspense, other = st_line._seek_for_lines()
        items = (other.matched_debit_ids.debit_move_id | other.matched_credit_ids.credit_move_id) - other
        if not items and not other:
            continue
        matched += 1
        expected = {match["move_line_id"] for match in answers[st_line.id]["matches"]}
        correct += bool(expected) and set(items.ids) == expected
    return {
        "engine": "enterprise" if enterprise else "fusion",
        "size": size,
        "lines": len(answers),
        "lines_with_items": sum(1 for line in answers.values() if line["matches"]),
        "matched": matched,
        "share_matched": round(matched / len(answers), 3) if answers else 0.0,
        "precision": round(correct / matched, 3) if matched else 1.0,
        "seconds": round(elapsed, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--enterprise", action="store_true")
    parser.add_argument("--db", help="an existing database with the addons installed (kept; the run is rolled back)")
    opts = parser.parse_args()
    if opts.enterprise and "enterprise" not in addons_path(enterprise=True):
        print(json.dumps({"skipped": "Enterprise addons are not on this machine"}))
        return
    name = opts.db or f"bank_reconcile_bench_{os.getpid()}"
    if not opts.db:
        create_database(name, opts.enterprise)
    try:
        import odoo
        from odoo.modules.registry import Registry

        odoo.tools.config.parse_config([f"--addons-path={addons_path(opts.enterprise)}", "-d", name])
        with Registry(name).cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            result = score(env, opts.size, opts.enterprise)
            cr.rollback()
    finally:
        if not opts.db:
            subprocess.run(["dropdb", "--if-exists", name], check=False)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
