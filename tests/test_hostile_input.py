"""Hostile values on every route of the URL map, public and back office (signed in), GET and POST.

No answer may be a 500: NUL bytes, ids beyond 64 bits, malformed dates, over-long values and
invalid UTF-8 percent-escapes get a Chinese error page, or JSON with a Chinese message under /api/.
The parameter names come from the code itself (every `args/form/values.get("...")` and every field
of every form class), so a new parameter is walked without editing this test.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from portal.extensions import db
from portal.models import Attachment, Objection, Role, StaffUser, Subject
from tests.admin_helpers import PASSWORD, staff
from tests.forms import page_form

ROOT = Path(__file__).resolve().parents[1]
# Each value encoded as a browser sends it in a URL or a form body; the last one is invalid UTF-8.
HOSTILE = [
    quote("\x00"),
    quote("1\x00"),
    "9" * 25,
    quote("2026-02-30"),
    "x" * 1100,  # past every length limit (query values: 1,000)
    "%FF%FE%C0",
    quote("'\"<>%;../\\"),
]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _parameter_names() -> list[str]:
    found = set()
    pattern = re.compile(r"""(?:args|form|values)\.get(?:list)?\(\s*["'](\w+)["']""")
    for folder in ("portal", "admin"):
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(pattern.findall(path.read_text("utf-8")))
    pending = list(FlaskForm.__subclasses__())  # every form module is imported by the app
    while pending:
        form = pending.pop()
        pending += form.__subclasses__()
        found |= {
            name for name in dir(form) if not name.startswith("_") and hasattr(getattr(form, name), "field_class")
        }
    return sorted(found)


def _normal_args(rule, ids: dict) -> dict:
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


def _url(rule, values: dict) -> str:
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:\w+(?:\([^)]*\))?:)?{name}>", str(value), path)
    return path


def _check(response, method: str, url: str) -> None:
    where = f"{method} {url[:200]}"
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if response.status_code < 400:
        return
    body = response.get_data(as_text=True)
    if url.startswith("/api/"):
        assert response.is_json, f"{where}: {response.content_type}"
        assert _CJK.search(response.get_json()["error"]), f"{where}: {body[:200]}"
    else:
        assert "text/html" in response.content_type and _CJK.search(body), f"{where}: {body[:200]}"


@pytest.fixture
def walk_app(migrated, tmp_path):
    from tests.conftest import _fresh_app

    yield from _fresh_app(migrated, tmp_path, WTF_CSRF_ENABLED=False)


def test_every_route_survives_hostile_values(walk_app):
    app = walk_app
    with app.app_context():
        from portal.demo.seed import seed_database

        seed_database(40, 7, echo=lambda _line: None)
        dept = db.session.scalar(select(StaffUser.department_id).where(StaffUser.department_id.is_not(None)))
        from portal.models import Department

        staff("fuzzer", *Role, dept=db.session.get(Department, dept) if dept else None)
        objection = db.session.scalar(select(Objection.id).order_by(Objection.id))
        attachment = db.session.scalar(select(Attachment.id).order_by(Attachment.id))
        ids = {
            "app_id": objection or 1,
            "attachment_id": attachment or 1,
            "ref": db.session.scalar(select(Subject.uscc).where(Subject.uscc.is_not(None)).limit(1)),
        }
    names = _parameter_names()
    client = app.test_client()
    signed_in = page_form(client, "/admin/login").fill(username="fuzzer", password=PASSWORD).submit(client)
    assert signed_in.status_code == 302
    # Sign-out last: it ends the session the back-office routes need.
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "admin.logout", r.rule))
    requests = 0
    for rule in rules:
        normal = _normal_args(rule, ids)
        for method in sorted(rule.methods & {"GET", "POST"}):
            for value in HOSTILE:
                variants = [{**normal, name: value} for name in normal] or [normal]
                for args in variants:
                    encoded = "&".join(f"{name}={value}" for name in names)
                    url = f"{_url(rule, args)}?{encoded}"
                    if method == "GET":
                        response = client.get(url)
                    else:
                        response = client.post(url, data=encoded, content_type="application/x-www-form-urlencoded")
                    _check(response, method, url)
                    requests += 1
    assert requests > 500
