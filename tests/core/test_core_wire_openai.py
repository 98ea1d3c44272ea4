"""OpenAI providers against a local server: Responses API and Chat Completions (Ollama/vLLM)."""

import json

import pytest
from core_fake_vendor import (
    FakeVendor,
    Reply,
    chat_body,
    responses_body,
    responses_call,
    responses_text,
)

from fusion_accounting_core.services.providers import (
    Message,
    ModelRequest,
    ProviderAuthError,
    ProviderConfig,
    ProviderConfigError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    ToolDefinition,
    ToolResult,
    Usage,
    build_provider,
)

KEY = "sk-proj-test-SECRET-0123456789"
TOOLS = (ToolDefinition("get_ar_aging", "AR aging.", {"type": "object", "properties": {}}),)
ERROR_500 = {"error": {"message": "oops", "type": "server_error"}}


@pytest.fixture
def vendor():
    with FakeVendor() as server:
        yield server


def responses_provider(vendor, timeout=5.0, sleeps=None):
    config = ProviderConfig(model="gpt-test", api_key=KEY, base_url=vendor.url + "/v1", timeout=timeout)
    return build_provider("openai", config, sleep=(sleeps.append if sleeps is not None else lambda s: None))


def chat_provider(vendor, timeout=5.0):
    config = ProviderConfig(model="llama-test", base_url=vendor.url + "/v1", timeout=timeout)
    return build_provider("openai_compatible", config, sleep=lambda s: None)


def request(*messages):
    return ModelRequest("You are Fusion.", messages or (Message.user("aging?"),), TOOLS)


# --- Responses API -------------------------------------------------------------


def test_responses_single_call_store_false_and_cached_usage(vendor):
    usage = {
        "input_tokens": 1000,
        "output_tokens": 20,
        "total_tokens": 1020,
        "input_tokens_details": {"cached_tokens": 800},
        "output_tokens_details": {"reasoning_tokens": 0},
    }
    vendor.queue(Reply(body=responses_body(responses_call("call_1", "get_ar_aging", '{"top": 5}'), usage=usage)))
    response = responses_provider(vendor).complete(request())
    (call,) = response.message.tool_calls
    assert (call.id, call.name, call.arguments) == ("call_1", "get_ar_aging", {"top": 5})
    # OpenAI counts cached input inside input_tokens; normalised to "billed at full price" + cache read
    assert response.usage == Usage(input_tokens=200, output_tokens=20, cache_read_tokens=800)
    sent = vendor.received[0]
    assert sent.path == "/v1/responses"
    assert sent.body["store"] is False
    assert sent.body["instructions"] == "You are Fusion."
    assert sent.body["tools"][0]["type"] == "function" and sent.body["tools"][0]["name"] == "get_ar_aging"


def test_responses_parallel_calls_and_function_call_output(vendor):
    vendor.queue(
        Reply(
            body=responses_body(responses_call("c1", "get_ar_aging", "{}"), responses_call("c2", "get_ar_aging", "{}"))
        ),
        Reply(body=responses_body(responses_text("Done."))),
    )
    p = responses_provider(vendor)
    first = p.complete(request())
    assert [c.id for c in first.message.tool_calls] == ["c1", "c2"]
    results = Message.tool_results(ToolResult("c1", "get_ar_aging", "A"), ToolResult("c2", "get_ar_aging", "B"))
    assert p.complete(request(Message.user("aging?"), first.message, results)).message.text == "Done."
    items = vendor.received[1].body["input"]
    assert items[0] == {"role": "user", "content": "aging?"}
    assert [i.get("type") for i in items[1:]] == [
        "function_call",
        "function_call",
        "function_call_output",
        "function_call_output",
    ]
    assert items[3] == {"type": "function_call_output", "call_id": "c1", "output": "A"}


def test_responses_429_then_success(vendor):
    vendor.queue(Reply(429, {"error": {"message": "slow"}}), Reply(body=responses_body(responses_text("ok"))))
    sleeps = []
    assert responses_provider(vendor, sleeps=sleeps).complete(request()).message.text == "ok"
    assert sleeps == [1.0]


