"""The core every staff workflow shares: errors, role and department checks, audit snapshots, outbox.

Record publication (publishing, list_workflow), the handling of online submissions (handling) and
online filing (online_filing) build on this module; it builds on none of them, so the workflows
import each other in one direction only (tests/test_architecture.py checks there is no cycle).
"""

from __future__ import annotations

from flask import current_app

from portal.extensions import db
from portal.models import PublicationState, Role, SearchOutbox
from portal.services.core.record_kinds import LIST_ENTRY
from portal.services.core.unit_of_work import atomic, commit
from portal.services.staff import access

__all__ = [
    "FOUR_EYES",
    "Rejected",
    "WorkflowError",
    "atomic",
    "commit",
    "editable",
    "publication_limit",
    "reason_text",
    "require",
    "same_department",
    "snapshot",
    "touch",
]

FOUR_EYES = "不能审核本人录入或修改的信息：录入与审核须由不同人员完成（双人复核）"
_SKIP = {"created_at", "updated_at"}


class WorkflowError(ValueError):
    """A step the rules do not allow; the message is Chinese."""


class Rejected(ValueError):
    """Input with problems: Chinese messages per field (a national header, or a form field name)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("；".join(m for ms in errors.values() for m in ms))
        self.errors = errors


def publication_limit() -> int:
    """Working days from a decision to its publication (PORTAL_PUBLICATION_LIMIT_WORKDAYS)."""
    return int(current_app.config["PORTAL_PUBLICATION_LIMIT_WORKDAYS"])


# Corrected in place until published; a published licence or penalty through an edit reviewed before
# the public sees it, a published list entry only by a removal request.
CORRECTED_IN_PLACE = (PublicationState.PENDING, PublicationState.DRAFT)


def editable(kind: str, state: PublicationState) -> bool:
    """Whether a clerk may change a record or list entry in `state`."""
    return state in CORRECTED_IN_PLACE or (kind != LIST_ENTRY and state == PublicationState.PUBLISHED)


def snapshot(entity) -> dict:
    """Every column except timestamps: the audited picture of a record."""
    return {c.key: getattr(entity, c.key) for c in entity.__table__.columns if c.key not in _SKIP}


def touch(kind: str, entity) -> None:
    """Search outbox rows for a change (list entries are shown with their subject)."""
    if kind == LIST_ENTRY:
        db.session.add(SearchOutbox(entity_type="subject", entity_id=entity.subject_id))
    else:
        db.session.add(SearchOutbox(entity_type=kind, entity_id=entity.id))


def require(user, role: Role) -> None:
    if not user.has_role(role):
        raise WorkflowError(f"需要“{role.label}”角色才能进行此操作")
    if user.department_id is None:
        raise WorkflowError("您的账号未分配部门，不能录入或审核信息")


def same_department(user, department_id: int | None) -> None:
    if not access.in_department(user, department_id):
        raise WorkflowError("只能处理本部门的信息")


def reason_text(reason: str | None, message: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise Rejected({"reason": [message]})
    if len(text) > 500:
        raise Rejected({"reason": ["原因不能超过500个字符"]})
    return text
