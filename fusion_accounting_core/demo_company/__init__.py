"""The Canadian demo company: a pure planner, an Odoo writer and its answer key.

This package is deliberately *not* imported by the addon's ``__init__``:
installing the addon never generates data.  Use it through
``tools/demo_data.py`` or from a test::

    from odoo.addons.fusion_accounting_core.demo_company.planner import build_plan
    from odoo.addons.fusion_accounting_core.demo_company.writer import write_plan

How it works: :func:`planner.build_plan` turns ``(size, seed, today)`` into a
:class:`model.DemoPlan` made of dataclasses with amounts in integer cents (no
Odoo, no I/O).  :func:`writer.write_plan` turns that plan into records of one
new company and returns the identifiers it created; :mod:`answer_key` joins
the two into the JSON answer key.  Every module except ``writer`` is pure.
"""
