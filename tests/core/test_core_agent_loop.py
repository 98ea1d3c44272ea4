"""The agent loop, driven by a scripted model."""

import pytest
from core_fake_books import STAFF_CALLER, Books, make_agent

from fusion_accounting_core.services.agent import (
    Decision,
    Outcome,
    ResumeError,
    ScriptedProvider,
    TurnStatus,
    arguments_hash,
    call,
    calls,
)
from fusion_accounting_core.services.providers import ProviderUnavailable, Usage


def last_results(provider):
    """The tool results the model received in its latest request."""
    return {r.call_id: r for r in provider.requests[-1].messages[-1].blocks}


def test_plain_answer_accumulates_usage():
    provider = ScriptedProvider(
        calls(call("get_ar_aging", "c1"), usage=Usage(10, 2, 100, 5)),
        calls(call("get_ar_aging", "c2", top=1), text="Checking", usage=Usage(3, 1)),
        "Acme owes 100.",
    )
    result = make_agent(provider, Books()).run((), "Who owes us?")
    assert result.status is TurnStatus.ANSWERED
    assert result.text == "Acme owes 100."
    assert result.usage == Usage(13, 3, 100, 5)
    assert [e.tool for e in result.executions] == ["get_ar_aging", "get_ar_aging"]
    assert [m.role for m in result.messages] == ["user", "assistant", "tool", "assistant", "tool", "assistant"]


def test_limit_reached_stops_the_turn_with_a_message():
    provider = ScriptedProvider(*[calls(call("get_ar_aging", f"c{i}")) for i in range(3)])
    result = make_agent(provider, Books(), max_tool_calls=2).run((), "loop forever")
    assert result.status is TurnStatus.LIMIT_REACHED
    assert len(result.executions) == 2
    assert "limit" in result.text
    assert result.messages[-2].blocks[0].is_error and "limit of 2" in result.messages[-2].blocks[0].content
    assert provider.remaining == 0


def test_limit_counts_parallel_calls():
    provider = ScriptedProvider(calls(*[call("get_ar_aging", f"c{i}") for i in range(4)]))
    result = make_agent(provider, Books(), max_tool_calls=3).run((), "many")
    assert result.status is TurnStatus.LIMIT_REACHED
    assert [b.is_error for b in result.messages[-2].blocks] == [False, False, False, True]


def test_unknown_tool_goes_back_to_the_model():
    provider = ScriptedProvider(calls(call("drop_database", "c1")), "Sorry.")
    result = make_agent(provider, Books()).run((), "hi")
    assert result.status is TurnStatus.ANSWERED
    error = last_results(provider)["c1"]
    assert error.is_error and "Unknown tool 'drop_database'" in error.content and "get_ar_aging" in error.content


def test_tool_exception_goes_back_to_the_model():
    provider = ScriptedProvider(calls(call("explode", "c1")), "It failed.")
    result = make_agent(provider, Books()).run((), "hi")
    error = last_results(provider)["c1"]
    assert error.is_error and "ZeroDivisionError: division by zero" in error.content
    assert result.executions[0].ok is False and result.status is TurnStatus.ANSWERED


def test_invalid_and_malformed_arguments_go_back_to_the_model():
    from fusion_accounting_core.services.providers import ToolCall

    garbled = ToolCall("c2", "get_ar_aging", {}, parse_error="the arguments were not valid JSON")
    provider = ScriptedProvider(calls(call("get_ar_aging", "c1", top="ten"), garbled), "ok")
    result = make_agent(provider, Books()).run((), "hi")
    errors = last_results(provider)
    assert "Invalid arguments" in errors["c1"].content and "top: expected integer" in errors["c1"].content
    assert "not valid JSON" in errors["c2"].content
    assert result.executions == ()


def test_provider_failure_ends_as_a_message():
    provider = ScriptedProvider(ProviderUnavailable("Claude (Anthropic) had a server error (HTTP 500)."))
    result = make_agent(provider, Books()).run((), "hi")
    assert result.status is TurnStatus.FAILED
    assert result.error == "Claude (Anthropic) had a server error (HTTP 500)."


def test_tier2_runs_and_is_logged_for_a_manager():
    books, logged = Books(), []
    provider = ScriptedProvider(calls(call("flag_entry", "c1", move_id=4, note="odd")), "Flagged.")
    make_agent(provider, books, logged=logged).run((), "flag 4")
    assert books.flags == [(4, "odd")]
    assert [(r.tool, r.arguments, r.ok) for r in logged] == [("flag_entry", {"move_id": 4, "note": "odd"}, True)]


