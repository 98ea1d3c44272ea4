"""The official MCP SDK client (Streamable HTTP) against the pure server, in both eras of the protocol.

The HTTP layer is the SDK's own client with an in-memory transport: every byte
the client sends goes through :meth:`McpServer.handle`, as Odoo's controller
hands it over.
"""

import asyncio
import json

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from mcp_types import CLIENT_CAPABILITIES_META_KEY, PROTOCOL_VERSION_META_KEY
from mcp_types.version import LATEST_HANDSHAKE_VERSION, LATEST_PROTOCOL_VERSION
from test_core_mcp_server import KEY, NOW, FakeBooks, server

from fusion_accounting_core.services.mcp import PROPOSAL_STATUS, HttpRequest, Limits, ToolAnswer


def connect(srv, script, mode):
    """Run ``script(client)`` with the SDK client in ``mode`` talking to ``srv``; the HTTP bodies seen, too."""
    seen = []

    def handler(request):
        headers = {name.lower(): value for name, value in request.headers.items()}
        reply = srv.handle(HttpRequest(request.method, headers, request.content, KEY, NOW))
        seen.append((request.method, headers.get("mcp-method"), reply.status))
        if reply.body is None:
            return httpx2.Response(reply.status, headers=reply.headers)
        return httpx2.Response(reply.status, json=reply.body, headers=reply.headers)

    async def run():
        async with httpx2.AsyncClient(transport=httpx2.MockTransport(handler)) as http:
            transport = streamable_http_client("http://odoo.test/fusion/mcp", http_client=http)
            async with Client(transport, mode=mode, cache=None) as client:
                return await script(client)

    try:
        return asyncio.run(run()), seen
    except Exception as error:  # the SDK's task groups wrap what the script raised in exception groups
        raise leaf(error) from None


def leaf(error):
    """The one exception inside (nested) exception groups."""
    while len(getattr(error, "exceptions", ())) == 1:
        error = error.exceptions[0]
    return error


async def list_and_call(client):
    tools = (await client.list_tools()).tools
    result = await client.call_tool("get_ar_aging", {"top": 2})
    return client.protocol_version, [tool.name for tool in tools], result


@pytest.mark.parametrize(
    ("mode", "version"), [("legacy", LATEST_HANDSHAKE_VERSION), ("auto", LATEST_PROTOCOL_VERSION)], ids=["2025", "2026"]
)
def test_the_sdk_client_lists_and_calls_in_both_eras(mode, version):
    books = FakeBooks()
    (negotiated, names, result), _ = connect(server(books), list_and_call, mode)
    assert negotiated == version
    assert names[:3] == ["get_ar_aging", "flag_entry", "reconcile"]
    assert PROPOSAL_STATUS in names
    assert not result.is_error and result.structured_content == {"ok": True}
    assert [call[:2] for call in books.called] == [("get_ar_aging", {"top": 2})]


def test_the_handshake_era_carries_a_session_and_the_2026_era_none():
    books = FakeBooks()
    connect(server(books), list_and_call, "legacy")
    connect(server(books), list_and_call, "auto")
    legacy_nonce, modern_nonce = (nonce for _name, _arguments, nonce in books.called)
    assert legacy_nonce and modern_nonce is None


def test_a_2026_client_with_a_wrong_version_header_is_refused_by_the_sdk_ladder():
    srv = server()
    meta = {PROTOCOL_VERSION_META_KEY: LATEST_PROTOCOL_VERSION, CLIENT_CAPABILITIES_META_KEY: {}}
    message = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": meta}}).encode()
    headers = {"content-type": "application/json", "mcp-protocol-version": "2025-11-25", "mcp-method": "tools/list"}
    reply = srv.handle(HttpRequest("POST", headers, message, KEY, NOW))
    assert reply.status == 400
    assert "header does not match" in reply.body["error"]["message"]


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_tool_errors_reach_the_client_as_is_error_results(mode):
    books = FakeBooks(answers={"reconcile": ToolAnswer("You may not use the tool reconcile.", is_error=True)})

    async def script(client):
        return await client.call_tool("reconcile", {"a": 1})

    result, _ = connect(server(books), script, mode)
    assert result.is_error
    assert result.content[0].text == "You may not use the tool reconcile."


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_protocol_errors_reach_the_client_as_mcp_errors(mode):
    async def script(client):
        return await client.call_tool("drop_tables", {})

    with pytest.raises(MCPError, match="Unknown tool"):
        connect(server(), script, mode)


def test_the_session_limit_tells_the_client_to_reconnect():
    books = FakeBooks(session_calls=20)

    async def script(client):
        return await client.call_tool("get_ar_aging", {})

    result, _ = connect(server(books, limits=Limits(calls_per_session=20)), script, "legacy")
    assert result.is_error and "Reconnect" in result.content[0].text
    assert not books.called
