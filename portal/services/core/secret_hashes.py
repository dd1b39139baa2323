"""One-way hashes of the secrets the portal keeps (staff passwords, applicants' query codes, reports'
verification codes): the one place that decides the method and its cost.

PORTAL_SECRET_HASH, when set, replaces both methods: the test suite sets a cheap one, so that the
same code paths run without some 90 ms of scrypt per hash. Production leaves it unset.
"""

from __future__ import annotations

import secrets
from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

PASSWORD = "scrypt:32768:8:1"  # werkzeug's default
# Verification codes are random and lookups rate-limited: a lighter scrypt keeps issuing fast.
CODE = "scrypt:8192:8:1"


def _method(default: str) -> str:
    return current_app.config.get("PORTAL_SECRET_HASH") or default


def hash_password(secret: str) -> str:
    """A staff password or an applicant's query code."""
    return generate_password_hash(secret, method=_method(PASSWORD))


def hash_code(secret: str) -> str:
    """A report's verification code."""
    return generate_password_hash(secret, method=_method(CODE))


def matches(stored: str, secret: str) -> bool:
    return check_password_hash(stored, secret)


@cache
def _stand_in(method: str) -> str:
    return generate_password_hash(secrets.token_hex(8), method=method)


def stand_in_password() -> str:
    """A hash no secret matches, as costly to check as a real password's: an unknown account or
    number costs the same time as a wrong password."""
    return _stand_in(_method(PASSWORD))


def stand_in_code() -> str:
    return _stand_in(_method(CODE))
