"""A deployment where the application's PostgreSQL role owns no table (migrations run as the owner):
the portal works, and the audit log cannot be changed, emptied or have its triggers disabled by it."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from portal import create_app
from portal.extensions import db
from portal.models import AuditLog, Role
from tests.admin_helpers import PASSWORD, staff
from tests.forms import page_form

REFUSED_TO_THE_APP = [
    "UPDATE audit_log SET action = 'x'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
    "DROP TRIGGER audit_log_no_truncate ON audit_log",
    "ALTER TABLE staff_users ADD COLUMN x integer",
    "UPDATE alembic_version SET version_num = 'x'",
]


@pytest.fixture
def app_role(app, runner):
    """A login role created for this test, granted the application's rights by `portal grant-app-role`."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("database roles are a PostgreSQL deployment setting")
    role = f"portal_app_{secrets.token_hex(4)}"
    owner = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with owner.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    try:
        result = runner.invoke(args=["portal", "grant-app-role", role])
        assert result.exit_code == 0, result.output
        yield make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(username=role).render_as_string(hide_password=False)
    finally:
        with owner.begin() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        owner.dispose()


def test_the_portal_runs_under_a_role_that_owns_nothing(app, app_role, tmp_path):
    with app.app_context():
        staff("clerk1", Role.CLERK)
    portal = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app_role,
            "SECRET_KEY": "test-secret",
            "PORTAL_SEARCH_INDEX": str(tmp_path / "index"),
            "PORTAL_UPLOAD_DIR": str(tmp_path / "uploads"),
            "PORTAL_SEARCH_AUTOSYNC": False,
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
        }
    )
    client = portal.test_client()
    assert client.get("/").status_code == 200
    signed_in = page_form(client, "/admin/login").fill(username="clerk1", password=PASSWORD).submit(client)
    assert signed_in.status_code == 302 and client.get("/admin/").status_code == 200
    assert page_form(client, "/admin/", action="/admin/logout").submit(client).status_code == 302
    with portal.app_context():
        actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
        assert actions[-2:] == ["login", "logout"]
        db.session.remove()
        db.engine.dispose()


def test_the_app_role_cannot_touch_the_audit_log_or_the_schema(app, app_role):
    with app.app_context():
        staff("clerk1", Role.CLERK)  # audited: the log is not empty
    engine = create_engine(app_role.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        for statement in REFUSED_TO_THE_APP:
            with engine.connect() as conn, pytest.raises(DBAPIError) as refused:
                conn.execute(text(statement))
            assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value), statement
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(AuditLog)) >= 1
    finally:
        engine.dispose()


def test_even_the_owner_cannot_empty_the_audit_log_while_its_triggers_stand(app_ctx):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the TRUNCATE trigger is PostgreSQL's")
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_log"))
    db.session.rollback()
