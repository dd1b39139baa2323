"""审核: the department's queue, and the reviewer's decisions on records, list entries and edits."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from admin import detail
from admin.blueprint import bp
from admin.record_forms import ReasonForm
from admin.scope import desk, detail_url, me, record_or_404, revision_or_404
from portal import clock
from portal.models import ListEntry, Role
from portal.services.core.record_kinds import LABELS, LIST_ENTRY
from portal.services.core.workflow import Rejected, WorkflowError
from portal.services.publication import projects, publishing, revisions
from portal.services.staff import accounts

QUEUE_LIMIT = 500


def _describe(kind: str, entity) -> str:
    if kind == LIST_ENTRY:
        return f"{entity.subject.name} · {entity.kind.label} · {entity.list_type}"
    return f"{entity.doc_no} · {entity.subject_name}"


@bp.get("/review")
@desk(Role.REVIEWER)
def review_queue():
    items = []
    for kind, entity in publishing.pending_review(me(), QUEUE_LIMIT):
        items.append(
            (
                entity.created_at,
                LABELS[kind],
                "新录入",
                _describe(kind, entity),
                entity.created_by_id,
                detail_url(kind, entity.id),
            )
        )
    for revision in revisions.pending_of_department(me(), QUEUE_LIMIT):
        entity = publishing.revision_target(revision)
        what = "移出申请" if isinstance(entity, ListEntry) and "removed_on" in revision.changes else "修改已公示信息"
        items.append(
            (
                revision.submitted_at,
                LABELS[revision.entity_type],
                what,
                _describe(revision.entity_type, entity),
                revision.submitted_by_id,
                detail_url(revision.entity_type, entity.id),
            )
        )
    for project in projects.pending_review(me(), QUEUE_LIMIT):
        items.append(
            (
                project.created_at,
                "项目/设施",
                "新录入" if project.published_at is None else "修改已审核项目",
                f"{project.code} · {project.name} · {project.subject.name}",
                project.created_by_id,
                url_for("admin.project_detail", project_id=project.id),
            )
        )
    items.sort(key=lambda item: clock.as_utc(item[0]))
    people = accounts.display_names(item[4] for item in items)
    return render_template("admin/review_queue.html", items=items, people=people)


def _decide(kind: str, entity, step, success: str, *args):
    """Run a decision; a refusal re-renders the detail page with the Chinese message."""
    try:
        step(*args)
    except Rejected as e:
        return detail.render(kind, entity, 400, str(e))
    except WorkflowError as e:
        return detail.render(kind, entity, 409, str(e))
    flash(success, "info")
    return redirect(detail_url(kind, entity.id))


def _reason() -> str | None:
    form = ReasonForm()
    form.validate()
    return form.reason.data


@bp.post("/review/<kind>/<int:record_id>/approve")
@desk(Role.REVIEWER)
def record_approve(kind: str, record_id: int):
    entity = record_or_404(kind, record_id)
    return _decide(kind, entity, publishing.approve, "审核通过，已公示", kind, entity, me())


@bp.post("/review/<kind>/<int:record_id>/return")
@desk(Role.REVIEWER)
def record_return(kind: str, record_id: int):
    entity = record_or_404(kind, record_id)
    return _decide(kind, entity, publishing.send_back, "已退回录入人", kind, entity, me(), _reason())


@bp.post("/review/<kind>/<int:record_id>/withdraw")
@desk(Role.REVIEWER)
def record_withdraw(kind: str, record_id: int):
    entity = record_or_404(kind, record_id)
    return _decide(kind, entity, publishing.withdraw, "已撤销公示", kind, entity, me(), _reason())


@bp.post("/review/revisions/<int:revision_id>/approve")
@desk(Role.REVIEWER)
def revision_approve(revision_id: int):
    revision = revision_or_404(revision_id)
    entity = publishing.revision_target(revision)
    return _decide(
        revision.entity_type, entity, publishing.approve_revision, "修改审核通过，公示内容已更新", revision, me()
    )


@bp.post("/review/revisions/<int:revision_id>/return")
@desk(Role.REVIEWER)
def revision_return(revision_id: int):
    revision = revision_or_404(revision_id)
    entity = publishing.revision_target(revision)
    return _decide(
        revision.entity_type, entity, publishing.return_revision, "修改已退回，公示内容不变", revision, me(), _reason()
    )
