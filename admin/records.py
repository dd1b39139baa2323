"""录入 of licences and penalties: the department's records, new and edit forms, detail pages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request

from admin import detail
from admin.blueprint import bp
from admin.record_forms import (
    DECISION_FIELDS,
    FORMS,
    SUBJECT_FIELDS,
    attach_errors,
    project_choices,
    record_data,
    subject_data,
    values_by_header,
)
from admin.scope import RECORD_KINDS, desk, detail_url, me, record_or_404
from portal.errors import page_number
from portal.models import PublicationState, Role
from portal.services.core import record_kinds
from portal.services.core.paging import paginate
from portal.services.core.workflow import Rejected, WorkflowError
from portal.services.publication import projects, publishing, revisions
from portal.services.staff import desk_lists

STATES = [("", "全部")] + [
    (s.value, s.label)
    for s in (PublicationState.PENDING, PublicationState.DRAFT, PublicationState.PUBLISHED, PublicationState.WITHDRAWN)
]
STATE_NAMES = {PublicationState.DRAFT: "已退回（草稿）"}


def _kind(kind: str) -> str:
    if kind not in RECORD_KINDS:
        abort(404)
    return kind


@bp.get("/records")
@desk(Role.CLERK, Role.REVIEWER)
def records():
    kind = request.args.get("kind") if request.args.get("kind") in RECORD_KINDS else "penalty"
    listing = desk_lists.Listing.from_args("record", request.args)
    state = listing.state
    page = paginate(desk_lists.records(kind, me(), listing), request.args.get("page", 1, type=page_number), list)
    revised = revisions.pending_ids(me(), kind, [r.id for r in page.items])
    return render_template(
        "admin/records.html",
        kind=kind,
        state=state,
        listing=listing,
        sorts=desk_lists.SORTS["record"],
        states=STATES,
        page=page,
        revised=revised,
        state_names=STATE_NAMES,
        kind_label=record_kinds.LABELS[kind],
    )


def _form_page(kind: str, form, status: int, record=None, errors=(), name_warning=None):
    return render_template(
        "admin/record_form.html",
        kind=kind,
        kind_label=record_kinds.LABELS[kind],
        form=form,
        record=record,
        subject_fields=[n for n, _ in SUBJECT_FIELDS],
        decision_fields=[n for n, _ in DECISION_FIELDS[kind]],
        errors=errors,
        name_warning=name_warning,
    ), status


def _flash_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        flash(f"提示：{warning}", "warning")


@bp.route("/records/<kind>/new", methods=["GET", "POST"])
@desk(Role.CLERK)
def record_new(kind: str):
    kind = _kind(kind)
    # Entered from a project's page (?project=<code>): the form starts with its enterprise and project.
    project = projects.approved_by_code(request.args.get("project", "")) if request.method == "GET" else None
    form = FORMS[kind](data=subject_data(project.subject) if project else None)
    if request.method == "GET":
        dept = me().department
        form.authority.data = form.source_unit.data = dept.name
        form.authority_uscc.data = form.source_unit_uscc.data = dept.uscc
        if project is not None:
            project_choices(form, projects.choices_for(project.subject))
            form.project.data = project.code
        return _form_page(kind, form, 200)
    project_choices(form, projects.choices_for(projects.subject_by_code(form.uscc.data)))
    if request.form.get("list_projects"):  # only shows the subject's projects; nothing is saved
        return _form_page(kind, form, 200)
    errors = []
    if form.validate_on_submit():
        warning = publishing.name_conflict(values_by_header(kind, form))
        if warning and not form.confirm_name.data:
            return _form_page(kind, form, 200, name_warning=warning)
        try:
            record, warnings = publishing.enter(kind, values_by_header(kind, form), me())
        except Rejected as e:
            errors = attach_errors(kind, form, e.errors)
        except WorkflowError as e:
            errors = [str(e)]
        else:
            _flash_warnings(warnings)
            flash("已保存，等待审核员审核；审核通过后公示", "info")
            return redirect(detail_url(kind, record.id))
    return _form_page(kind, form, 400, errors=errors or ["请更正标出的内容后再提交"])


@bp.get("/records/<kind>/<int:record_id>")
@desk(Role.CLERK, Role.REVIEWER)
def record_detail(kind: str, record_id: int):
    return detail.render(kind, record_or_404(_kind(kind), record_id))


@bp.route("/records/<kind>/<int:record_id>/edit", methods=["GET", "POST"])
@desk(Role.CLERK)
def record_edit(kind: str, record_id: int):
    record = record_or_404(_kind(kind), record_id)
    form = FORMS[kind](data=record_data(kind, record))
    subject = record.subject if request.method == "GET" else projects.subject_by_code(form.uscc.data)
    project_choices(form, projects.choices_for(subject, keep=record.project))
    if request.method == "GET" or request.form.get("list_projects"):
        return _form_page(kind, form, 200, record)
    errors = []
    if form.validate_on_submit():
        warning = publishing.name_conflict(values_by_header(kind, form))
        if warning and not form.confirm_name.data:
            return _form_page(kind, form, 200, record, name_warning=warning)
        was_published = record.state == PublicationState.PUBLISHED
        try:
            revision, warnings = publishing.edit(kind, record, values_by_header(kind, form), me())
        except Rejected as e:
            errors = attach_errors(kind, form, e.errors)
        except WorkflowError as e:
            errors = [str(e)]
        else:
            _flash_warnings(warnings)
            if not was_published:
                flash("已保存并提交审核", "info")
            elif revision is None:
                flash("未作任何修改", "info")
            else:
                flash("修改已提交审核；审核通过前，公众看到的仍是原公示内容", "info")
            return redirect(detail_url(kind, record.id))
    return _form_page(kind, form, 400, record, errors or ["请更正标出的内容后再提交"])
