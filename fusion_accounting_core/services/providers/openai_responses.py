"""OpenAI through the official ``openai`` SDK, Responses API.

``store=False`` by default: OpenAI keeps no copy of the books' data; the whole
conversation is sent each time instead of a ``previous_response_id``.
"""

import json

import openai

from .base import Provider
from .messages import Message, ModelResponse, TextBlock, ToolCall, ToolResult, Usage
from .openai_common import cached_tokens, call_from_json_text
from .sdk_errors import from_sdk_error, unreadable

VENDOR = "OpenAI"


def messages_to_wire(messages):
    """Responses ``input`` items: role messages, ``function_call`` and ``function_call_output``."""
    items = []
    for message in messages:
        for block in message.blocks:
            if isinstance(block, TextBlock):
                items.append({"role": message.role, "content": block.text})
            elif isinstance(block, ToolCall):
                arguments = json.dumps(block.arguments)
                items.append({"type": "function_call", "call_id": block.id, "name": block.name, "arguments": arguments})
            elif isinstance(block, ToolResult):
                items.append({"type": "function_call_output", "call_id": block.call_id, "output": block.content})
    return items


def tools_to_wire(tools):
    return [
        {"type": "function", "name": t.name, "description": t.description, "parameters": t.parameters, "strict": False}
        for t in tools
    ]


def response_from_wire(response):
    blocks = []
    for item in response.output or ():
        if item.type == "message":
            text = "".join(part.text for part in item.content or () if part.type == "output_text")
            if text:
                blocks.append(TextBlock(text))
        elif item.type == "function_call":
            blocks.append(call_from_json_text(item.call_id, item.name, item.arguments))
    usage = response.usage
    cached = cached_tokens(usage, "input_tokens_details") if usage else 0
    return ModelResponse(
        message=Message.assistant(*blocks),
        usage=Usage(
            input_tokens=(usage.input_tokens - cached) if usage else 0,
            output_tokens=usage.output_tokens if usage else 0,
            cache_read_tokens=cached,
        ),
        model=response.model or "",
        stop_reason=response.status or "",
    )


class OpenAIResponsesProvider(Provider):
    label = "openai"

    def __init__(self, config, client=None):
        self.model = config.model
        self._store = config.store
        self._secrets = (config.api_key,)
        self._client = client or openai.OpenAI(
            api_key=config.api_key, base_url=config.base_url or None, timeout=config.timeout, max_retries=0
        )

    def complete(self, request):
        kwargs = {
            "model": self.model,
            "instructions": request.system,
            "input": messages_to_wire(request.messages),
            "max_output_tokens": request.max_tokens,
            "store": self._store,
        }
        if request.tools:
            kwargs["tools"] = tools_to_wire(request.tools)
        try:
            return response_from_wire(self._client.responses.create(**kwargs))
        except openai.OpenAIError as exc:
            raise from_sdk_error(exc, openai, vendor=VENDOR, secrets=self._secrets) from None
        except (AttributeError, TypeError, ValueError) as exc:
            raise unreadable(VENDOR, exc) from None
