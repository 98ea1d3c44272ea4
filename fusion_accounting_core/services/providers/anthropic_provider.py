"""Claude through the official ``anthropic`` SDK (Messages API with tools).

Tool definitions and the system prompt carry ``cache_control`` so a long turn
re-reads them from the prompt cache; results of parallel calls go back in one
user message, as the API requires.
"""

import json

import anthropic

from .base import Provider
from .messages import Message, ModelResponse, TextBlock, ToolCall, ToolResult, Usage
from .sdk_errors import from_sdk_error, unreadable

VENDOR = "Claude (Anthropic)"
_CACHE = {"type": "ephemeral"}


def _block_to_wire(block):
    if isinstance(block, TextBlock):
        return {"type": "text", "text": block.text}
    if isinstance(block, ToolCall):
        return {"type": "tool_use", "id": block.id, "name": block.name, "input": block.arguments}
    if isinstance(block, ToolResult):
        return {
            "type": "tool_result",
            "tool_use_id": block.call_id,
            "content": block.content,
            "is_error": block.is_error,
        }
    raise TypeError(f"unknown block {block!r}")


def messages_to_wire(messages):
    """Anthropic ``messages``: tool results are user content; same-role neighbours are merged."""
    wire = []
    for message in messages:
        role = "assistant" if message.role == "assistant" else "user"
        content = [_block_to_wire(block) for block in message.blocks]
        if wire and wire[-1]["role"] == role:
            wire[-1]["content"].extend(content)
        else:
            wire.append({"role": role, "content": content})
    return wire


def tools_to_wire(tools):
    wire = [{"name": t.name, "description": t.description, "input_schema": t.parameters} for t in tools]
    if wire:  # one breakpoint after the last tool caches the whole list
        wire[-1] = {**wire[-1], "cache_control": _CACHE}
    return wire


def _call_from_wire(block):
    arguments, error = block.input, ""
    if isinstance(arguments, str):  # some proxies pass the raw JSON text through
        try:
            arguments = json.loads(arguments)
        except ValueError:
            arguments, error = {}, "the arguments were not valid JSON"
    if not isinstance(arguments, dict):
        arguments, error = {}, "the arguments were not a JSON object"
    return ToolCall(id=block.id, name=block.name, arguments=arguments, parse_error=error)


def response_from_wire(response):
    blocks = []
    for block in response.content or ():
        if block.type == "text":
            blocks.append(TextBlock(block.text))
        elif block.type == "tool_use":
            blocks.append(_call_from_wire(block))
    usage = response.usage
    return ModelResponse(
        message=Message.assistant(*blocks),
        usage=Usage(
            input_tokens=usage.input_tokens or 0,
            output_tokens=usage.output_tokens or 0,
            cache_read_tokens=getattr(usage, "cache_read_input_tokens", None) or 0,
            cache_write_tokens=getattr(usage, "cache_creation_input_tokens", None) or 0,
        ),
        model=response.model or "",
        stop_reason=response.stop_reason or "",
    )


class AnthropicProvider(Provider):
    label = "claude"

    def __init__(self, config, client=None):
        self.model = config.model
        self._secrets = (config.api_key,)
        self._client = client or anthropic.Anthropic(
            api_key=config.api_key,
            base_url=config.base_url or None,
            timeout=config.timeout,
            max_retries=0,  # retry.py owns retries, with an injectable clock
        )

    def complete(self, request):
        kwargs = {
            "model": self.model,
            "max_tokens": request.max_tokens,
            "messages": messages_to_wire(request.messages),
            "system": [{"type": "text", "text": request.system, "cache_control": _CACHE}],
        }
        if request.tools:
            kwargs["tools"] = tools_to_wire(request.tools)
        try:
            response = self._client.messages.create(**kwargs)
            return response_from_wire(response)
        except anthropic.AnthropicError as exc:
            raise from_sdk_error(exc, anthropic, vendor=VENDOR, secrets=self._secrets) from None
        except (AttributeError, TypeError, ValueError) as exc:
            raise unreadable(VENDOR, exc) from None
