"""The demo company's pure modules are specified by their doctests too (the writer needs Odoo)."""

import doctest
import importlib

import pytest

PURE = ("model", "chart", "sizes", "payroll", "card_batches", "names", "planner", "answer_key", "totals")


@pytest.mark.parametrize("name", PURE)
def test_module_doctests(name):
    module = importlib.import_module(f"fusion_accounting_core.demo_company.{name}")
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
