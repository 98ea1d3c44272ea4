"""MCP sessions (``Mcp-Session-Id``) without server state: signed tokens bound to one API key.

A session id names the key it was opened with, the protocol version agreed at
``initialize`` and when it was opened, signed with the database secret.  The
server needs no table of sessions: a request whose session id is not signed
here, belongs to another key or is too old is answered 404 and the client
opens a new session (the transport's rule).  Its ``nonce`` identifies the
session in the match history, where its tool calls are counted.

>>> secret = b"s3cret"
>>> token = issue(secret, key_id=4, version="2025-11-25", issued_at=1000, nonce="ab12cd34")
>>> read(secret, token, key_id=4, now=1100)
McpSession(key_id=4, version='2025-11-25', issued_at=1000, nonce='ab12cd34')
>>> read(secret, token, key_id=5, now=1100) is None, read(secret, token[:-1] + "0", key_id=4, now=1100) is None
(True, True)
>>> read(secret, token, key_id=4, now=1000 + MAX_AGE + 1) is None
True
"""

import hashlib
import hmac
import re
from dataclasses import dataclass

MAX_AGE = 24 * 3600  # seconds; then the client initializes again
_TOKEN = re.compile(r"^v1\.(\d{1,12})\.([0-9A-Za-z-]{1,32})\.(\d{1,12})\.([0-9a-f]{8,64})\.([0-9a-f]{64})$")


@dataclass(frozen=True)
class McpSession:
    key_id: int
    version: str
    issued_at: int
    nonce: str


def _signature(secret, payload):
    return hmac.new(secret, payload.encode("ascii"), hashlib.sha256).hexdigest()


def issue(secret, *, key_id, version, issued_at, nonce):
    """A session id: visible ASCII, as the transport requires."""
    payload = f"v1.{int(key_id)}.{version}.{int(issued_at)}.{nonce}"
    return f"{payload}.{_signature(secret, payload)}"


def read(secret, token, *, key_id, now, max_age=MAX_AGE):
    """The :class:`McpSession` of ``token`` when it was issued here for ``key_id`` and is still fresh, else ``None``."""
    match = _TOKEN.match(token or "")
    if not match:
        return None
    payload, signature = token.rsplit(".", 1)
    if not hmac.compare_digest(signature, _signature(secret, payload)):
        return None
    key, version, issued_at, nonce = int(match[1]), match[2], int(match[3]), match[4]
    if key != key_id or not 0 <= now - issued_at <= max_age:
        return None
    return McpSession(key, version, issued_at, nonce)
