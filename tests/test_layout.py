"""The suite's shape, as the user gave it, and the Community-first rule."""

import ast

import pytest
from conftest import ADDONS, ROOT

ENTERPRISE_MODULES = {"account_accountant", "account_reports", "account_followup", "ai", "ai_app", "ai_account"}
PRODUCTS = ("fusion_accounting", "fusion_accounting_followup")


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_is_an_odoo_19_community_addon(addon):
    data = manifest(addon)
    assert data["version"].startswith("19.0.")
    assert data["license"] == "LGPL-3"
    assert not set(data["depends"]) & ENTERPRISE_MODULES, "Enterprise modules are optional, never required"


@pytest.mark.parametrize("addon", PRODUCTS)
def test_products_stand_on_the_core_not_on_each_other(addon):
    depends = set(manifest(addon)["depends"])
    assert "fusion_accounting_core" in depends
    assert not depends & (set(PRODUCTS) - {addon})


def _imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


PURE_FILES = sorted(path for addon in ADDONS for path in (ROOT / addon / "services").rglob("*.py"))


@pytest.mark.parametrize("path", PURE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_services_import_nothing_from_odoo_or_other_addons(path):
    for name in _imports(path):
        assert name.split(".")[0] not in {"odoo", *ADDONS}, f"{name} imported by a pure module"


def test_top_level_shape():
    for name in (*ADDONS, "docs", "tests", "requirements.txt", "README.md", "Makefile", ".ci/run"):
        assert (ROOT / name).exists(), name
