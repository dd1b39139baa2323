"""Staff sessions live on the server: a copy of the cookie dies with sign-out, a password change, a
reset or disabling; 30 idle minutes end a session whatever the cookie says."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Role, StaffSession, StaffUser
from tests.admin_helpers import PASSWORD, staff
from tests.forms import page_form

NEW_PASSWORD = "Another-Strong-Pass-2026"


@pytest.fixture
def clerk(app_ctx):
    staff("admin1", Role.ADMIN)
    return staff("clerk1", Role.CLERK)


def sign_in(client, username: str, password: str = PASSWORD):
    response = page_form(client, "/admin/login").fill(username=username, password=password).submit(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def stolen_copy(app, client):
    """A second browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert thief.get("/admin/").status_code == 200
    return thief


def signed_out(client) -> bool:
    response = client.get("/admin/")
    return response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_copied_cookie_refused_after_sign_out(app, client, clerk):
    sign_in(client, "clerk1")
    thief = stolen_copy(app, client)
    assert page_form(client, "/admin/", action="/admin/logout").submit(client).status_code == 302
    assert signed_out(client) and signed_out(thief)


def test_copied_cookie_refused_after_password_change_but_the_changer_stays_signed_in(app, client, clerk):
    sign_in(client, "clerk1")
    thief = stolen_copy(app, client)
    other_device = app.test_client()
    sign_in(other_device, "clerk1")
    form = page_form(client, "/admin/password", action="/admin/password").fill(
        current=PASSWORD, new=NEW_PASSWORD, confirm=NEW_PASSWORD
    )
    assert form.submit(client).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert signed_out(thief) and signed_out(other_device)
    sign_in(app.test_client(), "clerk1", NEW_PASSWORD)


def test_reset_and_disable_by_an_administrator_end_the_sessions(app, client, clerk):
    sign_in(client, "clerk1")
    admin = app.test_client()
    sign_in(admin, "admin1")
    page = f"/admin/accounts/{clerk.id}"
    reset = page_form(admin, page, action=f"{page}/password").fill(
        password="Temporary-Pass-2026!", confirm="Temporary-Pass-2026!"
    )
    assert reset.submit(admin).status_code == 302
    assert signed_out(client)
    db.session.expire_all()
    user = db.session.get(StaffUser, clerk.id)
    user.must_change_password = False
    db.session.commit()
    sign_in(client, "clerk1", "Temporary-Pass-2026!")
    assert page_form(admin, page, action=f"{page}/disable").submit(admin).status_code == 302
    assert signed_out(client)


def test_idle_limit_is_kept_on_the_server(app, client, clerk, monkeypatch):
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    sign_in(client, "clerk1")
    for minutes in (29, 58, 87):  # each request within 30 minutes of the last keeps the session
        monkeypatch.setattr(clock, "now", lambda m=minutes: start + dt.timedelta(minutes=m))
        assert client.get("/admin/").status_code == 200, minutes
    thief = stolen_copy(app, client)
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=87 + 31))
    expired = thief.get("/admin/")
    assert expired.status_code == 302 and "/admin/login" in expired.headers["Location"]
    assert "自动退出" in thief.get("/admin/login").get_data(as_text=True)
    assert signed_out(client)  # the same session, ended on the server
    row = db.session.scalar(select(StaffSession).where(StaffSession.user_id == clerk.id))
    assert row.ended_at is not None


def test_only_a_digest_of_the_token_is_stored(app, client, clerk):
    sign_in(client, "clerk1")
    with client.session_transaction() as session:
        token = session["staff_session"]
    digests = db.session.scalars(select(StaffSession.token_digest)).all()
    assert token not in digests and len(digests) == 1 and len(digests[0]) == 64
