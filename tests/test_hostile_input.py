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

from tests import route_walk

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


def _check(response, method: str, url: str) -> None:
    where = f"{method} {url[:200]}"
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if response.status_code < 400:
        return
    body = response.get_data(as_text=True)
    if url.startswith("/api/"):
        assert response.is_json, f"{where}: {response.content_type}"
        assert _CJK.search(response.get_json()["error"]["message"]), f"{where}: {body[:200]}"
    else:
        assert "text/html" in response.content_type and _CJK.search(body), f"{where}: {body[:200]}"


@pytest.fixture
def walk_app(migrated, tmp_path):
    from tests.conftest import _fresh_app

    yield from _fresh_app(migrated, tmp_path, WTF_CSRF_ENABLED=False)


def test_every_route_survives_hostile_values(walk_app):
    app = walk_app
    with app.app_context():
        ids = route_walk.seeded_portal()
    names = _parameter_names()
    client = app.test_client()
    route_walk.sign_in_walker(client)
    requests = 0
    for rule in route_walk.rules(app):
        normal = route_walk.normal_args(rule, ids)
        for method in sorted(rule.methods & {"GET", "POST"}):
            for value in HOSTILE:
                variants = [{**normal, name: value} for name in normal] or [normal]
                for args in variants:
                    encoded = "&".join(f"{name}={value}" for name in names)
                    url = f"{route_walk.url(rule, args)}?{encoded}"
                    if method == "GET":
                        response = client.get(url)
                    else:
                        response = client.post(url, data=encoded, content_type="application/x-www-form-urlencoded")
                    _check(response, method, url)
                    requests += 1
    assert requests > 500


def test_an_unexpected_error_gets_the_chinese_error_page(app, client, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the handler answers, not the test

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    from portal.services.publication import stats, subjects

    monkeypatch.setattr(stats, "home_page", broken)
    monkeypatch.setattr(subjects, "credit_file", broken)
    page = client.get("/")
    assert page.status_code == 500 and "系统错误" in page.get_data(as_text=True)
    api = client.get("/api/v1/subjects/91330212GQ9L4EA00A")
    assert api.status_code == 500 and _CJK.search(api.get_json()["error"]["message"])
