"""A provider that plays a script: the test double for the loop and the Odoo adapter.

Each step is a :class:`~..providers.ModelResponse`, a plain string (a text
reply), an exception to raise, or a callable ``step(request)`` returning one of
those.  Every request is kept in :attr:`ScriptedProvider.requests`.

>>> p = ScriptedProvider(calls(call("get_ar_aging", "c1", as_of="2026-10-31")), "Done.")
>>> p.complete(None).message.tool_calls[0].arguments
{'as_of': '2026-10-31'}
>>> p.complete(None).message.text
'Done.'
"""

from ..providers import Message, ModelResponse, Provider, ProviderError, TextBlock, ToolCall, Usage

NO_USAGE = Usage()


def reply(text, usage=NO_USAGE):
    return ModelResponse(message=Message.assistant(TextBlock(text)), usage=usage, model="scripted")


def call(name, call_id, /, **arguments):
    return ToolCall(id=call_id, name=name, arguments=arguments)


def calls(*tool_calls, text="", usage=NO_USAGE):
    """A response asking for ``tool_calls`` (in parallel when several), with optional ``text``."""
    blocks = ((TextBlock(text),) if text else ()) + tuple(tool_calls)
    return ModelResponse(message=Message.assistant(*blocks), usage=usage, model="scripted")


class ScriptedProvider(Provider):
    label = "scripted"
    model = "scripted"

    def __init__(self, *steps):
        self._steps = list(steps)
        self.requests = []

    def add(self, *steps):
        self._steps.extend(steps)
        return self

    @property
    def remaining(self):
        return len(self._steps)

    def complete(self, request):
        self.requests.append(request)
        if not self._steps:
            raise ProviderError("The scripted provider has no more responses.")
        step = self._steps.pop(0)
        if callable(step) and not isinstance(step, ModelResponse):
            step = step(request)
        if isinstance(step, BaseException):
            raise step
        return reply(step) if isinstance(step, str) else step
