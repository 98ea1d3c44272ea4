"""``make setup``'s Odoo part: use the Odoo 19 that is there, or provision one in the checkout.

An Odoo the user points at (``PYTHON`` or ``ODOO_PATH`` given to make) or that
``python3`` already imports is used as it is: only our own requirements are
installed into that interpreter, Odoo itself is never touched.

Otherwise Odoo 19 Community is provisioned, the way integrators' tools do it:

- its source goes to ``.odoo/src`` (git-ignored), from ``ODOO_SOURCE``: by
  default a shallow clone of the official ``19.0`` branch; a local source tree,
  a ``.tar.gz`` or another git URL (a mirror, an offline install) work too;
- modules under Odoo's proprietary licences (OEEL-1, OPL-1) and the modules
  depending on them are moved to ``.odoo/enterprise``, off the default addons
  path: with them there, installing ``account`` silently pulls in Enterprise;
- Odoo Enterprise itself is cloned to ``.odoo/enterprise`` when the user can
  reach it (``ODOO_ENTERPRISE_SOURCE``, by default the official private
  repository); it is optional and only the coexistence tests use it;
- a virtual environment ``.venv`` gets Odoo's requirements and ours, and a
  ``.pth`` file that makes ``import odoo`` find ``.odoo/src``; the Makefile then
  uses ``.venv/bin/python`` for every target.

Every step leaves a marker and is skipped when its inputs have not changed,
so a second ``make setup`` does nothing.
"""

import argparse
import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_DIR = ROOT / ".odoo"
SOURCE_DIR = ODOO_DIR / "src"
ENTERPRISE_DIR = ODOO_DIR / "enterprise"
MARKER = ODOO_DIR / "provisioned.json"
VENV = ROOT / ".venv"
OFFICIAL_SOURCE = "https://github.com/odoo/odoo.git"
OFFICIAL_ENTERPRISE = "https://github.com/odoo/enterprise.git"
BRANCH = "19.0"
PROPRIETARY_LICENCES = ("OEEL-1", "OPL-1")
# Odoo pins its requirements per Debian/Ubuntu Python.  Some of its Python 3.11
# pins are source-only releases that no longer build with current setuptools;
# the pins it chose for Ubuntu Noble's 3.12 all have wheels for 3.11 too.
FALLBACK_PYTHON = "3.12"


class SetupError(Exception):
    """A step that cannot go on; its message says what to do."""


def say(message):
    print(f"setup: {message}", flush=True)


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, **kwargs)


def odoo_major(python, env=None):
    """Odoo's major version importable by ``python``, or None."""
    code = "import odoo.release as r; print(r.version_info[0])"
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False, env=env)
    return int(done.stdout) if done.returncode == 0 and done.stdout.strip().isdigit() else None


def tree_version(tree):
    """Odoo's major version of a source tree, read from ``odoo/release.py`` without importing it."""
    release = Path(tree) / "odoo" / "release.py"
    if not release.is_file():
        return None
    for node in ast.parse(release.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "version_info" for t in node.targets):
            major = node.value.elts[0]  # (MAJOR, MINOR, MICRO, RELEASE_LEVEL, ...): only MAJOR is a literal
            return major.value if isinstance(major, ast.Constant) else None
    return None


def source_root(folder):
    """The folder holding ``odoo/release.py``: ``folder`` itself or its one top-level child (archives)."""
    folder = Path(folder)
    if tree_version(folder) is not None:
        return folder
    children = [child for child in folder.iterdir() if child.is_dir()]
    if len(children) == 1 and tree_version(children[0]) is not None:
        return children[0]
    raise SetupError(f"no Odoo source tree (odoo/release.py) in {folder}")


