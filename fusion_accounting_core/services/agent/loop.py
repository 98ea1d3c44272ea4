"""The agent loop: ask the model, dispatch its tool calls, repeat until it answers.

How a turn ends (:class:`TurnStatus`):

* ANSWERED: the model replied without calling a tool.
* AWAITING_APPROVAL: it called a tier-3 tool.  The call is NOT run; it becomes
  a :class:`~.proposal.Proposal` and the turn stops.  Other calls of the same
  response are answered as usual.  :meth:`Agent.resume` continues once every
  proposal has a :class:`~.proposal.Decision`.
* LIMIT_REACHED: more than ``max_tool_calls`` calls were asked for; the extra
  ones are answered with an error and the turn stops with a plain message.
* FAILED: the provider failed (after its retries); ``error`` says why in words.

While it runs, the loop tells its ``observer`` (when given) about each tool call:
started, done (ok or not, how many rows) or waiting for approval, see
:mod:`.progress`.  The observer only shows progress; it must not raise.

The loop never touches Odoo.  ``execute(spec, arguments)`` runs a tool with the
user's rights and ``log(record)`` stores a tier-2 execution; both come from the
adapter, as does the optional ``call_tier(spec, arguments)``: the tier (or a
tuple of tiers) learned for one call from its arguments (the tool's promotion,
its scenario's promotion).  They are inputs of the gate, whose answer alone
says whether the call runs and at which tier it is recorded.  Unknown tools,
bad arguments, gate refusals, tool refusals (:class:`~..tools.ToolRefusal`,
recorded as a failed execution) and tool exceptions go back to the model as
error results, so it can correct itself.
"""

from dataclasses import dataclass, field
from enum import Enum

from ..providers import Message, ModelRequest, ProviderError, TextBlock, ToolResult, Usage
from ..tools import Tier, ToolArgumentError, ToolRefusal, validate_arguments
from .gate import Verdict, gate, refusal_message
from .progress import ProgressEvent, ProgressKind, row_count
from .prompt import CONFIDENCE_ARG, REASONING_ARG, data_text, tool_definitions
from .proposal import Outcome, Proposal, arguments_hash


class TurnStatus(Enum):
    ANSWERED = "answered"
    AWAITING_APPROVAL = "awaiting_approval"
    LIMIT_REACHED = "limit_reached"
    FAILED = "failed"


class ResumeError(ValueError):
    """The decisions given to :meth:`Agent.resume` do not settle the pending calls."""


@dataclass(frozen=True)
class ExecutionRecord:
    """One executed call: ``arguments`` are the model's JSON, ``content`` what the model read."""

    call_id: str
    tool: str
    tier: Tier
    arguments: dict
    ok: bool
    content: str
    rows: int | None = None  # rows the tool returned, for the progress shown in the chat


@dataclass(frozen=True)
class TurnResult:
    status: TurnStatus
    messages: tuple  # the whole conversation after the turn
    proposals: tuple = ()
    executions: tuple = ()
    usage: Usage = field(default_factory=Usage)
    error: str = ""

    @property
    def text(self):
        """The last thing the assistant said."""
        for message in reversed(self.messages):
            if message.role == "assistant" and message.text:
                return message.text
        return ""


