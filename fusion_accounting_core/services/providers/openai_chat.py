"""Chat Completions for OpenAI-compatible servers (a local Ollama or vLLM by base URL).

Local servers speak this older format far more often than the Responses API;
pointed at one, the books never leave the premises.
"""

import json

import openai

from .base import Provider
from .errors import ProviderBadResponse, ProviderConfigError
from .messages import Message, ModelResponse, TextBlock, ToolCall, ToolResult, Usage
from .openai_common import cached_tokens, call_from_json_text
from .sdk_errors import from_sdk_error, unreadable

VENDOR = "The OpenAI-compatible server"
# Local servers accept any key; the SDK refuses an empty one.
_NO_KEY = "not-needed"


def messages_to_wire(system, messages):
    """Chat ``messages``: assistant tool calls in ``tool_calls``, each result a ``tool`` message."""
    wire = [{"role": "system", "content": system}]
    for message in messages:
        if message.role == "tool":
            wire.extend(
                {"role": "tool", "tool_call_id": block.call_id, "content": block.content}
                for block in message.blocks
                if isinstance(block, ToolResult)
            )
            continue
        entry = {"role": message.role, "content": message.text or None}
        calls = [
            {"id": b.id, "type": "function", "function": {"name": b.name, "arguments": json.dumps(b.arguments)}}
            for b in message.blocks
            if isinstance(b, ToolCall)
        ]
        if calls:
            entry["tool_calls"] = calls
        wire.append(entry)
    return wire


def tools_to_wire(tools):
    return [
        {"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}
        for t in tools
    ]


def response_from_wire(response):
    if not response.choices:
        raise ProviderBadResponse(f"{VENDOR} sent an answer without choices.")
    choice = response.choices[0]
    blocks = [TextBlock(choice.message.content)] if choice.message.content else []
    blocks += [
        call_from_json_text(call.id, call.function.name, call.function.arguments)
        for call in choice.message.tool_calls or ()
    ]
    usage = response.usage
    cached = cached_tokens(usage, "prompt_tokens_details") if usage else 0
    return ModelResponse(
        message=Message.assistant(*blocks),
        usage=Usage(
            input_tokens=(usage.prompt_tokens - cached) if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
            cache_read_tokens=cached,
        ),
        model=response.model or "",
        stop_reason=choice.finish_reason or "",
    )


class OpenAIChatProvider(Provider):
    label = "openai_compatible"

    def __init__(self, config, client=None):
        if not config.base_url and client is None:
            raise ProviderConfigError("An OpenAI-compatible server needs a base URL (e.g. http://127.0.0.1:11434/v1).")
        self.model = config.model
        self._secrets = (config.api_key,)
        self._client = client or openai.OpenAI(
            api_key=config.api_key or _NO_KEY, base_url=config.base_url, timeout=config.timeout, max_retries=0
        )

    def complete(self, request):
        kwargs = {
            "model": self.model,
            "messages": messages_to_wire(request.system, request.messages),
            "max_tokens": request.max_tokens,
        }
        if request.tools:
            kwargs["tools"] = tools_to_wire(request.tools)
        try:
            return response_from_wire(self._client.chat.completions.create(**kwargs))
        except openai.OpenAIError as exc:
            raise from_sdk_error(exc, openai, vendor=VENDOR, secrets=self._secrets) from None
        except (AttributeError, TypeError, ValueError) as exc:
            raise unreadable(VENDOR, exc) from None
