"""May this user see or change this object: roles, and department scoping applied in the queries.

Back-office staff see and change the records, list entries, edits, import runs and online
submissions of their own department only. Lookups here filter by department in the query, so
another department's rows do not exist for the back office, an API or the CLI (a view answers
404); the workflow services check `in_department` before every step.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, false, select

from portal.extensions import db
from portal.models import Attachment, ImportRun, Project, RecordRevision, Role
from portal.services.core.record_kinds import MODELS as RECORD_MODELS
from portal.services.online import applications


def has_any_role(user, roles: Iterable[Role]) -> bool:
    return any(user.has_role(r) for r in roles)


def in_department(user, department_id: int | None) -> bool:
    """Whether an object of `department_id` is the user's department's (no department: nothing is)."""
    return user.department_id is not None and department_id == user.department_id


def own_department(stmt: Select, model, user) -> Select:
    """Restrict a query to the user's department: other departments' rows do not exist."""
    if user.department_id is None:
        return stmt.where(false())
    return stmt.where(model.department_id == user.department_id)


def platform_wide(stmt: Select, user, role: Role) -> Select:
    """A query of the platform's own objects (accounts, API keys, articles): the whole table for
    a holder of `role`, nothing for anyone else."""
    return stmt if user.has_role(role) else stmt.where(false())


def department_of(user) -> int | None:
    """The department whose submissions the user handles (none: no queue)."""
    return user.department_id


# Who sees the statistics of the whole city: the 信用办 (staff with no department), administrators and
# the graders (grading is city-wide). Everyone else sees their own department's figures only.
CITY_STATISTICS_ROLES = (Role.ADMIN, Role.GRADER)


def statistics_department(user) -> int | None:
    """The one department whose statistics `user` may see, or None for the whole city."""
    if user.department_id is None or has_any_role(user, CITY_STATISTICS_ROLES):
        return None
    return user.department_id


def _scoped(model, entity_id: int, user) -> Any:
    return db.session.scalar(own_department(select(model).where(model.id == entity_id), model, user))


def record(user, kind: str, record_id: int):
    """A licence, penalty or list entry of the user's department, or None."""
    model = RECORD_MODELS.get(kind)
    return _scoped(model, record_id, user) if model is not None else None


def project(user, project_id: int) -> Project | None:
    """A project or facility entered in the user's department, or None."""
    return _scoped(Project, project_id, user)


def revision(user, revision_id: int) -> RecordRevision | None:
    return _scoped(RecordRevision, revision_id, user)


def import_run(user, run_id: int) -> ImportRun | None:
    return _scoped(ImportRun, run_id, user)


def application(user, kind: str, app_id: int):
    """A commitment, objection or repair application addressed to the user's department, or None."""
    model = applications.MODELS.get(kind)
    return _scoped(model, app_id, user) if model is not None else None


def application_attachment(user, attachment_id: int) -> Attachment | None:
    """A submission's file, for the department the submission is addressed to."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.owner_kind not in applications.MODELS or attachment.owner_id is None:
        return None
    return attachment if application(user, attachment.owner_kind, attachment.owner_id) is not None else None
