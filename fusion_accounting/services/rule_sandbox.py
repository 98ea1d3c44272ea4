"""Run a rule's ``match_code`` deterministically, through an AST whitelist.

The code is never handed to ``exec``: it is parsed, checked against a whitelist
of node types, names and methods (the approach of Odoo's
``account_tax_python`` formula checker), then evaluated by a small tree-walking
interpreter that owns every operation.  Owning the operations is what lets us
refuse a huge allocation *before* it happens (``'a' * 10**10``,
``10**10**10`` would otherwise block inside C code where no timer can reach),
count steps, and stop on a wall-clock deadline.

The step budget also prices the work *inside* one operation: comparing,
searching, sorting or hashing nested values costs one step per item they hold
(a string one per 64 characters), counted before Python does the work.  A
clock checked between steps cannot stop ``A == B`` on two lists of ten
thousand shared ten-thousand-item lists: a single C call of hours.  Priced, it
is refused once it would exceed the steps left, so no rule outlives its limit.
Every number a rule makes is finite (no NaN, no infinity), and a result the
callers book, a fee, must also be a bounded amount (:func:`check_amount`).

Contract: the program sees the variables it is given (plain values: None,
bool, int, float, str, list, tuple, dict) and answers by assigning ``result``;
a single expression is its own result.  No functions can be defined, so there
is no recursion; ``while`` is refused and ``for`` only walks values that are
themselves bounded.  A broken or hostile rule gives a :class:`SandboxResult`
whose ``error`` says why; :func:`run` never raises.

>>> run("result = [c['id'] for c in candidates if c['amount'] == line['amount']]",
...     {"line": {"amount": 10.0}, "candidates": [{"id": 1, "amount": 10.0}, {"id": 2, "amount": 9.0}]}).value
[1]
>>> run("'a' * 10**10", {}).error.kind
'too_large'
>>> run("().__class__", {}).error.kind
'refused'
>>> run("float('nan')", {}).error.kind
'not_finite'
"""

import ast
import math
import time
from dataclasses import dataclass

SYNTAX = "syntax"
REFUSED = "refused"
TIMEOUT = "timeout"
TOO_LARGE = "too_large"
RUNTIME = "runtime"
BAD_INPUT = "bad_input"
NOT_FINITE = "not_finite"
BAD_RESULT = "bad_result"

# The largest amount a rule may return for booking (currency units): far above
# any real fee, and small enough that its cents stay exact in a float.
MAX_AMOUNT = 10**12
# ``round(x, n)`` computes 10**|n| for an integer x: a huge ``n`` would block in C.
MAX_ROUND_DIGITS = 30
# One step buys this many characters of a string scanned or compared.
_CHARS_PER_STEP = 64

_PLAIN_SCALARS = (type(None), bool, int, float, str)
_PLAIN_CONTAINERS = (list, tuple, dict)
# Values the machine may hold (a ``range`` is lazy, its length is checked).
_HELD = (*_PLAIN_SCALARS, list, tuple, dict, set, range)

_STATEMENTS = (ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.For, ast.Pass)
_STATEMENTS += (ast.Break, ast.Continue)
_EXPRESSIONS = (ast.Constant, ast.Name, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Call)
_EXPRESSIONS += (ast.Attribute, ast.Subscript, ast.Slice, ast.List, ast.Tuple, ast.Dict, ast.Set)
_EXPRESSIONS += (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.comprehension, ast.keyword)
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.USub, ast.UAdd, ast.Not)
_OPERATORS += (ast.And, ast.Or, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is)
_OPERATORS += (ast.IsNot, ast.Load, ast.Store)
ALLOWED_NODES = _STATEMENTS + _EXPRESSIONS + _OPERATORS

# Methods a rule may call, per receiver type.  Nothing that grows a value
# without a size check (no ``replace``, ``ljust``, ``zfill``...).
METHODS = {
    str: frozenset({"lower", "upper", "strip", "lstrip", "rstrip", "startswith", "endswith", "split", "find"})
    | frozenset({"count", "isdigit", "join"}),
    dict: frozenset({"get", "keys", "values", "items"}),
    list: frozenset({"append", "index", "count"}),
    tuple: frozenset({"index", "count"}),
}
ALL_METHODS = frozenset().union(*METHODS.values())
KEYWORDS = frozenset({"reverse", "default", "start"})


