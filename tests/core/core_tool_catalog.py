"""The real tool catalog, read from the addons' source without importing Odoo.

The tool modules import ``odoo``, which the pure suite never does; their
decorators and signatures are plain Python, so the catalog is read from the
syntax tree: each ``@tool(...)`` or ``@register(DOMAIN, tier)`` function gives
a :class:`ToolSpec` with its real name, label, docstring, domain, tier and required
arguments.  Router tests then run against the tools users really have.
"""

import ast
from functools import cache

from conftest import ADDONS, ROOT

from fusion_accounting_core.services.tools import Tier, ToolSpec, parse_docstring

CATALOG_GROUP = "fusion_accounting_core.group_fusion_user"
_MANAGER = "fusion_accounting_core.group_fusion_manager"


def _constants(tree):
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values[target.id] = node.value.value
    return values


def _value(node, constants):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _decorator(function, constants):
    """``(domain, tier, groups, label)`` of a tool decorator, or None."""
    for decorator in function.decorator_list:
        if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Name):
            continue
        keywords = {k.arg: k.value for k in decorator.keywords}
        label = _value(keywords.get("label", ast.Constant("")), constants)
        if decorator.func.id == "register" and len(decorator.args) >= 2:
            domain, tier = _value(decorator.args[0], constants), _value(decorator.args[1], constants)
            return domain, tier, (CATALOG_GROUP,), label
        if decorator.func.id == "tool" and "domain" in keywords:
            groups = ast.unparse(keywords.get("groups", ast.Constant(None)))
            group = _MANAGER if ("MANAGER" in groups or "WRITERS" in groups) else CATALOG_GROUP
            return _value(keywords["domain"], constants), _value(keywords["tier"], constants), (group,), label
    return None


def _parameters(function, description_of):
    arguments = function.args.args[1:]  # after env
    required = [a.arg for a in arguments[: len(arguments) - len(function.args.defaults)]]
    properties = {}
    for argument in arguments + function.args.kwonlyargs:
        hint = ast.unparse(argument.annotation) if argument.annotation else "str"
        kind = "integer" if "int" in hint.split("|")[0] else "string"
        schema = {"type": kind, "description": description_of.get(argument.arg, "")}
        if "date" in hint:
            schema = {"type": ["string", "null"], "format": "date", "description": schema["description"]}
        properties[argument.arg] = schema
    return {"type": "object", "properties": properties, "required": required}


@cache
def catalog():
    """Every tool of the three addons, as :class:`ToolSpec` (without functions), sorted by name."""
    specs = []
    for addon in ADDONS:
        for path in sorted((ROOT / addon / "tools").glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants = _constants(tree)
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef):
                    continue
                found = _decorator(node, constants)
                if not found or found[0] is None or found[1] is None:
                    continue
                domain, tier, groups, label = found
                doc = parse_docstring(ast.get_docstring(node) or "")
                specs.append(
                    ToolSpec(
                        name=node.name,
                        description=doc.description,
                        domain=domain,
                        tier=Tier(tier),
                        groups=groups,
                        parameters=_parameters(node, doc.params),
                        label=label,
                    )
                )
    return tuple(sorted(specs, key=lambda spec: spec.name))
