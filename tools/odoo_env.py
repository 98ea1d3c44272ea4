"""Where Odoo 19 is on this machine, and how to start it.

Odoo is found either through ``ODOO_PATH`` (a source tree holding ``odoo/``)
or as an ``odoo`` package importable by the running interpreter.  Nothing here
names a machine-specific location.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("fusion_accounting_core", "fusion_accounting", "fusion_accounting_followup")


def odoo_env():
    """Environment for a child Python that must import Odoo."""
    env = dict(os.environ)
    odoo_path = env.get("ODOO_PATH")
    if odoo_path:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (odoo_path, env.get("PYTHONPATH")) if p)
    return env


def probe():
    """Return Odoo's version string when a 19.x is importable, else None."""
    code = "import odoo.release as r; assert r.version_info[0] == 19, r.version; print(r.version)"
    done = subprocess.run([sys.executable, "-c", code], env=odoo_env(), capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def odoo_addons_dirs():
    """Every directory holding Odoo's own (Community) addons."""
    code = "import os, odoo.addons as a; print(','.join(p for p in a.__path__ if os.path.isdir(p)))"
    done = subprocess.run([sys.executable, "-c", code], env=odoo_env(), capture_output=True, text=True, check=True)
    return list(dict.fromkeys(p for p in done.stdout.strip().split(",") if p))


def enterprise_dir():
    """Odoo Enterprise's addons, when this machine has them.

    ``ODOO_ENTERPRISE_PATH`` names them; otherwise the usual developer layout is
    tried: an ``enterprise`` directory beside the Odoo source tree.  Enterprise
    modules are kept off the default addons path because several are
    auto_install: with them there, installing ``account`` silently pulls in
    ``account_accountant`` and friends, and the database is no longer Community.
    """
    candidates = [os.environ.get("ODOO_ENTERPRISE_PATH", "")]
    candidates += [str(Path(d).parent.parent.parent / "enterprise") for d in odoo_addons_dirs()]
    for candidate in candidates:
        if candidate and (Path(candidate) / "account_followup" / "__manifest__.py").is_file():
            return candidate
    return None


def addons_path(enterprise=False):
    """Our repository plus Odoo's addons: Community only unless ``enterprise``."""
    extra = [enterprise_dir()] if enterprise and enterprise_dir() else []
    return ",".join([str(ROOT), *odoo_addons_dirs(), *extra])


def module_available(name, path=None):
    """True when a module's manifest is on the addons path."""
    return any((Path(p) / name / "__manifest__.py").is_file() for p in (path or addons_path()).split(","))


def db_args():
    """Connection flags from the usual libpq variables, so CI and users can point elsewhere."""
    args = []
    for var, flag in (("PGHOST", "--db_host"), ("PGPORT", "--db_port"), ("PGUSER", "--db_user")):
        if os.environ.get(var):
            args.append(f"{flag}={os.environ[var]}")
    return args


def odoo_command(*args, data_dir=None, subcommand=None, enterprise=False):
    """The argv that starts Odoo's CLI (the server unless ``subcommand``) with our addons path."""
    cmd = [sys.executable, "-m", "odoo", *([subcommand] if subcommand else [])]
    cmd += [f"--addons-path={addons_path(enterprise)}", *db_args()]
    if data_dir:
        cmd.append(f"--data-dir={data_dir}")
    return cmd + list(args)
