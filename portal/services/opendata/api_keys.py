"""API keys for registered users: issued and revoked by administrators, stored as digests, and
recorded in the audit log. A request carrying a valid key (header X-API-Key) counts against the
key's own, higher rate limit instead of its address's."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiKey
from portal.models.base import utcnow
from portal.services.core import audit
from portal.services.publication.publishing import Rejected

HEADER = "X-API-Key"
PREFIX_LENGTH = 8


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(holder: str, user) -> tuple[ApiKey, str]:
    """A new key for `holder`: the record, and the key itself (shown once, never stored)."""
    holder = (holder or "").strip()
    if not holder:
        raise Rejected({"holder": ["请填写使用单位或个人名称"]})
    if len(holder) > 200:
        raise Rejected({"holder": ["名称不超过200个字符"]})
    key = "cp_" + secrets.token_urlsafe(32)
    record = ApiKey(holder=holder, prefix=key[:PREFIX_LENGTH], key_hash=_digest(key), created_by_id=user.id)
    db.session.add(record)
    db.session.flush()
    audit.record(
        "api_key_issue",
        user=user,
        entity_type="api_key",
        entity_id=record.id,
        after={"holder": holder, "prefix": record.prefix},
    )
    db.session.commit()
    return record, key


def revoke(key_id: int, user) -> ApiKey | None:
    record = db.session.get(ApiKey, key_id)
    if record is None or record.revoked_at is not None:
        return None
    record.revoked_at, record.revoked_by_id = utcnow(), user.id
    audit.record(
        "api_key_revoke",
        user=user,
        entity_type="api_key",
        entity_id=record.id,
        before={"holder": record.holder, "prefix": record.prefix},
    )
    db.session.commit()
    return record


def active(key: str | None) -> ApiKey | None:
    """The key's record when it is one we issued and have not revoked."""
    if not key or len(key) > 100:
        return None
    return db.session.scalar(select(ApiKey).where(ApiKey.key_hash == _digest(key.strip()), ApiKey.revoked_at.is_(None)))
