"""Staff sign-in: lockout, idle expiry, forced password change, cookies, CSRF, closed routes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Role, StaffUser
from tests.admin_helpers import PASSWORD, login, staff, submit_form
from tests.forms import page_form


@pytest.fixture
def clerk(app_ctx):
    return staff("clerk1", Role.CLERK)


def actions() -> list[str]:
    return db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()


def test_sign_in_and_out(client, clerk):
    response = login(client, "clerk1")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    assert "欢迎" in client.get("/admin/").get_data(as_text=True)
    assert submit_form(client, "/admin/", button="退出").status_code == 302
    assert client.get("/admin/").status_code == 302
    assert [a for a in actions() if a.startswith("log")] == ["login", "logout"]


def test_wrong_password_and_lockout_after_five_failures(client, clerk):
    for _ in range(4):
        page = login(client, "clerk1", "wrong-password")
        assert page.status_code == 400 and "用户名或密码错误" in page.get_data(as_text=True)
    fifth = login(client, "clerk1", "wrong-password").get_data(as_text=True)
    assert "锁定15分钟" in fifth
    locked = login(client, "clerk1", PASSWORD)  # the right password, refused while locked
    assert locked.status_code == 400 and "用户名或密码错误" in locked.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
    assert actions().count("login_failed") == 6
    reasons = db.session.scalars(select(AuditLog.after).where(AuditLog.action == "login_failed")).all()
    assert [r["reason"] for r in reasons[-2:]] == ["wrong password, locked", "locked"]
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == "clerk1"))
    user.locked_until = None  # fifteen minutes later
    db.session.commit()
    assert login(client, "clerk1").status_code == 302


def test_unknown_user_gets_the_same_message(client, clerk):
    page = login(client, "nobody", PASSWORD)
    assert page.status_code == 400 and "用户名或密码错误" in page.get_data(as_text=True)


def test_session_cookie_is_secure_httponly_samesite(app, clerk):
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    response = login(client, "clerk1")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forced_password_change_blocks_other_pages(client, app_ctx):
    user = staff("reset1", Role.CLERK)
    user.must_change_password = True
    db.session.commit()
    login(client, "reset1")
    assert client.get("/admin/").headers["Location"].endswith("/admin/password")

    def change(new: str):
        form = page_form(client, "/admin/password", button="保存")
        return form.fill_labels({"当前密码": PASSWORD, "新密码": new, "确认新密码": new}).submit(client)

    weak = change("short")
    assert weak.status_code == 400 and "长度不足" in weak.get_data(as_text=True)
    ok = change("New-Strong-Pass-2026")
    assert ok.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_form_without_csrf_token_is_refused(client, clerk):
    form = page_form(client, "/admin/login", button="登录").fill(username="clerk1", password=PASSWORD)
    assert form.without("csrf_token").submit(client).status_code == 400
    assert client.get("/admin/").status_code == 302
    login(client, "clerk1")
    assert page_form(client, "/admin/", button="退出").without("csrf_token").submit(client).status_code == 400
    assert client.get("/admin/").status_code == 200


def test_every_admin_route_refuses_an_anonymous_visitor(app, client):
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin") and r.endpoint != "admin.login"]
    assert len(rules) >= 3
    for rule in rules:
        url = re.sub(r"<(?:\w+:)?(\w+)>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code in (302, 400), (method, url)
            if response.status_code == 302:
                assert "/admin/login" in response.headers["Location"], (method, url)


def test_create_admin_reads_the_password_from_the_environment(runner, app_ctx, monkeypatch):
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "weak")
    assert runner.invoke(args=["portal", "create-admin", "root"]).exit_code != 0
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "Admin-Password-2026")
    result = runner.invoke(args=["portal", "create-admin", "root"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == "root"))
    assert user.has_role(Role.ADMIN) and user.password_hash.startswith("scrypt:")
    assert "Admin-Password-2026" not in result.output
