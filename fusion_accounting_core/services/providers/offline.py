"""The provider used when no model is configured: no key, no network.

It never pretends to understand free text.  It says that no model is
configured, lists the tools the user may run, and runs a tool named explicitly:

* ``/tool get_ar_aging {"as_of": "2026-10-31"}``
* ``/ar_aging`` or ``/get_ar_aging {...}`` (the ``get_`` prefix may be dropped)

>>> from .messages import Message, ModelRequest, ToolDefinition
>>> tools = (ToolDefinition("get_ar_aging", "AR aging buckets.", {}),)
>>> reply = OfflineProvider().complete(ModelRequest("", (Message.user('/ar_aging {"top": 5}'),), tools))
>>> reply.message.tool_calls[0].name, reply.message.tool_calls[0].arguments
('get_ar_aging', {'top': 5})
"""

import json
import re

from .base import Provider
from .messages import Message, ModelResponse, TextBlock, ToolCall

_COMMAND_RE = re.compile(r"^/(\w+)\s*(.*)$", re.DOTALL)
_TOOL_RE = re.compile(r"^(\w+)\s*(.*)$", re.DOTALL)


class _NonFiniteNumber(ValueError):
    """``NaN``/``Infinity`` in typed arguments: Python's JSON reads them, PostgreSQL's JSON refuses them."""


def _refuse_constant(name):
    raise _NonFiniteNumber(name)


class OfflineProvider(Provider):
    label = "offline"
    model = "offline"

    def complete(self, request):
        last = request.messages[-1] if request.messages else Message.user("")
        if last.role == "tool":
            return self._reply(self._render_results(last))
        return self._answer_command(last.text.strip(), request.tools, len(request.messages))

    def _reply(self, *blocks):
        blocks = tuple(TextBlock(b) if isinstance(b, str) else b for b in blocks)
        return ModelResponse(message=Message.assistant(*blocks), model=self.model, stop_reason="end_turn")

    def _answer_command(self, text, tools, position):
        names = {t.name for t in tools}
        match = _COMMAND_RE.match(text)
        if not match:
            return self._reply(self._help(tools))
        name, rest = match.groups()
        if name == "tool":
            inner = _TOOL_RE.match(rest.strip())
            if not inner:
                return self._reply("Usage: /tool <tool name> {JSON arguments}\n\n" + self._help(tools))
            name, rest = inner.groups()
        name = name if name in names else f"get_{name}"
        if name not in names:
            return self._reply(f"There is no tool called {match.group(1)!r} that you may run.\n\n{self._help(tools)}")
        try:
            arguments = json.loads(rest, parse_constant=_refuse_constant) if rest.strip() else {}
        except _NonFiniteNumber as error:
            return self._reply(f"The arguments must hold finite numbers: {error} is not one. Nothing was run.")
        except (ValueError, RecursionError):
            return self._reply('The arguments must be a JSON object, e.g. {"as_of": "2026-10-31"}.')
        if not isinstance(arguments, dict):
            return self._reply('The arguments must be a JSON object, e.g. {"as_of": "2026-10-31"}.')
        return self._reply(ToolCall(id=f"offline-{position}", name=name, arguments=arguments))

    @staticmethod
    def _render_results(message):
        parts = []
        for result in message.blocks:
            status = "failed" if result.is_error else "result"
            parts.append(f"{result.name} {status}:\n{result.content}")
        return "\n\n".join(parts)

    @staticmethod
    def _help(tools):
        lines = [
            "No AI model is configured, so I cannot read free text. An administrator can choose Claude, "
            "OpenAI or a local OpenAI-compatible server in the Fusion AI settings.",
            "",
            "Meanwhile you can run a tool by name: /tool <name> {JSON arguments}, or /<name> for short "
            '(e.g. /ar_aging {"as_of": "2026-10-31"}).',
        ]
        if tools:
            lines += ["", "Tools you may run:"]
            lines += [f"- {t.name}: {t.description.splitlines()[0]}" for t in tools]
        else:
            lines += ["", "You may not run any tool."]
        return "\n".join(lines)
