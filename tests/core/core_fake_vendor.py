"""The local vendor server of the wire tests, shared with the Odoo tests.

It lives in ``fusion_accounting_core/tests/fake_vendor.py`` (standard library
only) and is loaded here by path: importing it as a package module would run
that package's ``__init__``, which needs Odoo.
"""

import importlib.util
import sys
from pathlib import Path

_NAME = "fusion_fake_vendor"
_PATH = Path(__file__).resolve().parents[2] / "fusion_accounting_core" / "tests" / "fake_vendor.py"

if _NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_NAME, _PATH)
    sys.modules[_NAME] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[_NAME])

_module = sys.modules[_NAME]
FakeVendor = _module.FakeVendor
Received = _module.Received
Reply = _module.Reply
anthropic_message = _module.anthropic_message
anthropic_tool_use = _module.anthropic_tool_use
chat_body = _module.chat_body
responses_body = _module.responses_body
responses_call = _module.responses_call
responses_text = _module.responses_text
