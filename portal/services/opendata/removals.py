"""The removal feed: every record or list entry that left public view, when, and why, by public
identifiers only.

Two sources, merged in one order (moment, source, id):
- changes someone made (repair, objection upheld, withdrawal, list exit, a re-import shortening the
  display): recorded as VisibilityEvents in the transaction of the change, by comparing what
  portal.visibility said before and after it (`watch` for ORM changes, `BulkChange` for imports);
- the calendar: a penalty whose display window ends, a list exit dated ahead. These are derived from
  the stored window on the day they happen, so they appear without any job running.

Events are served once they are SETTLE old, so that a transaction still open when a client reads
cannot commit an event behind the cursor the client was given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import event, select, tuple_
from sqlalchemy.orm import Session

from portal import clock
from portal.extensions import db
from portal.models import Commitment, License, ListEntry, Penalty, PublicationState
from portal.models.opendata import VisibilityEvent
from portal.rules import publicity
from portal.services.opendata import cursor
from portal.visibility import is_public, public_filter

SETTLE = dt.timedelta(seconds=60)
EXPIRED, DISPLAY_ENDED, REPAIRED, OBJECTION_UPHELD, WITHDRAWN, LIST_EXIT = (
    "expired",
    "display_ended",
    "repaired",
    "objection_upheld",
    "withdrawn",
    "list_exit",
)
KINDS = {
    EXPIRED: "公示期满",
    DISPLAY_ENDED: "公示截止期届满（重新报送提前结束公示）",
    REPAIRED: "信用修复",
    OBJECTION_UPHELD: "异议成立",
    WITHDRAWN: "撤销公示",
    LIST_EXIT: "移出名单",
}
PUBLISHED_EVENT = "published"  # entered public view through a change: kept for the derivation rule
ENTITY_TYPES = {Penalty: "penalty", License: "license", ListEntry: "list_entry", Commitment: "commitment"}
# Columns whose change may move a record in or out of public view.
WATCHED = {
    Penalty: ("state", "decided_on", "display_until"),
    License: ("state", "decided_on"),
    ListEntry: ("state", "listed_on", "removed_on"),
    Commitment: ("status", "disclosure"),
}
OBJECTION_PREFIX = "异议成立"
STATED = (PublicationState.PUBLISHED, PublicationState.REPAIRED, PublicationState.WITHDRAWN)


def removal_kind(record, on: dt.date) -> str:
    """Why a record that was public is not any more on day `on`, from its new state."""
    state = getattr(record, "state", None)
    if state == PublicationState.REPAIRED:
        return REPAIRED
    if state == PublicationState.WITHDRAWN:
        return OBJECTION_UPHELD if (record.withdrawn_reason or "").startswith(OBJECTION_PREFIX) else WITHDRAWN
    if isinstance(record, ListEntry) and record.removed_on is not None and record.removed_on <= on:
        return LIST_EXIT
    if isinstance(record, Penalty) and state == PublicationState.PUBLISHED and record.display_until < on:
        return DISPLAY_ENDED if ended_early(record) else EXPIRED
    return WITHDRAWN


def ended_early(penalty: Penalty) -> bool:
    """The display ends before the legal maximum because of the record's own 公示截止期."""
    return penalty.display_until < publicity.maximum_display_until(penalty.severity, penalty.decided_on)


def _identifiers(record) -> dict:
    if isinstance(record, Penalty | License):
        return {"doc_no": record.doc_no, "authority_uscc": record.authority_uscc}
    if isinstance(record, Commitment):
        return {"code": record.code}
    return {}


def _event(record, kind: str) -> VisibilityEvent:
    entity_type = ENTITY_TYPES[type(record)]
    return VisibilityEvent(entity_type=entity_type, entity_id=record.id, kind=kind, **_identifiers(record))


def _public_ids(model, ids, on: dt.date) -> set[int]:
    found: set[int] = set()
    ids = list(ids)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        found |= set(db.session.scalars(select(model.id).where(model.id.in_(chunk), public_filter(model, on))))
    return found


