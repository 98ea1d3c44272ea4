"""The scenario of a concrete call decides its tier: only a promotion of its own scenario lifts approval."""

from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.tool_scenarios import (
    AMOUNT_LIMITS,
    GENERAL,
    CallFacts,
    promoted_call,
    scenarios_of,
)

facts = st.builds(
    CallFacts,
    partner_id=st.one_of(st.none(), st.integers(1, 50)),
    amount=st.one_of(st.none(), st.integers(-2_000_000, 2_000_000)),
    card_batch=st.booleans(),
)
names = st.one_of(
    st.just(GENERAL),
    st.just("card_batch"),
    st.builds("partner_{}".format, st.integers(1, 50)),
    st.builds("amount_below_{}".format, st.sampled_from(AMOUNT_LIMITS)),
)
scenario_sets = st.frozensets(names, max_size=8)


@given(facts, scenario_sets, scenario_sets)
def test_a_call_whose_scenarios_are_not_promoted_always_needs_approval(call, promoted, held):
    scenarios = scenarios_of(call)
    assert not promoted_call(scenarios, promoted - set(scenarios), held)


@given(facts, scenario_sets, st.data())
def test_a_promoted_scenario_lifts_approval_for_its_calls_unless_one_of_them_is_reverted(call, held, data):
    scenarios = scenarios_of(call)
    scenario = data.draw(st.sampled_from(scenarios))
    assert promoted_call(scenarios, {scenario}, held) == (not held & set(scenarios))


@given(facts, facts)
def test_a_partner_promotion_covers_only_that_partner(call, other):
    scenario = f"partner_{call.partner_id}"
    if call.partner_id and other.partner_id != call.partner_id:
        assert not promoted_call(scenarios_of(other), {scenario})


@given(facts)
def test_every_call_is_in_general_last_and_amount_bands_hold_only_smaller_amounts(call):
    scenarios = scenarios_of(call)
    assert scenarios[-1] == GENERAL and len(set(scenarios)) == len(scenarios)
    for limit in AMOUNT_LIMITS:
        within = call.amount is not None and abs(call.amount) < limit * 100
        assert (f"amount_below_{limit}" in scenarios) == within


def test_card_batches_and_partners_are_named_as_recorded():
    assert scenarios_of(CallFacts(partner_id=3, card_batch=True)) == ("partner_3", "card_batch", GENERAL)
    assert scenarios_of(CallFacts()) == (GENERAL,)
