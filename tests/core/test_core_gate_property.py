"""One tier decision: whatever was learned, no path runs a tier-3 call without an approved proposal.

The gate takes the learned tiers (the tool's promotion, the call's scenario
promotion) as inputs and answers the verdict and the tier the call runs at;
the loop runs and records exactly that.  Hypothesis generates specs, callers
and promotion tables.
"""

from core_fake_books import MANAGER, REGISTRY, STAFF, Books
from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting_core.services.agent import (
    Agent,
    Caller,
    GateDecision,
    ScriptedProvider,
    TurnStatus,
    Verdict,
    build_system_prompt,
    call,
    calls,
    gate,
    select_tools,
)
from fusion_accounting_core.services.tools import Tier, ToolRefusal, ToolSpec, make_spec

GROUPS = ("staff", "manager", "auditor")
tiers = st.sampled_from(list(Tier))
learned_tiers = st.lists(st.one_of(st.none(), tiers), max_size=3)
specs = st.builds(
    ToolSpec,
    name=st.sampled_from(["a", "b", "c"]),
    description=st.just("d"),
    domain=st.just("ar"),
    tier=tiers,
    groups=st.lists(st.sampled_from(GROUPS), max_size=2, unique=True).map(tuple),
)
callers = st.builds(
    Caller,
    user_id=st.integers(1, 9),
    groups=st.frozensets(st.sampled_from(GROUPS)),
    may_write=st.booleans(),
)


@given(specs, callers, learned_tiers)
def test_the_gate_s_clamp_holds_whatever_was_learned(spec, caller, learned):
    decision = gate(spec, caller, *learned)
    assert isinstance(decision, GateDecision)
    if decision.verdict is Verdict.REFUSE:
        assert decision.tier == spec.tier
        assert not spec.allowed_for(caller.groups) or (spec.tier > Tier.READ and not caller.may_write)
        return
    assert spec.allowed_for(caller.groups)
    assert decision.tier <= spec.tier, "nothing learned raises a tier"
    assert decision.tier == {Verdict.RUN: Tier.READ, Verdict.RUN_LOGGED: Tier.LOGGED_WRITE}.get(
        decision.verdict, Tier.APPROVAL
    )
    if spec.tier > Tier.READ:
        assert caller.may_write, "nothing learned opens a write to a caller who may not write"
        assert decision.verdict is not Verdict.RUN, "a write never runs unlogged"
    if spec.tier == Tier.APPROVAL:
        promoted = any(tier is not None and tier <= Tier.LOGGED_WRITE for tier in learned)
        assert (decision.verdict is Verdict.RUN_LOGGED) == promoted
        assert decision.verdict is Verdict.PROPOSE or decision.tier == Tier.LOGGED_WRITE


@given(specs, callers, learned_tiers)
def test_without_what_was_learned_a_tier_3_call_is_only_ever_proposed(spec, caller, learned):
    # An approval asks the gate without learned tiers: a tier-3 spec is PROPOSE or REFUSE, never run.
    if spec.tier == Tier.APPROVAL:
        assert gate(spec, caller).verdict in (Verdict.PROPOSE, Verdict.REFUSE)
    # What was learned only ever moves a decision towards running logged, never past the caller's rights.
    if gate(spec, caller).verdict is Verdict.REFUSE:
        assert gate(spec, caller, *learned).verdict is Verdict.REFUSE


# -- the loop: what runs, and at which tier, is the gate's answer

tool_promotions = st.dictionaries(st.sampled_from([s.name for s in REGISTRY]), tiers, max_size=4)
call_promotions = st.dictionaries(st.integers(1, 4), tiers, max_size=4)  # invoice_id -> learned tier
loop_callers = st.sampled_from(
    [
        Caller(user_id=2, groups=frozenset({STAFF}), may_write=False),
        Caller(user_id=3, groups=frozenset({STAFF, MANAGER}), may_write=True),
        Caller(user_id=4, groups=frozenset({MANAGER}), may_write=False),
    ]
)
model_calls = st.lists(
    st.one_of(
        st.builds(lambda i: ("reconcile_payment_to_invoice", {"payment_id": i, "invoice_id": i}), st.integers(1, 4)),
        st.builds(lambda i: ("flag_entry", {"move_id": i, "note": "x"}), st.integers(1, 4)),
        st.just(("get_ar_aging", {})),
    ),
    min_size=1,
    max_size=6,
)


