"""Prompt assembly, tool selection, proposal hashing, the offline provider and the provider registry."""

import pytest
from core_fake_books import MANAGER_CALLER, REGISTRY, STAFF_CALLER, Books, make_agent
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_core.services.agent import (
    Caller,
    HistoryEntry,
    OdooContext,
    RuleInstruction,
    TurnStatus,
    arguments_hash,
    build_system_prompt,
    select_tools,
)
from fusion_accounting_core.services.providers import (
    PROVIDERS,
    Message,
    ModelRequest,
    ProviderConfig,
    ProviderConfigError,
    ToolDefinition,
    ToolResult,
    build_provider,
    messages_from_json,
    messages_to_json,
)
from fusion_accounting_core.services.providers.offline import OfflineProvider
from fusion_accounting_core.services.providers.retry import RetryingProvider


def test_system_prompt_carries_rules_context_and_history():
    prompt = build_system_prompt(
        today="2026-10-31",
        context=OdooContext(page="Bank reconciliation", journal="BNK1", period="2026-10"),
        rules=(RuleInstruction("Elavon fees", "Book the ~1.6% difference to 60545."),),
        history=(HistoryEntry("reconcile_payment_to_invoice", "rejected", rejection_reason="wrong partner"),),
    )
    assert "Today is 2026-10-31." in prompt
    assert (
        '<data source="fusion_rules">[{"rule": "Elavon fees", "matching_logic": "Book the ~1.6% difference to 60545."}]'
        "</data>" in prompt
    )
    assert "- Elavon fees:" not in prompt, "a rule's logic is quoted data, never a line of instructions"
    assert (
        '<data source="odoo_context">{"page": "Bank reconciliation", "journal": "BNK1", "period": "2026-10"}' in prompt
    )
    assert '"rejection_reason": "wrong partner"' in prompt


def test_select_tools_by_domain_group_and_disabled():
    names = lambda specs: sorted(s.name for s in specs)  # noqa: E731
    assert "flag_entry" in names(select_tools(REGISTRY, caller=MANAGER_CALLER))
    assert names(select_tools(REGISTRY, caller=STAFF_CALLER, domains=("ar",))) == [
        "explode",
        "get_ar_aging",
        "get_open_invoices",
    ]
    assert "explode" not in names(select_tools(REGISTRY, caller=MANAGER_CALLER, disabled={"explode"}))
    nobody = Caller(user_id=9, groups=frozenset(), may_write=True)
    assert select_tools(REGISTRY, caller=nobody) == ()


KEYS = st.text(min_size=1, max_size=6)


@given(st.dictionaries(KEYS, st.integers() | st.text(max_size=5) | st.lists(st.integers(), max_size=3), max_size=6))
def test_arguments_hash_ignores_key_order_only(arguments):
    reordered = dict(reversed(list(arguments.items())))
    assert arguments_hash(reordered) == arguments_hash(arguments)
    changed = {**arguments, "__extra__": 1}
    assert arguments_hash(changed) != arguments_hash(arguments)


def test_messages_survive_json_storage():
    from fusion_accounting_core.services.providers import TextBlock, ToolCall

    conversation = (
        Message.user("hi"),
        Message.assistant(TextBlock("x"), ToolCall("c1", "t", {"a": 1}, parse_error="")),
        Message.tool_results(ToolResult("c1", "t", "r", is_error=True)),
    )
    assert messages_from_json(messages_to_json(conversation)) == conversation


# --- offline provider -----------------------------------------------------------

TOOLS = (ToolDefinition("get_ar_aging", "AR aging buckets.\n\nMore.", {}),)


def offline(text, tools=TOOLS):
    return OfflineProvider().complete(ModelRequest("", (Message.user(text),), tools)).message


@pytest.mark.parametrize(
    ("text", "arguments"),
    [
        ('/tool get_ar_aging {"as_of": "2026-10-31"}', {"as_of": "2026-10-31"}),
        ("/ar_aging", {}),
        ('/get_ar_aging {"top": 3}', {"top": 3}),
    ],
)
def test_offline_runs_named_tools(text, arguments):
    (tool_call,) = offline(text).tool_calls
    assert (tool_call.name, tool_call.arguments) == ("get_ar_aging", arguments)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How much do customers owe?", "No AI model is in use"),
        ("/nothing", 'no tool called "nothing"'),
        ("/tool nothing", 'no tool called "nothing"'),
        ("/ar_aging {oops", "must be a JSON object"),
        ("/ar_aging [1]", "must be a JSON object"),
        ("/tool", "Usage: /tool"),
    ],
)
def test_offline_says_plainly_what_it_can_do(text, expected):
    message = offline(text)
    assert message.tool_calls == () and expected in message.text
    assert '"tool"' not in message.text  # the command word is never taken for a tool name


def test_offline_help_is_short_not_a_wall_of_tools():
    tools = tuple(ToolDefinition(f"get_report_{n}", f"Report {n}.", {}) for n in range(95))
    text = offline("hello there", tools=tools).text
    assert len(text.splitlines()) <= 4 and "get_report_7" not in text


@pytest.mark.parametrize(
    ("text", "name"),
    [("/tool aging", "get_ar_aging"), ("/tool ar_aging", "get_ar_aging"), ("/aging", "get_ar_aging")],
)
def test_offline_tool_command_takes_part_of_a_name(text, name):
    (tool_call,) = offline(text).tool_calls
    assert tool_call.name == name


def test_offline_ambiguous_part_of_a_name_lists_the_candidates():
    tools = (*TOOLS, ToolDefinition("get_ap_aging", "AP aging.", {}))
    message = offline("/tool aging", tools=tools)
    assert message.tool_calls == () and "get_ap_aging, get_ar_aging" in message.text


def test_offline_with_no_tools_says_so():
    assert "You may not run any tool." in offline("hello", tools=()).text


def test_offline_status_says_what_is_missing():
    provider = OfflineProvider(status="Claude selected, no API key: set it in Settings.")
    text = provider.complete(ModelRequest("", (Message.user("hello"),), TOOLS)).message.text
    assert text.startswith("Claude selected, no API key: set it in Settings.")


def test_offline_end_to_end_through_the_loop():
    books = Books()
    agent = make_agent(OfflineProvider(), books)
    result = agent.run((), "/ar_aging")
    assert result.status is TurnStatus.ANSWERED
    assert result.text == "get_ar_aging answered: its result is shown above."
    assert "Acme" in result.messages[-2].blocks[0].content  # the result itself, for the panel's table


def test_offline_cannot_run_a_tier3_tool():
    books = Books()
    result = make_agent(OfflineProvider(), books).run(
        (), '/tool reconcile_payment_to_invoice {"payment_id": 1, "invoice_id": 2}'
    )
    assert books.writes == [] and result.status is TurnStatus.AWAITING_APPROVAL


# --- provider registry ------------------------------------------------------------


def test_provider_registry_by_name():
    assert sorted(PROVIDERS) == ["claude", "offline", "openai", "openai_compatible"]
    built = build_provider("openai", ProviderConfig(model="gpt", api_key="sk-xxxxxxxxxxxx"))
    assert isinstance(built, RetryingProvider) and built.label == "openai"
    assert isinstance(build_provider("offline", ProviderConfig()), OfflineProvider)
    with pytest.raises(ProviderConfigError, match="Unknown AI provider 'gemini'"):
        build_provider("gemini", ProviderConfig())
    with pytest.raises(ProviderConfigError, match="No API key"):
        build_provider("openai", ProviderConfig(model="gpt"))
