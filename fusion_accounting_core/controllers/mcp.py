import logging
import re
from urllib.parse import urlsplit

from odoo import fields, http
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..services.mcp import HttpRequest

_logger = logging.getLogger(__name__)

STAFF = "fusion_accounting_core.group_fusion_user"
BEARER = re.compile(r"^bearer\s+(\S+)\s*$", re.IGNORECASE)
MAX_BODY = 4 * 1024 * 1024  # one JSON-RPC message; uploads do not travel over MCP


def _refusal(status, message, bearer_error=None):
    """A transport-level refusal: a JSON-RPC error without id, one sentence."""
    headers = {}
    if bearer_error:
        headers["WWW-Authenticate"] = f'Bearer realm="fusion-mcp", error="{bearer_error}"'
    body = {"jsonrpc": "2.0", "id": None, "error": {"code": -32001 if status == 401 else -32600, "message": message}}
    return request.make_json_response(body, headers=headers, status=status)


def _origin_allowed(origin, host):
    """A browser's Origin must be this server's own (the transport's rule against DNS rebinding)."""
    return not origin or urlsplit(origin).netloc.lower() == (host or "").lower()


class FusionMcpController(http.Controller):
    """The MCP endpoint (Streamable HTTP): an Odoo API key of the user, never a session cookie.

    ``auth='none'``: Odoo's ``bearer`` method would fall back to a browser
    session; here the ``Authorization: Bearer`` key is the only credential, and
    nothing of the browser session is read or written.  The protocol is the
    pure server's (``services/mcp``); the tools, gate and history the adapter's
    (``fusion.accounting.mcp``).  See docs/mcp.md.
    """

    @http.route(
        "/fusion/mcp",
        type="http",
        auth="none",
        methods=["GET", "POST", "DELETE"],
        csrf=False,
        readonly=False,
        save_session=False,
    )
    def mcp(self):
        httprequest = request.httprequest
        headers = {name.lower(): value for name, value in httprequest.headers.items()}
        if not _origin_allowed(headers.get("origin"), headers.get("host")):
            return _refusal(403, "This Origin may not use the MCP endpoint.")
        match = BEARER.match(headers.get("authorization", ""))
        if not match:
            return _refusal(401, "Send an Odoo API key as Authorization: Bearer <key>.", "invalid_request")
        mcp = request.env["fusion.accounting.mcp"]
        key = mcp.sudo()._key_of(match[1])
        if key is None:
            _logger.info("Fusion MCP: refused an API key that is unknown, revoked or expired")
            return _refusal(401, "This API key is unknown, was revoked or has expired.", "invalid_token")
        key_id, key_name, uid = key
        request.update_env(user=uid)
        user = request.env.user
        if not user.has_group(STAFF):
            return _refusal(403, "Only Fusion AI users may use the MCP endpoint.")
        if (httprequest.content_length or 0) > MAX_BODY:
            return _refusal(413, f"One message is at most {MAX_BODY // (1024 * 1024)} MB.")
        # The key acts in its user's default company only, as the chat acts in the company shown.
        request.update_env(context=dict(request.env.context, allowed_company_ids=user.company_id.ids))
        server = request.env["fusion.accounting.mcp"]._server(key_id, key_name)
        reply = server.handle(
            HttpRequest(httprequest.method, headers, httprequest.get_data(), key_id, fields.Datetime.now())
        )
        if isinstance(reply.crash, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
            raise reply.crash  # a concurrent update: Odoo's request loop retries the whole request
        if reply.crash is not None:
            request.env.cr.rollback()
            _logger.error("Fusion MCP: a request of key %s failed", key_id, exc_info=reply.crash)
        if reply.body is None:
            return request.make_response(b"", headers=list(reply.headers.items()), status=reply.status)
        return request.make_json_response(reply.body, headers=reply.headers, status=reply.status)
