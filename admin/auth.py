"""Sign-in, sign-out and password change."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from admin.blueprint import bp
from admin.forms import ChangePasswordForm, LoginForm
from portal.extensions import login_manager
from portal.services.core import secret_hashes
from portal.services.staff import accounts, staff_sessions

SESSION_TOKEN = "staff_session"


@login_manager.user_loader
def _load_user(user_id: str):
    """The signed-in user, only while the server-side session the cookie names is alive."""
    user = accounts.user(int(user_id)) if user_id.isdigit() and len(user_id) < 10 else None
    if user is None or not user.active:
        return None
    state = staff_sessions.resume(session.get(SESSION_TOKEN), user.id)
    if isinstance(state, staff_sessions.Ended):
        g.session_ended = state
        return None
    return user


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
            session[SESSION_TOKEN] = accounts.open_session(result.user)
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
        flash(result.error, "error")
    return render_template("admin/login.html", form=form), 200 if request.method == "GET" else 400


@bp.post("/logout")
def logout():
    accounts.sign_out(current_user._get_current_object(), session.get(SESSION_TOKEN))
    logout_user()
    session.clear()
    flash("已安全退出", "info")
    return redirect(url_for("admin.login"))


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not secret_hashes.matches(user.password_hash, form.current.data):
            form.current.errors.append("当前密码不正确")
        else:
            try:
                # Every session of the account ends, this browser's too; it gets a fresh one.
                session[SESSION_TOKEN] = accounts.change_own_password(user, form.new.data)
            except accounts.PasswordRejected as e:
                form.new.errors.extend(e.problems)
            else:
                flash("密码已修改", "info")  # the other sessions of this account have ended
                return redirect(url_for("admin.dashboard"))
    return render_template("admin/change_password.html", form=form), 200 if request.method == "GET" else 400
