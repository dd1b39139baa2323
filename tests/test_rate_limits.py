"""Search is rate-limited per client, with a Chinese 429 page and Retry-After; counts are shared
by every process when the storage is Redis."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from portal import create_app

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")


@pytest.fixture
def limited_app(migrated, tmp_path):
    def make(**config):
        return create_app(
            {
                "SQLALCHEMY_DATABASE_URI": migrated,
                "TESTING": True,
                "SECRET_KEY": "x",
                "PORTAL_SEARCH_INDEX": str(tmp_path / "idx"),
                "PORTAL_SEARCH_AUTOSYNC": False,
                "PORTAL_SEARCH_RATE_LIMIT": "3 per minute",
                "RATELIMIT_STORAGE_URI": "memory://",
                **config,
            }
        )

    return make


def test_limit_gives_a_chinese_429_with_retry_after(limited_app):
    client = limited_app().test_client()
    for _ in range(3):
        assert client.get("/search?q=恒达").status_code == 200
    page = client.get("/search?q=恒达")
    assert page.status_code == 429
    assert "查询过于频繁" in page.get_data(as_text=True)
    assert int(page.headers["Retry-After"]) > 0
    api = client.get("/api/v1/search?q=恒达")
    assert api.status_code == 429 and "查询过于频繁" in api.get_json()["error"]["message"]
    other = limited_app().test_client()  # a separate app: its own memory counter
    assert other.get("/search?q=恒达", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200


def test_clients_are_counted_apart_and_forwarded_headers_are_not_trusted_by_default(limited_app):
    client = limited_app().test_client()
    for i in range(3):
        spoof = {"X-Forwarded-For": f"203.0.113.{i}"}
        assert client.get("/search?q=恒达", headers=spoof).status_code == 200
    assert client.get("/search?q=恒达", headers={"X-Forwarded-For": "203.0.113.99"}).status_code == 429
    assert client.get("/search?q=恒达", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200


def test_trusted_proxy_hops_give_the_real_client(limited_app):
    client = limited_app(PORTAL_TRUSTED_PROXIES=1).test_client()
    for _ in range(3):
        assert client.get("/search?q=恒达", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    assert client.get("/search?q=恒达", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 429
    # A client behind the same proxy is someone else; a forged first hop does not help the first one.
    assert client.get("/search?q=恒达", headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200
    forged = {"X-Forwarded-For": "1.2.3.4, 198.51.100.1"}
    assert client.get("/search?q=恒达", headers=forged).status_code == 429


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except urllib.error.URLError:
        return 0  # not listening yet


@pytest.mark.skipif(not REDIS_URL, reason="PORTAL_TEST_REDIS_URL not set (CI sets it)")
def test_redis_counts_are_shared_by_two_app_processes(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        "PORTAL_SEARCH_INDEX": str(tmp_path / "i"),
        "PORTAL_SEARCH_AUTOSYNC": "0",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(6)}",
        "PORTAL_SEARCH_RATE_LIMIT": "4 per minute",
    }
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "portal", "init-db"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(p)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for p in ports
    ]
    try:
        deadline = time.monotonic() + 30
        for port in ports:
            while _get(f"http://127.0.0.1:{port}/") != 200:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        url = "http://127.0.0.1:{}/api/v1/search?q=%E6%81%92%E8%BE%BE"
        statuses = [_get(url.format(port)) for port in (ports[0], ports[1], ports[0], ports[1])]
        assert statuses == [200, 200, 200, 200]
        assert _get(url.format(ports[1])) == 429
        assert _get(url.format(ports[0])) == 429
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def test_sign_in_attempts_are_rate_limited_per_client(limited_app):
    from tests.admin_helpers import login

    client = limited_app(PORTAL_LOGIN_RATE_LIMIT="3 per minute", SESSION_COOKIE_SECURE=False).test_client()
    statuses = [login(client, "x", "y").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_tracking_is_limited_so_numbers_cannot_be_walked(limited_app):
    from tests.forms import page_form

    client = limited_app(PORTAL_TRACK_RATE_LIMIT="3 per minute").test_client()
    form = page_form(client, "/track", button="查询")
    for serial in range(1, 4):
        guess = form.fill(number=f"YY-20261122-{serial:06d}", code="ABCDEFGHJK")
        assert guess.submit(client).status_code == 404
    page = form.fill(number="YY-20261122-000004", code="ABCDEFGHJK").submit(client)
    assert page.status_code == 429 and "查询过于频繁" in page.get_data(as_text=True)
    assert int(page.headers["Retry-After"]) > 0
    assert client.get("/track").status_code == 200  # reading the form is not counted
