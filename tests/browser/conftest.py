"""Browser tests: Debian's Chromium, driven by Playwright, against a live portal over seeded demo data.

Demo data is seeded once per session into a template folder (SQLite database, search index,
uploads); every test gets its own copy and its own server, so tests never see each other's changes.
A failing test leaves a screenshot and the page's HTML in `test-artifacts/`.

Fixtures: `live_server`, `page`, `new_page(width=..)` (another browser context: a citizen and a
staff member side by side) and `staff("shouli")` (a page signed in as a demo account). What the
journeys share beyond fixtures (files to attach, the receipt, /track, handling steps) is in
`helpers.py`.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import jinja2
import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db

CHROMIUM = os.environ.get("PORTAL_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_SUBJECTS = 150
# Chromium in a closed network: no background connections, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _config(folder: Path) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'portal.db'}",
        "SECRET_KEY": "browser-test-secret",
        "PORTAL_SEARCH_INDEX": str(folder / "search_index"),
        "PORTAL_UPLOAD_DIR": str(folder / "uploads"),
        "PORTAL_SEARCH_AUTOSYNC": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
    }


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A folder with the migrated, seeded demo database and its search index."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    folder = tmp_path_factory.mktemp("demo")
    app = create_app(_config(folder))
    runner = app.test_cli_runner()
    for args in (["portal", "init-db"], ["portal", "seed", "--subjects", str(DEMO_SUBJECTS)], ["portal", "sync-index"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()
    return folder


class LiveServer:
    """The portal served over HTTP on a free port in a thread of the test process.

    `templates`: compiled templates shared by the servers of a session, so that each test's fresh
    app does not compile every page again.
    """

    def __init__(self, folder: Path, templates: jinja2.BytecodeCache | None = None, **config):
        self.folder = folder
        self.app = create_app({**_config(folder), **config})
        self.app.jinja_env.bytecode_cache = templates
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        # A short poll interval: shutdown() waits for it at the end of every test.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()

    def sync_index(self) -> None:
        """Apply the search outbox now (the portal's background thread is off in tests)."""
        from portal.search import indexer

        with self.app.app_context():
            indexer.sync(wait=True)


@pytest.fixture(scope="session")
def compiled_templates(tmp_path_factory) -> jinja2.BytecodeCache:
    return jinja2.FileSystemBytecodeCache(str(tmp_path_factory.mktemp("templates")))


@pytest.fixture
def live_server(demo_template, compiled_templates, tmp_path):
    folder = tmp_path / "site"
    shutil.copytree(demo_template, folder)
    server = LiveServer(folder, compiled_templates)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        for page in item.funcargs.get("_open_pages", []):
            _keep_artifacts(item.name, page)
    return report


def _keep_artifacts(name: str, page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:120]
    try:
        page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
        (ARTIFACTS / f"{safe}.html").write_text(page.content(), encoding="utf-8")
    except Exception as e:  # a closed page must not hide the test's own failure
        (ARTIFACTS / f"{safe}.txt").write_text(f"no screenshot: {e}", encoding="utf-8")


@pytest.fixture
def _open_pages():
    return []


# Assertions wait as long as actions do: a loaded CI machine took over expect's default 5 s to save
# a form, and the check failed on the page before.
expect.set_options(timeout=10_000)


@pytest.fixture
def new_page(browser, live_server, _open_pages):
    """Factory of pages in fresh browser contexts (separate cookies: a citizen and a staff member)."""
    contexts = []

    def make(width: int = 1366, height: int = 900):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}, locale="zh-CN"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        _open_pages.append(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def staff(new_page):
    """Factory of pages signed in as a demo account ('admin', 'luru', 'shenhe', 'bianji', 'shouli'),
    each in a browser context of its own."""
    from tests.browser.helpers import sign_in

    return lambda username: sign_in(new_page(), username)