@given(loop_callers, tool_promotions, call_promotions, model_calls)
def test_no_path_runs_a_tier_3_call_without_an_approved_proposal(caller, by_tool, by_call, asked):
    books, logged = Books(), []

    def learned(spec, arguments):
        return (by_tool.get(spec.name), by_call.get(arguments.get("invoice_id")))

    provider = ScriptedProvider(calls(*(call(name, f"c{n}", **args) for n, (name, args) in enumerate(asked))), "ok")
    agent = Agent(
        provider=provider,
        tools=REGISTRY,  # every tool offered: the gate alone must stop what may not run
        caller=caller,
        execute=lambda spec, arguments: spec.call(books, arguments),
        system=build_system_prompt(today="2026-10-31"),
        log=logged.append,
        call_tier=learned,
    )
    result = agent.run((), "do it")

    executed = {record.call_id: record for record in result.executions}
    proposed = {proposal.call_id for proposal in result.proposals}
    for n, (name, arguments) in enumerate(asked):
        spec, call_id = REGISTRY.get(name), f"c{n}"
        decision = gate(spec, caller, *learned(spec, arguments))
        if call_id in executed:
            assert executed[call_id].tier == decision.tier, "the history's tier is the gate's answer"
            assert decision.verdict in (Verdict.RUN, Verdict.RUN_LOGGED)
        if spec.tier == Tier.APPROVAL:
            allowed = caller.may_write and spec.allowed_for(caller.groups)
            promoted = allowed and any(t is not None and t <= Tier.LOGGED_WRITE for t in learned(spec, arguments))
            if call_id in executed:
                assert promoted and executed[call_id].tier == Tier.LOGGED_WRITE
                assert executed[call_id] in logged, "a promoted tier-3 call is always logged"
            elif decision.verdict is Verdict.PROPOSE:
                assert call_id in proposed
    unpromoted = [
        ("reconcile", args["payment_id"], args["invoice_id"])
        for name, args in asked
        if name == "reconcile_payment_to_invoice"
        and gate(REGISTRY.get(name), caller, *learned(REGISTRY.get(name), args)).verdict is not Verdict.RUN_LOGGED
    ]
    assert not set(unpromoted) & set(books.writes), "a tier-3 write ran without an approved proposal"
    assert all(record.tier >= Tier.LOGGED_WRITE for record in logged)
    if proposed:
        assert result.status is TurnStatus.AWAITING_APPROVAL


def refuse_it(books) -> dict:
    """Refuse, as a tool does for a statement line it cannot see."""
    raise ToolRefusal("no statement line 9 in your companies")


def test_a_refusing_tool_is_recorded_failed_with_its_reason_for_the_model():
    refusing = make_spec(refuse_it, domain="bank", tier=Tier.LOGGED_WRITE, groups=(MANAGER,))
    logged, books = [], Books()
    provider = ScriptedProvider(calls(call("refuse_it", "c1")), "sorry")
    caller = Caller(user_id=3, groups=frozenset({STAFF, MANAGER}), may_write=True)
    Agent(
        provider=provider,
        tools=select_tools([refusing], caller=caller),
        caller=caller,
        execute=lambda spec, arguments: spec.call(books, arguments),
        system=build_system_prompt(today="2026-10-31"),
        log=logged.append,
    ).run((), "do it")

    [record] = logged
    assert (record.ok, record.tier) == (False, Tier.LOGGED_WRITE), "a refusal is a failed execution, never done"
    assert record.content == '{"error":"no statement line 9 in your companies","ok":false}'
    [answer] = provider.requests[-1].messages[-1].blocks
    assert answer.is_error and answer.content == record.content
