"""``make run``: a demo company in a local Odoo on http://127.0.0.1:8069 (``--port`` to change).

Creates (or reuses) the database with the three addons and the Canadian chart,
fills it with the demo company when the generator is present, then starts the
server in the foreground.
"""

import argparse
import os
import subprocess
import sys

from odoo_env import ADDONS, ROOT, odoo_command, odoo_env, probe


def database_exists(name):
    done = subprocess.run(
        ["psql", "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() == "1"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="fusion_demo")
    parser.add_argument("--size", default="small")
    parser.add_argument("--seed", default="42")
    parser.add_argument("--port", type=int, default=8069)
    opts = parser.parse_args()
    if not opts.db.replace("_", "").isalnum():
        sys.exit("--db takes letters, digits and underscores")
    if not probe():
        sys.exit("Odoo 19 is not importable: run `make setup` first (or set ODOO_PATH or PYTHON, see README.md)")

    if not database_exists(opts.db):
        print(f"Creating database {opts.db} (about two minutes)...")
        install = ",".join((*ADDONS, "l10n_ca"))
        subprocess.run(
            odoo_command("-d", opts.db, "-i", install, "--with-demo", "--stop-after-init", "--no-http"),
            env=odoo_env(),
            check=True,
        )
    generator = ROOT / "tools" / "demo_data.py"
    if generator.exists():
        subprocess.run(
            [sys.executable, str(generator), "--size", opts.size, "--db", opts.db, "--seed", opts.seed],
            env=odoo_env(),
            check=True,
        )
    print(f"\nFusion Accounting demo: http://127.0.0.1:{opts.port}/odoo  (login admin, password admin)\n", flush=True)
    cmd = odoo_command(
        "-d", opts.db, "--http-interface=127.0.0.1", f"--http-port={opts.port}", f"--db-filter=^{opts.db}$"
    )
    os.execvpe(cmd[0], cmd, odoo_env())


if __name__ == "__main__":
    main()
