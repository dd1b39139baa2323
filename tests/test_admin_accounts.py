"""Accounts and departments through the back office, as a system administrator would use them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Department, Role, StaffUser
from portal.models.base import utcnow
from portal.rules.passwords import POLICY
from tests.admin_helpers import PASSWORD, department, login, staff, submit_form
from tests.forms import page_form

NEW_PASSWORD = "Initial-Passw0rd!"


@pytest.fixture
def dept(app_ctx):
    return department()


@pytest.fixture
def admin_client(client, dept):
    staff("root", Role.ADMIN, dept=dept)
    assert login(client, "root").status_code == 302
    return client


def user(username: str) -> StaffUser:
    db.session.expire_all()
    return db.session.scalar(select(StaffUser).where(StaffUser.username == username))


def entries(action: str) -> list[AuditLog]:
    return db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all()


def create(client, dept, username="zhangsan", roles=("录入员",), password=NEW_PASSWORD):
    form = page_form(client, "/admin/accounts/new", button="创建")
    form.fill_labels({"用户名": username, "姓名": "张三", "所属部门": dept.name, "初始密码": password})
    return form.fill_labels({"确认初始密码": password}).fill(roles=list(roles)).submit(client)


def edit(client, user_id: int, **values):
    return submit_form(client, f"/admin/accounts/{user_id}", values, button="保存")


def test_create_account_and_the_new_user_must_change_password(app, admin_client, dept):
    page = admin_client.get("/admin/accounts/new").get_data(as_text=True)
    assert POLICY in page
    response = create(admin_client, dept)
    assert response.status_code == 302
    created = user("zhangsan")
    assert created.has_role(Role.CLERK) and created.department_id == dept.id and created.must_change_password
    assert "zhangsan" in admin_client.get("/admin/accounts").get_data(as_text=True)
    entry = entries("account_created")[-1]
    assert entry.actor == "root" and entry.entity_id == created.id and entry.after["roles"] == ["clerk"]

    other = app.test_client()
    assert login(other, "zhangsan", NEW_PASSWORD).status_code == 302
    assert other.get("/admin/").headers["Location"].endswith("/admin/password")


def test_weak_password_and_duplicate_username_are_refused(admin_client, dept):
    weak = create(admin_client, dept, password="short")
    assert weak.status_code == 400 and "长度不足" in weak.get_data(as_text=True)
    containing_name = create(admin_client, dept, password="Zhangsan-2026-Long!")
    assert containing_name.status_code == 400 and "不得包含用户名" in containing_name.get_data(as_text=True)
    assert user("zhangsan") is None
    assert create(admin_client, dept).status_code == 302
    again = create(admin_client, dept, username="ZhangSan")
    assert again.status_code == 400 and "已存在" in again.get_data(as_text=True)


def test_edit_account_is_audited_with_before_and_after(admin_client, dept):
    create(admin_client, dept)
    target = user("zhangsan")
    other_dept = department("宁波市生态环境局", "11330200MB1234567X")
    response = edit(
        admin_client, target.id, display_name="张三丰", department_id=other_dept.id, roles=["clerk", "审核员"]
    )
    assert response.status_code == 302
    changed = user("zhangsan")
    assert changed.display_name == "张三丰" and changed.department_id == other_dept.id
    assert changed.has_role(Role.REVIEWER) and changed.has_role(Role.CLERK)
    entry = entries("account_updated")[-1]
    assert entry.before == {"display_name": "张三", "department_id": dept.id, "roles": ["clerk"]}
    assert entry.after == {"display_name": "张三丰", "department_id": other_dept.id, "roles": ["clerk", "reviewer"]}
    assert entry.client_addr == "127.0.0.1"

    edit(admin_client, target.id, roles=["reviewer"])
    assert [r.role for r in user("zhangsan").roles] == [Role.REVIEWER]
    no_role = edit(admin_client, target.id, department_id="（未分配部门）", roles=[])
    assert no_role.status_code == 400 and "至少选择一个角色" in no_role.get_data(as_text=True)


def test_disabled_account_cannot_sign_in_and_there_is_no_delete(app, admin_client, dept):
    create(admin_client, dept)
    target = user("zhangsan")
    other = app.test_client()
    assert login(other, "zhangsan", NEW_PASSWORD).status_code == 302
    response = submit_form(admin_client, f"/admin/accounts/{target.id}", button="停用")
    assert response.status_code == 302 and user("zhangsan").active is False
    # The session of a disabled account ends at its next request.
    assert other.get("/admin/").status_code == 302
    refused = login(app.test_client(), "zhangsan", NEW_PASSWORD)
    # The same answer as a wrong password: the page does not confirm that the account exists.
    assert refused.status_code == 400 and "用户名或密码错误" in refused.get_data(as_text=True)
    entry = entries("account_disabled")[-1]
    assert entry.before == {"active": True} and entry.after == {"active": False}

    submit_form(admin_client, f"/admin/accounts/{target.id}", button="启用")
    assert user("zhangsan").active is True
    assert login(app.test_client(), "zhangsan", NEW_PASSWORD).status_code == 302

    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin/accounts") or rule.rule.startswith("/admin/departments"):
            assert "DELETE" not in rule.methods and "delete" not in rule.endpoint, rule.rule
    assert admin_client.delete(f"/admin/accounts/{target.id}").status_code in (400, 405)


def test_admin_cannot_disable_themselves(admin_client):
    root = user("root")
    submit_form(admin_client, f"/admin/accounts/{root.id}", button="停用")
    assert user("root").active is True
    assert "不能停用自己的账号" in admin_client.get(f"/admin/accounts/{root.id}").get_data(as_text=True)


def test_reset_password_forces_a_change_at_next_sign_in(app, admin_client, dept):
    target = staff("lisi", Role.REVIEWER, dept=dept)
    assert target.must_change_password is False

    def reset(password: str):
        form = page_form(admin_client, f"/admin/accounts/{target.id}", button="重置密码")
        return form.fill_labels({"临时密码": password, "确认临时密码": password}).submit(admin_client)

    weak = reset("weak")
    assert weak.status_code == 400 and "长度不足" in weak.get_data(as_text=True)
    response = reset("Temporary-Pass-99")
    assert response.status_code == 302 and user("lisi").must_change_password is True
    other = app.test_client()
    assert login(other, "lisi", PASSWORD).status_code == 400  # the old password no longer works
    assert login(other, "lisi", "Temporary-Pass-99").status_code == 302
    assert other.get("/admin/").headers["Location"].endswith("/admin/password")
    changed = (
        page_form(other, "/admin/password", button="保存")
        .fill_labels(
            {"当前密码": "Temporary-Pass-99", "新密码": "Own-Strong-Passw0rd", "确认新密码": "Own-Strong-Passw0rd"}
        )
        .submit(other)
    )
    assert changed.status_code == 302 and other.get("/admin/").status_code == 200
    reset = entries("password_reset")[-1]
    assert reset.actor == "root" and reset.entity_id == target.id
    assert entries("account_updated")[-1].after == {"must_change_password": True}


def test_inactive_accounts_list(admin_client, dept):
    old = staff("sleepy", Role.CLERK, dept=dept)
    never = staff("never", Role.CLERK, dept=dept)
    recent = staff("recent", Role.CLERK, dept=dept)
    old.last_login_at = utcnow() - dt.timedelta(days=120)
    never.created_at = utcnow() - dt.timedelta(days=200)
    recent.last_login_at = utcnow() - dt.timedelta(days=10)
    gone = staff("gone", Role.CLERK, dept=dept)
    gone.last_login_at, gone.active = utcnow() - dt.timedelta(days=300), False
    db.session.commit()
    page = admin_client.get("/admin/accounts/inactive").get_data(as_text=True)
    assert "sleepy" in page and "never" in page
    assert "recent" not in page and "gone" not in page and ">root<" not in page

    # The same rule as a filter of the accounts list, chosen in the form the list renders.
    form = page_form(admin_client, "/admin/accounts", button="筛选").fill_labels({"状态": "超过90天未登录"})
    listed = form.submit(admin_client, button="筛选").get_data(as_text=True)
    shown = {u for u in ("sleepy", "never", "recent", "gone", "root") if f">{u}</a>" in listed}
    assert shown == {"sleepy", "never"} and "账号（共2个" in listed
    export = admin_client.get("/admin/accounts/export.csv", query_string=form.data()).get_data(as_text=True)
    assert sorted(line.split(",")[0] for line in export.lstrip("\ufeff").splitlines()[1:]) == ["never", "sleepy"]


def department_form(client, path: str, **values):
    return submit_form(client, path, values, button="保存")


def test_departments_create_and_edit(admin_client, dept):
    response = department_form(
        admin_client, "/admin/departments/new", name="宁波市交通运输局", uscc="11330200MB9876543A", region_code="330200"
    )
    assert response.status_code == 302
    created = db.session.scalar(select(Department).where(Department.name == "宁波市交通运输局"))
    assert created.active and created.uscc == "11330200MB9876543A"
    duplicate = department_form(admin_client, "/admin/departments/new", name="宁波市交通运输局")
    assert duplicate.status_code == 400 and "已被其他部门使用" in duplicate.get_data(as_text=True)
    bad = department_form(admin_client, "/admin/departments/new", name="某局", region_code="33")
    assert bad.status_code == 400 and "6位数字" in bad.get_data(as_text=True)
    department_form(admin_client, f"/admin/departments/{created.id}", name="宁波市交通运输局（港航）", active=False)
    db.session.expire_all()
    assert created.name == "宁波市交通运输局（港航）" and created.active is False  # checkbox left empty
    entry = entries("department_updated")[-1]
    assert entry.before == {"name": "宁波市交通运输局", "active": True}
    assert entry.after == {"name": "宁波市交通运输局（港航）", "active": False}
    assert "宁波市交通运输局（港航）" in admin_client.get("/admin/departments").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.CLERK, Role.REVIEWER, Role.EDITOR, Role.HANDLER])
def test_other_roles_get_403_on_account_pages(app, client, dept, role):
    staff("someone", role, dept=dept)
    target = staff("target", Role.CLERK, dept=dept)
    staff("root", Role.ADMIN, dept=dept)
    admin = app.test_client()
    login(admin, "root")
    login(client, "someone")
    for path in (
        "/admin/accounts",
        "/admin/accounts/new",
        "/admin/accounts/inactive",
        f"/admin/accounts/{target.id}",
        "/admin/departments",
        "/admin/departments/new",
        f"/admin/departments/{dept.id}",
        "/admin/audit",
        "/admin/audit/export.csv",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "无权访问" in response.get_data(as_text=True)
    # The administrator's forms, replayed by someone else with their own token.
    for button in ("停用", "重置密码"):
        form = page_form(admin, f"/admin/accounts/{target.id}", button=button).with_csrf_of(client, "/admin/")
        if button == "重置密码":
            form.fill(password="Another-Pass-2026", confirm="Another-Pass-2026")
        assert form.submit(client).status_code == 403, button
    assert user("target").active is True
    assert "账号管理" not in client.get("/admin/").get_data(as_text=True)
