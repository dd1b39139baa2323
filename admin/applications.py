"""受理员's desk: queues of objections, repairs and commitments, their handling, and attachments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from admin.blueprint import bp
from admin.scope import application_or_404, desk, me
from portal import clock
from portal.models import Role
from portal.models.applications import FULFILMENT_STATES, OPEN_STATUSES
from portal.rules.time_limits import overdue, workdays_left
from portal.services.core import record_kinds, uploads
from portal.services.core.workflow import Rejected, WorkflowError
from portal.services.online import applications, handling
from portal.services.staff import access, desk_lists, office_lists, worklist

STEPS = {
    "accept": "受理",
    "refuse": "不予受理",
    "request_material": "要求补正材料",
    "verify": "核实",
    "decide": "作出决定",
    "fulfilment": "登记履行情况",
}
# The one free-text field of each step's form: the template renders it under this name, the handler reads it.
TEXT_FIELDS = {
    "accept": "note",
    "refuse": "reason",
    "request_material": "note",
    "verify": "note",
    "decide": "reason",
    "fulfilment": "breach_action",
}


@bp.get("/queues")
@desk(Role.HANDLER)
def queues():
    listing = desk_lists.Listing.from_args("application", request.args)
    return render_template(
        "admin/queues.html",
        queue=office_lists.submissions(me(), listing),
        listing=listing,
        sorts=desk_lists.SORTS["application"],
        kind=listing.kind,
        kind_labels=applications.KIND_LABELS,
        states=[(s.value, s.label) for s in OPEN_STATUSES] + [("overdue", "仅看超期事项")],
        settled=worklist.settled_commitments(current_user.department_id),
    )


def _subject_of(application) -> dict:
    """The record or penalty concerned, for the handler's page (staff see it unmasked)."""
    found = applications.concerned(application)
    if found is None:
        return {}
    kind, record = found
    return {"label": record_kinds.LABELS[kind], "record": record, "kind": kind}


@bp.get("/applications/<kind>/<int:app_id>")
@desk(Role.HANDLER)
def application_detail(kind: str, app_id: int, status: int = 200, error: str | None = None):
    application = application_or_404(kind, app_id)
    today = clock.today()
    return render_template(
        "admin/application_detail.html",
        kind=kind,
        kind_label=applications.KIND_LABELS[kind],
        a=application,
        history=applications.history(application),
        files=applications.attachments(application),
        concerned=_subject_of(application),
        related=applications.related(application),
        overdue=overdue(application.deadline, today),
        left=workdays_left(application.deadline, today),
        is_open=applications.is_open(application),
        outcomes=handling.OBJECTION_OUTCOMES,
        fulfilment_states=FULFILMENT_STATES,
        text_fields=TEXT_FIELDS,
        error=error,
    ), status


@bp.post("/applications/<kind>/<int:app_id>/<step>")
@desk(Role.HANDLER)
def application_step(kind: str, app_id: int, step: str):
    application = application_or_404(kind, app_id)
    if step not in STEPS:
        abort(404)
    form, user = request.form, me()
    text = form.get(TEXT_FIELDS[step])
    try:
        if step == "accept":
            handling.accept(application, user, text)
        elif step == "refuse":
            handling.refuse(application, user, text)
        elif step == "request_material":
            handling.request_material(application, user, text)
        elif step == "verify" and kind == "repair":
            handling.verify_repair(application, user, text)
        elif step == "verify" and kind == "objection":
            handling.decide_objection(application, user, form.get("outcome", ""), text)
        elif step == "decide" and kind == "repair":
            handling.decide_repair(application, user, form.get("decision") == "approve", text)
        elif step == "fulfilment" and kind == "commitment":
            handling.set_fulfilment(application, user, form.get("fulfilment", ""), text)
        else:
            abort(404)
    except (Rejected, WorkflowError) as e:
        return application_detail(kind, app_id, status=400, error=str(e))
    flash(f"已{STEPS[step]}：{application.number}", "info")
    return redirect(url_for("admin.application_detail", kind=kind, app_id=app_id))


@bp.get("/attachments/<int:attachment_id>")
@desk(Role.HANDLER)
def attachment_download(attachment_id: int):
    """A submission's file, for the handlers of the department the submission is addressed to."""
    attachment = access.application_attachment(me(), attachment_id)
    if attachment is None:
        abort(404)
    return uploads.send_attachment(attachment)