def git_clone(url, target, branch=BRANCH):
    # No prompt for credentials: a private repository one cannot reach must fail, not wait.
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    cmd = ["git", "clone", "--quiet", "--depth", "1", "--branch", branch, "--single-branch", url, str(target)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SetupError(f"git clone {url} ({branch}) failed: {done.stderr.strip().splitlines()[-1:]}")


def fetch_source(source, target):
    """Put the Odoo source named by ``source`` (folder, .tar.gz or git URL) at ``target``."""
    with tempfile.TemporaryDirectory(dir=ODOO_DIR) as scratch_name:
        scratch = Path(scratch_name)
        local = Path(source).expanduser()
        if local.is_dir():
            say(f"copying the Odoo source tree {local}")
            root = source_root(local)
            shutil.copytree(root, scratch / "tree", symlinks=True, ignore=shutil.ignore_patterns(".git", "__pycache__"))
        elif local.is_file() and source.endswith((".tar.gz", ".tgz")):
            say(f"unpacking {local}")
            with tarfile.open(local) as archive:
                archive.extractall(scratch / "unpacked", filter="data")
            shutil.move(source_root(scratch / "unpacked"), scratch / "tree")
        else:
            say(f"cloning {source} (branch {BRANCH}, shallow)")
            git_clone(source, scratch / "tree")
        version = tree_version(scratch / "tree")
        if version != 19:
            raise SetupError(f"{source} holds Odoo {version}, not Odoo 19")
        if target.exists():
            shutil.rmtree(target)
        shutil.move(scratch / "tree", target)


def manifests(addons):
    found = {}
    for manifest in Path(addons).glob("*/__manifest__.py"):
        found[manifest.parent.name] = ast.literal_eval(manifest.read_text(encoding="utf-8"))
    return found


def split_proprietary(addons, target):
    """Move proprietary modules, and every module depending on one, from ``addons`` to ``target``."""
    found = manifests(addons)
    moving = {name for name, manifest in found.items() if manifest.get("license") in PROPRIETARY_LICENCES}
    grew = True
    while grew:
        dependents = {n for n, m in found.items() if n not in moving and set(m.get("depends", ())) & moving}
        moving |= dependents
        grew = bool(dependents)
    if moving:
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(moving):
            shutil.move(str(Path(addons) / name), str(target / name))
        say(f"{len(moving)} proprietary modules kept off the addons path, in {target}")


def fetch_enterprise(marker):
    """Optional: clone Odoo Enterprise for the coexistence tests, when the user can reach it."""
    if ENTERPRISE_DIR.exists() or "enterprise" in marker:
        return
    source = os.environ.get("ODOO_ENTERPRISE_SOURCE") or OFFICIAL_ENTERPRISE
    try:
        with tempfile.TemporaryDirectory(dir=ODOO_DIR) as scratch:
            git_clone(source, Path(scratch) / "enterprise")
            shutil.move(Path(scratch) / "enterprise", ENTERPRISE_DIR)
        marker["enterprise"] = source
        say(f"Odoo Enterprise (optional) cloned to {ENTERPRISE_DIR.relative_to(ROOT)}, off the default addons path")
    except SetupError:
        marker["enterprise"] = None
        say("Odoo Enterprise (optional) is not reachable from here: the Enterprise coexistence tests will be skipped")


def digest(*files):
    sha = hashlib.sha256()
    for path in files:
        sha.update(Path(path).read_bytes())
    return sha.hexdigest()


def pinned_for(requirements, python_version, python):
    """Odoo's requirements with their markers evaluated as for ``python_version``."""
    code = (
        "import sys\n"
        "from pip._vendor.packaging.requirements import Requirement\n"
        "env = {'python_version': sys.argv[2], 'python_full_version': sys.argv[2] + '.0'}\n"
        "for line in open(sys.argv[1], encoding='utf-8'):\n"
        "    text = line.split('#')[0].strip()\n"
        "    if not text: continue\n"
        "    req = Requirement(text)\n"
        "    if req.marker is None or req.marker.evaluate(env):\n"
        "        req.marker = None\n"
        "        print(req)\n"
    )
    done = run([python, "-c", code, str(requirements), python_version], capture_output=True, text=True)
    pinned = ODOO_DIR / f"requirements-py{python_version}.txt"
    pinned.write_text(done.stdout, encoding="utf-8")
    return pinned


def pip_install(python, requirements, quiet=False):
    """Install a requirements file; ``quiet`` keeps pip's output unless it fails at the last try."""
    cmd = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(requirements)]
    return subprocess.run(cmd, check=False, capture_output=quiet).returncode == 0


