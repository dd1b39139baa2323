"""PostgreSQL or Redis going away under load and coming back: the portal answers a Chinese 503 page
while they are away (never a 500, never a hang), recovers without a restart, and its rate limits
fail closed for filings, sign-in and receipt lookups but open for reading.

The machine's PostgreSQL and Redis are shared, so they are never stopped: the portal (a real
gunicorn) reaches them through a TCP proxy that the test cuts and restores.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from urllib.parse import quote

import pytest
from sqlalchemy.engine import make_url

from portal.models import Role
from tests.admin_helpers import staff
from tests.forms import page_form
from tests.http_client import DISCONNECTED, HttpClient
from tests.live_gunicorn import Gunicorn, app_env
from tests.tcp_proxy import TcpProxy

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")
UNAVAILABLE = "服务暂时不可用"


class Load:
    """Clients reading a page in a loop (bounded in time) and keeping every answer."""

    def __init__(self, url: str, path: str, clients: int = 2, seconds: float = 60):
        self.answers: list[tuple[float, int, str]] = []
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(HttpClient(url, timeout=10), path, seconds), daemon=True)
            for _ in range(clients)
        ]
        for t in self._threads:
            t.start()

    def _run(self, client: HttpClient, path: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                response = client.get(path)
                self.answers.append((time.monotonic(), response.status_code, response.get_data(as_text=True)))
            except DISCONNECTED as e:
                self.answers.append((time.monotonic(), 0, repr(e)))
            time.sleep(0.02)

    def stop(self) -> list[tuple[float, int, str]]:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=15)
        return self.answers


def _wait_for(predicate, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "not recovered in time"
        time.sleep(0.1)


def test_postgresql_restarting_under_load(app, tmp_path):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        pytest.skip("the database outage is PostgreSQL's (SQLite is a file)")
    proxy = TcpProxy(url.port or 5432, url.host)
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    portal = Gunicorn(app_env(app, DATABASE_URL=proxied), tmp_path / "gunicorn.log", workers=2)
    client = HttpClient(portal.url)
    try:
        assert client.get("/penalties").status_code == 200
        load = Load(portal.url, "/penalties")
        time.sleep(0.5)
        proxy.cut()
        cut_at = time.monotonic()
        _wait_for(lambda: client.get("/penalties").status_code == 503)
        away = client.get("/penalties")
        assert away.status_code == 503 and UNAVAILABLE in away.get_data(as_text=True)
        assert away.headers["Retry-After"] == "5"
        api = client.get("/api/v1/penalties/1")
        assert api.status_code == 503 and "系统暂时无法处理请求" in api.get_data(as_text=True)  # JSON, in Chinese
        time.sleep(1.5)
        proxy.restore()
        back_at = time.monotonic()
        _wait_for(lambda: client.get("/penalties").status_code == 200)
        recovered_at = time.monotonic()
        time.sleep(1)
        answers = load.stop()
    finally:
        proxy.cut()
        portal.stop()
    statuses = {status for _, status, _ in answers}
    assert 500 not in statuses and 0 not in statuses, sorted(statuses)
    assert {200, 503} <= statuses
    during = [(status, body) for at, status, body in answers if cut_at + 0.5 < at < back_at]
    assert during and all(status == 503 and UNAVAILABLE in body for status, body in during)
    after = [status for at, status, _ in answers if at > recovered_at]
    assert after and set(after) == {200}  # every worker recovered, without a restart


@pytest.mark.skipif(not REDIS_URL, reason="PORTAL_TEST_REDIS_URL not set (CI sets it)")
def test_redis_restarting_rate_limits_fail_closed_for_writes_and_open_for_reading(app, tmp_path):
    redis = make_url(REDIS_URL.replace("redis://", "postgresql://", 1))  # only host and port are read
    proxy = TcpProxy(redis.port or 6379, redis.host)
    storage = f"redis://127.0.0.1:{proxy.port}/{redis.database or 0}"
    with app.app_context():
        staff("clerk1", Role.CLERK)
    env = app_env(
        app,
        RATELIMIT_STORAGE_URI=storage,
        RATELIMIT_KEY_PREFIX=f"outage-{secrets.token_hex(4)}",
        PORTAL_SEARCH_RATE_LIMIT="10000 per minute",  # the load must not reach the limit itself
    )
    portal = Gunicorn(env, tmp_path / "gunicorn.log", workers=2)
    client = HttpClient(portal.url)
    search = "/search?q=" + quote("恒达")
    try:
        track = page_form(client, "/track", action="/track").fill(number="CN-20260101-000001", code="ABCDEFGHJK")
        login = page_form(client, "/admin/login").fill(username="clerk1", password="wrong-password-2026")
        assert track.submit(client).status_code == 404
        load = Load(portal.url, search)
        proxy.cut()
        for _ in range(3):
            reading = client.get(search)
            assert reading.status_code == 200, reading.status_code  # open for reading
            refused = track.submit(client)
            assert refused.status_code == 503 and UNAVAILABLE in refused.get_data(as_text=True)
            assert login.submit(client).status_code == 503  # closed for sign-in
        filing = page_form(client, "/commitments/new", button="提交")
        assert filing.submit(client).status_code == 503  # closed for filings
        proxy.restore()
        _wait_for(lambda: track.submit(client).status_code == 404)
        assert login.submit(client).status_code == 400  # a refused sign-in, counted again
        answers = load.stop()
    finally:
        proxy.cut()
        portal.stop()
    assert {status for _, status, _ in answers} == {200}


@pytest.fixture
def limited_app(migrated, tmp_path):
    from tests.conftest import _fresh_app

    yield from _fresh_app(migrated, tmp_path, RATELIMIT_ENABLED=True)


def test_redis_going_away_after_the_limit_check_still_answers(limited_app, monkeypatch):
    """The limiter reads its window again for the X-RateLimit headers after the view: an outage in
    between leaves the headers out instead of turning the answer into a 500."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    client = limited_app.test_client()
    limiter = limited_app.extensions["portal_limiter"]

    def away(*_args, **_kwargs):
        raise RedisConnectionError("connection reset")

    assert client.get("/search?q=" + quote("恒达")).headers.get("X-RateLimit-Limit")
    monkeypatch.setattr(limiter.limiter, "get_window_stats", away)
    response = client.get("/search?q=" + quote("恒达"))
    assert response.status_code == 200 and "X-RateLimit-Limit" not in response.headers
