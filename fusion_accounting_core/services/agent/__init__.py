"""The pure agent: prompt, tier gate, loop, proposals and a scripted test provider."""

from .gate import Caller, GateDecision, Verdict, gate, refusal_message
from .loop import Agent, ExecutionRecord, ResumeError, TurnResult, TurnStatus
from .progress import ProgressEvent, ProgressKind
from .prompt import (
    CONFIDENCE_ARG,
    REASONING_ARG,
    HistoryEntry,
    OdooContext,
    RuleInstruction,
    build_system_prompt,
    data_block,
    data_text,
    select_tools,
    tool_definitions,
)
from .proposal import Decision, Outcome, Proposal, arguments_hash, canonical_json
from .scripted import ScriptedProvider, call, calls, reply

__all__ = [
    "CONFIDENCE_ARG",
    "REASONING_ARG",
    "Agent",
    "Caller",
    "Decision",
    "ExecutionRecord",
    "GateDecision",
    "HistoryEntry",
    "OdooContext",
    "Outcome",
    "ProgressEvent",
    "ProgressKind",
    "Proposal",
    "ResumeError",
    "RuleInstruction",
    "ScriptedProvider",
    "TurnResult",
    "TurnStatus",
    "Verdict",
    "arguments_hash",
    "build_system_prompt",
    "call",
    "calls",
    "canonical_json",
    "data_block",
    "data_text",
    "gate",
    "refusal_message",
    "reply",
    "select_tools",
    "tool_definitions",
]
