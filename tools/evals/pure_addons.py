"""Our addons' pure services, importable by an evaluation without Odoo.

An addon's ``__init__`` imports Odoo; its ``services`` package does not.  Registering the
addon as a bare package (its folder as ``__path__``, no ``__init__`` run) lets
``from fusion_accounting.services import ...`` work in a plain Python, as the pure suite does.
"""

import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def register(*addons):
    """Make each addon importable as a bare package (idempotent)."""
    for name in addons:
        if name not in sys.modules:
            package = types.ModuleType(name)
            package.__path__ = [str(ROOT / name)]
            sys.modules[name] = package
