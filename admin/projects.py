"""项目/设施: the department's projects and facilities, their 录入 -> 审核, and the 应录未录 check."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from admin.blueprint import bp
from admin.detail import ACTION_LABELS
from admin.exports import csv_response
from admin.record_forms import ProjectForm, ReasonForm
from admin.scope import desk, me
from portal.errors import page_number
from portal.models import Project, Role
from portal.services.core.paging import paginate
from portal.services.core.workflow import Rejected, WorkflowError
from portal.services.publication import project_gaps, projects
from portal.services.staff import access, accounts, audit_query
from portal.services.statistics import summary


def _project_or_404(project_id: int) -> Project:
    project = access.project(me(), project_id)
    if project is None:
        abort(404)
    return project


def _detail_url(project: Project) -> str:
    return url_for("admin.project_detail", project_id=project.id)


@bp.get("/projects")
@desk(Role.CLERK, Role.REVIEWER)
def project_list():
    listing = projects.Listing.from_args(request.args)
    page = paginate(projects.listing(me(), listing), request.args.get("page", 1, type=page_number), list)
    return render_template(
        "admin/projects.html",
        listing=listing,
        page=page,
        sorts=projects.SORTS,
        options=projects.options(),
        state_label=projects.state_label,
    )


@bp.get("/projects/export.csv")
@desk(Role.CLERK, Role.REVIEWER)
def project_export():
    return csv_response(*projects.export(me(), projects.Listing.from_args(request.args)))


def _form_page(form, status: int, project: Project | None = None, errors=()):
    return render_template("admin/project_form.html", form=form, project=project, errors=errors), status


def _save(form, step, project: Project | None = None):
    """Run a 录入 step; refusals re-render the form with the messages on their fields."""
    errors = []
    if form.validate_on_submit():
        try:
            return step({name: form[name].data for name in form.data if name != "csrf_token"})
        except Rejected as e:
            for name, messages in e.errors.items():
                if name in form:
                    form[name].errors = list(form[name].errors) + messages
                else:
                    errors += messages
        except WorkflowError as e:
            errors = [str(e)]
    return _form_page(form, 400, project, errors or ["请更正标出的内容后再提交"])


@bp.route("/projects/new", methods=["GET", "POST"])
@desk(Role.CLERK)
def project_new():
    form = ProjectForm()
    if request.method == "GET":
        return _form_page(form, 200)

    def step(data):
        project = projects.enter(data, me())
        flash(f"已保存（项目编号{project.code}），等待审核员审核", "info")
        return redirect(_detail_url(project))

    return _save(form, step)


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@desk(Role.CLERK)
def project_edit(project_id: int):
    project = _project_or_404(project_id)
    form = ProjectForm(data=projects.form_data(project))
    if request.method == "GET":
        return _form_page(form, 200, project)

    def step(data):
        changed = projects.edit(project, data, me())
        flash("已保存并提交审核" if changed else "未作任何修改", "info")
        return redirect(_detail_url(project))

    return _save(form, step, project)


def _detail(project: Project, status: int = 200, error: str | None = None):
    history = audit_query.entity_history(projects.PROJECT, project.id)
    people = accounts.display_names([project.created_by_id, project.reviewed_by_id] + [a.user_id for a in history])
    return render_template(
        "admin/project_detail.html",
        project=project,
        records=projects.records_of(project),
        history=history,
        people=people,
        error=error,
        actions=ACTION_LABELS,
        state_label=projects.state_label,
        editable=project.state in projects.EDITABLE,
    ), status


@bp.get("/projects/<int:project_id>")
@desk(Role.CLERK, Role.REVIEWER)
def project_detail(project_id: int):
    return _detail(_project_or_404(project_id))


def _decide(project: Project, step, success: str, *args):
    try:
        step(project, me(), *args)
    except Rejected as e:
        return _detail(project, 400, str(e))
    except WorkflowError as e:
        return _detail(project, 409, str(e))
    flash(success, "info")
    return redirect(_detail_url(project))


def _reason() -> str | None:
    form = ReasonForm()
    form.validate()
    return form.reason.data


@bp.post("/projects/<int:project_id>/approve")
@desk(Role.REVIEWER)
def project_approve(project_id: int):
    return _decide(_project_or_404(project_id), projects.approve, "审核通过")


@bp.post("/projects/<int:project_id>/return")
@desk(Role.REVIEWER)
def project_return(project_id: int):
    return _decide(_project_or_404(project_id), projects.send_back, "已退回录入人", _reason())


@bp.post("/projects/<int:project_id>/withdraw")
@desk(Role.REVIEWER)
def project_withdraw(project_id: int):
    return _decide(_project_or_404(project_id), projects.withdraw, "已撤销", _reason())


@bp.get("/projects/gaps")
def project_gaps_page():
    """应录未录: for any staff member, like 统计分析 (enterprise and project names only, no personal data)."""
    try:
        selected = summary.filters(request.args)
    except summary.FilterError as exc:
        return render_template("admin/project_gaps.html", error=str(exc), report=None, options=summary.options()), 400
    scope = selected.scope
    where = project_gaps.Where(selected.period.start, selected.period.end, scope.industry, scope.district)
    report = project_gaps.report(where)
    return render_template(
        "admin/project_gaps.html", error=None, report=report, selected=selected, options=summary.options()
    )