@dataclass(frozen=True)
class SandboxLimits:
    """Bounds on one run; every value and every total allocation is capped."""

    max_source_chars: int = 10_000
    max_nodes: int = 2_000
    max_depth: int = 40
    max_steps: int = 200_000
    max_seconds: float = 0.5
    max_len: int = 10_000
    max_allocated: int = 1_000_000
    max_int_bits: int = 256


@dataclass(frozen=True)
class SandboxError:
    """Why a rule did not run: ``kind`` is one of the module constants."""

    kind: str
    message: str
    line: int = 0

    def __str__(self):
        where = f" (line {self.line})" if self.line else ""
        return f"{self.kind}: {self.message}{where}"


def check_amount(value, name="amount", limit=MAX_AMOUNT):
    """The :class:`SandboxError` (``bad_result``) of a rule's amount that is no finite number within ``limit``.

    >>> check_amount(11.53) is None, str(check_amount(float("nan"), "fee")), str(check_amount(1e308, "fee"))
    (True, 'bad_result: fee must be a finite number', 'bad_result: fee must be within 1000000000000')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return SandboxError(BAD_RESULT, f"{name} must be a number")
    if not math.isfinite(value):
        return SandboxError(BAD_RESULT, f"{name} must be a finite number")
    if abs(value) > limit:
        return SandboxError(BAD_RESULT, f"{name} must be within {limit}")
    return None


@dataclass(frozen=True)
class SandboxResult:
    value: object = None
    error: SandboxError = None
    steps: int = 0

    @property
    def ok(self):
        return self.error is None


class _Stop(Exception):
    """Internal: ends the run with a :class:`SandboxError`."""

    def __init__(self, kind, message, node=None):
        super().__init__(message)
        self.error = SandboxError(kind, message, getattr(node, "lineno", 0))


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def check(code, limits=None):
    """Static refusal: the :class:`SandboxError` of ``code``, or None when it may run."""
    try:
        _parse(code, limits or SandboxLimits())
    except _Stop as stop:
        return stop.error
    return None


def run(code, variables, limits=None, clock=time.monotonic):
    """Run ``code`` with ``variables``; return a :class:`SandboxResult`, never raise."""
    limits = limits or SandboxLimits()
    try:
        tree = _parse(code, limits)
        machine = _Machine(limits, clock)
        scope = {name: machine.adopt(value) for name, value in dict(variables).items()}
        value = machine.program(tree, scope)
        return SandboxResult(value=value, steps=machine.steps)
    except _Stop as stop:
        return SandboxResult(error=stop.error)
    except (RecursionError, MemoryError) as exc:
        return SandboxResult(error=SandboxError(TOO_LARGE, type(exc).__name__))
    except OverflowError as exc:  # float arithmetic past 1.8e308 (``2.0 ** 2.0 ** 11``)
        return SandboxResult(error=SandboxError(NOT_FINITE, str(exc)))
    except Exception as exc:  # a guard must not let one rule break the run
        return SandboxResult(error=SandboxError(RUNTIME, f"{type(exc).__name__}: {exc}"))


def _parse(code, limits):
    if not isinstance(code, str) or not code.strip():
        raise _Stop(SYNTAX, "the rule has no code")
    if len(code) > limits.max_source_chars:
        raise _Stop(TOO_LARGE, f"code longer than {limits.max_source_chars} characters")
    try:
        tree = ast.parse(code, mode="exec")
    except SyntaxError as exc:
        raise _Stop(SYNTAX, exc.msg or "invalid syntax", exc) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise _Stop(SYNTAX, f"code too deeply nested ({type(exc).__name__})") from None
    if len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr):
        tree = ast.Expression(body=tree.body[0].value)
    _Checker(limits).visit_tree(tree)
    return tree


class _Checker:
    def __init__(self, limits):
        self.limits = limits
        self.nodes = 0

    def visit_tree(self, tree):
        self.visit(tree, 0)

    def visit(self, node, depth):
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _Stop(TOO_LARGE, f"more than {self.limits.max_nodes} syntax nodes", node)
        if depth > self.limits.max_depth:
            raise _Stop(TOO_LARGE, f"nested deeper than {self.limits.max_depth}", node)
        if not isinstance(node, ALLOWED_NODES):
            raise _Stop(REFUSED, f"{type(node).__name__} is not allowed", node)
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            raise _Stop(REFUSED, f"name {node.id!r} is not allowed", node)
        if isinstance(node, ast.Attribute) and node.attr not in ALL_METHODS:
            raise _Stop(REFUSED, f"attribute {node.attr!r} is not allowed", node)
        if isinstance(node, ast.Constant) and not isinstance(node.value, _PLAIN_SCALARS):
            raise _Stop(REFUSED, f"constant of type {type(node.value).__name__} is not allowed", node)
        if isinstance(node, ast.keyword) and node.arg not in KEYWORDS:
            raise _Stop(REFUSED, f"keyword argument {node.arg!r} is not allowed", node)
        if isinstance(node, ast.Call):
            self._check_callee(node)
        for child in ast.iter_child_nodes(node):
            self.visit(child, depth + 1)

    @staticmethod
    def _check_callee(node):
        func = node.func
        if isinstance(func, ast.Name) and func.id in FUNCTIONS:
            return
        if isinstance(func, ast.Attribute):
            return
        name = func.id if isinstance(func, ast.Name) else type(func).__name__
        raise _Stop(REFUSED, f"calling {name!r} is not allowed", node)


def _scalar_str(value=""):
    # str() of a container could build a string far larger than its item count.
    if not isinstance(value, _PLAIN_SCALARS):
        raise TypeError("str() takes a plain scalar in a rule")
    return str(value)


def _number_sum(values, start=0):
    # sum() of lists would concatenate them without a size check.
    if not all(isinstance(value, (int, float)) for value in [*values, start]):
        raise TypeError("sum() adds numbers only in a rule")
    return sum(values, start)


FUNCTIONS = {
    "abs": abs,
    "all": all,
    "any": any,
    "bool": bool,
    "dict": dict,
    "enumerate": lambda seq, start=0: list(enumerate(seq, start)),
    "float": float,
    "int": int,
    "len": len,
    "list": list,
    "max": max,
    "min": min,
    "range": range,
    "reversed": lambda seq: list(reversed(seq)),
    "round": round,
    "sorted": sorted,
    "str": _scalar_str,
    "sum": _number_sum,
    "tuple": tuple,
    "zip": lambda *seqs: list(zip(*seqs, strict=False)),
}


# What a call costs beyond its step: ``_DEEP`` functions compare or hash their
# arguments' items (priced by their nested size), ``_SHALLOW`` ones walk the
# top level only; the others take constant time on the bounded values a rule holds.
_DEEP = frozenset({"max", "min", "sorted", "dict"})
_SHALLOW = frozenset({"all", "any", "enumerate", "list", "reversed", "sum", "tuple", "zip"})
_DEEP_METHODS = frozenset({"index", "count", "get"})


class _Machine:
    """Evaluates a checked tree; every produced value goes through :meth:`guard`."""

    def __init__(self, limits, clock):
        self.limits = limits
        self.clock = clock
        self.deadline = clock() + limits.max_seconds
        self.steps = 0
        self.next_clock_check = 64
        self.allocated = 0

    # -- values -------------------------------------------------------------
    def adopt(self, value, depth=0):
        """Copy an input into plain values, refusing anything else."""
        if depth > self.limits.max_depth:
            raise _Stop(BAD_INPUT, "input nested too deeply")
        if isinstance(value, _PLAIN_SCALARS):
            return self.guard(value)
        if isinstance(value, dict):
            return self.guard({self.adopt(k, depth + 1): self.adopt(v, depth + 1) for k, v in value.items()})
        if isinstance(value, (list, tuple)):
            return self.guard(type(value)(self.adopt(v, depth + 1) for v in value))
        raise _Stop(BAD_INPUT, f"input of type {type(value).__name__} is not a plain value")

    def guard(self, value, node=None, allocated=None):
        """Refuse ``value`` if too large; count ``allocated`` new items (default: its size)."""
        limits = self.limits
        if isinstance(value, bool) or value is None:
            return value
        if not isinstance(value, _HELD):
            raise _Stop(RUNTIME, f"a rule cannot hold a {type(value).__name__}", node)
        if isinstance(value, float) and not math.isfinite(value):
            raise _Stop(NOT_FINITE, f"{value} is not a finite number", node)
        if isinstance(value, int):
            if value.bit_length() > limits.max_int_bits:
                raise _Stop(TOO_LARGE, f"integer larger than {limits.max_int_bits} bits", node)
            return value
        if isinstance(value, (str, list, tuple, dict, set, range)):
            size = len(value)
            if size > limits.max_len:
                raise _Stop(TOO_LARGE, f"value of {size} items exceeds {limits.max_len}", node)
            if not isinstance(value, range):
                self.allocated += size if allocated is None else allocated
            if self.allocated > limits.max_allocated:
                raise _Stop(TOO_LARGE, f"rule allocated more than {limits.max_allocated} items", node)
        return value

    def tick(self, node, cost=1):
        """Spend ``cost`` steps, before the work they pay for is done."""
        self.steps += cost
        if self.steps > self.limits.max_steps:
            raise _Stop(TIMEOUT, f"more than {self.limits.max_steps} steps", node)
        if self.steps >= self.next_clock_check:
            self.next_clock_check = self.steps + 64
            if self.clock() > self.deadline:
                raise _Stop(TIMEOUT, f"longer than {self.limits.max_seconds}s", node)

    def weight(self, value, node):
        """Steps to compare, search or hash ``value``: its items at every depth; strings by length.

        Walks at most the steps left (shared sub-lists count each time they
        appear, as Python's comparison visits them each time), and refuses a
        value nested deeper than the limit, which Python would recurse into.
        """
        left = self.limits.max_steps - self.steps
        total, stack = 0, [(value, 0)]
        while stack:
            item, depth = stack.pop()
            if isinstance(item, str):
                total += 1 + len(item) // _CHARS_PER_STEP
            elif isinstance(item, (list, tuple, set, dict)):
                if depth >= self.limits.max_depth:
                    raise _Stop(TOO_LARGE, f"value nested deeper than {self.limits.max_depth}", node)
                total += 1 + len(item)
                items = [*item.keys(), *item.values()] if isinstance(item, dict) else item
                stack.extend((child, depth + 1) for child in items if isinstance(child, (str, list, tuple, set, dict)))
            else:
                total += 1
            if total > left:
                raise _Stop(TIMEOUT, f"more than {self.limits.max_steps} steps", node)
        return total

    def pay_for(self, values, node, deep=True, times=1):
        """Charge the work of an operation on ``values`` (``times`` over): nested size when ``deep``, else length."""
        if deep:
            cost = sum(self.weight(value, node) for value in values if not _is_number(value))
        else:
            cost = sum(len(value) for value in values if isinstance(value, (str, list, tuple, set, dict, range)))
        if cost:
            self.tick(node, cost * times)

    # -- statements ---------------------------------------------------------
    def program(self, tree, scope):
        if isinstance(tree, ast.Expression):
            return self.expr(tree.body, scope)
        self.block(tree.body, scope)
        return scope.get("result")

    def block(self, statements, scope):
        for statement in statements:
            self.statement(statement, scope)

    def statement(self, node, scope):
        self.tick(node)
        if isinstance(node, ast.Expr):
            self.expr(node.value, scope)
        elif isinstance(node, ast.Assign):
            value = self.expr(node.value, scope)
            for target in node.targets:
                self.assign(target, value, scope)
        elif isinstance(node, ast.AugAssign):
            current = self.expr(_as_load(node.target), scope)
            self.assign(node.target, self.binop(node.op, current, self.expr(node.value, scope), node), scope)
        elif isinstance(node, ast.If):
            self.block(node.body if self.expr(node.test, scope) else node.orelse, scope)
        elif isinstance(node, ast.For):
            self.loop(node, scope)
        elif isinstance(node, ast.Break):
            raise _Break
        elif isinstance(node, ast.Continue):
            raise _Continue

    def loop(self, node, scope):
        for item in self.iterable(self.expr(node.iter, scope), node):
            self.tick(node)
            self.assign(node.target, item, scope)
            try:
                self.block(node.body, scope)
            except _Break:
                return
            except _Continue:
                continue
        self.block(node.orelse, scope)

    def assign(self, target, value, scope):
        if isinstance(target, ast.Name):
            scope[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = list(self.iterable(value, target))
            if len(values) != len(target.elts):
                raise _Stop(RUNTIME, f"cannot unpack {len(values)} values into {len(target.elts)}", target)
            for element, item in zip(target.elts, values, strict=True):
                self.assign(element, item, scope)
        elif isinstance(target, ast.Subscript):
            container = self.expr(target.value, scope)
            if not isinstance(container, (list, dict)):
                raise _Stop(RUNTIME, f"cannot assign into {type(container).__name__}", target)
            index = self.expr(target.slice, scope)
            if isinstance(container, dict):
                self.pay_for((index,), target)
            container[index] = value
            self.guard(container, target, allocated=1)
        else:
            raise _Stop(REFUSED, f"cannot assign to {type(target).__name__}", target)

    def iterable(self, value, node):
        if isinstance(value, dict):
            return list(value)
        if isinstance(value, (list, tuple, str, range, set)):
            return value
        raise _Stop(RUNTIME, f"{type(value).__name__} is not iterable", node)

    # -- expressions --------------------------------------------------------
    def expr(self, node, scope):
        self.tick(node)
        if isinstance(node, ast.Constant):
            return self.guard(node.value, node)
        if isinstance(node, ast.Name):
            if node.id in scope:
                return scope[node.id]
            raise _Stop(RUNTIME, f"unknown name {node.id!r}", node)
        if isinstance(node, ast.BinOp):
            return self.binop(node.op, self.expr(node.left, scope), self.expr(node.right, scope), node)
        if isinstance(node, ast.UnaryOp):
            operand = self.expr(node.operand, scope)
            if isinstance(node.op, ast.Not):
                return not operand
            return self.guard(-operand if isinstance(node.op, ast.USub) else +operand, node)
        if isinstance(node, ast.BoolOp):
            value = None
            for operand in node.values:
                value = self.expr(operand, scope)
                if isinstance(node.op, ast.And) != bool(value):
                    return value
            return value
        if isinstance(node, ast.Compare):
            return self.compare(node, scope)
        if isinstance(node, ast.IfExp):
            return self.expr(node.body if self.expr(node.test, scope) else node.orelse, scope)
        if isinstance(node, ast.Call):
            return self.call(node, scope)
        if isinstance(node, ast.Subscript):
            container = self.expr(node.value, scope)
            if not isinstance(container, (str, list, tuple, dict)):
                raise _Stop(RUNTIME, f"{type(container).__name__} cannot be indexed", node)
            index = self.expr(node.slice, scope)
            if isinstance(container, dict):
                self.pay_for((index,), node)  # hashing a tuple key walks it
            # An item is an existing value; only a slice is a new one.
            return self.guard(container[index], node, allocated=None if isinstance(index, slice) else 0)
        if isinstance(node, ast.Slice):
            parts = (node.lower, node.upper, node.step)
            return slice(*(None if part is None else self.expr(part, scope) for part in parts))
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = [self.expr(element, scope) for element in node.elts]
            if isinstance(node, ast.Set):
                self.pay_for(items, node)  # hashing walks each item
            kind = {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)]
            return self.guard(kind(items), node)
        if isinstance(node, ast.Dict):
            if any(key is None for key in node.keys):
                raise _Stop(REFUSED, "dict unpacking is not allowed", node)
            pairs = [(self.expr(k, scope), self.expr(v, scope)) for k, v in zip(node.keys, node.values, strict=True)]
            self.pay_for([key for key, _value in pairs], node)
            return self.guard(dict(pairs), node)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return self.comprehension(node, scope)
        raise _Stop(REFUSED, f"{type(node).__name__} is not allowed here", node)

    def binop(self, op, left, right, node):
        if isinstance(op, ast.Pow):
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                if max(abs(left).bit_length(), 1) * right > self.limits.max_int_bits * 2:
                    raise _Stop(TOO_LARGE, "power too large", node)
        elif isinstance(op, ast.Mult):
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * max(times, 0) > self.limits.max_len:
                        raise _Stop(TOO_LARGE, f"repetition of {times} exceeds {self.limits.max_len}", node)
        elif isinstance(op, ast.Mod) and isinstance(left, str):
            raise _Stop(REFUSED, "string formatting with % is not allowed", node)
        elif isinstance(op, ast.Mult) and isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > self.limits.max_int_bits * 2:
                raise _Stop(TOO_LARGE, "product too large", node)
        elif isinstance(op, ast.Add) and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            if len(left) + len(right) > self.limits.max_len:
                raise _Stop(TOO_LARGE, f"concatenation exceeds {self.limits.max_len}", node)
        return self.guard(_BINARY[type(op)](left, right), node)

    def compare(self, node, scope):
        left = self.expr(node.left, scope)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.expr(comparator, scope)
            if isinstance(op, (ast.Is, ast.IsNot)):
                if right is not None:
                    raise _Stop(REFUSED, "'is' only compares with None", node)
            else:
                self.pay_for((left, right), node)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True

    def call(self, node, scope):
        args = [self.expr(arg, scope) for arg in node.args]
        kwargs = {keyword.arg: self.expr(keyword.value, scope) for keyword in node.keywords}
        if isinstance(node.func, ast.Attribute):
            receiver = self.expr(node.func.value, scope)
            method = node.func.attr
            if method not in METHODS.get(type(receiver), ()):
                raise _Stop(REFUSED, f"{type(receiver).__name__}.{method} is not allowed", node)
            if method == "join":
                total = sum(len(item) for item in args[0] if isinstance(item, str)) if args else 0
                if total + len(receiver) * max(len(args[0]) if args else 0, 0) > self.limits.max_len:
                    raise _Stop(TOO_LARGE, f"join exceeds {self.limits.max_len}", node)
            if isinstance(receiver, str) or method in _DEEP_METHODS:
                self.pay_for((receiver, *args), node)  # scans the string, or compares the items
            value = getattr(receiver, method)(*args, **kwargs)
            if method == "append":
                self.guard(receiver, node, allocated=1)
            return self.guard(_plain_view(value), node)
        name = node.func.id
        if name == "range":
            span = len(range(*args))
            if span > self.limits.max_len:
                raise _Stop(TOO_LARGE, f"range of {span} exceeds {self.limits.max_len}", node)
        elif name == "round" and len(args) > 1 and isinstance(args[1], int) and abs(args[1]) > MAX_ROUND_DIGITS:
            raise _Stop(TOO_LARGE, f"round to more than {MAX_ROUND_DIGITS} digits", node)
        elif name == "sorted" and args and hasattr(args[0], "__len__"):
            # A sort compares each item about log2(n) times.
            self.pay_for(args, node, times=max(1, len(args[0]).bit_length()))
        elif name in _DEEP:
            self.pay_for(args, node)
        elif name in _SHALLOW:
            self.pay_for(args, node, deep=False)
        elif name in {"int", "float"}:
            self.pay_for(args, node)  # parsing a long string
        return self.guard(FUNCTIONS[name](*args, **kwargs), node)

    def comprehension(self, node, scope):
        inner = dict(scope)
        results = []

        def walk(generators):
            if not generators:
                self.tick(node)
                if isinstance(node, ast.DictComp):
                    results.append((self.expr(node.key, inner), self.expr(node.value, inner)))
                else:
                    results.append(self.expr(node.elt, inner))
                if len(results) > self.limits.max_len:
                    raise _Stop(TOO_LARGE, f"comprehension exceeds {self.limits.max_len} items", node)
                return
            generator = generators[0]
            if generator.is_async:
                raise _Stop(REFUSED, "async comprehensions are not allowed", node)
            for item in self.iterable(self.expr(generator.iter, inner), node):
                self.tick(node)
                self.assign(generator.target, item, inner)
                if all(self.expr(condition, inner) for condition in generator.ifs):
                    walk(generators[1:])

        walk(node.generators)
        if isinstance(node, (ast.SetComp, ast.DictComp)):
            self.pay_for([item[0] if isinstance(node, ast.DictComp) else item for item in results], node)
        kind = {ast.ListComp: list, ast.GeneratorExp: list, ast.SetComp: set, ast.DictComp: dict}[type(node)]
        return self.guard(kind(results), node)


def _is_number(value):
    return value is None or isinstance(value, (bool, int, float))


def _plain_view(value):
    """``dict.keys()`` and friends become lists, so rules only ever hold plain values."""
    if isinstance(value, (type({}.keys()), type({}.values()), type({}.items()))):
        return list(value)
    return value


def _as_load(target):
    return ast.Name(id=target.id, ctx=ast.Load(), lineno=target.lineno) if isinstance(target, ast.Name) else target


_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a**b,
}
_COMPARE = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
}
