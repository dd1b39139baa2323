"""The staff member's start page: what waits for them."""

from flask import current_app, render_template, url_for
from flask_login import current_user

from admin.blueprint import bp
from portal import clock
from portal.models import Role
from portal.services.articles import editorial
from portal.services.credit_reports import reports
from portal.services.publication import data_quality
from portal.services.staff import accounts, audit_query, worklist


@bp.app_template_global()
def admin_link(endpoint: str, **values) -> str | None:
    """The URL of a back-office page, or None while that page does not exist yet."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


@bp.app_template_filter("admin_time")
def admin_time(value) -> str:
    """A stored UTC time as China time (SQLite hands back naive UTC)."""
    return audit_query.local_time(value)[:16]


@bp.errorhandler(403)
def forbidden(_error):
    return render_template("admin/403.html"), 403


@bp.get("/")
def dashboard():
    user = current_user
    dept = user.department_id
    context = {"timeliness": worklist.timeliness(dept)}
    if user.has_role(Role.REVIEWER):
        context["review"] = worklist.pending_review(dept)
    if user.has_role(Role.CLERK):
        context["returned"] = worklist.returned_entries(dept, user.id)
    if user.has_role(Role.HANDLER):
        context["applications"] = worklist.applications(dept, limit=10)
    if user.has_role(Role.EDITOR):
        context["drafts"] = editorial.draft_count()
    if user.has_role(Role.ADMIN):
        context["inactive"] = len(accounts.inactive_accounts())
        context["unrouted"] = worklist.applications(worklist.UNROUTED, limit=10)
    if user.has_role(Role.ADMIN) or user.has_role(Role.REVIEWER):
        context["name_cases"] = data_quality.open_name_case_count()
    if user.has_role(Role.ADMIN) or user.has_role(Role.COUNTER):
        today = clock.today()
        context["report_figures"] = {
            "month": reports.issued_by_purpose(today.replace(day=1), today),
            "total": reports.issued_by_purpose(),
        }
    return render_template("admin/dashboard.html", **context)
