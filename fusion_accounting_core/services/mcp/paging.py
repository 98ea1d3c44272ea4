"""Paging: an opaque cursor for ``tools/list`` and pages of a long tool result.

>>> items, cursor = page_of(list(range(5)), None, 2)
>>> items, page_of(list(range(5)), cursor, 2)
([0, 1], ([2, 3], 'dG9vbHM6NA'))
>>> page_of([1], "garbage", 2)
Traceback (most recent call last):
...
fusion_accounting_core.services.mcp.paging.CursorError: The cursor is not one this server gave.
>>> text_page("abcdefg", 3, 3), page_count("abcdefg", 3)
('g', 3)
"""

import base64
import binascii

CURSOR_PREFIX = "tools:"


class CursorError(ValueError):
    """A cursor this server never gave (or a page that does not exist)."""


def encode_cursor(offset):
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """The offset a cursor of :func:`encode_cursor` stands for (``None`` or empty: the start)."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith(CURSOR_PREFIX):
            raise ValueError(text)
        offset = int(text[len(CURSOR_PREFIX) :])
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise CursorError("The cursor is not one this server gave.") from None
    if offset < 0:
        raise CursorError("The cursor is not one this server gave.")
    return offset


def page_of(items, cursor, size):
    """``(items of this page, next cursor or None)``."""
    start = decode_cursor(cursor)
    end = start + size
    return list(items[start:end]), (encode_cursor(end) if end < len(items) else None)


def page_count(text, size):
    """How many pages of ``size`` characters ``text`` fills (at least one)."""
    return max(1, -(-len(text) // size))


def text_page(text, page, size):
    """Page ``page`` (1-based) of ``text``; :class:`CursorError` past the last one."""
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= page_count(text, size):
        raise CursorError(f"There is no page {page}; the result has {page_count(text, size)}.")
    return text[(page - 1) * size : page * size]
