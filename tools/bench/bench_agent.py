"""Agent benchmark: loop overhead per turn and prompt size per turn, printed as one JSON object.

Overhead is everything a turn costs except the model's own time, measured with
the pure :class:`ScriptedProvider` (which answers instantly):

* tool selection (:func:`select_tools` over the whole registry, for one domain),
* prompt assembly (:func:`build_system_prompt` with the 50 past decisions that
  ``match_history_in_prompt`` allows by default, and :func:`tool_definitions`),
* the loop (:class:`Agent`): the tier gate, schema validation of every call,
  dispatch through ``ToolSpec.call`` (type hints, argument building) to tier-1
  tools whose bodies are replaced by a canned 10-row result, and serialisation
  of those results for the model (``data_text``),
* encoding every request as the Anthropic provider would send it (messages,
  tools, JSON body), and encoding the conversation as the session stores it.

The scripted turn asks three tools in parallel, then one more, then answers:
three model requests per turn, after three earlier turns of conversation.

Prompt size is the system prompt plus the tool definitions sent with every
request, in characters; ``tokens_est`` is characters / 4, an estimate (no
tokenizer is called).

The tools are the real registry.  Their modules import Odoo, so Odoo is
imported in-process (no database, no server): the addons path is configured
and the three addons' ``tools`` packages are imported, which registers their
specs.  Without Odoo, the prompt figures say so and overhead is measured on a
tiny registry of this script's own tools.

Usage: ``python tools/bench/bench_agent.py [--size small|medium|large]``
(the size only sets how many turns are timed).
"""

import argparse
import dataclasses
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tools"), str(ROOT / "tools" / "bench")]

from figures import percentile, timed_figure  # noqa: E402

TURNS = {"small": 300, "medium": 1000, "large": 3000}
WARMUP = 30
TODAY = date(2026, 11, 22)
STAFF = "fusion_accounting_core.group_fusion_user"
MANAGER = "fusion_accounting_core.group_fusion_manager"
HISTORY_IN_PROMPT = 50  # the default of the ``match_history_in_prompt`` setting
EARLIER_TURNS = 3
TOOL_PACKAGES = ("fusion_accounting_core.tools", "fusion_accounting.tools", "fusion_accounting_followup.tools")


def load_registry():
    """``(registry, how)``: the real registry through an in-process Odoo import, else None and why."""
    try:
        import importlib

        import odoo_env

        from odoo.modules.module import initialize_sys_path
        from odoo.tools import config

        config.parse_config([f"--addons-path={odoo_env.addons_path()}", "--log-level=critical"])
        initialize_sys_path()
        for package in TOOL_PACKAGES:
            importlib.import_module(f"odoo.addons.{package}")
        from odoo.addons.fusion_accounting_core.services.tools import REGISTRY
    except ImportError as error:
        return None, f"Odoo not importable ({error}): real registry unavailable"
    return (
        REGISTRY,
        "real registry: tool modules imported in-process after configuring Odoo's addons path (no database)",
    )


def agent_modules(package):
    """The agent and provider modules of ``package`` (``odoo.addons.fusion_accounting_core`` with Odoo).

    Without Odoo the addon is registered as a bare package, as the pure test suite does, so its pure
    services import alone; with Odoo the same copy as the registry's is used.
    """
    import importlib
    import types

    if package not in sys.modules and "." not in package:
        bare = types.ModuleType(package)
        bare.__path__ = [str(ROOT / package)]
        sys.modules[package] = bare
    return tuple(
        importlib.import_module(f"{package}.services.{name}")
        for name in ("agent", "providers", "tools", "providers.anthropic_provider")
    )


