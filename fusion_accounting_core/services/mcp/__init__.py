"""The tool registry over the Model Context Protocol (pure): dispatch, sessions, limits, paging."""

from .limits import Limits, limit_refusal, rate_limit_wait
from .paging import CursorError, page_of, text_page
from .server import HttpReply, HttpRequest, McpError, McpServer
from .session import McpSession
from .tools import META_TOOLS, PROPOSAL_STATUS, RESULT_PAGE, OfferedTool, ToolAnswer, call_result, mcp_tools

__all__ = [
    "META_TOOLS",
    "PROPOSAL_STATUS",
    "RESULT_PAGE",
    "CursorError",
    "HttpReply",
    "HttpRequest",
    "Limits",
    "McpError",
    "McpServer",
    "McpSession",
    "OfferedTool",
    "ToolAnswer",
    "call_result",
    "limit_refusal",
    "mcp_tools",
    "page_of",
    "rate_limit_wait",
    "text_page",
]
