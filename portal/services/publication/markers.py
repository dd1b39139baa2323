"""「异议处理中」 and 「信用修复中」 markers for records shown to the public: one query per page,
whatever record types it shows."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, literal, select, union_all

from portal.extensions import db
from portal.models import Objection, RepairApplication
from portal.services.online.applications import OPEN

UNDER_OBJECTION = "异议处理中"
UNDER_REPAIR = "信用修复中"
RECORD_TYPES = ("penalty", "license", "list_entry")
_ORDER = (UNDER_OBJECTION, UNDER_REPAIR)


def _statements(record_type: str, ids: list[int]) -> list[Select[str, str, int]]:
    found = [
        select(literal(record_type), literal(UNDER_OBJECTION), Objection.record_id).where(
            Objection.record_type == record_type, Objection.record_id.in_(ids), Objection.status.in_(OPEN["objection"])
        )
    ]
    if record_type == "penalty":
        found.append(
            select(literal(record_type), literal(UNDER_REPAIR), RepairApplication.penalty_id).where(
                RepairApplication.penalty_id.in_(ids), RepairApplication.status.in_(OPEN["repair"])
            )
        )
    return found


def for_many(wanted: dict[str, Iterable[int]]) -> dict[tuple[str, int], list[str]]:
    """Markers per (record type, id) of several types; records without any are absent."""
    statements: list[Select[str, str, int]] = []
    for record_type, given in wanted.items():
        if record_type not in RECORD_TYPES:
            raise ValueError(record_type)
        ids = sorted(set(given))
        if ids:
            statements += _statements(record_type, ids)
    if not statements:
        return {}
    found: dict[tuple[str, int], set[str]] = {}
    for kind, label, record_id in db.session.execute(union_all(*statements)):
        found.setdefault((kind, record_id), set()).add(label)
    return {key: [m for m in _ORDER if m in labels] for key, labels in found.items()}


def attach_many(views: dict[str, list[dict]]) -> None:
    """Add a `markers` list to each presenter dict ({record type: dicts}, in place)."""
    found = for_many({record_type: (v["id"] for v in dicts) for record_type, dicts in views.items()})
    for record_type, dicts in views.items():
        for view in dicts:
            view["markers"] = found.get((record_type, view["id"]), [])


def attach(record_type: str, views: list[dict]) -> list[dict]:
    """Add a `markers` list to each presenter dict (in place) and return the list."""
    attach_many({record_type: views})
    return views