def _confidence(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return min(1.0, max(0.0, float(value)))


class Agent:
    """One conversation's loop.  ``tools`` are the :class:`ToolSpec` offered to this caller."""

    def __init__(
        self,
        *,
        provider,
        tools,
        caller,
        execute,
        system,
        log=None,
        max_tool_calls=20,
        max_tokens=4096,
        observer=None,
        call_tier=None,
    ):
        self.provider = provider
        self.caller = caller
        self.system = system
        self.max_tool_calls = max_tool_calls
        self.max_tokens = max_tokens
        self._tools = {spec.name: spec for spec in tools}
        self._definitions = tool_definitions(tools)
        self._execute = execute
        self._log = log
        self._observer = observer
        self._call_tier = call_tier

    def run(self, history, user_text):
        """Add the user's message to ``history`` (messages) and run the turn."""
        return self._continue([*history, Message.user(user_text)])

    def resume(self, history, decisions):
        """Continue a turn that ended AWAITING_APPROVAL, one :class:`Decision` per proposal."""
        messages = list(history)
        if len(messages) < 2 or messages[-2].role != "assistant" or messages[-1].role != "tool":
            raise ResumeError("the conversation is not waiting for a decision")
        calls = messages[-2].tool_calls
        answered = {result.call_id: result for result in messages[-1].blocks}
        pending = {call.id: call for call in calls if call.id not in answered}
        decided = {decision.call_id: decision for decision in decisions}
        if set(decided) != set(pending):
            raise ResumeError(f"pending calls {sorted(pending)} but decisions for {sorted(decided)}")
        for call_id, decision in decided.items():
            answered[call_id] = ToolResult(
                call_id, pending[call_id].name, decision.tool_text(), is_error=decision.outcome is not Outcome.APPROVED
            )
        messages[-1] = Message.tool_results(*(answered[call.id] for call in calls))
        return self._continue(messages)

    def _continue(self, messages):
        usage, executions, calls_made = Usage(), [], 0
        while True:
            request = ModelRequest(self.system, tuple(messages), self._definitions, self.max_tokens)
            try:
                response = self.provider.complete(request)
            except ProviderError as error:
                return TurnResult(TurnStatus.FAILED, tuple(messages), (), tuple(executions), usage, str(error))
            usage += response.usage
            messages.append(response.message)
            calls = response.message.tool_calls
            if not calls:
                return TurnResult(TurnStatus.ANSWERED, tuple(messages), (), tuple(executions), usage)
            results, proposals, over_limit = [], [], False
            for call in calls:
                if calls_made >= self.max_tool_calls:
                    over_limit = True
                    results.append(
                        self._error(
                            call, f"Not run: the limit of {self.max_tool_calls} tool calls per turn was reached."
                        )
                    )
                    self._report(ProgressKind.DONE, call, ok=False, detail=results[-1].content)
                    continue
                calls_made += 1
                self._report(ProgressKind.STARTED, call)
                outcome = self._dispatch(call, response.message.text)
                if isinstance(outcome, Proposal):
                    proposals.append(outcome)
                    self._report(ProgressKind.AWAITING_APPROVAL, call)
                    continue
                result, record = outcome
                results.append(result)
                self._report(
                    ProgressKind.DONE,
                    call,
                    ok=not result.is_error,
                    rows=record.rows if record else None,
                    detail=result.content if result.is_error else "",
                )
                if record is not None:
                    executions.append(record)
            messages.append(Message.tool_results(*results))
            if proposals:
                status = TurnStatus.AWAITING_APPROVAL
                return TurnResult(status, tuple(messages), tuple(proposals), tuple(executions), usage)
            if over_limit:
                messages.append(
                    Message.assistant(
                        TextBlock(
                            f"I stopped after {self.max_tool_calls} tool calls, the limit for one turn. "
                            "Ask me to continue, or narrow the question."
                        )
                    )
                )
                return TurnResult(TurnStatus.LIMIT_REACHED, tuple(messages), (), tuple(executions), usage)

    def _report(self, kind, call, **values):
        if self._observer is not None:
            self._observer(ProgressEvent(kind, call.id, call.name, dict(call.arguments or {}), **values))

    def _learned(self, spec, arguments):
        """The tiers learned for this call (inputs of the gate), as a tuple."""
        if self._call_tier is None:
            return ()
        learned = self._call_tier(spec, arguments)
        return tuple(learned) if isinstance(learned, (tuple, list)) else (learned,)

    @staticmethod
    def _error(call, text):
        return ToolResult(call.id, call.name, text, is_error=True)

    def _dispatch(self, call, reasoning_text):
        """A :class:`Proposal`, or ``(ToolResult, ExecutionRecord | None)``."""
        spec = self._tools.get(call.name)
        if spec is None:
            return self._error(call, f"Unknown tool {call.name!r}. Use one of: {', '.join(sorted(self._tools))}."), None
        if call.parse_error:
            return self._error(call, f"Not run: {call.parse_error}. Send the arguments as a JSON object."), None
        if gate(spec, self.caller).verdict is Verdict.REFUSE:
            return self._error(call, refusal_message(spec, self.caller)), None
        arguments = dict(call.arguments)
        reasoning = arguments.pop(REASONING_ARG, None) if spec.tier == Tier.APPROVAL else None
        confidence = arguments.pop(CONFIDENCE_ARG, None) if spec.tier == Tier.APPROVAL else None
        try:
            validated = validate_arguments(spec.parameters, arguments)
        except ToolArgumentError as error:
            return self._error(call, f"Invalid arguments, nothing was run: {error}"), None
        # The one decision of this call: the gate, with what was learned about calls like this one.
        decision = gate(spec, self.caller, *self._learned(spec, validated))
        verdict = decision.verdict
        if verdict is Verdict.PROPOSE:
            return Proposal(
                call_id=call.id,
                tool=spec.name,
                arguments=arguments,
                arguments_hash=arguments_hash(arguments),
                reasoning=reasoning if isinstance(reasoning, str) and reasoning else reasoning_text,
                confidence=_confidence(confidence),
            )
        if verdict is Verdict.RUN_LOGGED and self._log is None:  # an unlogged write is never acceptable
            return self._error(call, f"Not run: {spec.name} must be logged and no log is available."), None
        try:
            value = self._execute(spec, validated)
            content, ok, rows = data_text(value), True, row_count(value)
        except ToolRefusal as refusal:  # the tool could not do it: a failed execution, in its own words
            content, ok, rows = data_text(refusal.result()), False, None
        except Exception as error:  # any tool failure is reported to the model, never raised
            content, ok, rows = f"The tool failed: {type(error).__name__}: {error}", False, None
        record = ExecutionRecord(call.id, spec.name, decision.tier, arguments, ok, content, rows)
        if verdict is Verdict.RUN_LOGGED:
            self._log(record)
        return ToolResult(call.id, call.name, content, is_error=not ok), record
