"""The MCP server without Odoo: the transport's rules, sessions, paging, limits and error mapping."""

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mcp_types import CLIENT_CAPABILITIES_META_KEY, PROTOCOL_VERSION_META_KEY, SERVER_INFO_META_KEY
from mcp_types.jsonrpc import INTERNAL_ERROR, INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS, LATEST_HANDSHAKE_VERSION, LATEST_PROTOCOL_VERSION

from fusion_accounting_core.services.mcp import (
    PROPOSAL_STATUS,
    RESULT_PAGE,
    HttpRequest,
    Limits,
    McpError,
    McpServer,
    OfferedTool,
    ToolAnswer,
    rate_limit_wait,
)

NOW = datetime(2026, 3, 2, 9, 30)
KEY = 7
TOOLS = [
    OfferedTool("get_ar_aging", "Aging.", {"type": "object", "properties": {}}, 1, "accounts_receivable"),
    OfferedTool("flag_entry", "Flag.", {"type": "object", "properties": {}}, 2, "audit"),
    OfferedTool("reconcile", "Reconcile.", {"type": "object", "properties": {"a": {"type": "integer"}}}, 3, "ar"),
]


class FakeBooks:
    """The backend: records every call; ``answers`` by tool name; ``calls`` the key's earlier call times."""

    def __init__(self, answers=None, key_calls=(), session_calls=0, crash=None):
        self.answers = answers or {}
        self.key_calls, self.session_calls, self.crash = list(key_calls), session_calls, crash
        self.called = []

    def offered_tools(self):
        return TOOLS

    def usage(self, session, now):
        return self.key_calls, self.session_calls

    def call_tool(self, name, arguments, session):
        if self.crash:
            raise self.crash
        if name not in {tool.name for tool in TOOLS}:
            raise McpError(INVALID_PARAMS, f"Unknown tool {name!r}.")
        self.called.append((name, arguments, session.nonce if session else None))
        return self.answers.get(name, ToolAnswer('{"ok":true}', history_id=1, structured={"ok": True}))

    def proposal_status(self, proposal_id):
        return ToolAnswer(json.dumps({"decision": "pending"}), structured={"decision": "pending"})

    def stored_result(self, history_id):
        return ToolAnswer("abcdefghij" * 5) if history_id == 3 else ToolAnswer("No such result.", is_error=True)


def server(books=None, **options):
    nonces = iter(f"{n:016x}" for n in range(1000))
    return McpServer(books or FakeBooks(), secret=b"test secret", new_nonce=lambda: next(nonces), **options)


def post(srv, message, key=KEY, now=NOW, raw=None, **headers):
    headers = {"content-type": "application/json", "accept": "application/json, text/event-stream", **headers}
    body = raw if raw is not None else json.dumps(message).encode()
    return srv.handle(HttpRequest("POST", headers, body, key, now))