def fallback_registry(tools):
    """Three trivial tier-1 tools, for a machine without Odoo."""
    registry = tools.ToolRegistry()

    @tools.tool(domain="accounts_receivable", tier=1, groups=(STAFF,), registry=registry)
    def get_ar_aging(env, as_of: date | None = None, top: int = 10) -> dict:
        """Aging of receivables.

        Args:
            as_of: Day the lateness is counted from.
            top: How many partners to list.
        """
        return {}

    @tools.tool(domain="accounts_receivable", tier=1, groups=(STAFF,), registry=registry)
    def get_overdue_invoices(env, limit: int = 20) -> dict:
        """Overdue customer invoices.

        Args:
            limit: How many.
        """
        return {}

    @tools.tool(domain="accounts_receivable", tier=1, groups=(STAFF,), registry=registry)
    def get_unmatched_payments(env, limit: int = 20) -> dict:
        """Customer payments not matched to an invoice.

        Args:
            limit: How many.
        """
        return {}

    return registry


def trivial_spec(spec, result):
    """``spec`` whose function returns ``result`` at once, with the real function's annotations.

    ``ToolSpec.call`` still reads the type hints and builds the arguments, as it does in Odoo;
    only the body (the database work) is gone.
    """

    def run(env, **arguments):
        return result

    run.__annotations__ = dict(getattr(spec.function, "__annotations__", {}))
    return dataclasses.replace(spec, function=run)


def canned_result(rows=10):
    """What a tier-1 read typically returns: a page of partner rows."""
    return {
        "total": 240,
        "limit": rows,
        "offset": 0,
        "rows": [
            {"partner": f"Customer {i} Ltd.", "currency": "CAD", "current": 1200.5, "1-30": 300.0, "total": 1500.5}
            for i in range(rows)
        ],
    }


# Arguments the scripted model sends, so validation and argument building have work to do.
ARGUMENTS = {"get_ar_aging": {"as_of": "2026-10-31", "top": 10}}


def scripted_turn(agent, names):
    """Model steps of one turn: three tier-1 calls at once, then one more, then an answer."""
    first, second = names[:3], names[3 % len(names)]
    return [
        agent.calls(
            *(agent.call(name, f"c{i}", **ARGUMENTS.get(name, {})) for i, name in enumerate(first)),
            text="Let me look.",
        ),
        agent.calls(agent.call(second, "c9", **ARGUMENTS.get(second, {}))),
        "Here is what is overdue, and what to do first.",
    ]


def history_entries(agent, count):
    return tuple(
        agent.HistoryEntry(
            tool_name="match_bank_line_to_payments",
            decision="approved" if i % 4 else "rejected",
            arguments={"statement_line_id": 1000 + i, "move_line_ids": [5000 + i]},
            reasoning="Amount and reference match the open invoice.",
            rejection_reason="" if i % 4 else "Wrong customer: same amount, other reference.",
            partner=f"Customer {i} Ltd.",
            amount=1234.56,
        )
        for i in range(count)
    )


