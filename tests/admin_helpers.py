"""Signing in and acting in the back office as a real staff member would: through the forms."""

from __future__ import annotations

from portal.extensions import db
from portal.models import Department, Role
from portal.services.staff import accounts
from tests.forms import page_form

PASSWORD = "Staff-Password-2026"


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
    return (
        page_form(client, "/admin/login", button="登录")
        .fill_labels({"用户名": username, "密码": password})
        .submit(client)
    )


def submit_form(client, page: str, values: dict | None = None, *, action: str | None = None, button: str | None = None):
    """Fill the form `page` renders (the one posting to `action`, or with `button`) by field name and submit it."""
    return page_form(client, page, action=action, button=button).fill(**(values or {})).submit(client)