def test_tier2_is_refused_without_a_log():
    books = Books()
    provider = ScriptedProvider(calls(call("flag_entry", "c1", move_id=4, note="odd")), "ok")
    make_agent(provider, books).run((), "flag 4")
    assert books.flags == [] and "must be logged" in last_results(provider)["c1"].content


def test_staff_never_sees_nor_runs_tier2_or_tier3():
    books, logged = Books(), []
    provider = ScriptedProvider(
        calls(
            call("flag_entry", "c1", move_id=4, note="x"),
            call("reconcile_payment_to_invoice", "c2", payment_id=1, invoice_id=2),
        ),
        "ok",
    )
    result = make_agent(provider, books, caller=STAFF_CALLER, logged=logged).run((), "do it")
    offered = {t.name for t in provider.requests[0].tools}
    assert "flag_entry" not in offered and "reconcile_payment_to_invoice" not in offered
    assert books.flags == [] and books.writes == [] and logged == [] and result.proposals == ()
    assert all(r.is_error for r in last_results(provider).values())


def test_approval_round_trip():
    books = Books()
    provider = ScriptedProvider(
        calls(
            call("get_ar_aging", "c0"),
            call(
                "reconcile_payment_to_invoice",
                "c1",
                payment_id=5,
                invoice_id=9,
                ai_reasoning="Same amount.",
                ai_confidence=0.94,
            ),
            text="Found a match.",
        ),
        "Reconciled.",
    )
    agent = make_agent(provider, books)
    first = agent.run((), "match payments")
    assert first.status is TurnStatus.AWAITING_APPROVAL
    (proposal,) = first.proposals
    assert proposal.tool == "reconcile_payment_to_invoice"
    assert proposal.arguments == {"payment_id": 5, "invoice_id": 9}  # reasoning/confidence are not arguments
    assert proposal.arguments_hash == arguments_hash({"invoice_id": 9, "payment_id": 5})
    assert (proposal.reasoning, proposal.confidence) == ("Same amount.", 0.94)
    assert books.writes == [] and provider.remaining == 1  # the turn ended; nothing ran
    # the sibling tier-1 call was answered; the deferred one is still open
    assert [b.call_id for b in first.messages[-1].blocks] == ["c0"]

    done = agent.resume(first.messages, [Decision("c1", Outcome.APPROVED, content='"reconciled"')])
    assert done.status is TurnStatus.ANSWERED and done.text == "Reconciled."
    results = last_results(provider)
    assert list(results) == ["c0", "c1"]  # answered in call order, in one message
    assert results["c1"].content.startswith("Approved by the user and executed") and not results["c1"].is_error
    assert books.writes == []  # the loop itself never executed it: approval execution is the adapter's job


def test_rejection_round_trip():
    provider = ScriptedProvider(
        calls(call("reconcile_payment_to_invoice", "c1", payment_id=5, invoice_id=9)), "Understood, I will not."
    )
    agent = make_agent(provider, Books())
    first = agent.run((), "match")
    decision = Decision("c1", Outcome.REJECTED, reason="Wrong partner", correct_action="Use invoice 10")
    done = agent.resume(first.messages, [decision])
    result = last_results(provider)["c1"]
    assert result.is_error
    assert "Rejected by the user" in result.content and "Wrong partner" in result.content
    assert "Use invoice 10" in result.content
    assert done.text == "Understood, I will not."


def test_resume_requires_a_decision_for_every_pending_call():
    provider = ScriptedProvider(
        calls(
            call("reconcile_payment_to_invoice", "a", payment_id=1, invoice_id=2),
            call("reconcile_payment_to_invoice", "b", payment_id=3, invoice_id=4),
        ),
    )
    agent = make_agent(provider, Books())
    first = agent.run((), "match")
    assert [p.call_id for p in first.proposals] == ["a", "b"]
    with pytest.raises(ResumeError):
        agent.resume(first.messages, [Decision("a", Outcome.APPROVED)])
    with pytest.raises(ResumeError):
        agent.resume(first.messages, [Decision("a", Outcome.APPROVED), Decision("zz", Outcome.APPROVED)])
    with pytest.raises(ResumeError, match="not waiting"):
        agent.resume(first.messages[:1], [])


def test_invalid_tier3_arguments_are_not_proposed():
    provider = ScriptedProvider(calls(call("reconcile_payment_to_invoice", "c1", payment_id="5")), "ok")
    result = make_agent(provider, Books()).run((), "match")
    assert result.proposals == () and result.status is TurnStatus.ANSWERED
