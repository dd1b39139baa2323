"""Sign-in, sign-out and password change."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash

from admin import bp
from admin.forms import ChangePasswordForm, LoginForm
from portal.extensions import db, login_manager
from portal.models import StaffUser
from portal.services import accounts, audit, staff_sessions

SESSION_TOKEN = "staff_session"


@login_manager.user_loader
def _load_user(user_id: str):
    """The signed-in user, only while the server-side session the cookie names is alive."""
    user = db.session.get(StaffUser, int(user_id)) if user_id.isdigit() and len(user_id) < 10 else None
    if user is None or not user.active:
        return None
    state = staff_sessions.resume(session.get(SESSION_TOKEN), user.id)
    if isinstance(state, staff_sessions.Ended):
        g.session_ended = state
        return None
    return user


def _start_session(user) -> None:
    session[SESSION_TOKEN] = staff_sessions.start(user)
    db.session.commit()


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for("admin.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        result = accounts.authenticate(form.username.data, form.password.data)
        if result.user is not None:
            session.clear()  # a fresh session on sign-in (no fixation)
            session.permanent = True
            _start_session(result.user)
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
        flash(result.error, "error")
    return render_template("admin/login.html", form=form), 200 if request.method == "GET" else 400


@bp.post("/logout")
def logout():
    audit.record("logout", user=current_user, entity_type="staff_user", entity_id=current_user.id)
    staff_sessions.end(session.get(SESSION_TOKEN))
    db.session.commit()
    logout_user()
    session.clear()
    flash("已安全退出", "info")
    return redirect(url_for("admin.login"))


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not check_password_hash(user.password_hash, form.current.data):
            form.current.errors.append("当前密码不正确")
        else:
            try:
                accounts.set_password(user, form.new.data, by=user, force_change=False)
            except accounts.PasswordRejected as e:
                form.new.errors.extend(e.problems)
            else:
                _start_session(user)  # set_password ended every session, this browser's too
                flash("密码已修改", "info")  # the other sessions of this account have ended
                return redirect(url_for("admin.dashboard"))
    return render_template("admin/change_password.html", form=form), 200 if request.method == "GET" else 400