def _changed(record) -> bool:
    state = db.inspect(record)
    return any(state.attrs[key].history.has_changes() for key in WATCHED[type(record)])


def _before_flush(session: Session, _context, _instances) -> None:
    watched = [r for r in session.dirty if type(r) in WATCHED and _changed(r)]
    if not watched:
        return
    today = clock.today()
    with session.no_autoflush:
        for model in {type(r) for r in watched}:
            mine = [r for r in watched if type(r) is model]
            was = _public_ids(model, [r.id for r in mine], today)
            for record in mine:
                now_public = is_public(record, today)
                if record.id in was and not now_public:
                    session.add(_event(record, removal_kind(record, today)))
                elif record.id not in was and now_public:
                    session.add(_event(record, PUBLISHED_EVENT))


def watch() -> None:
    """Record visibility changes made through the ORM (every staff and workflow action)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


class BulkChange:
    """Visibility changes made by a Core UPDATE (imports): `before` the update, `after` it."""

    def __init__(self, model, ids):
        self.model, self.ids, self.today = model, list(ids), clock.today()

    def before(self) -> None:
        self.was = _public_ids(self.model, self.ids, self.today)

    def after(self) -> None:
        now = _public_ids(self.model, self.ids, self.today)
        for record_id in self.was - now:
            record = db.session.get(self.model, record_id, populate_existing=True)
            db.session.add(_event(record, removal_kind(record, self.today)))
        for record_id in now - self.was:
            db.session.add(_event(db.session.get(self.model, record_id), PUBLISHED_EVENT))


# The feed ------------------------------------------------------------------------------------------

STORED, EXPIRY, EXIT = 0, 1, 2  # sources, in their order within one moment


@dataclass(frozen=True)
class Removal:
    at: dt.datetime
    source: int
    id: int
    kind: str
    record_type: str
    doc_no: str | None = None
    authority_uscc: str | None = None
    list_entry_id: int | None = None
    commitment_code: str | None = None

    @property
    def key(self) -> tuple:
        return (self.at, self.source, self.id)

    def as_json(self) -> dict:
        return {
            "at": self.at.astimezone(clock.CHINA).isoformat(),
            "kind": self.kind,
            "kind_label": KINDS[self.kind],
            "record_type": self.record_type,
            "doc_no": self.doc_no,
            "authority_uscc": self.authority_uscc,
            "list_entry_id": self.list_entry_id,
            "commitment_code": self.commitment_code,
        }


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.CHINA)


def _stored(after: tuple, until: dt.datetime, limit: int) -> list[Removal]:
    at, source, ident = after
    stmt = select(VisibilityEvent).where(VisibilityEvent.kind.in_(KINDS), VisibilityEvent.at <= until)
    if source > STORED:
        stmt = stmt.where(VisibilityEvent.at > at)
    else:
        stmt = stmt.where(tuple_(VisibilityEvent.at, VisibilityEvent.id) > (at, ident))
    events = db.session.scalars(stmt.order_by(VisibilityEvent.at, VisibilityEvent.id).limit(limit))
    return [
        Removal(
            _aware(e.at),
            STORED,
            e.id,
            e.kind,
            e.entity_type,
            e.doc_no,
            e.authority_uscc,
            e.entity_id if e.entity_type == "list_entry" else None,
            e.code,
        )
        for e in events
    ]


def _history(entity_type: str, ids: list[int]) -> dict[int, list[VisibilityEvent]]:
    found: dict[int, list[VisibilityEvent]] = {}
    if ids:
        mine = VisibilityEvent.entity_type == entity_type, VisibilityEvent.entity_id.in_(ids)
        stmt = select(VisibilityEvent).where(*mine)
        for e in db.session.scalars(stmt.order_by(VisibilityEvent.at, VisibilityEvent.id)):
            found.setdefault(e.entity_id, []).append(e)
    return found


def _left_by_calendar(events: list[VisibilityEvent], moment: dt.datetime) -> bool:
    """Was the record still in view when its window ended, and did no change take it out instead?"""
    before = [e for e in events if _aware(e.at) < moment]
    if before and before[-1].kind in KINDS:
        return False  # a change had already taken it out of view
    return not any(_aware(e.at) >= moment and e.kind in KINDS for e in events)


def _derived(source: int, after: tuple, until: dt.datetime, limit: int) -> list[Removal]:
    """Window ends that have come: penalties past display_until, list entries past removed_on."""
    at, after_source, ident = after
    if source == EXPIRY:
        model, day, shift = Penalty, Penalty.display_until, dt.timedelta(days=1)
        entity_type = "penalty"
    else:
        model, day, shift = ListEntry, ListEntry.removed_on, dt.timedelta(0)
        entity_type = "list_entry"
    first_day = at.astimezone(clock.CHINA).date() - shift
    last_day = until.astimezone(clock.CHINA).date() - shift
    stmt = select(model).where(model.state.in_(STATED), day.is_not(None), day >= first_day, day <= last_day)
    stmt = stmt.where(model.decided_on <= day) if model is Penalty else stmt.where(model.listed_on < day)
    found: list[Removal] = []
    position = None
    while len(found) < limit:
        chunk = stmt if position is None else stmt.where(tuple_(day, model.id) > position)
        rows = db.session.scalars(chunk.order_by(day, model.id).limit(limit)).all()
        if not rows:
            break
        history = _history(entity_type, [r.id for r in rows])
        for r in rows:
            moment = _day_start(getattr(r, day.key) + shift)
            key = (moment, source, r.id)
            if key <= (at, after_source, ident) or moment > until:
                continue
            if not _left_by_calendar(history.get(r.id, []), moment):
                continue
            if r.published_at is not None and _aware(r.published_at) >= moment:
                continue  # published after its window had ended: never in view
            if model is Penalty:
                kind = DISPLAY_ENDED if ended_early(r) else EXPIRED
                found.append(Removal(moment, source, r.id, kind, entity_type, r.doc_no, r.authority_uscc))
            else:
                found.append(Removal(moment, source, r.id, LIST_EXIT, entity_type, list_entry_id=r.id))
        position = (getattr(rows[-1], day.key), rows[-1].id)
    return found


BEGINNING = (dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc), -1, -1)


@dataclass(frozen=True)
class Feed:
    items: list[Removal]
    cursor: str  # where to continue from next time (also when nothing new came)


def _encode(key: tuple) -> str:
    at, source, ident = key
    return cursor.encode("removals", at.astimezone(dt.timezone.utc).isoformat(), source, ident)


def decode(token: str) -> tuple:
    at, source, ident = cursor.decode("removals", token, 3)
    if not (isinstance(at, str) and type(source) is int and type(ident) is int and source in (-1, 0, 1, 2)):
        raise cursor.BadCursor(token)
    try:
        moment = dt.datetime.fromisoformat(at)
    except ValueError as e:
        raise cursor.BadCursor(token) from e
    if moment.tzinfo is None:
        raise cursor.BadCursor(token)
    return (moment, source, ident)


def position(moment: dt.datetime) -> str:
    """A cursor just before `moment`: the feed from then on."""
    return _encode((moment, -1, -1))


def removals(since: str | None = None, limit: int = 100) -> Feed:
    """Removals after the cursor `since` (from the beginning without one), oldest first."""
    after = decode(since) if since else BEGINNING
    until = clock.now() - SETTLE
    limit = max(1, min(limit, 1000))
    merged = sorted(
        _stored(after, until, limit) + _derived(EXPIRY, after, until, limit) + _derived(EXIT, after, until, limit),
        key=lambda r: r.key,
    )[:limit]
    last = merged[-1].key if merged else after
    return Feed(merged, _encode(last) if merged or since else _encode(BEGINNING))
