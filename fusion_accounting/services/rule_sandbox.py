"""Run a rule's ``match_code`` deterministically, through an AST whitelist.

The code is never handed to ``exec``: it is parsed, checked against a whitelist
of node types, names and methods (the approach of Odoo's
``account_tax_python`` formula checker), then evaluated by a small tree-walking
interpreter that owns every operation.  Owning the operations is what lets us
refuse a huge allocation *before* it happens (``'a' * 10**10``,
``10**10**10`` would otherwise block inside C code where no timer can reach),
count steps, and stop on a wall-clock deadline.

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
"""

import ast
import time
from dataclasses import dataclass

SYNTAX = "syntax"
REFUSED = "refused"
TIMEOUT = "timeout"
TOO_LARGE = "too_large"
RUNTIME = "runtime"
BAD_INPUT = "bad_input"

_PLAIN_SCALARS = (type(None), bool, int, float, str)
_PLAIN_CONTAINERS = (list, tuple, dict)

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


class _Machine:
    """Evaluates a checked tree; every produced value goes through :meth:`guard`."""

    def __init__(self, limits, clock):
        self.limits = limits
        self.clock = clock
        self.deadline = clock() + limits.max_seconds
        self.steps = 0
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

    def tick(self, node):
        self.steps += 1
        if self.steps > self.limits.max_steps:
            raise _Stop(TIMEOUT, f"more than {self.limits.max_steps} steps", node)
        if self.steps % 64 == 0 and self.clock() > self.deadline:
            raise _Stop(TIMEOUT, f"longer than {self.limits.max_seconds}s", node)

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
            container[self.expr(target.slice, scope)] = value
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
            # An item is an existing value; only a slice is a new one.
            return self.guard(container[index], node, allocated=None if isinstance(index, slice) else 0)
        if isinstance(node, ast.Slice):
            parts = (node.lower, node.upper, node.step)
            return slice(*(None if part is None else self.expr(part, scope) for part in parts))
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = [self.expr(element, scope) for element in node.elts]
            kind = {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)]
            return self.guard(kind(items), node)
        if isinstance(node, ast.Dict):
            if any(key is None for key in node.keys):
                raise _Stop(REFUSED, "dict unpacking is not allowed", node)
            pairs = [(self.expr(k, scope), self.expr(v, scope)) for k, v in zip(node.keys, node.values, strict=True)]
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
        elif isinstance(op, ast.Add) and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            if len(left) + len(right) > self.limits.max_len:
                raise _Stop(TOO_LARGE, f"concatenation exceeds {self.limits.max_len}", node)
        return self.guard(_BINARY[type(op)](left, right), node)

    def compare(self, node, scope):
        left = self.expr(node.left, scope)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.expr(comparator, scope)
            if isinstance(op, (ast.Is, ast.IsNot)) and right is not None:
                raise _Stop(REFUSED, "'is' only compares with None", node)
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
            value = getattr(receiver, method)(*args, **kwargs)
            if method == "append":
                self.guard(receiver, node, allocated=1)
            return self.guard(_plain_view(value), node)
        name = node.func.id
        if name == "range":
            span = len(range(*args))
            if span > self.limits.max_len:
                raise _Stop(TOO_LARGE, f"range of {span} exceeds {self.limits.max_len}", node)
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
        kind = {ast.ListComp: list, ast.GeneratorExp: list, ast.SetComp: set, ast.DictComp: dict}[type(node)]
        return self.guard(kind(results), node)


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
