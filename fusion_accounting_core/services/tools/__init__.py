"""Typed tools, their registry and argument validation (pure)."""

from .registry import REGISTRY, DuplicateToolError, ToolRegistry, UnknownToolError
from .schema import ToolDefinitionError, function_schema, parse_docstring
from .tool import RESERVED_PARAMETERS, Tier, ToolSpec, make_spec, tool
from .validation import ToolArgumentError, validate_arguments

__all__ = [
    "REGISTRY",
    "RESERVED_PARAMETERS",
    "DuplicateToolError",
    "Tier",
    "ToolArgumentError",
    "ToolDefinitionError",
    "ToolRegistry",
    "ToolSpec",
    "UnknownToolError",
    "function_schema",
    "make_spec",
    "parse_docstring",
    "tool",
    "validate_arguments",
]
