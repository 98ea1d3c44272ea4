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

What it says comes from :data:`SENTENCES` by key, through ``say(key, **params)``:
English here; the Odoo adapter passes one that translates each sentence into the
user's language (``models/provider_sentences.py``).

>>> from .messages import Message, ModelRequest, ToolDefinition
>>> tools = (ToolDefinition("get_ar_aging", "AR aging buckets.", {}),)
>>> reply = OfflineProvider().complete(ModelRequest("", (Message.user('/ar_aging {"top": 5}'),), tools))
>>> reply.message.tool_calls[0].name, reply.message.tool_calls[0].arguments
('get_ar_aging', {'top': 5})
"""

import json
import re

from ..agent.intent_router import needed_words
from .base import Provider
from .messages import Message, ModelResponse, TextBlock, ToolCall

_COMMAND_RE = re.compile(r"^/(\w+)\s*(.*)$", re.DOTALL)
_TOOL_RE = re.compile(r"^(\w+)\s*(.*)$", re.DOTALL)
MAX_CANDIDATES = 6  # tools named when a command is ambiguous

# Everything the offline provider says, by key (English; ``%(name)s`` are the parameters).
SENTENCES = {
    "no_model": "No AI model is in use, so I read your question for keywords only.",
    "running": "Running %(tool)s: %(description)s",
    "fitting": "These tools fit your question; choose one and fill in what it needs:",
    "needs": "%(tool)s: %(description)s (needs %(arguments)s)",
    "fits": "%(tool)s: %(description)s",
    "tie": "Several fit equally well, so I ran none of them.",
    "usage": "Usage: /tool <tool name> {JSON arguments}",
    "several_match": 'Several tools match "%(name)s": %(tools)s. Send /tool with the full name.',
    "no_such_tool": 'There is no tool called "%(name)s" that you may run.',
    "not_finite": "The arguments must hold finite numbers: %(value)s is not one. Nothing was run.",
    "not_object": 'The arguments must be a JSON object, e.g. {"as_of": "2026-10-31"}.',
    "failed": "%(tool)s failed: %(error)s",
    "answered": "%(tool)s answered: its result is shown above.",
    "how_to_ask": (
        "Ask with accounting words (AR aging, unreconciled bank lines, HST last quarter, month-end close), "
        "pick a tool from the tool list, or run one by name: /tool <name> {JSON arguments} "
        '(e.g. /tool ar_aging {"as_of": "2026-10-31"}).'
    ),
    "no_fit": "No tool I know fits these words.",
    "no_tools": "You may not run any tool.",
}


def english(key, **params):
    """The English sentence ``key`` with ``params``: what :class:`OfflineProvider` says without a translator.

    >>> english("answered", tool="get_ar_aging")
    'get_ar_aging answered: its result is shown above.'
    """
    sentence = SENTENCES[key]
    return sentence % params if params else sentence


def _title(choice):
    """The tool as people read it: its label (a router's choice), else its name."""
    return choice.label or choice.name


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

    def __init__(self, status="", router=None, say=english):
        self.status = status  # why no model answers, in words ("" when offline was chosen)
        self.router = router  # text -> intent_router choices; None: commands only
        self.say = say  # (key, **params) -> the sentence of SENTENCES[key] in the user's language

    def with_router(self, router, say=None):
        """The same provider, routing plain questions with ``router`` (and speaking with ``say``, when given)."""
        return OfflineProvider(self.status, router, say or self.say)

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
        say = self.say
        names = {t.name for t in tools}
        choices = tuple(c for c in (self.router(text) if self.router and text else ()) if c.name in names)
        if not choices:
            return self._reply(self._help(tools, text))
        best = choices[0]
        others = [c.name for c in choices[1:]]
        leads = len(choices) == 1 or choices[1].score < best.score
        if best.action.value == "run" and leads:
            intro = f"{self._intro()} {say('running', tool=_title(best), description=best.description)}"
            call = ToolCall(id=f"offline-{position}", name=best.name, arguments=dict(best.arguments))
            return self._reply(intro, call)
        lines = [f"{self._intro()} {say('fitting')}"]
        for choice in choices:
            if choice.missing:
                line = say(
                    "needs", tool=_title(choice), description=choice.description, arguments=needed_words(choice.missing)
                )
            else:
                line = say("fits", tool=_title(choice), description=choice.description)
            lines.append(f"- {line}")
        if others and best.action.value == "run":
            lines.append(say("tie"))
        return self._reply("\n".join(lines))

    def _intro(self):
        return f"{self.status} {self.say('no_model')}".strip()

    def _answer_command(self, text, tools, position):
        say = self.say
        names = {t.name for t in tools}
        match = _COMMAND_RE.match(text)
        if not match:
            return self._reply(self._help(tools))
        name, rest = match.groups()
        if name == "tool":
            inner = _TOOL_RE.match(rest.strip())
            if not inner:
                return self._reply(f"{say('usage')}\n\n{self._help(tools)}")
            name, rest = inner.groups()
        resolved, candidates = resolve_tool(name, names)
        if resolved is None and candidates:
            shown = ", ".join(candidates[:MAX_CANDIDATES]) + (" …" if len(candidates) > MAX_CANDIDATES else "")
            return self._reply(say("several_match", name=name, tools=shown))
        if resolved is None:
            return self._reply(f"{say('no_such_tool', name=name)}\n\n{self._help(tools)}")
        try:
            arguments = json.loads(rest, parse_constant=_refuse_constant) if rest.strip() else {}
        except _NonFiniteNumber as error:
            return self._reply(say("not_finite", value=str(error)))
        except (ValueError, RecursionError):
            return self._reply(say("not_object"))
        if not isinstance(arguments, dict):
            return self._reply(say("not_object"))
        return self._reply(ToolCall(id=f"offline-{position}", name=resolved, arguments=arguments))

    def _render_results(self, message):
        """A sentence per result: the panel draws the result itself (a table), the text only says what it is."""
        parts = []
        for result in message.blocks:
            if result.is_error:
                parts.append(self.say("failed", tool=result.name, error=result.content))
            else:
                parts.append(self.say("answered", tool=result.name))
        return "\n".join(parts)

    def _help(self, tools, text=""):
        lines = [self._intro(), self.say("how_to_ask")]
        if text:
            lines.insert(1, self.say("no_fit"))
        if not tools:
            lines.append(self.say("no_tools"))
        return "\n".join(lines)
