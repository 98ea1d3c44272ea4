"""The one registry of tools, keyed by name.

>>> from .tool import tool
>>> reg = ToolRegistry()
>>> @tool(domain="ar", tier=1, groups=("g.staff",), registry=reg)
... def ping(env) -> str:
...     '''Answer pong.'''
...     return "pong"
>>> [t.name for t in reg.for_groups({"g.staff"})], reg.for_groups({"g.other"})
(['ping'], ())
>>> reg.title_of("ping"), reg.title_of("removed_tool")
('ping', 'removed_tool')
>>> reg.get("nope")
Traceback (most recent call last):
...
fusion_accounting_core.services.tools.registry.UnknownToolError: unknown tool 'nope'
"""


class DuplicateToolError(ValueError):
    """Two tools were registered under one name."""


class UnknownToolError(LookupError):
    """No tool has this name."""

    def __init__(self, name):
        super().__init__(f"unknown tool {name!r}")
        self.name = name


class ToolRegistry:
    """Tools by name; a name is taken once, by one function."""

    def __init__(self):
        self._tools = {}

    def register(self, spec):
        known = self._tools.get(spec.name)
        if known is not None and known.function is not spec.function:
            # The same function imported twice (module reload) is harmless; two functions are not.
            if (known.module, getattr(known.function, "__qualname__", None)) != (
                spec.module,
                getattr(spec.function, "__qualname__", None),
            ):
                raise DuplicateToolError(f"tool {spec.name!r} is already registered by {known.module}")
        self._tools[spec.name] = spec
        return spec

    def get(self, name):
        try:
            return self._tools[name]
        except KeyError:
            raise UnknownToolError(name) from None

    def title_of(self, name):
        """What people read for tool ``name``: its label; the name itself once the code no longer has it."""
        spec = self._tools.get(name)
        return spec.title if spec else name

    def __contains__(self, name):
        return name in self._tools

    def __iter__(self):
        return iter(sorted(self._tools.values(), key=lambda spec: spec.name))

    def __len__(self):
        return len(self._tools)

    def by_domain(self, *domains):
        """Tools of the given domains (all tools when none is given), sorted by name."""
        return tuple(spec for spec in self if not domains or spec.domain in domains)

    def for_groups(self, user_groups):
        """Tools a user in ``user_groups`` (xml ids) may see."""
        return tuple(spec for spec in self if spec.allowed_for(user_groups))


# The suite's tools register here when their module is imported.
REGISTRY = ToolRegistry()