class TurnBench:
    """One simulated turn, as ``fusion.accounting.agent._run_turn`` does it, minus Odoo and the model."""

    def __init__(self, registry, domain, tool_names, caller, modules):
        self.agent, self.providers, _tools, self.wire = modules
        self.registry, self.domain, self.tool_names, self.caller = registry, domain, tool_names, caller
        self.result = canned_result()
        self.specs = tuple(trivial_spec(spec, self.result) for spec in registry)
        self.history = history_entries(self.agent, HISTORY_IN_PROMPT)
        self.conversation = ()
        for _ in range(EARLIER_TURNS):
            self.conversation = self.run(self.conversation).messages
        self.request_chars = 0

    def _encode_request(self, request):
        """The body the Anthropic provider sends (the SDK JSON-encodes it once more; counted once here)."""
        body = {
            "system": request.system,
            "messages": self.wire.messages_to_wire(request.messages),
            "tools": self.wire.tools_to_wire(request.tools),
            "max_tokens": request.max_tokens,
        }
        self.request_chars = len(json.dumps(body))

    def run(self, conversation):
        agent = self.agent
        domains = (self.domain,) if self.domain else ()
        tools = agent.select_tools(self.specs, caller=self.caller, domains=domains)
        system = agent.build_system_prompt(
            today=TODAY, context=agent.OdooContext(page="Accounting dashboard", company="Maple"), history=self.history
        )
        steps = [self._model_step(step) for step in scripted_turn(agent, self.tool_names)]
        runner = agent.Agent(
            provider=agent.ScriptedProvider(*steps),
            tools=tools,
            caller=self.caller,
            execute=lambda spec, arguments: spec.call(None, arguments),
            system=system,
            log=lambda record: None,
        )
        result = runner.run(conversation, "What is overdue, and which payments are unmatched?")
        json.dumps(self.providers.messages_to_json(result.messages))  # what the session stores
        return result

    def _model_step(self, response):
        def step(request):
            self._encode_request(request)
            return response

        return step

    def measure(self, turns):
        for _ in range(WARMUP):
            self.run(self.conversation)
        durations = []
        for _ in range(turns):
            started = time.perf_counter()
            result = self.run(self.conversation)
            durations.append(time.perf_counter() - started)
        if result.status is not self.agent.TurnStatus.ANSWERED:  # the script itself is broken
            raise RuntimeError(f"the scripted turn ended {result.status.value}: {result.error}")
        return durations


def prompt_size(agent, wire, specs, caller, domains):
    tools = agent.select_tools(specs, caller=caller, domains=domains)
    system = agent.build_system_prompt(today=TODAY)
    chars = len(system) + len(json.dumps(wire.tools_to_wire(agent.tool_definitions(tools))))
    return {"tools": len(tools), "chars": chars, "tokens_est": round(chars / 4)}


def prompt_sizes(agent, wire, specs, callers):
    """Per caller: all tools at once, each domain alone, and the spread over domains."""
    domains = sorted({spec.domain for spec in specs})
    figures = {}
    for label, caller in callers.items():
        per_domain = {domain: prompt_size(agent, wire, specs, caller, (domain,)) for domain in domains}
        chars = [figure["chars"] for figure in per_domain.values()]
        everything = prompt_size(agent, wire, specs, caller, ())
        figures[label] = {
            "all_tools": everything,
            "per_domain": per_domain,
            "domain_chars_p50": percentile(chars, 50),
            "domain_chars_max": max(chars),
            "reduction_p50": round(everything["chars"] / percentile(chars, 50), 1),
        }
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=sorted(TURNS))
    opts = parser.parse_args()
    registry, how = load_registry()
    modules = agent_modules("fusion_accounting_core" if registry is None else "odoo.addons.fusion_accounting_core")
    agent, _providers, tools, wire = modules
    if registry is None:
        registry, how = fallback_registry(tools), how + "; overhead measured on 3 trivial tools"
    callers = {
        "manager": agent.Caller(user_id=2, groups=frozenset({STAFF, MANAGER}), may_write=True),
        "staff": agent.Caller(user_id=7, groups=frozenset({STAFF}), may_write=False),
    }
    specs = tuple(registry)
    names = [
        s.name for s in specs if s.domain == "accounts_receivable" and s.tier == 1 and not s.parameters["required"]
    ]
    overhead = {}
    for label, domain in (("domain_filtered", "accounts_receivable"), ("all_tools", "")):
        bench = TurnBench(registry, domain, names, callers["manager"], modules)
        durations = bench.measure(TURNS[opts.size])
        overhead[label] = timed_figure(
            durations,
            size=opts.size,
            model_requests_per_turn=3,
            tool_calls_per_turn=4,
            last_request_chars=bench.request_chars,
        )
    result = {
        "registry": how,
        "tool_count": len(specs),
        "turn_overhead": overhead,
        "target_ms": 20,
        "prompt_size": prompt_sizes(agent, wire, specs, callers) if len(specs) > 3 else "unavailable without Odoo",
        "tokens_note": "tokens_est = characters / 4 (an estimate; no tokenizer)",
    }
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
