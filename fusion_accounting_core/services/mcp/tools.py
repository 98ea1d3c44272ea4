"""The registry's tools as MCP tools, with honest annotations, and what a call answers.

The list itself is the chat's (``tool_definitions`` of the tools the chat would
offer this user); this module only adds what MCP clients read: annotations from
the tier, a sentence on how a tier-3 call ends over MCP, and two read-only meta
tools (a proposal's outcome, the next page of a long result).

>>> [tool.annotations.read_only_hint for tool in mcp_tools([OfferedTool("a", "A.", {"type": "object"}, 1)])]
[True]
>>> spec = mcp_tools([OfferedTool("r", "Reconcile.", {"type": "object"}, 3)])[0]
>>> spec.annotations.destructive_hint, "approves it in Odoo" in spec.description
(True, True)
"""

from dataclasses import dataclass

import mcp_types as types

from .paging import page_count, text_page

PROPOSAL_STATUS = "fusion_proposal_status"
RESULT_PAGE = "fusion_result_page"
OVER_MCP_TIER3 = (
    " Over MCP nothing is changed by this call: it stores a proposal and returns its id, a link that opens it "
    "in Odoo and when it expires; a Fusion Manager approves it in Odoo, then "
    f"{PROPOSAL_STATUS} tells its outcome."
)


@dataclass(frozen=True)
class OfferedTool:
    """A tool as the chat offers it: ``tool_definitions``' name, description and parameters, and its tier."""

    name: str
    description: str
    parameters: dict
    tier: int
    domain: str = ""


META_TOOLS = (
    OfferedTool(
        PROPOSAL_STATUS,
        "The outcome of a proposal made over MCP: pending, approved (with the result), rejected (with the reason) "
        "or expired.",
        {
            "type": "object",
            "properties": {"proposal_id": {"type": "integer", "description": "The id a tier-3 call returned."}},
            "required": ["proposal_id"],
            "additionalProperties": False,
        },
        1,
        "mcp",
    ),
    OfferedTool(
        RESULT_PAGE,
        "Another page of a tool result that was too long for one answer.",
        {
            "type": "object",
            "properties": {
                "history_id": {"type": "integer", "description": "The history_id the truncated result named."},
                "page": {"type": "integer", "minimum": 1, "description": "The page to read (1 is the first)."},
            },
            "required": ["history_id", "page"],
            "additionalProperties": False,
        },
        1,
        "mcp",
    ),
)

_ANNOTATIONS = {
    # tier 1 reads; tier 2 adds low-risk notes and flags, logged; tier 3 changes financial data, approved first
    1: types.ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False),
    2: types.ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False),
    3: types.ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=False),
}


def mcp_tools(offered):
    """:class:`mcp_types.Tool` of each offered tool, in order."""
    tools = []
    for tool in offered:
        tier = int(tool.tier)
        description = tool.description + (OVER_MCP_TIER3 if tier == 3 else "")
        tools.append(
            types.Tool(
                name=tool.name,
                description=description,
                input_schema=tool.parameters or {"type": "object", "properties": {}},
                annotations=_ANNOTATIONS[tier],
                meta={"fusion/tier": tier, "fusion/domain": tool.domain},
            )
        )
    return tools


@dataclass(frozen=True)
class ToolAnswer:
    """What one call answers: ``text`` (the whole result, escaped JSON), and where it is stored for paging."""

    text: str
    is_error: bool = False
    history_id: int | None = None
    structured: dict | None = None


def call_result(answer, page_chars, page=1):
    """The :class:`mcp_types.CallToolResult` of ``answer``'s page ``page``, with a marker when more follows.

    >>> result = call_result(ToolAnswer("x" * 25, history_id=9), 10)
    >>> result.content[0].text.splitlines()[0], result.meta["fusion/next_page"]
    ('xxxxxxxxxx', {'history_id': 9, 'page': 2, 'pages': 3})
    """
    pages = page_count(answer.text, page_chars)
    text, meta = text_page(answer.text, page, page_chars), None
    if page < pages:
        meta = {"fusion/next_page": {"history_id": answer.history_id, "page": page + 1, "pages": pages}}
        text += (
            f"\n\n[Result truncated: page {page} of {pages}. Call {RESULT_PAGE} with "
            f'{{"history_id": {answer.history_id}, "page": {page + 1}}} for the next page.]'
        )
    structured = answer.structured if pages == 1 else None
    return types.CallToolResult(
        content=[types.TextContent(text=text)], structured_content=structured, is_error=answer.is_error, meta=meta
    )


def error_result(sentence):
    """A refusal as MCP tool result: ``isError`` and one sentence the model can act on."""
    return types.CallToolResult(content=[types.TextContent(text=sentence)], is_error=True)
