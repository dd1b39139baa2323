"""The back office, mounted at /admin: every route requires a signed-in, active staff member.

The guard is the blueprint's before_request, not a decorator per view, so a new route cannot be
left open by forgetting one. Sessions live on the server (portal/services/staff_sessions.py): signing
out or changing the password ends them everywhere, and 30 idle minutes end one. A forced password
change blocks every other page until it is done.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, session, url_for
from flask_login import current_user

from portal.services.staff_sessions import Ended

bp = Blueprint("admin", __name__)

OPEN_ENDPOINTS = {"admin.login"}
PASSWORD_CHANGE_ENDPOINTS = {"admin.change_password", "admin.logout"}


@bp.before_request
def _guard():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        if g.get("session_ended") is Ended.IDLE:
            session.clear()
            flash("长时间未操作，已自动退出，请重新登录", "warning")
            return redirect(url_for("admin.login"))
        return redirect(url_for("admin.login", next=request.full_path if request.method == "GET" else None))
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        flash("请先修改密码后再继续操作", "warning")
        return redirect(url_for("admin.change_password"))
    return None


from admin import (  # noqa: E402,F401  (registers the routes)
    accounts,
    api_keys,
    applications,
    articles,
    audit_log,
    auth,
    counter,
    dashboard,
    imports,
    lists,
    nav,
    platform,
    records,
    review,
)
