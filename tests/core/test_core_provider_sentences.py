"""The offline provider and the provider status say every sentence through ``say``, by key.

The Odoo adapter (``models/provider_sentences.py``) writes each sentence once more inside
``_lt()`` for translators: read without Odoo (its source), it must hold the same keys and the
very same English, or a translation would be looked up under a text nobody says.
"""

import ast
import re

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_core.services.providers import offline, status
from fusion_accounting_core.services.providers.messages import (
    Message,
    ModelRequest,
    ToolDefinition,
    ToolResult,
)
from fusion_accounting_core.services.providers.offline import OfflineProvider
from fusion_accounting_core.services.providers.status import provider_status

ADAPTER = ROOT / "fusion_accounting_core" / "models" / "provider_sentences.py"


def _adapter_sentences():
    tree = ast.parse(ADAPTER.read_text())
    (table,) = (
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["SENTENCES"]
    )
    sentences = {}
    for key, value in zip(table.keys, table.values, strict=True):
        assert isinstance(value, ast.Call) and value.func.id == "_lt", f"{key.value}: not inside _lt()"
        sentences[key.value] = ast.literal_eval(value.args[0])
    return sentences


def test_the_adapter_translates_exactly_the_sentences_the_pure_modules_say():
    pure = {**offline.SENTENCES, **status.SENTENCES}
    assert len(pure) == len(offline.SENTENCES) + len(status.SENTENCES), "a key is used once"
    assert _adapter_sentences() == pure


def tagged(key, **params):
    """A ``say`` that shows which sentence was said: any English outside it leaked past the translator."""
    return f"<{key}{sorted(params)}>"


TOOLS = (
    ToolDefinition("get_ar_aging", "AR aging buckets.", {}),
    ToolDefinition("get_ap_aging", "AP aging buckets.", {}),
)


def reply_text(provider, *messages):
    return provider.complete(ModelRequest("", messages, TOOLS)).message.text


@pytest.mark.parametrize(
    "text",
    ["How much do customers owe?", "/nothing", "/tool", "/tool nothing", "/aging", "/ar_aging {oops", "/ar_aging [1]"],
)
def test_every_offline_sentence_goes_through_say(text):
    said = reply_text(OfflineProvider(say=tagged), Message.user(text))
    assert said and not re.sub(r"<[a-z_]+\[[a-z_', ]*\]>|\s", "", said), said


def test_results_and_the_status_go_through_say():
    results = Message("tool", (ToolResult("c1", "get_ar_aging", "{}"), ToolResult("c2", "x", "boom", True)))
    assert reply_text(OfflineProvider(say=tagged), results) == "<answered['tool']>\n<failed['error', 'tool']>"
    claude = provider_status({"fusion_accounting.ai_provider": "claude"}.get, tagged)
    assert claude.message == "<no_api_key['provider']>"
    server = provider_status({"fusion_accounting.ai_provider": "openai_compatible"}.get, lambda k, **p: p or k)
    assert server.message == {"provider": "openai_compatible_name"}, "the server's name is said too"


def test_the_router_s_answers_go_through_say():
    from fusion_accounting_core.services.agent.gate import Caller
    from fusion_accounting_core.services.agent.intent_router import route
    from fusion_accounting_core.services.tools import Tier, ToolSpec

    specs = (
        ToolSpec("get_ar_aging", "Receivable aging.", "accounts_receivable", Tier.READ),
        ToolSpec("get_ap_aging", "Payable aging.", "accounts_payable", Tier.READ),
    )
    provider = OfflineProvider(status="<status>", say=tagged, router=lambda q: route(q, specs, Caller(user_id=1)))
    for question in ("What is my AR aging?", "aging"):  # one runs; a tie is offered
        said = reply_text(provider, Message.user(question))
        assert said.startswith("<status> <no_model[]>"), said
        assert not re.sub(r"(?m)<[a-z_]+\[[a-z_', ]*\]>|^- |\s", "", said.replace("<status>", "")), said


@given(st.text(max_size=60))
def test_no_question_gets_an_untranslated_sentence(text):
    said = reply_text(OfflineProvider(say=tagged, router=lambda question: ()), Message.user(text))
    assert not re.sub(r"<[a-z_]+\[[a-z_', ]*\]>|\s", "", said), said
