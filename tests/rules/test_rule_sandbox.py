"""match_code sandbox: useful rules run; hostile ones are refused or stopped, never raised."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fusion_accounting.services.rule_sandbox import (
    NOT_FINITE,
    REFUSED,
    RUNTIME,
    SYNTAX,
    TIMEOUT,
    TOO_LARGE,
    SandboxLimits,
    check,
    run,
)

LINE = {"id": 7, "amount": 697.61, "label": "ELAVON MRCH SVC 0304", "partner_id": 3}
CANDIDATES = [
    {"id": 11, "amount": 300.00, "partner_id": 3, "ref": "CARD 1"},
    {"id": 12, "amount": 409.14, "partner_id": 3, "ref": "CARD 2"},
    {"id": 13, "amount": 50.00, "partner_id": 9, "ref": "OTHER"},
]
INPUTS = {"line": LINE, "candidates": CANDIDATES}

ELAVON_RULE = """
ids = []
total = 0
for c in candidates:
    if c['partner_id'] == line['partner_id']:
        ids.append(c['id'])
        total += c['amount']
fee = round(total - line['amount'], 2)
if 'elavon' in line['label'].lower() and 0 <= fee <= total * 0.03:
    result = {'ids': ids, 'fee': fee}
"""


def test_a_fee_rule_matches_the_card_batch_and_names_the_fee():
    outcome = run(ELAVON_RULE, INPUTS)
    assert outcome.ok, outcome.error
    assert outcome.value == {"ids": [11, 12], "fee": 11.53}


def test_a_single_expression_is_its_own_result():
    assert run("[c['id'] for c in candidates if c['amount'] > 100]", INPUTS).value == [11, 12]


def test_the_rule_works_on_a_copy_of_its_inputs():
    run("candidates.append(1)", INPUTS)
    assert len(CANDIDATES) == 3


def test_a_rule_without_result_yields_none():
    assert run("x = 1", {}).value is None


HOSTILE = [
    # (why, code, expected error kind)
    ("import", "import os", REFUSED),
    ("from import", "from os import system", REFUSED),
    ("dunder import", "__import__('os').system('id')", REFUSED),
    ("class escape", "().__class__.__bases__[0].__subclasses__()", REFUSED),
    ("dunder attribute on input", "line.__class__", REFUSED),
    ("private name", "_x = 1", REFUSED),
    ("getattr", "getattr(line, 'items')", REFUSED),
    ("open", "open('/etc/passwd').read()", REFUSED),
    ("eval", "eval('1+1')", REFUSED),
    ("exec", "exec('x=1')", REFUSED),
    ("compile", "compile('1', 'f', 'eval')", REFUSED),
    ("globals", "globals()", REFUSED),
    ("lambda", "f = lambda: 1", REFUSED),
    ("def and recursion", "def f(n):\n    return f(n + 1)\nresult = f(0)", REFUSED),
    ("class", "class A:\n    pass", REFUSED),
    ("while True", "while True:\n    pass", REFUSED),
    ("try", "try:\n    x = 1\nexcept Exception:\n    pass", REFUSED),
    ("with", "with x:\n    pass", REFUSED),
    ("f-string width", "f'{1:>{10**9}}'", REFUSED),
    ("percent formatting", "'%*d' % (10**9, 1)", REFUSED),
    ("bytes", "b'abc'", REFUSED),
    ("walrus", "(x := 1)", REFUSED),
    ("unknown method", "line['label'].format()", REFUSED),
    ("replace grows strings", "'a'.replace('a', 'aa')", REFUSED),
    ("key function", "sorted(candidates, key=len)", REFUSED),
    ("huge string", "'a' * 10**10", TOO_LARGE),
    ("huge list", "[0] * 10**9", TOO_LARGE),
    ("huge power", "10**10**10", TOO_LARGE),
    ("huge range", "for i in range(10**9):\n    pass", TOO_LARGE),
    ("growing list", "x = [0]\nfor i in range(100):\n    x = x + x", TOO_LARGE),
    ("str of a big container", "s = 'a' * 10000\nresult = str([s] * 10000)", RUNTIME),
    ("sum of lists", "l = [0] * 10000\nresult = sum([l] * 10000, [])", RUNTIME),
    ("nested loops", "n = 0\nfor i in range(10000):\n    for j in range(10000):\n        n += 1", TIMEOUT),
    ("comprehension bomb", "[[i * j for i in range(10000)] for j in range(10000)]", TIMEOUT),
    ("deep nesting", "[" * 200 + "1" + "]" * 200, TOO_LARGE),
    ("deeper than the parser", "-" * 5000 + "1", SYNTAX),
    ("long source", "x = 1\n" * 5000, TOO_LARGE),
    ("broken syntax", "result = (", SYNTAX),
    ("empty", "   ", SYNTAX),
    ("division by zero", "1 / 0", RUNTIME),
    ("missing key", "line['nope']", RUNTIME),
    ("unknown name", "os", RUNTIME),
]


@pytest.mark.parametrize(("why", "code", "kind"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_code_is_refused_or_stopped_with_a_clear_error(why, code, kind):
    started = time.monotonic()
    outcome = run(code, INPUTS)
    assert not outcome.ok, why
    assert outcome.error.kind == kind, str(outcome.error)
    assert str(outcome.error).startswith(kind)
    assert time.monotonic() - started < 3.0


# Refusals that depend on a runtime type (``str % ...``) cannot be seen before the run.
STATIC = [code for _, code, kind in HOSTILE if kind in {REFUSED, SYNTAX} and " % " not in code]


@pytest.mark.parametrize("code", STATIC, ids=lambda code: code[:20])
def test_statically_refused_code_is_caught_by_check_before_saving(code):
    assert check(code) is not None


def test_the_wall_clock_limit_stops_a_slow_rule():
    ticks = iter(range(10**6))
    outcome = run(
        "n = 0\nfor i in range(5000):\n    n += 1",
        {},
        limits=SandboxLimits(max_seconds=10),
        clock=lambda: next(ticks) * 1.0,
    )
    assert outcome.error.kind == TIMEOUT
    assert "longer than" in outcome.error.message


def test_non_plain_inputs_are_refused_as_bad_input():
    outcome = run("result = x", {"x": object()})
    assert outcome.error.kind == "bad_input"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_yields_a_result_value_and_never_raises(code):
    outcome = run(code, INPUTS, limits=SandboxLimits(max_seconds=0.2))
    assert outcome.ok or outcome.error.kind in {SYNTAX, REFUSED, TIMEOUT, TOO_LARGE, RUNTIME, NOT_FINITE}


@given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6))
def test_arithmetic_agrees_with_python(a, b):
    assert run("a * b + a - b", {"a": a, "b": b}).value == a * b + a - b
