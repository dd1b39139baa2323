"""Every route of the URL map, with path values that reach its view, for walks over the whole portal."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from portal.extensions import db
from portal.models import Attachment, Department, Objection, Role, StaffUser, Subject
from tests.admin_helpers import PASSWORD, staff
from tests.forms import page_form


def seeded_portal(subjects: int = 40) -> dict:
    """Demo data and a staff member holding every role; the ids the walk puts into paths."""
    from portal.demo.seed import seed_database

    seed_database(subjects, 7, echo=lambda _line: None)
    dept_id = db.session.scalar(select(StaffUser.department_id).where(StaffUser.department_id.is_not(None)))
    staff("walker", *Role, dept=db.session.get(Department, dept_id) if dept_id else None)
    return {
        "app_id": db.session.scalar(select(Objection.id).order_by(Objection.id)) or 1,
        "attachment_id": db.session.scalar(select(Attachment.id).order_by(Attachment.id)) or 1,
        "ref": db.session.scalar(select(Subject.uscc).where(Subject.uscc.is_not(None)).limit(1)),
    }


def sign_in_walker(client) -> None:
    signed_in = page_form(client, "/admin/login").fill(username="walker", password=PASSWORD).submit(client)
    assert signed_in.status_code == 302


def rules(app: Flask) -> list:
    """The URL map, sign-out last (it ends the session the back-office routes need)."""
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "admin.logout", r.rule))


def normal_args(rule, ids: dict) -> dict:
    """Path values that reach the view: existing ids and the kinds the view knows."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = ids.get(name, 1)
        elif name == "kind":
            values[name] = "objection" if "applications" in rule.rule else "penalty"
        elif name == "step":
            values[name] = "accept"
        elif name == "ref":
            values[name] = ids["ref"]
        elif name == "filename":
            values[name] = "portal.css"
        else:
            values[name] = "0" * 32
    return values


def url(rule, values: dict) -> str:
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:\w+(?:\([^)]*\))?:)?{name}>", str(value), path)
    return path
