"""「异议处理中」 and 「信用修复中」 markers for records shown to the public: one query per page,
whatever record types it shows."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from sqlalchemy import BindParameter, CompoundSelect, Select, bindparam, literal, select, union_all

from portal.extensions import db
from portal.models import Objection, RepairApplication
from portal.services.online.applications import OPEN

UNDER_OBJECTION = "异议处理中"
UNDER_REPAIR = "信用修复中"
RECORD_TYPES = ("penalty", "license", "list_entry")
_ORDER = (UNDER_OBJECTION, UNDER_REPAIR)


@cache
def _statement(record_types: tuple[str, ...]) -> CompoundSelect[str, str, int]:
    """Built once per set of record types (every page showing records runs it): one statement for
    all of them, each type's ids bound as `<type>_ids`."""
    statements: list[Select[str, str, int]] = []
    for record_type in record_types:
        ids: BindParameter[int] = bindparam(f"{record_type}_ids", expanding=True)
        statements.append(
            select(literal(record_type), literal(UNDER_OBJECTION), Objection.record_id).where(
                Objection.record_type == record_type,
                Objection.record_id.in_(ids),
                Objection.status.in_(OPEN["objection"]),
            )
        )
        if record_type == "penalty":
            statements.append(
                select(literal(record_type), literal(UNDER_REPAIR), RepairApplication.penalty_id).where(
                    RepairApplication.penalty_id.in_(ids), RepairApplication.status.in_(OPEN["repair"])
                )
            )
    return union_all(*statements)


def for_many(wanted: dict[str, Iterable[int]]) -> dict[tuple[str, int], list[str]]:
    """Markers per (record type, id) of several types; records without any are absent."""
    params: dict[str, list[int]] = {}
    for record_type, given in wanted.items():
        if record_type not in RECORD_TYPES:
            raise ValueError(record_type)
        if ids := sorted(set(given)):
            params[f"{record_type}_ids"] = ids
    if not params:
        return {}
    types = tuple(t for t in RECORD_TYPES if f"{t}_ids" in params)
    found: dict[tuple[str, int], set[str]] = {}
    for kind, label, record_id in db.session.execute(_statement(types), params):
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
