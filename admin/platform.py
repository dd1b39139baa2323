"""信用办 (administrators): submissions that reached no department, and 重错码 cases.

Nothing filed may be orphaned: an objection, repair or commitment addressed to no active
department waits here, overdue first, until an administrator hands it to a department. A code that
arrived under a second name waits here until staff confirm a change of name or mark it wrong.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from admin.access import require_roles
from admin.blueprint import bp
from admin.scope import me
from portal.errors import bounded_int
from portal.models import Role
from portal.services.core.workflow import Rejected, WorkflowError
from portal.services.online import applications, handling
from portal.services.publication import data_quality
from portal.services.staff import accounts, worklist


@bp.get("/unrouted")
@require_roles(Role.ADMIN)
def unrouted(status: int = 200, error: str | None = None):
    return render_template(
        "admin/unrouted.html",
        queue=worklist.applications(worklist.UNROUTED),
        departments=accounts.active_departments(),
        error=error,
    ), status


@bp.post("/unrouted/<kind>/<int:app_id>")
@require_roles(Role.ADMIN)
def route(kind: str, app_id: int):
    application = applications.get(kind, app_id)
    if application is None:
        abort(404)
    department = accounts.department(request.form.get("department_id", type=bounded_int) or 0)
    try:
        handling.route(application, department, me())
    except (Rejected, WorkflowError) as e:
        return unrouted(status=400, error=str(e))
    flash(f"已分派：{application.number} → {department.name}", "info")
    return redirect(url_for("admin.unrouted"))


@bp.get("/data-quality")
@require_roles(Role.ADMIN, Role.REVIEWER)
def data_quality_report():
    return render_template(
        "admin/data_quality.html", cases=data_quality.open_name_cases(), report=data_quality.code_report()
    )


@bp.post("/data-quality/names/<int:case_id>")
@require_roles(Role.ADMIN, Role.REVIEWER)
def name_case(case_id: int):
    case = data_quality.open_name_case(case_id)
    if case is None:
        abort(404)
    decision = request.form.get("decision")
    if decision not in ("rename", "wrong"):
        abort(400)
    data_quality.decide_name_case(case, me(), renamed=decision == "rename")
    flash("已处理该重错码", "info")
    return redirect(url_for("admin.data_quality_report"))
