"""「异议处理中」 and 「信用修复中」 markers for records shown to the public: one query per record type."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import literal, select, union_all

from portal.extensions import db
from portal.models import Objection, RepairApplication
from portal.services.online.applications import OPEN

UNDER_OBJECTION = "异议处理中"
UNDER_REPAIR = "信用修复中"
RECORD_TYPES = ("penalty", "license", "list_entry")


def for_records(record_type: str, ids: Iterable[int]) -> dict[int, list[str]]:
    """Markers per record id; records without any are absent from the result."""
    if record_type not in RECORD_TYPES:
        raise ValueError(record_type)
    ids = sorted(set(ids))
    if not ids:
        return {}
    stmt = select(literal(UNDER_OBJECTION), Objection.record_id).where(
        Objection.record_type == record_type, Objection.record_id.in_(ids), Objection.status.in_(OPEN["objection"])
    )
    if record_type == "penalty":
        stmt = union_all(
            stmt,
            select(literal(UNDER_REPAIR), RepairApplication.penalty_id).where(
                RepairApplication.penalty_id.in_(ids), RepairApplication.status.in_(OPEN["repair"])
            ),
        )
    found: dict[int, set[str]] = {}
    for label, record_id in db.session.execute(stmt):
        found.setdefault(record_id, set()).add(label)
    order = (UNDER_OBJECTION, UNDER_REPAIR)
    return {record_id: [m for m in order if m in labels] for record_id, labels in found.items()}


def attach(record_type: str, views: list[dict]) -> list[dict]:
    """Add a `markers` list to each presenter dict (in place) and return the list."""
    found = for_records(record_type, (v["id"] for v in views))
    for view in views:
        view["markers"] = found.get(view["id"], [])
    return views
