"""Red, serious-dishonesty and abnormal lists: the department's entries, listing and removal."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from admin import detail
from admin.blueprint import bp
from admin.record_forms import ListEntryForm, RemovalForm
from admin.records import STATE_NAMES, STATES
from admin.scope import desk, detail_url, me, record_or_404
from portal.errors import page_number
from portal.models import ListEntry, ListKind, Role
from portal.services.core.paging import paginate
from portal.services.core.record_kinds import LIST_ENTRY
from portal.services.core.workflow import Rejected, WorkflowError
from portal.services.credit_lists import list_workflow
from portal.services.publication import revisions
from portal.services.staff import desk_lists


@bp.get("/lists")
@desk(Role.CLERK, Role.REVIEWER)
def list_entries():
    listing = desk_lists.Listing.from_args("list_entry", request.args)
    kind, state = listing.kind, listing.state
    page = paginate(desk_lists.list_entries(me(), listing), request.args.get("page", 1, type=page_number), list)
    pending = revisions.pending_ids(me(), LIST_ENTRY, [e.id for e in page.items])
    return render_template(
        "admin/list_entries.html",
        page=page,
        kind=kind,
        state=state,
        listing=listing,
        sorts=desk_lists.SORTS["list_entry"],
        kinds=list(ListKind),
        states=STATES,
        state_names=STATE_NAMES,
        pending=pending,
    )


def _form_page(form, title: str, status: int, errors=(), entry=None):
    return render_template(
        "admin/simple_form.html",
        form=form,
        title=title,
        errors=errors,
        entry=entry,
        back=detail_url(LIST_ENTRY, entry.id) if entry else url_for("admin.list_entries"),
    ), status


def _attach(form, errors: dict[str, list[str]]) -> list[str]:
    loose = []
    for name, messages in errors.items():
        if name in form:
            form[name].errors = list(form[name].errors) + messages
        else:
            loose += messages
    return loose


def _save(form, title: str, step, entry=None):
    """Validate and run a list step; refusals re-render the form with messages per field."""
    errors = []
    if form.validate_on_submit():
        try:
            return step({name: form[name].data for name in form.data if name != "csrf_token"})
        except Rejected as e:
            errors = _attach(form, e.errors)
        except WorkflowError as e:
            errors = [str(e)]
    return _form_page(form, title, 400, errors or ["请更正标出的内容后再提交"], entry)


@bp.route("/lists/new", methods=["GET", "POST"])
@desk(Role.CLERK)
def list_entry_new():
    form = ListEntryForm()
    title = "列入名单"
    if request.method == "GET":
        dept = me().department
        form.authority.data, form.authority_uscc.data = dept.name, dept.uscc
        return _form_page(form, title, 200)

    def step(data):
        entry = list_workflow.add(data, me())
        flash("已保存，等待审核员审核；审核通过后公示", "info")
        return redirect(detail_url(LIST_ENTRY, entry.id))

    return _save(form, title, step)


@bp.get("/lists/<int:entry_id>")
@desk(Role.CLERK, Role.REVIEWER)
def list_entry_detail(entry_id: int):
    return detail.render(LIST_ENTRY, record_or_404(LIST_ENTRY, entry_id))


def _entry_data(entry: ListEntry) -> dict:
    return {
        "subject_uscc": entry.subject.uscc,
        "kind": entry.kind.value,
        "list_type": entry.list_type,
        "authority": entry.authority,
        "authority_uscc": entry.authority_uscc or "",
        "reason": entry.reason,
        "basis": entry.basis or "",
        "listed_on": entry.listed_on.isoformat(),
        "planned_end": entry.planned_end.isoformat() if entry.planned_end else "",
    }


@bp.route("/lists/<int:entry_id>/edit", methods=["GET", "POST"])
@desk(Role.CLERK)
def list_entry_edit(entry_id: int):
    entry = record_or_404(LIST_ENTRY, entry_id)
    form = ListEntryForm(data=_entry_data(entry))
    title = "更正名单记录"
    if request.method == "GET":
        return _form_page(form, title, 200, entry=entry)

    def step(data):
        list_workflow.edit(entry, data, me())
        flash("已保存并提交审核", "info")
        return redirect(detail_url(LIST_ENTRY, entry.id))

    return _save(form, title, step, entry)


@bp.route("/lists/<int:entry_id>/remove", methods=["GET", "POST"])
@desk(Role.CLERK)
def list_entry_remove(entry_id: int):
    entry = record_or_404(LIST_ENTRY, entry_id)
    form = RemovalForm()
    title = f"申请移出：{entry.subject.name}（{entry.kind.label} · {entry.list_type}）"
    if request.method == "GET":
        return _form_page(form, title, 200, entry=entry)

    def step(data):
        list_workflow.request_removal(entry, data, me())
        flash("移出申请已提交审核；审核通过前该主体仍在名单中公示", "info")
        return redirect(detail_url(LIST_ENTRY, entry.id))

    return _save(form, title, step, entry)
