"""Opaque cursors for keyset pagination: a client passes them back, it never builds them."""

from __future__ import annotations

import base64
import binascii
import json


class BadCursor(ValueError):
    """The cursor was not one this portal issued (edited, truncated or from another listing)."""


def encode(scope: str, *values) -> str:
    raw = json.dumps([scope, *values], ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(scope: str, token: str, arity: int) -> list:
    """The values encoded for `scope`; BadCursor for anything else."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw.decode())
    except (binascii.Error, UnicodeDecodeError, ValueError) as e:
        raise BadCursor(token) from e
    if not isinstance(data, list) or len(data) != arity + 1 or data[0] != scope:
        raise BadCursor(token)
    return data[1:]
