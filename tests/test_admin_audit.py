"""The audit log: what is recorded, filtering, CSV export, and that nothing can change an entry."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from portal import clock
from portal.extensions import db
from portal.models import AuditLog, Role
from portal.models.audit import AuditLogIsAppendOnly
from tests.admin_helpers import department, login, staff, submit_form
from tests.forms import page_form


@pytest.fixture
def admin_client(client, app_ctx):
    dept = department()
    staff("root", Role.ADMIN, dept=dept)
    staff("bianji", Role.EDITOR, dept=dept)
    assert login(client, "root").status_code == 302
    return client


def filtered(client, **filters) -> str:
    """The audit log page after filtering with its own form."""
    return submit_form(client, "/admin/audit", filters, button="筛选").get_data(as_text=True)


def log(**where) -> list[AuditLog]:
    db.session.expire_all()
    stmt = select(AuditLog).order_by(AuditLog.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditLog, key) == value)
    return db.session.scalars(stmt).all()


def test_sign_in_and_failed_sign_in_are_recorded_with_user_time_and_address(app, admin_client):
    login(app.test_client(), "bianji", "wrong-password")
    login(app.test_client(), "nobody", "whatever-password")
    ok = log(action="login", actor="root")[-1]
    assert ok.user_id is not None and ok.client_addr == "127.0.0.1" and ok.entity_type == "staff_user"
    assert ok.at is not None
    failed = log(action="login_failed")
    assert [(e.actor, e.after["reason"]) for e in failed] == [("bianji", "wrong password"), ("nobody", "unknown user")]
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "登录失败" in page and "nobody" in page and "127.0.0.1" in page


def test_account_changes_and_article_publication_are_recorded(app, admin_client):
    editor_id = log(action="account_created")[-1].entity_id
    submit_form(
        admin_client,
        f"/admin/accounts/{editor_id}",
        {"display_name": "编辑小王", "department_id": "（未分配部门）", "roles": ["栏目编辑"]},
        button="保存",
    )
    changed = log(action="account_updated")[-1]
    assert changed.actor == "root" and changed.entity_id == editor_id
    assert changed.before["display_name"] == "bianji" and changed.after["display_name"] == "编辑小王"
    assert changed.after["department_id"] is None

    editor = app.test_client()
    login(editor, "bianji")
    created = submit_form(
        editor, "/admin/articles/new", {"title": "审计测试", "body_html": "<p>x</p>"}, button="保存草稿"
    )
    article_path = urlsplit(created.headers["Location"]).path
    page_form(editor, article_path, action=article_path + "/publish").submit(editor)
    published = log(action="article_published")[-1]
    assert published.actor == "bianji" and published.entity_type == "article"
    assert published.before["state"] == "draft" and published.after["state"] == "published"


def test_filters_by_user_action_entity_type_and_date(app, admin_client):
    login(app.test_client(), "bianji", "wrong-password")
    by_user = filtered(admin_client, user="bianji")
    assert "bianji" in by_user and ">root<" not in by_user
    by_action = filtered(admin_client, action="登录失败")
    assert "登录失败" in by_action and "<td>登录</td>" not in by_action
    by_entity = filtered(admin_client, entity_type="staff_user", action="account_created")
    assert by_entity.count("新建账号") >= 2
    today = clock.today()
    assert "登录失败" in filtered(admin_client, date_from=today, date_to=today)
    past = today - dt.timedelta(days=30)
    empty = filtered(admin_client, date_from=past, date_to=past)
    assert "没有符合条件的记录" in empty


def test_csv_export_is_utf8_with_bom_and_follows_the_filters(app, admin_client):
    login(app.test_client(), "=cmd|' /C calc'!A0", "wrong-password")
    response = admin_client.get("/admin/audit/export.csv?action=login_failed")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["编号", "时间", "用户", "用户ID", "客户端地址", "操作"]
    assert len(rows) == 2 and rows[1][5] == "登录失败" and rows[1][4] == "127.0.0.1"
    assert rows[1][2].startswith("'=")  # no formula for the spreadsheet to run
    everything = admin_client.get("/admin/audit/export.csv")
    assert len(list(csv.reader(io.StringIO(everything.data.decode("utf-8-sig"))))) > 3
    assert log(action="audit_exported")


def test_no_route_changes_audit_entries(app):
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin/audit")]
    assert rules
    for rule in rules:
        assert rule.methods - {"HEAD", "OPTIONS"} == {"GET"}, rule.rule
    for rule in app.url_map.iter_rules():
        assert "audit" not in rule.endpoint or rule.methods - {"HEAD", "OPTIONS"} == {"GET"}, rule.rule


def test_orm_refuses_to_change_an_entry(admin_client):
    entry = log()[0]
    entry.action = "nothing happened"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(log()[0])
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()


def test_raw_sql_update_of_the_audit_log_fails(admin_client):
    entry = log()[0]
    entry_id, action = entry.id, entry.action
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE audit_log SET action = 'forged' WHERE id = :id"), {"id": entry_id})
    db.session.rollback()
    assert log()[0].action == action != "forged"


def test_raw_sql_delete_of_the_audit_log_fails_on_postgresql(admin_client):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite guards UPDATE only (the test suite empties tables with DELETE)")
    before = len(log())
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_log"))
    db.session.rollback()
    assert len(log()) == before
