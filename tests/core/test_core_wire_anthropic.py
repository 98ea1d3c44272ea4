"""Claude provider against a local server speaking the Messages API format."""

import pytest
from core_fake_vendor import FakeVendor, Reply, anthropic_message, anthropic_tool_use

from fusion_accounting_core.services.providers import (
    Message,
    ModelRequest,
    ProviderAuthError,
    ProviderConfig,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    ToolDefinition,
    ToolResult,
    Usage,
    build_provider,
)
from fusion_accounting_core.services.providers.anthropic_provider import AnthropicProvider

KEY = "sk-ant-test-SECRET-0123456789"
TOOLS = (
    ToolDefinition("get_ar_aging", "AR aging.", {"type": "object", "properties": {}}),
    ToolDefinition("get_unreconciled_bank_lines", "Bank lines.", {"type": "object", "properties": {}}),
)


@pytest.fixture
def vendor():
    with FakeVendor() as server:
        yield server


def provider(vendor, timeout=5.0, sleeps=None):
    config = ProviderConfig(model="claude-test", api_key=KEY, base_url=vendor.url, timeout=timeout)
    return build_provider("claude", config, attempts=3, sleep=(sleeps.append if sleeps is not None else lambda s: None))


def request(*messages):
    return ModelRequest("You are Fusion.", messages or (Message.user("aging?"),), TOOLS)


def test_single_tool_call_usage_and_cache_fields(vendor):
    usage = {"input_tokens": 12, "output_tokens": 7, "cache_read_input_tokens": 900, "cache_creation_input_tokens": 40}
    vendor.queue(
        Reply(
            body=anthropic_message(
                {"type": "text", "text": "Let me look."},
                anthropic_tool_use("toolu_1", "get_ar_aging", {"as_of": "2026-10-31"}),
                usage=usage,
                stop_reason="tool_use",
            )
        )
    )
    response = provider(vendor).complete(request())
    (call,) = response.message.tool_calls
    assert (call.id, call.name, call.arguments) == ("toolu_1", "get_ar_aging", {"as_of": "2026-10-31"})
    assert response.message.text == "Let me look."
    assert response.usage == Usage(input_tokens=12, output_tokens=7, cache_read_tokens=900, cache_write_tokens=40)
    sent = vendor.received[0]
    assert sent.path == "/v1/messages"
    # SDK releases differ on the header (x-api-key or a Bearer token); the key is sent either way
    assert KEY in sent.headers.get("x-api-key", sent.headers.get("authorization", ""))
    # prompt caching: the system prompt and the (last) tool carry a cache breakpoint
    assert sent.body["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert sent.body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert "cache_control" not in sent.body["tools"][0]
    assert sent.body["tools"][0]["input_schema"] == {"type": "object", "properties": {}}


def test_parallel_calls_are_answered_in_one_user_message(vendor):
    vendor.queue(
        Reply(
            body=anthropic_message(
                anthropic_tool_use("toolu_1", "get_ar_aging", {}),
                anthropic_tool_use("toolu_2", "get_unreconciled_bank_lines", {}),
                stop_reason="tool_use",
            )
        ),
        Reply(body=anthropic_message({"type": "text", "text": "All good."})),
    )
    p = provider(vendor)
    first = p.complete(request())
    assert [c.id for c in first.message.tool_calls] == ["toolu_1", "toolu_2"]
    results = Message.tool_results(
        ToolResult("toolu_1", "get_ar_aging", '{"total":1}'),
        ToolResult("toolu_2", "get_unreconciled_bank_lines", "boom", is_error=True),
    )
    second = p.complete(request(Message.user("aging?"), first.message, results))
    assert second.message.text == "All good."
    wire = vendor.received[1].body["messages"]
    assert [m["role"] for m in wire] == ["user", "assistant", "user"]
    assert [b["type"] for b in wire[1]["content"]] == ["tool_use", "tool_use"]
    assert wire[2]["content"] == [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": '{"total":1}', "is_error": False},
        {"type": "tool_result", "tool_use_id": "toolu_2", "content": "boom", "is_error": True},
    ]


def test_rate_limit_then_success_waits_as_told(vendor):
    vendor.queue(
        Reply(429, {"type": "error", "error": {"type": "rate_limit_error", "message": "slow"}}, {"retry-after": "3"}),
        Reply(body=anthropic_message({"type": "text", "text": "ok"})),
    )
    sleeps = []
    assert provider(vendor, sleeps=sleeps).complete(request()).message.text == "ok"
    assert sleeps == [3.0]
    assert len(vendor.received) == 2


def test_rate_limit_every_time_ends_as_a_clear_message(vendor):
    vendor.queue(*[Reply(429, {"type": "error", "error": {"type": "rate_limit_error", "message": "x"}})] * 3)
    sleeps = []
    with pytest.raises(RateLimited, match="rate limiting"):
        provider(vendor, sleeps=sleeps).complete(request())
    assert sleeps == [1.0, 2.0]  # exponential backoff, bounded to 3 attempts


def test_server_error_is_retried_then_reported(vendor):
    vendor.queue(*[Reply(500, {"type": "error", "error": {"type": "api_error", "message": "oops"}})] * 3)
    with pytest.raises(ProviderUnavailable, match=r"server error \(HTTP 500\)") as caught:
        provider(vendor).complete(request())
    assert len(vendor.received) == 3
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_timeout(vendor):
    vendor.queue(*[Reply(body=anthropic_message(), delay=1.0)] * 3)
    with pytest.raises(ProviderTimeout, match="did not answer in time"):
        provider(vendor, timeout=0.2).complete(request())


def test_malformed_tool_arguments_become_a_parse_error(vendor):
    vendor.queue(Reply(body=anthropic_message(anthropic_tool_use("toolu_1", "get_ar_aging", "{not json"))))
    (call,) = provider(vendor).complete(request()).message.tool_calls
    assert call.arguments == {} and "not valid JSON" in call.parse_error


@pytest.mark.parametrize("status", [401, 400])
def test_api_key_never_appears_in_errors(vendor, status):
    vendor.queue(Reply(status, {"type": "error", "error": {"type": "x", "message": f"bad key {KEY}"}}))
    with pytest.raises(Exception) as caught:
        provider(vendor).complete(request())
    if status == 401:
        assert isinstance(caught.value, ProviderAuthError)
    assert KEY not in str(caught.value) and KEY not in repr(caught.value)
    assert caught.value.__cause__ is None


def test_key_not_in_provider_repr(vendor):
    p = AnthropicProvider(ProviderConfig(model="m", api_key=KEY, base_url=vendor.url))
    assert KEY not in repr(p) and KEY not in repr(ProviderConfig(api_key=KEY))
