"""Tools: typed Python functions the model may call, with a risk tier.

Tiers (design 3.1): 1 reads and runs at once; 2 writes low-risk annotations,
runs at once for Managers and is logged; 3 writes financial data and only ever
becomes a proposal that a Manager approves.

>>> @tool(domain="demo", tier=1, label="Repeat a text")
... def echo(env, text: str) -> str:
...     '''Repeat a text.
...
...     Args:
...         text: What to repeat.
...     '''
...     return text
>>> echo.name, echo.label, echo.tier, echo.parameters["required"]
('echo', 'Repeat a text', <Tier.READ: 1>, ['text'])
>>> echo.function(None, "hi")
'hi'

A tool that needs an optional Odoo module says so once; it is offered only
where that module is installed:

>>> @tool(domain="demo", tier=1, requires=("stock_account",))
... def stock(env) -> str:
...     '''Read the stock.'''
...     return "ok"
>>> stock.missing({"account"}), stock.unavailable_reason({"account"})
(('stock_account',), 'needs the stock_account module, which is not installed')
>>> stock.unavailable_reason({"account", "stock_account"})
''
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, get_type_hints

from .schema import ToolDefinitionError, build_value, function_schema, parse_docstring

# Names the agent adds to tier-3 schemas to collect the model's reasoning and
# confidence for the approval card; a tool may not use them for itself.
RESERVED_PARAMETERS = frozenset({"ai_reasoning", "ai_confidence"})


class Tier(IntEnum):
    READ = 1
    LOGGED_WRITE = 2
    APPROVAL = 3


@dataclass(frozen=True)
class ToolSpec:
    """Everything known about one tool; ``function(context, **arguments)`` runs it."""

    name: str
    description: str
    domain: str
    tier: Tier
    groups: tuple = ()
    parameters: dict = field(default_factory=dict, compare=False)
    function: Callable = field(default=None, compare=False, repr=False)
    module: str = ""
    requires: tuple = ()
    # What people read for the tool (picker, approval card title, dashboard): the name is the model's key.
    label: str = ""

    @property
    def title(self):
        """The label, else the name: a tool declared without a label still shows what it is."""
        return self.label or self.name

    def missing(self, installed_modules):
        """The modules of ``requires`` that are not in ``installed_modules``, in declared order."""
        return tuple(name for name in self.requires if name not in installed_modules)

    def unavailable_reason(self, installed_modules):
        """Why the tool cannot run on a database with ``installed_modules`` (empty when it can)."""
        missing = self.missing(installed_modules)
        if not missing:
            return ""
        plural = len(missing) > 1
        return (
            f"needs the {', '.join(missing)} module{'s' if plural else ''}, "
            f"which {'are' if plural else 'is'} not installed"
        )

    def allowed_for(self, user_groups):
        """True when the tool asks for no group or the user is in one of them (Odoo's ``group_ids`` rule)."""
        return not self.groups or any(group in user_groups for group in self.groups)

    def call(self, context, arguments):
        """Run the tool on validated ``arguments``, building dataclass arguments first."""
        hints = get_type_hints(self.function)
        built = {name: build_value(hints[name], value) for name, value in arguments.items()}
        return self.function(context, **built)


def make_spec(func, *, domain, tier, groups=(), name=None, requires=(), label=""):
    """Describe ``func`` as a :class:`ToolSpec` without registering it."""
    tier = Tier(tier)
    parameters = function_schema(func)
    clash = RESERVED_PARAMETERS & set(parameters["properties"])
    if clash:
        raise ToolDefinitionError(f"{func.__name__}: parameter names {sorted(clash)} are reserved")
    if isinstance(requires, str) or not all(isinstance(r, str) and r for r in requires):
        raise ToolDefinitionError(f"{func.__name__}: requires is a tuple of module names")
    doc = parse_docstring(func.__doc__)
    if not doc.description:
        raise ToolDefinitionError(f"{func.__name__}: a tool needs a docstring; the model reads it")
    return ToolSpec(
        name=name or func.__name__,
        description=doc.description,
        domain=domain,
        tier=tier,
        groups=tuple(groups),
        parameters=parameters,
        function=func,
        module=getattr(func, "__module__", "") or "",
        requires=tuple(requires),
        label=label,
    )


def tool(*, domain, tier, groups=(), name=None, registry=None, requires=(), label=""):
    """Decorator: turn a typed function into a :class:`ToolSpec`, registered in ``registry`` when given.

    ``requires`` names the optional Odoo modules the tool needs; without them it is not offered.
    ``label`` is what people read: "Send follow-up now" for ``followup_send_now``.

    The decorated name is bound to the spec; ``spec.function`` is the original function.
    """
    if not isinstance(domain, str) or not domain:
        raise ToolDefinitionError("a tool needs a domain")

    def decorate(func: Callable[..., Any]) -> ToolSpec:
        if not inspect.isfunction(func):
            raise ToolDefinitionError("@tool decorates plain functions")
        spec = make_spec(func, domain=domain, tier=tier, groups=groups, name=name, requires=requires, label=label)
        if registry is not None:
            registry.register(spec)
        return spec

    return decorate
