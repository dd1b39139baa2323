"""Stored presentations: each public record's view as portal.presenters made it, kept beside the
index by the indexer (rebuild and outbox) and served for pages of records.

A derived copy like the index: the database's rows decide. A stored view is served only for a
record public today (portal.visibility) whose row and subject row are the versions it was made from,
whose project (if it names one) has not changed since, made by the current masking code, with the
subject's hidden 文书号 unchanged; anything else is
presented again from the database (and a later index change stores it again).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

from sqlalchemy import Date, and_, bindparam, delete, insert, or_, select, union_all
from sqlalchemy.orm import selectinload

from portal import presenters
from portal.extensions import db
from portal.models import License, Penalty, Project, RecordPresentation, Subject
from portal.models.base import utcnow
from portal.visibility import public_filter

MODELS = {"license": License, "penalty": Penalty}
KINDS = {License: "license", Penalty: "penalty"}


def row(record, form: presenters.StoredForm) -> dict:
    """The stored row of a public record (its subject loaded) and its form made by the presenters."""
    return {
        "type": KINDS[type(record)],
        "entity_id": record.id,
        "subject_id": record.subject_id,
        "version": form.version,
        "record_updated_at": record.updated_at,
        "subject_updated_at": record.subject.updated_at,
        "stored_at": utcnow(),
        "hidden": json.dumps(form.hidden, ensure_ascii=False),
        "view": json.dumps(form.view, ensure_ascii=False),
    }


def _forget(conn, keys: list[tuple[str, int]]) -> None:
    for kind in MODELS:
        ids = [i for k, i in keys if k == kind]
        for start in range(0, len(ids), 500):
            conn.execute(
                delete(RecordPresentation).where(
                    RecordPresentation.type == kind, RecordPresentation.entity_id.in_(ids[start : start + 500])
                )
            )


def store(conn, rows: list[dict], gone: list[tuple[str, int]] = ()) -> None:
    """Replace the stored rows of these records and remove those of records gone from public view."""
    _forget(conn, [(r["type"], r["entity_id"]) for r in rows] + list(gone))
    if rows:
        conn.execute(insert(RecordPresentation), rows)


@cache
def _stored_statement(kinds: tuple[str, ...]):
    """Built once per set of kinds (a page of results runs it on every request): one statement
    for every kind of the page."""
    p, on = RecordPresentation, bindparam("on", type_=Date)
    statements = []
    for kind in kinds:
        model = MODELS[kind]
        statements.append(
            select(p.type, p.entity_id, p.subject_id, p.hidden, p.view)
            .join(model, and_(model.id == p.entity_id, model.updated_at == p.record_updated_at))
            .join(Subject, and_(Subject.id == model.subject_id, Subject.updated_at == p.subject_updated_at))
            .outerjoin(Project, Project.id == model.project_id)
            .where(
                or_(model.project_id.is_(None), Project.updated_at < p.stored_at),
                p.type == kind,
                p.entity_id.in_(bindparam(f"{kind}_ids", expanding=True)),
                p.version == presenters.PRESENTATION_VERSION,
                public_filter(model, on),
            )
        )
    return union_all(*statements)


def views(wanted: dict[str, list[int]], on: dt.date) -> dict[tuple[str, int], dict]:
    """Views of these records ({kind: ids}) served from storage: those it may serve, the others absent."""
    wanted = {kind: list(ids) for kind, ids in wanted.items() if ids}
    if not wanted:
        return {}
    params = {f"{kind}_ids": ids for kind, ids in wanted.items()}
    rows = db.session.execute(_stored_statement(tuple(sorted(wanted))), {**params, "on": on}).all()
    hidden_now = presenters.hidden_references_by_subject((r.subject_id for r in rows), on)
    return {
        (r.type, r.entity_id): presenters.from_stored(json.loads(r.view), on)
        for r in rows
        if json.loads(r.hidden) == hidden_now.get(r.subject_id, [])
    }


def present_many(wanted: dict[str, list[int]], on: dt.date, loaded: dict | None = None) -> dict[tuple[str, int], dict]:
    """Views of these records ({kind: ids}) public today: stored where they may be served, else
    presented from the database (`loaded`: {(kind, id): record} the caller holds already).
    Records neither loaded nor public are absent."""
    loaded = loaded or {}
    found = views(wanted, on)
    records = []
    for kind, ids in wanted.items():
        missing = [i for i in ids if (kind, i) not in found]
        records += [loaded[(kind, i)] for i in missing if (kind, i) in loaded]
        rest = [i for i in missing if (kind, i) not in loaded]
        if rest:
            model = MODELS[kind]
            records += db.session.scalars(
                select(model).where(model.id.in_(rest), public_filter(model, on)).options(selectinload(model.subject))
            ).all()
    found.update(
        ((KINDS[type(r)], r.id), view) for r, view in zip(records, presenters.record_views(records, on), strict=True)
    )
    return found


def present(kind: str, ids: list[int], on: dt.date, loaded: dict | None = None) -> dict[int, dict]:
    """present_many for one kind: {id: view}; `loaded`: {id: record}."""
    held = {(kind, i): r for i, r in (loaded or {}).items()}
    return {i: view for (_, i), view in present_many({kind: ids}, on, held).items()}
