"""Memory matcher and rule proposals: history moves confidence the right way and names its evidence."""

from hypothesis import given
from hypothesis import strategies as st

from fusion_accounting.services.memory_matcher import MatchFacts, MemoryPolicy, PastMatch, remember, similarity
from fusion_accounting.services.rule_proposal import pattern_key, propose_rules

LABELS = ["ELAVON MERCH DEP 0304 BATCH 4", "E-TFR 4471 WALKER MOBILITY", "MONTHLY ACCOUNT FEE", "PAYMENT INV 12"]

facts = st.builds(
    MatchFacts,
    partner_id=st.sampled_from([None, 1, 2]),
    label=st.sampled_from(LABELS),
    amount=st.sampled_from([-2500, 11300, 69761, 70112, 500000]),
    kind=st.sampled_from(["", "card_batch", "reference"]),
    fee_bps=st.sampled_from([None, 150, 160, 240]),
    fee_account_id=st.sampled_from([None, 9]),
)


ANY_DECISION = st.booleans()


@st.composite
def past_matches(draw, approved=ANY_DECISION):
    base = draw(facts)
    return PastMatch(**base.__dict__, id=draw(st.integers(1, 10_000)), approved=draw(approved))


histories = st.lists(past_matches(), max_size=25, unique_by=lambda match: match.id)
confidences = st.floats(0.0, 1.0)


@given(facts, confidences)
def test_without_history_the_confidence_is_unchanged(new, base):
    recall = remember(new, base, [])
    assert (recall.confidence, recall.support, recall.against) == (base, (), ())
    assert recall.reason == "no similar past match"


@given(facts, confidences, histories, past_matches(approved=st.just(True)))
def test_an_approved_match_never_lowers_confidence(new, base, history, extra):
    assert remember(new, base, [*history, extra]).confidence >= remember(new, base, history).confidence - 1e-12


@given(facts, confidences, histories, past_matches(approved=st.just(False)))
def test_a_rejected_match_never_raises_confidence(new, base, history, extra):
    assert remember(new, base, [*history, extra]).confidence <= remember(new, base, history).confidence + 1e-12


@given(facts, confidences, histories, st.randoms())
def test_the_result_does_not_depend_on_the_order_of_history(new, base, history, rng):
    shuffled = list(history)
    rng.shuffle(shuffled)
    assert remember(new, base, shuffled) == remember(new, base, history)


@given(facts, confidences, histories)
def test_the_reason_names_exactly_the_past_matches_relied_on(new, base, history):
    recall = remember(new, base, history)
    by_id = {past.id: past for past in history}
    assert all(by_id[i].approved for i in recall.support)
    assert all(not by_id[i].approved for i in recall.against)
    assert all(f"#{i}" in recall.reason for i in recall.support + recall.against)
    assert 0.0 <= recall.confidence <= max(base, MemoryPolicy().ceiling)


def test_a_different_kind_or_fee_account_is_never_similar():
    new = MatchFacts(partner_id=1, label=LABELS[0], amount=69761, kind="card_batch", fee_bps=160, fee_account_id=9)
    other_kind = PastMatch(**{**new.__dict__, "kind": "reference"}, id=1)
    other_fee_account = PastMatch(**{**new.__dict__, "fee_account_id": 10}, id=2)
    policy = MemoryPolicy()
    assert similarity(new, other_kind, policy) == similarity(new, other_fee_account, policy) == 0.0
    assert similarity(new, PastMatch(**new.__dict__, id=3), policy) == 1.0


def bank_fee(n, approved=True):
    return PastMatch(
        partner_id=None, label=f"MONTHLY ACCOUNT FEE {n}", amount=-2000 - n, fee_account_id=9, id=n, approved=approved
    )


def test_three_identical_approved_matches_make_one_proposal_two_do_not():
    assert propose_rules([bank_fee(1), bank_fee(2)]) == []
    [proposal] = propose_rules([bank_fee(1), bank_fee(2), bank_fee(3)])
    assert proposal.support == (1, 2, 3)
    assert proposal.label_words == ("account", "fee", "monthly")
    assert proposal.rule_type == "fee" and proposal.fee_account_id == 9


def test_a_contested_or_known_pattern_is_not_proposed():
    history = [bank_fee(1), bank_fee(2), bank_fee(3)]
    assert propose_rules([*history, bank_fee(4, approved=False)]) == []
    assert propose_rules(history, known_keys={pattern_key(history[0])}) == []


def test_different_fee_ratios_are_different_patterns():
    def card(n, bps):
        return PastMatch(
            partner_id=4, label="ELAVON", amount=1000, kind="card_batch", fee_bps=bps, fee_account_id=9, id=n
        )

    assert propose_rules([card(1, 160), card(2, 160), card(3, 290)]) == []
    assert len(propose_rules([card(1, 160), card(2, 161), card(3, 159)])) == 1


@given(histories)
def test_every_proposal_rests_on_three_identical_approved_matches(history):
    for proposal in propose_rules(history):
        support = [match for match in history if match.id in proposal.support]
        assert len(support) >= 3 and all(match.approved for match in support)
        assert len({pattern_key(match) for match in support}) == 1
