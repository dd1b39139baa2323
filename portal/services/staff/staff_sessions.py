"""Staff sessions on the server: started at sign-in, checked on every back-office request, ended at
sign-out, password change, reset and disabling, and after PORTAL_ADMIN_IDLE_MINUTES without a request.

The cookie carries a random token; the database keeps its sha256, so a copy of the table gives no
session away. `last_seen_at` is written at most once a minute (the idle limit is 30 minutes).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets

from flask import current_app
from sqlalchemy import select, update

from portal import clock
from portal.extensions import db
from portal.models import StaffSession, StaffUser

TOUCH_EVERY = dt.timedelta(minutes=1)


class Ended(str, enum.Enum):
    IDLE = "idle"
    CLOSED = "closed"  # signed out, password changed, account reset or disabled


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return clock.now().astimezone(dt.timezone.utc)


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["PORTAL_ADMIN_IDLE_MINUTES"])


def start(user: StaffUser) -> str:
    """A new session for `user` (committed by the caller); returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = _now()
    db.session.add(StaffSession(token_digest=_digest(token), user_id=user.id, created_at=now, last_seen_at=now))
    return token


def resume(token: str | None, user_id: int) -> StaffSession | Ended:
    """The live session of `user_id` the cookie names, touched; or why there is none."""
    if not token:
        return Ended.CLOSED
    row = db.session.scalar(select(StaffSession).where(StaffSession.token_digest == _digest(token)))
    if row is None or row.user_id != user_id or row.ended_at is not None:
        return Ended.CLOSED
    now = _now()
    if now - clock.as_utc(row.last_seen_at) > idle_limit():
        row.ended_at = now
        db.session.commit()
        return Ended.IDLE
    if now - clock.as_utc(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return row


def end(token: str | None) -> None:
    if token:
        db.session.execute(
            update(StaffSession)
            .where(StaffSession.token_digest == _digest(token), StaffSession.ended_at.is_(None))
            .values(ended_at=_now())
        )


def end_all(user: StaffUser) -> None:
    """End every session of `user` (a password change also starts a fresh one for the browser it came from)."""
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=_now())
    )


def purge(older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
    """Forget sessions ended (or idle) for longer than `older_than`; returns how many."""
    cutoff = _now() - older_than
    stale = db.session.scalars(
        select(StaffSession.id).where((StaffSession.ended_at < cutoff) | (StaffSession.last_seen_at < cutoff))
    ).all()
    if stale:
        db.session.execute(StaffSession.__table__.delete().where(StaffSession.id.in_(stale)))
    return len(stale)
