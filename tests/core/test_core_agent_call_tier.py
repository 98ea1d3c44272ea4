"""The gate asks, per call, whether what was learned lets a tier-3 call run logged (design 3.1)."""

from core_fake_books import MANAGER_CALLER, REGISTRY, STAFF_CALLER, Books

from fusion_accounting_core.services.agent import (
    Agent,
    ScriptedProvider,
    TurnStatus,
    build_system_prompt,
    call,
    calls,
    gate,
    select_tools,
)
from fusion_accounting_core.services.agent.gate import Verdict
from fusion_accounting_core.services.tools import Tier


def promoted_for_invoice(invoice_id):
    """A learned tier: calls for ``invoice_id`` run as tier 2, every other call keeps the spec's tier."""

    def call_tier(spec, arguments):
        return Tier.LOGGED_WRITE if arguments.get("invoice_id") == invoice_id else spec.tier

    return call_tier


def agent(provider, books, logged, caller=MANAGER_CALLER):
    return Agent(
        provider=provider,
        tools=select_tools(REGISTRY, caller=caller),
        caller=caller,
        execute=lambda spec, arguments: spec.call(books, arguments),
        system=build_system_prompt(today="2026-10-31"),
        log=logged.append,
        call_tier=promoted_for_invoice(10),
    )


def test_only_the_calls_of_the_promoted_scenario_run_the_others_wait_for_approval():
    books, logged = Books(), []
    provider = ScriptedProvider(
        calls(
            call("reconcile_payment_to_invoice", "c1", payment_id=1, invoice_id=10, ai_reasoning="same ref"),
            call("reconcile_payment_to_invoice", "c2", payment_id=2, invoice_id=11),
        )
    )

    result = agent(provider, books, logged).run((), "match them")

    assert result.status is TurnStatus.AWAITING_APPROVAL
    assert books.writes == [("reconcile", 1, 10)]
    assert [(r.call_id, r.tier) for r in logged] == [("c1", Tier.LOGGED_WRITE)]
    assert "ai_reasoning" not in logged[0].arguments
    assert [p.call_id for p in result.proposals] == ["c2"]


def test_a_learned_tier_never_raises_a_tier_nor_opens_a_write_to_staff():
    spec = REGISTRY.get("reconcile_payment_to_invoice")
    assert gate(spec, STAFF_CALLER, Tier.LOGGED_WRITE).verdict is Verdict.REFUSE
    assert gate(REGISTRY.get("flag_entry"), MANAGER_CALLER, Tier.APPROVAL).verdict is Verdict.RUN_LOGGED
    assert gate(spec, MANAGER_CALLER, Tier.READ).verdict is Verdict.RUN_LOGGED, "a write is never run unlogged"
