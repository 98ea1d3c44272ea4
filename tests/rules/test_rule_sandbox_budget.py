"""Issue 18, failure 6: no rule knocks the sandbox over, by its result or by one long operation.

Every case ends with a typed error found by the sandbox's own budget (steps,
sizes, depth, finiteness), never by a wall clock: the work of each operation is
priced before Python does it, so the clock never has to catch one.
"""

import math

import pytest

from fusion_accounting.services.rule_sandbox import (
    BAD_RESULT,
    MAX_AMOUNT,
    NOT_FINITE,
    RUNTIME,
    TIMEOUT,
    TOO_LARGE,
    SandboxLimits,
    check_amount,
    run,
)

CANDIDATES = [{"id": i, "amount": 10.0 + i, "partner_id": i % 5, "ref": f"INV/{i}"} for i in range(50)]
INPUTS = {"line": {"id": 1, "amount": 31.0, "label": "DEPOSIT", "partner_id": 3}, "candidates": CANDIDATES}
# A wall clock that never moves: only the step budget and the size limits can stop these rules.
FROZEN = {"clock": lambda: 0.0}

HOSTILE = [
    # (why, code, expected error kind)
    ("NaN fee", "result = {'ids': [1], 'fee': float('nan')}", NOT_FINITE),
    ("NaN by arithmetic", "x = 1e308 * 10\nresult = {'ids': [1], 'fee': x - x}", NOT_FINITE),
    ("inf literal", "result = {'ids': [1], 'fee': 1e309}", NOT_FINITE),
    ("inf", "float('inf')", NOT_FINITE),
    ("-inf", "-float('inf')", NOT_FINITE),
    ("inf from a string", "float('1' * 400)", NOT_FINITE),
    ("float overflow", "1e308 * 1e308", NOT_FINITE),
    ("float pow tower", "2.0 ** 2.0 ** 2.0 ** 2.0 ** 2.0 ** 2.0", NOT_FINITE),
    ("int pow tower", "2 ** 2 ** 2 ** 2 ** 2", TOO_LARGE),
    ("9 ** 9 ** 9", "9 ** 9 ** 9", TOO_LARGE),
    ("int product", "x = 2 ** 255\nresult = x * x * x", TOO_LARGE),
    ("round to a huge precision", "round(5, -10 ** 70)", TOO_LARGE),
    ("complex power", "(-8) ** 0.5", RUNTIME),
    ("nested comparison", "A = [0] * 10000\nB = [1] * 10000\nresult = [A] * 100 == [B] * 100", TIMEOUT),
    ("shared nested comparison", "A = [0] * 10000\nB = [A] * 10000\nC = [A] * 10000\nresult = B == C", TIMEOUT),
    ("nested ordering", "A = [0] * 10000\nresult = [[A] * 100] < [[A] * 100]", TIMEOUT),
    ("membership in nested lists", "A = [[0] * 1000] * 1000\nresult = [1] in A", TIMEOUT),
    ("sorting nested lists", "A = [0] * 10000\nresult = sorted([[A] * 100, [A] * 100])", TIMEOUT),
    ("max of nested lists", "A = [0] * 10000\nresult = max([A] * 10000)", TIMEOUT),
    ("list.count on nested lists", "A = [0] * 10000\nresult = ([A] * 10000).count([1])", TIMEOUT),
    ("hashing a long tuple key", "k = tuple([0] * 10000)\nd = {}\nfor i in range(10000):\n    d[k] = i", TIMEOUT),
    ("set of long tuples", "k = tuple([0] * 10000)\nresult = [{k, k} for i in range(1000)]", TIMEOUT),
    ("long string scans", "s = 'a' * 10000\nn = 0\nfor i in range(10000):\n    n += s.count('b')", TIMEOUT),
    ("long string comparisons", "s = 'a' * 10000\nt = 'a' * 10000\nresult = [s == t for i in range(10000)]", TIMEOUT),
    ("huge repetition", "A = [0] * 10000\nresult = [A] * 10 ** 9", TOO_LARGE),
    ("repetition of repetitions", "x = [0] * 10000\nfor i in range(200):\n    x = [x] * 10000", TOO_LARGE),
    (
        "deep nesting built in a loop",
        "a = []\nb = []\nfor i in range(2000):\n    a = [a]\n    b = [b]\nresult = a == b",
        TOO_LARGE,
    ),
    ("deep nesting searched", "a = []\nfor i in range(2000):\n    a = [a]\nresult = 1 in [a]", TOO_LARGE),
]


@pytest.mark.parametrize(("why", "code", "kind"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_rules_end_with_a_typed_error_from_the_budget(why, code, kind):
    outcome = run(code, INPUTS, **FROZEN)
    assert not outcome.ok, why
    assert outcome.error.kind == kind, str(outcome.error)


def test_the_budget_is_what_stops_a_priced_operation():
    # The same comparison passes with a budget that pays for it: the limit, not the code, decides.
    code = "A = [0] * 1000\nB = [1] * 1000\nresult = [A] * 100 == [B] * 100"
    assert run(code, {}, limits=SandboxLimits(max_steps=300_000), **FROZEN).value is False
    assert run(code, {}, limits=SandboxLimits(max_steps=150_000), **FROZEN).error.kind == TIMEOUT


def test_a_real_rule_over_fifty_candidates_fits_the_budget():
    pairs = """
result = []
for a in candidates:
    for b in candidates:
        if a['id'] < b['id'] and a['partner_id'] == b['partner_id'] and a['amount'] + b['amount'] == line['amount']:
            result = [a['id'], b['id']]
"""
    outcome = run(pairs, INPUTS, **FROZEN)
    assert outcome.ok, outcome.error
    assert outcome.value == [3, 8]  # 13.0 + 18.0, both of partner 3
    assert outcome.steps < SandboxLimits().max_steps / 2


@pytest.mark.parametrize(
    ("fee", "kind"),
    [
        (math.nan, BAD_RESULT),
        (math.inf, BAD_RESULT),
        (-math.inf, BAD_RESULT),
        (1e308, BAD_RESULT),
        (-(MAX_AMOUNT + 1), BAD_RESULT),
        (True, BAD_RESULT),
        ("11.53", BAD_RESULT),
        (11.53, None),
        (-MAX_AMOUNT, None),
    ],
)
def test_an_amount_to_book_is_a_finite_bounded_number(fee, kind):
    error = check_amount(fee, "fee")
    assert (error and error.kind) == kind