def provision_venv():
    python = str(VENV / "bin" / "python")
    if not Path(python).exists():
        say(f"creating the virtual environment {VENV.relative_to(ROOT)}")
        run([sys.executable, "-m", "venv", str(VENV)])
    odoo_requirements = SOURCE_DIR / "requirements.txt"
    ours = ROOT / "requirements.txt"
    stamp = VENV / ".fusion-requirements"
    wanted = digest(odoo_requirements, ours)
    if not stamp.exists() or stamp.read_text() != wanted:
        say("installing Odoo's requirements and ours into the virtual environment")
        if not pip_install(python, odoo_requirements, quiet=True):
            say(f"Odoo's pins for this Python did not install; using those it sets for Python {FALLBACK_PYTHON}")
            if not pip_install(python, pinned_for(odoo_requirements, FALLBACK_PYTHON, python)):
                raise SetupError("Odoo's requirements did not install (see pip's messages above)")
        if not pip_install(python, ours):
            raise SetupError("requirements.txt did not install (see pip's messages above)")
        stamp.write_text(wanted)
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "fusion-odoo-source.pth").write_text(f"{SOURCE_DIR}\n", encoding="utf-8")
    if odoo_major(python) != 19:
        raise SetupError(f"{python} cannot import the provisioned Odoo 19")
    return python


def provision():
    ODOO_DIR.mkdir(exist_ok=True)
    marker = json.loads(MARKER.read_text()) if MARKER.exists() else {}
    source = os.environ.get("ODOO_SOURCE") or marker.get("source") or OFFICIAL_SOURCE
    if marker.get("source") != source or tree_version(SOURCE_DIR) != 19:
        fetch_source(source, SOURCE_DIR)
        split_proprietary(SOURCE_DIR / "odoo" / "addons", ENTERPRISE_DIR)
        marker = {"source": source}
        MARKER.write_text(json.dumps(marker))
    else:
        say(f"Odoo 19 source already in {SOURCE_DIR.relative_to(ROOT)} (from {source})")
    fetch_enterprise(marker)
    MARKER.write_text(json.dumps(marker))
    python = provision_venv()
    say(f"Odoo 19 Community ready: {Path(python).relative_to(ROOT)} imports it; make uses it from now on")


def use_existing(python):
    env = dict(os.environ)
    if env.get("ODOO_PATH"):
        env["PYTHONPATH"] = os.pathsep.join(p for p in (env["ODOO_PATH"], env.get("PYTHONPATH")) if p)
    major = odoo_major(python, env)
    if major != 19:
        where = f"ODOO_PATH={env['ODOO_PATH']}" if env.get("ODOO_PATH") else python
        raise SetupError(f"no Odoo 19 importable through {where} (found: {major})")
    through = " with ODOO_PATH" if env.get("ODOO_PATH") else ""
    say(f"using the Odoo 19 of {python}{through}; installing our requirements")
    if not pip_install(python, ROOT / "requirements.txt"):
        raise SetupError("requirements.txt did not install (see pip's messages above)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", required=True, help="the interpreter make uses")
    parser.add_argument("--given", action="store_true", help="PYTHON was given by the user")
    opts = parser.parse_args()
    try:
        if opts.given or os.environ.get("ODOO_PATH"):
            use_existing(opts.python)
        elif tree_version(SOURCE_DIR) != 19 and odoo_major(opts.python) == 19 and not os.environ.get("ODOO_SOURCE"):
            use_existing(opts.python)
        else:
            provision()
    except (SetupError, subprocess.CalledProcessError, OSError) as error:
        say(f"FAILED: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
