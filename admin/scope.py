"""Lookups of the 录入/审核 screens: always through services.access (department-scoped), else 404."""

from __future__ import annotations

from functools import wraps

from flask import abort, url_for
from flask_login import current_user

from admin.access import require_roles
from admin.blueprint import bp
from portal import clock
from portal.importer.headers import LICENSE, PENALTY
from portal.models import ImportRun, RecordRevision, Role
from portal.services.core.record_kinds import LIST_ENTRY
from portal.services.core.workflow import editable
from portal.services.staff import access

RECORD_KINDS = (LICENSE, PENALTY)


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


def _found(entity):
    if entity is None:
        abort(404)
    return entity


def record_or_404(kind: str, record_id: int):
    return _found(access.record(me(), kind, record_id))


def revision_or_404(revision_id: int) -> RecordRevision:
    return _found(access.revision(me(), revision_id))


def run_or_404(run_id: int) -> ImportRun:
    return _found(access.import_run(me(), run_id))


def application_or_404(kind: str, app_id: int):
    return _found(access.application(me(), kind, app_id))


def me():
    return current_user._get_current_object()


def detail_url(kind: str, entity_id: int) -> str:
    if kind == LIST_ENTRY:
        return url_for("admin.list_entry_detail", entry_id=entity_id)
    return url_for("admin.record_detail", kind=kind, record_id=entity_id)


@bp.context_processor
def _helpers():
    return {"roles": Role, "local_time": clock.local_time, "editable": editable}
