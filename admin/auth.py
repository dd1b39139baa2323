"""Sign-in, sign-out and password change."""

from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash

from admin import bp
from admin.forms import ChangePasswordForm, LoginForm
from portal.extensions import db, login_manager
from portal.models import StaffUser
from portal.services import accounts, audit


@login_manager.user_loader
def _load_user(user_id: str):
    user = db.session.get(StaffUser, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


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
            login_user(result.user)
            session["last_seen"] = time.time()
            return redirect(_safe_next(request.args.get("next")))
        flash(result.error, "error")
    return render_template("admin/login.html", form=form), 200 if request.method == "GET" else 400


@bp.post("/logout")
def logout():
    audit.record("logout", user=current_user, entity_type="staff_user", entity_id=current_user.id)
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
                db.session.commit()
                flash("密码已修改", "info")
                return redirect(url_for("admin.dashboard"))
    return render_template("admin/change_password.html", form=form), 200 if request.method == "GET" else 400
