"""Doctests of the pure modules are part of the specification: run them all."""

import doctest
import importlib
import pkgutil

import pytest
from conftest import ADDONS, ROOT

PURE_PACKAGES = [f"{addon}.services" for addon in ADDONS if (ROOT / addon / "services").is_dir()]


def _pure_modules():
    for package_name in PURE_PACKAGES:
        package = importlib.import_module(package_name)
        yield package_name
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            yield info.name


@pytest.mark.parametrize("module_name", list(_pure_modules()))
def test_module_doctests(module_name):
    module = importlib.import_module(module_name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
