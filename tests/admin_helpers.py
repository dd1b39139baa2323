"""Signing in and acting in the back office as a real staff member would: through the forms."""

from __future__ import annotations

import re

from portal.extensions import db
from portal.models import Department, Role
from portal.services import accounts

PASSWORD = "Staff-Password-2026"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str) -> str:
    """The CSRF token of the form on `path`, read from the page like a browser would."""
    html = client.get(path).get_data(as_text=True)
    match = _TOKEN.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def department(name: str = "宁波市市场监督管理局", uscc: str = "113302004JURQ2830R") -> Department:
    dept = Department(name=name, uscc=uscc, region_code="330200")
    db.session.add(dept)
    db.session.commit()
    return dept


def staff(username: str, *roles: Role, dept: Department | None = None, password: str = PASSWORD):
    user = accounts.create_user(
        username, username, password, list(roles), dept.id if dept else None, by=None, force_change=False, actor="test"
    )
    db.session.commit()
    return user


def login(client, username: str, password: str = PASSWORD):
    token = csrf_token(client, "/admin/login")
    return client.post("/admin/login", data={"username": username, "password": password, "csrf_token": token})


def post_form(client, path: str, data: dict, form_page: str | None = None, **kwargs):
    """POST `data` to `path` with the CSRF token taken from `form_page` (default: `path`)."""
    token = csrf_token(client, form_page or path)
    return client.post(path, data={**data, "csrf_token": token}, **kwargs)