def test_responses_500_ends_as_message(vendor):
    vendor.queue(*[Reply(500, ERROR_500)] * 3)
    with pytest.raises(ProviderUnavailable, match="HTTP 500"):
        responses_provider(vendor).complete(request())
    assert len(vendor.received) == 3


def test_responses_timeout(vendor):
    vendor.queue(*[Reply(body=responses_body(), delay=1.0)] * 3)
    with pytest.raises(ProviderTimeout):
        responses_provider(vendor, timeout=0.2).complete(request())


@pytest.mark.parametrize("garbled", ['{"top": 5', "[1, 2]", "not json at all"])
def test_responses_malformed_arguments(vendor, garbled):
    vendor.queue(Reply(body=responses_body(responses_call("c1", "get_ar_aging", garbled))))
    (call,) = responses_provider(vendor).complete(request()).message.tool_calls
    assert call.arguments == {} and call.parse_error


def test_responses_key_not_in_error(vendor):
    vendor.queue(Reply(401, {"error": {"message": f"Incorrect API key provided: {KEY}"}}))
    with pytest.raises(ProviderAuthError) as caught:
        responses_provider(vendor).complete(request())
    assert KEY not in str(caught.value)


def test_rate_limited_error_carries_no_key_either(vendor):
    vendor.queue(*[Reply(429, {"error": {"message": f"key {KEY} over quota"}})] * 3)
    with pytest.raises(RateLimited) as caught:
        responses_provider(vendor).complete(request())
    assert KEY not in str(caught.value)


# --- Chat Completions (OpenAI-compatible servers) --------------------------------


def test_chat_single_call_usage(vendor):
    usage = {
        "prompt_tokens": 50,
        "completion_tokens": 9,
        "total_tokens": 59,
        "prompt_tokens_details": {"cached_tokens": 30},
    }
    vendor.queue(Reply(body=chat_body(tool_calls=[("call_1", "get_ar_aging", '{"top": 3}')], usage=usage)))
    response = chat_provider(vendor).complete(request())
    assert response.message.tool_calls[0].arguments == {"top": 3}
    assert response.usage == Usage(input_tokens=20, output_tokens=9, cache_read_tokens=30)
    sent = vendor.received[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.body["messages"][0] == {"role": "system", "content": "You are Fusion."}
    assert sent.body["tools"][0]["function"]["name"] == "get_ar_aging"


def test_chat_parallel_calls_and_tool_messages(vendor):
    vendor.queue(
        Reply(body=chat_body(tool_calls=[("a", "get_ar_aging", "{}"), ("b", "get_ar_aging", "{}")])),
        Reply(body=chat_body(content="Done.")),
    )
    p = chat_provider(vendor)
    first = p.complete(request())
    results = Message.tool_results(ToolResult("a", "get_ar_aging", "1"), ToolResult("b", "get_ar_aging", "2"))
    assert p.complete(request(Message.user("aging?"), first.message, results)).message.text == "Done."
    wire = vendor.received[1].body["messages"]
    assert [m["role"] for m in wire] == ["system", "user", "assistant", "tool", "tool"]
    assert [c["id"] for c in wire[2]["tool_calls"]] == ["a", "b"]
    assert json.loads(wire[2]["tool_calls"][0]["function"]["arguments"]) == {}
    assert wire[3] == {"role": "tool", "tool_call_id": "a", "content": "1"}


def test_chat_malformed_arguments_and_500(vendor):
    vendor.queue(Reply(body=chat_body(tool_calls=[("a", "get_ar_aging", "{oops")])), *[Reply(500, ERROR_500)] * 3)
    p = chat_provider(vendor)
    assert p.complete(request()).message.tool_calls[0].parse_error
    with pytest.raises(ProviderUnavailable, match="HTTP 500"):
        p.complete(request())


def test_chat_timeout(vendor):
    vendor.queue(*[Reply(body=chat_body(content="late"), delay=1.0)] * 3)
    with pytest.raises(ProviderTimeout):
        chat_provider(vendor, timeout=0.2).complete(request())


def test_chat_needs_a_base_url():
    with pytest.raises(ProviderConfigError, match="base URL"):
        build_provider("openai_compatible", ProviderConfig(model="m"))
