"""Security headers on every response of every route; no-store wherever an applicant's data or the back office shows."""

from __future__ import annotations

import pytest

from portal.security_headers import private
from tests import route_walk


@pytest.fixture
def walked(app):
    with app.app_context():
        ids = route_walk.seeded_portal(subjects=20)
    client = app.test_client()
    route_walk.sign_in_walker(client)
    return app, client, ids


def _check(response, where: str, must_not_store: bool) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp or "sandbox" in csp, f"{where}: CSP {csp!r}"
    assert "'unsafe-inline'" not in csp, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    if must_not_store:
        assert headers.get("Cache-Control") == "no-store", f"{where}: {headers.get('Cache-Control')!r}"


def test_headers_on_every_route(walked):
    app, client, ids = walked
    seen = 0
    for rule in route_walk.rules(app):
        path = route_walk.url(rule, route_walk.normal_args(rule, ids))
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.get(path) if method == "GET" else client.post(path)
            _check(
                response,
                f"{method} {path} ({response.status_code})",
                private(rule.endpoint, rule.endpoint.split(".")[0]),
            )
            seen += 1
    assert seen > 80
    # Error answers carry them too: an unknown page, a refused value, a JSON error.
    for path in ("/no-such-page", "/search?q=%00", "/api/v1/licenses/99999999"):
        _check(client.get(path), path, False)


def test_public_pages_may_be_cached_and_applicant_pages_may_not(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    for path in ("/track", "/commitments/new"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    assert client.get("/admin/login").headers["Cache-Control"] == "no-store"


def test_https_gets_strict_transport_security(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
