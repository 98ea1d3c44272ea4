"""The provider used when no model is configured: no key, no network.

It does not understand free text, but it does not leave the user alone with it
either.  Given a ``router`` (``text -> choices``, see
``services/agent/intent_router.py``), it picks the tools that fit a plain
question and calls the best one when it is a reading tool that may run with
the arguments it knows: the call goes through the agent loop and the tier
gate exactly like a model's.  Otherwise it names the tools that fit and the
panel shows their forms.  A tool can also be run by name:

* ``/tool get_ar_aging {"as_of": "2026-10-31"}`` or ``/tool aging`` (a part of a name is enough when only one fits)
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
MAX_CANDIDATES = 6  # tools named when a command is ambiguous
NO_MODEL = "No AI model is in use, so I read your question for keywords only."


class _NonFiniteNumber(ValueError):
    """``NaN``/``Infinity`` in typed arguments: Python's JSON reads them, PostgreSQL's JSON refuses them."""


def _refuse_constant(name):
    raise _NonFiniteNumber(name)


def resolve_tool(name, names):
    """``(tool name, candidates)``: the tool ``name`` designates among ``names``.

    The exact name first, then with ``get_`` in front, then the tools whose name
    holds every word of ``name``: one is the answer, several are candidates.

    >>> resolve_tool("aging", ["get_ar_aging", "get_ap_aging", "run_full_audit"])
    (None, ('get_ap_aging', 'get_ar_aging'))
    >>> resolve_tool("ar_aging", ["get_ar_aging", "get_ap_aging"])
    ('get_ar_aging', ())
    >>> resolve_tool("full_audit", ["run_full_audit"])
    ('run_full_audit', ())
    """
    names = sorted(names)
    if name in names:
        return name, ()
    if f"get_{name}" in names:
        return f"get_{name}", ()
    wanted = [part for part in name.lower().split("_") if part]
    candidates = tuple(n for n in names if wanted and all(part in n.split("_") for part in wanted))
    if not candidates:
        candidates = tuple(n for n in names if name.lower() in n)
    if len(candidates) == 1:
        return candidates[0], ()
    return None, candidates


class OfflineProvider(Provider):
    label = "offline"
    model = "offline"

    def __init__(self, status="", router=None):
        self.status = status  # why no model answers, in words ("" when offline was chosen)
        self.router = router  # text -> intent_router choices; None: commands only

    def with_router(self, router):
        """The same provider, routing plain questions with ``router``."""
        return OfflineProvider(self.status, router)

    def complete(self, request):
        last = request.messages[-1] if request.messages else Message.user("")
        if last.role == "tool":
            return self._reply(self._render_results(last))
        text = last.text.strip()
        if text.startswith("/"):
            return self._answer_command(text, request.tools, len(request.messages))
        return self._answer_question(text, request.tools, len(request.messages))

    def _reply(self, *blocks):
        blocks = tuple(TextBlock(b) if isinstance(b, str) else b for b in blocks)
        return ModelResponse(message=Message.assistant(*blocks), model=self.model, stop_reason="end_turn")

    def _answer_question(self, text, tools, position):
        names = {t.name for t in tools}
        choices = tuple(c for c in (self.router(text) if self.router and text else ()) if c.name in names)
        if not choices:
            return self._reply(self._help(tools, text))
        best = choices[0]
        others = [c.name for c in choices[1:]]
        leads = len(choices) == 1 or choices[1].score < best.score
        if best.action.value == "run" and leads:
            intro = f"{self._intro()} Running {best.name}: {best.description}"
            call = ToolCall(id=f"offline-{position}", name=best.name, arguments=dict(best.arguments))
            return self._reply(intro, call)
        lines = [f"{self._intro()} These tools fit your question; choose one and fill in what it needs:"]
        for choice in choices:
            needs = f" (needs {', '.join(choice.missing)})" if choice.missing else ""
            lines.append(f"- {choice.name}: {choice.description}{needs}")
        if others and best.action.value == "run":
            lines.append("Several fit equally well, so I ran none of them.")
        return self._reply("\n".join(lines))

    def _intro(self):
        return f"{self.status} {NO_MODEL}".strip() if self.status else NO_MODEL

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
        resolved, candidates = resolve_tool(name, names)
        if resolved is None and candidates:
            shown = ", ".join(candidates[:MAX_CANDIDATES]) + (" …" if len(candidates) > MAX_CANDIDATES else "")
            return self._reply(f"Several tools match {name!r}: {shown}. Send /tool with the full name.")
        if resolved is None:
            return self._reply(f"There is no tool called {name!r} that you may run.\n\n{self._help(tools)}")
        try:
            arguments = json.loads(rest, parse_constant=_refuse_constant) if rest.strip() else {}
        except _NonFiniteNumber as error:
            return self._reply(f"The arguments must hold finite numbers: {error} is not one. Nothing was run.")
        except (ValueError, RecursionError):
            return self._reply('The arguments must be a JSON object, e.g. {"as_of": "2026-10-31"}.')
        if not isinstance(arguments, dict):
            return self._reply('The arguments must be a JSON object, e.g. {"as_of": "2026-10-31"}.')
        return self._reply(ToolCall(id=f"offline-{position}", name=resolved, arguments=arguments))

    @staticmethod
    def _render_results(message):
        """A sentence per result: the panel draws the result itself (a table), the text only says what it is."""
        parts = []
        for result in message.blocks:
            if result.is_error:
                parts.append(f"{result.name} failed: {result.content}")
            else:
                parts.append(f"{result.name} answered: its result is shown above.")
        return "\n".join(parts)

    def _help(self, tools, text=""):
        lines = [
            f"{self.status} {NO_MODEL}".strip() if self.status else NO_MODEL,
            "Ask with accounting words (AR aging, unreconciled bank lines, HST last quarter, month-end close), "
            "pick a tool from the tool list, or run one by name: /tool <name> {JSON arguments} "
            '(e.g. /tool ar_aging {"as_of": "2026-10-31"}).',
        ]
        if text:
            lines.insert(1, "No tool I know fits these words.")
        if not tools:
            lines.append("You may not run any tool.")
        return "\n".join(lines)
