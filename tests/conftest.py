"""Pure suite bootstrap: load the addons' pure sub-packages without Odoo.

Each addon directory is registered in ``sys.modules`` as a bare package whose
``__init__`` is *not* executed (that ``__init__`` imports models, which need
Odoo).  ``import fusion_accounting_core.services.agent`` then resolves to the
file on disk, and a pure module that (wrongly) imports ``odoo`` fails loudly
because :data:`FORBIDDEN` is checked after collection.
"""

import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("fusion_accounting_core", "fusion_accounting", "fusion_accounting_followup")
FORBIDDEN = "odoo"


def _register_bare_package(name):
    if name in sys.modules:
        return
    package = types.ModuleType(name)
    package.__path__ = [str(ROOT / name)]
    package.__package__ = name
    sys.modules[name] = package


for _addon in ADDONS:
    _register_bare_package(_addon)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_collection_finish(session):
    """The pure suite must never pull Odoo in, even when Odoo is installed."""
    leaked = sorted(m for m in sys.modules if m == FORBIDDEN or m.startswith(FORBIDDEN + "."))
    if leaked:
        raise RuntimeError(f"pure suite imported Odoo modules: {leaked[:5]}")