def initialize(srv, version=LATEST_HANDSHAKE_VERSION, key=KEY, now=NOW):
    params = {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "client", "version": "1"}}
    return post(srv, {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": params}, key=key, now=now)


def request(srv, session, method, params=None, **kwargs):
    message = {"jsonrpc": "2.0", "id": 5, "method": method, **({"params": params} if params is not None else {})}
    return post(srv, message, **{"mcp-session-id": session}, **kwargs)


def call(srv, session, name, arguments=None, **kwargs):
    return request(srv, session, "tools/call", {"name": name, "arguments": arguments or {}}, **kwargs)


def opened(srv):
    return initialize(srv).headers["Mcp-Session-Id"]


# -- initialize and sessions ---------------------------------------------------------------


@pytest.mark.parametrize("version", HANDSHAKE_PROTOCOL_VERSIONS)
def test_initialize_answers_the_clients_version_when_spoken(version):
    reply = initialize(server(), version)
    assert reply.status == 200
    assert reply.body["result"]["protocolVersion"] == version
    assert reply.body["result"]["serverInfo"]["name"] == "fusion-accounting"
    assert "tools" in reply.body["result"]["capabilities"]
    assert reply.headers["Mcp-Session-Id"].isascii()


@pytest.mark.parametrize("version", ["2026-07-28", "1999-01-01", "latest"])
def test_initialize_answers_the_newest_handshake_version_otherwise(version):
    assert initialize(server(), version).body["result"]["protocolVersion"] == LATEST_HANDSHAKE_VERSION


def test_a_request_needs_the_session_of_its_own_key_and_version():
    srv = server()
    session = opened(srv)
    assert request(srv, session, "ping").body["result"] == {}
    missing = post(srv, {"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert (missing.status, missing.body["error"]["code"]) == (400, INVALID_REQUEST)
    assert request(srv, session, "ping", key=KEY + 1).status == 404, "another key's session does not exist"
    assert request(srv, session + "0", "ping").status == 404
    assert request(srv, session, "ping", now=NOW + timedelta(days=2)).status == 404, "an old session expires"
    mismatch = request(srv, session, "ping", **{"mcp-protocol-version": "2024-11-05"})
    assert mismatch.status == 400 and "not the session's" in mismatch.body["error"]["message"]
    assert request(srv, session, "ping", **{"mcp-protocol-version": LATEST_HANDSHAKE_VERSION}).status == 200


def modern(srv, method, params=None, **headers):
    meta = {PROTOCOL_VERSION_META_KEY: LATEST_PROTOCOL_VERSION, CLIENT_CAPABILITIES_META_KEY: {}}
    envelope = {"mcp-protocol-version": LATEST_PROTOCOL_VERSION, "mcp-method": method, **headers}
    message = {"jsonrpc": "2.0", "id": 9, "method": method, "params": {**(params or {}), "_meta": meta}}
    return post(srv, message, **envelope)


def test_server_discover_names_both_eras_and_stamps_the_server():
    reply = modern(server(), "server/discover")
    assert reply.status == 200
    result = reply.body["result"]
    assert result["supportedVersions"] == [*HANDSHAKE_PROTOCOL_VERSIONS, LATEST_PROTOCOL_VERSION]
    assert result["_meta"][SERVER_INFO_META_KEY]["name"] == "fusion-accounting"
    assert "Mcp-Session-Id" not in reply.headers


def test_the_2026_era_needs_its_envelope_and_has_no_ping():
    srv = server()
    bare = post(srv, {"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {}})
    assert (bare.status, bare.body["error"]["code"]) == (400, INVALID_PARAMS)
    assert modern(srv, "ping").status == 404
    listed = modern(srv, "tools/list")
    assert listed.status == 200 and listed.body["result"]["resultType"] == "complete"
    wrong_name = modern(srv, "tools/call", {"name": "get_ar_aging", "arguments": {}}, **{"mcp-name": "reconcile"})
    assert wrong_name.status == 400, "the Mcp-Name header must name the body's tool"


# -- the transport's refusals: one sentence each, never a traceback ----------------------------

HOSTILE = [
    ("GET", {}, b"", 405, None),
    ("DELETE", {}, b"", 405, None),
    ("POST", {"content-type": "text/plain"}, b"{}", 415, INVALID_REQUEST),
    ("POST", {"accept": "text/html"}, b"{}", 406, INVALID_REQUEST),
    ("POST", {}, b"{not json", 400, PARSE_ERROR),
    ("POST", {}, b"\xff\xfe", 400, PARSE_ERROR),
    ("POST", {}, b'[{"jsonrpc": "2.0", "id": 1, "method": "ping"}]', 400, INVALID_REQUEST),
    ("POST", {}, b'{"jsonrpc": "1.0", "id": 1, "method": "ping"}', 400, INVALID_REQUEST),
    ("POST", {}, b'"just a string"', 400, INVALID_REQUEST),
    ("POST", {}, b'{"jsonrpc": "2.0", "id": true, "method": "ping"}', 400, INVALID_REQUEST),
    ("POST", {}, b'{"jsonrpc": "2.0", "id": null, "method": "ping"}', 400, INVALID_REQUEST),
    ("POST", {}, b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": []}', 200, INVALID_PARAMS),
    ("POST", {}, b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}', 200, INVALID_PARAMS),
    ("POST", {}, b'{"jsonrpc": "2.0", "id": 1, "method": "resources/list"}', 200, METHOD_NOT_FOUND),
    ("POST", {}, b'{"jsonrpc": "2.0", "id": 1, "method": 42}', 200, METHOD_NOT_FOUND),
]


@pytest.mark.parametrize(("verb", "headers", "body", "status", "code"), HOSTILE)
def test_hostile_requests_are_refused_with_a_sentence(verb, headers, body, status, code):
    base = {"content-type": "application/json", "accept": "application/json, text/event-stream"}
    reply = server().handle(HttpRequest(verb, {**base, **headers}, body, KEY, NOW))
    assert reply.status == status
    if code is not None:
        assert reply.body["error"]["code"] == code
        assert reply.body["error"]["message"].endswith(".")
        assert "Traceback" not in json.dumps(reply.body)


@pytest.mark.parametrize(
    "message", [{"jsonrpc": "2.0", "method": "notifications/initialized"}, {"jsonrpc": "2.0", "id": 3, "result": {}}]
)
def test_notifications_and_responses_are_accepted_without_a_body(message):
    reply = post(server(), message)
    assert (reply.status, reply.body) == (202, None)


SHARED = server()
SHARED_SESSION = opened(SHARED)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60)
@given(st.sampled_from(["tools/list", "tools/call", "ping"]), JSON)
def test_any_json_params_get_an_answer_never_an_exception(method, params):
    reply = request(SHARED, SHARED_SESSION, method, params)
    assert reply.crash is None
    assert ("result" in reply.body) != ("error" in reply.body)


def test_a_crash_is_answered_with_a_sentence_and_handed_to_the_adapter():
    srv = server(FakeBooks(crash=RuntimeError("secret stack detail")))
    reply = call(srv, opened(srv), "get_ar_aging")
    assert reply.body["error"]["code"] == INTERNAL_ERROR
    assert "secret stack detail" not in json.dumps(reply.body)
    assert isinstance(reply.crash, RuntimeError)


# -- tools/list ------------------------------------------------------------------------------


def test_tools_list_pages_with_an_opaque_cursor():
    srv = server(tools_per_page=2)
    session = opened(srv)
    names, cursor, pages = [], None, 0
    while True:
        result = request(srv, session, "tools/list", {"cursor": cursor} if cursor else {}).body["result"]
        names += [tool["name"] for tool in result["tools"]]
        pages += 1
        cursor = result.get("nextCursor")
        if not cursor:
            break
    assert names == ["get_ar_aging", "flag_entry", "reconcile", PROPOSAL_STATUS, RESULT_PAGE]
    assert pages == 3
    bad = request(srv, session, "tools/list", {"cursor": "bm90IG91cnM"})
    assert bad.body["error"]["code"] == INVALID_PARAMS


def test_annotations_follow_the_tier():
    srv = server()
    tools = {t["name"]: t for t in request(srv, opened(srv), "tools/list").body["result"]["tools"]}
    assert tools["get_ar_aging"]["annotations"]["readOnlyHint"] is True
    assert tools["flag_entry"]["annotations"] == {
        "readOnlyHint": False,
        "destructiveHint": False,
        "openWorldHint": False,
    }
    assert tools["reconcile"]["annotations"]["destructiveHint"] is True
    assert "stores a proposal" in tools["reconcile"]["description"]
    assert tools[PROPOSAL_STATUS]["annotations"]["readOnlyHint"] is True


# -- tools/call --------------------------------------------------------------------------------


def test_a_call_reaches_the_backend_with_its_session():
    books = FakeBooks()
    srv = server(books)
    session = opened(srv)
    result = call(srv, session, "get_ar_aging", {"top": 3}).body["result"]
    assert result["isError"] is False and result["structuredContent"] == {"ok": True}
    assert books.called == [("get_ar_aging", {"top": 3}, session.split(".")[4])]


def test_an_unknown_tool_is_a_protocol_error():
    srv = server()
    reply = call(srv, opened(srv), "drop_tables")
    assert reply.body["error"]["code"] == INVALID_PARAMS


@pytest.mark.parametrize(
    ("key_calls", "session_calls", "refusal"),
    [
        ([NOW - timedelta(seconds=s) for s in (5, 10)], 0, "at most 2 a minute. Try again in 50 seconds."),
        ([NOW - timedelta(seconds=s) for s in (61, 70)], 0, ""),
        ([], 3, "limit of 3 tool calls"),
    ],
)
def test_limits_refuse_before_the_backend_runs_anything(key_calls, session_calls, refusal):
    books = FakeBooks(key_calls=key_calls, session_calls=session_calls)
    srv = server(books, limits=Limits(calls_per_minute=2, calls_per_session=3))
    result = call(srv, opened(srv), "get_ar_aging").body["result"]
    if refusal:
        assert result["isError"] and refusal in result["content"][0]["text"]
        assert not books.called
    else:
        assert not result["isError"] and books.called


def test_a_long_result_is_cut_into_pages_with_a_marker():
    books = FakeBooks(answers={"get_ar_aging": ToolAnswer("x" * 25, history_id=3, structured={"big": True})})
    srv = server(books, page_chars=10)
    session = opened(srv)
    first = call(srv, session, "get_ar_aging").body["result"]
    assert first["content"][0]["text"].startswith("x" * 10 + "\n\n[Result truncated: page 1 of 3")
    assert first["_meta"]["fusion/next_page"] == {"history_id": 3, "page": 2, "pages": 3}
    assert "structuredContent" not in first
    second = call(srv, session, RESULT_PAGE, {"history_id": 3, "page": 2}).body["result"]
    assert second["content"][0]["text"].startswith("abcdefghij\n\n[Result truncated: page 2 of 5")
    last = call(srv, session, RESULT_PAGE, {"history_id": 3, "page": 5}).body["result"]
    assert last["content"][0]["text"] == "abcdefghij" and "_meta" not in last


@pytest.mark.parametrize(
    ("name", "arguments", "sentence"),
    [
        (RESULT_PAGE, {"history_id": 3, "page": 9}, "There is no page 9"),
        (RESULT_PAGE, {"history_id": 4, "page": 1}, "No such result."),
        (RESULT_PAGE, {"history_id": "3", "page": 1}, "must be integers"),
        (RESULT_PAGE, {"history_id": 3, "page": True}, "must be integers"),
        (PROPOSAL_STATUS, {}, "proposal_id must be the integer id"),
    ],
)
def test_meta_tools_refuse_bad_arguments_as_tool_errors(name, arguments, sentence):
    srv = server(page_chars=10)
    result = call(srv, opened(srv), name, arguments).body["result"]
    assert result["isError"] and sentence in result["content"][0]["text"]


# -- the rate limit's clock -------------------------------------------------------------------------


@given(
    st.lists(st.integers(min_value=0, max_value=120), max_size=30),
    st.integers(min_value=1, max_value=10),
)
def test_waiting_the_answered_time_is_exactly_enough(seconds_ago, limit):
    times = [NOW - timedelta(seconds=s) for s in seconds_ago]
    wait = rate_limit_wait(times, NOW, limit)
    in_window = [t for t in times if NOW - t < timedelta(minutes=1)]
    assert (wait == 0) == (len(in_window) < limit)
    if wait:
        later = NOW + timedelta(seconds=wait)
        assert rate_limit_wait(times, later, limit) == 0
        assert rate_limit_wait(times, later - timedelta(seconds=1), limit) > 0
