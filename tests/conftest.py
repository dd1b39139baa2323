"""Fixtures: the app over a fresh database on every configured backend.

SQLite always; PostgreSQL too when PORTAL_TEST_DATABASE_URL is set (CI sets it). Each run creates
its own PostgreSQL schema and drops it at the end, so runs never see each other's tables.
"""

from __future__ import annotations

import os
import secrets
from urllib.parse import quote

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from portal import create_app
from portal.config import normalise_database_url
from portal.extensions import db

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")
# Production's scrypt costs ~90 ms a hash, on purpose; the suite hashes thousands of passwords and
# codes. Set here so that the servers tests start as processes inherit it too.
os.environ.setdefault("PORTAL_SECRET_HASH", "scrypt:1024:8:1")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.db'}"
        return
    base = normalise_database_url(PG_URL)
    schema = f"test_{secrets.token_hex(6)}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options={quote(f'-csearch_path={schema},public')}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated(database_url):
    """Schema built once per backend through the real migrations."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    with app.app_context():
        from portal.services.core.setup import init_db

        init_db()
        db.engine.dispose()
    return database_url


def _empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name != "columns"]
    if db.engine.dialect.name == "postgresql":
        # The audit log refuses TRUNCATE through a trigger; replica mode (superuser only) skips triggers.
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
        db.session.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


class FreshGlobalsClient(FlaskClient):
    """Each request with its own `g`, as in production, even while the test holds an app context.

    Flask reuses an app context that is already pushed (the `app_ctx` fixture) for the requests a
    test makes, so `g` would carry Flask-Login's cached user and Flask-WTF's CSRF token from one
    request (and one client) to the next.
    """

    def open(self, *args, **kwargs):
        ctx = _cv_app.get(None)
        if ctx is None or ctx.app is not self.application:
            return super().open(*args, **kwargs)
        saved, ctx.g = ctx.g, self.application.app_ctx_globals_class()
        try:
            return super().open(*args, **kwargs)
        finally:
            ctx.g = saved


def _fresh_app(database_url: str, tmp_path, **config):
    """An app over emptied tables, torn down afterwards."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "PORTAL_SEARCH_INDEX": str(tmp_path / "search_index"),
            "PORTAL_UPLOAD_DIR": str(tmp_path / "uploads"),
            "PORTAL_SEARCH_AUTOSYNC": False,
            "PORTAL_STATS_REFRESH_SECONDS": 0,  # figures follow every change at once
            "PORTAL_STATS_SNAPSHOT_SECONDS": 0,
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,  # the test client speaks plain http
            **config,
        }
    )
    app.test_client_class = FreshGlobalsClient
    with app.app_context():
        _empty_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(migrated, tmp_path):
    yield from _fresh_app(migrated, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture(params=["sqlite", "whoosh", "postgres"])
def search_app(request, migrated, tmp_path):
    """The app with each search backend; the PostgreSQL backend only over a PostgreSQL database."""
    if request.param == "postgres" and not migrated.startswith("postgresql"):
        pytest.skip("the PostgreSQL search backend needs a PostgreSQL database")
    yield from _fresh_app(migrated, tmp_path, PORTAL_SEARCH_BACKEND=request.param)
