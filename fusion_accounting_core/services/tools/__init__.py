"""Typed tools, their registry and argument validation (pure)."""

from .refusal import ToolRefusal
from .registry import REGISTRY, DuplicateToolError, ToolRegistry, UnknownToolError
from .schema import Bounds, NonNegativeAmount, ToolDefinitionError, function_schema, parse_docstring
from .tool import RESERVED_PARAMETERS, Tier, ToolSpec, make_spec, tool
from .validation import ToolArgumentError, validate_arguments

__all__ = [
    "REGISTRY",
    "RESERVED_PARAMETERS",
    "Bounds",
    "DuplicateToolError",
    "NonNegativeAmount",
    "Tier",
    "ToolArgumentError",
    "ToolDefinitionError",
    "ToolRefusal",
    "ToolRegistry",
    "ToolSpec",
    "UnknownToolError",
    "function_schema",
    "make_spec",
    "parse_docstring",
    "tool",
    "validate_arguments",
]
