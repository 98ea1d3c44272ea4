"""Model providers behind one contract (pure: stdlib and the official SDKs only)."""

from .base import Provider, ProviderConfig
from .errors import (
    ProviderAuthError,
    ProviderBadResponse,
    ProviderConfigError,
    ProviderError,
    ProviderRequestError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    redact,
)
from .messages import (
    Message,
    ModelRequest,
    ModelResponse,
    TextBlock,
    ToolCall,
    ToolDefinition,
    ToolResult,
    Usage,
    messages_from_json,
    messages_to_json,
)
from .registry import PROVIDERS, build_provider

__all__ = [
    "PROVIDERS",
    "Message",
    "ModelRequest",
    "ModelResponse",
    "Provider",
    "ProviderAuthError",
    "ProviderBadResponse",
    "ProviderConfig",
    "ProviderConfigError",
    "ProviderError",
    "ProviderRequestError",
    "ProviderTimeout",
    "ProviderUnavailable",
    "RateLimited",
    "TextBlock",
    "ToolCall",
    "ToolDefinition",
    "ToolResult",
    "Usage",
    "build_provider",
    "messages_from_json",
    "messages_to_json",
    "redact",
]
