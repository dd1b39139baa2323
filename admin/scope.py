"""Lookups of the 录入/审核 screens: always through the department-scoped query, else 404."""

from __future__ import annotations

from functools import wraps

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import select

from admin import bp
from admin.access import own_department, require_roles
from portal import clock
from portal.extensions import db
from portal.models import ImportRun, RecordRevision, Role
from portal.services.publishing import LIST_ENTRY, MODELS

RECORD_KINDS = ("license", "penalty")


def desk(*roles):
    """Roles as require_roles, plus a department: the screens show nothing without one."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if current_user.department_id is None:
                abort(403)
            return view(*args, **kwargs)

        return require_roles(*roles)(wrapper)

    return decorate


def _scoped(model, entity_id: int):
    found = db.session.scalar(own_department(select(model).where(model.id == entity_id), model))
    if found is None:
        abort(404)
    return found


def record_or_404(kind: str, record_id: int):
    if kind not in MODELS:
        abort(404)
    return _scoped(MODELS[kind], record_id)


def revision_or_404(revision_id: int) -> RecordRevision:
    return _scoped(RecordRevision, revision_id)


def run_or_404(run_id: int) -> ImportRun:
    return _scoped(ImportRun, run_id)


def me():
    return current_user._get_current_object()


def detail_url(kind: str, entity_id: int) -> str:
    if kind == LIST_ENTRY:
        return url_for("admin.list_entry_detail", entry_id=entity_id)
    return url_for("admin.record_detail", kind=kind, record_id=entity_id)


@bp.context_processor
def _helpers():
    return {"roles": Role, "local_time": clock.local_time}
