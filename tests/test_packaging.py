"""`pip install .` gives a working portal: the wheel is built, installed with the production lock
file into a fresh virtualenv, and the installed portal (outside the source tree) creates its schema
in its instance folder, takes demo data, serves pages, static files and search under gunicorn.

Dependencies come from a local wheelhouse (the lock file's own artefacts, hashes checked), filled
once per lock file; uv installs from it without reaching an index.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
UV = Path(sys.executable).with_name("uv")


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], check=False, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _wheelhouse() -> Path:
    """The lock file's artefacts plus a build backend, downloaded once per version of the lock file."""
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()[:16]
    default = Path.home() / ".cache" / "credit-portal" / "wheelhouse"
    folder = Path(os.environ.get("PORTAL_TEST_WHEELHOUSE", default)) / digest
    if not (folder / "complete").exists():
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--dest", folder]
        _run(*pip, "--require-hashes", "-r", LOCK)
        _run(*pip, "--no-deps", "setuptools>=68")
        (folder / "complete").touch()
    return folder


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtualenv holding the portal's wheel and the locked dependencies, nothing else."""
    wheelhouse = _wheelhouse()
    work = tmp_path_factory.mktemp("wheel")
    offline = ["--no-index", "--find-links", wheelhouse]
    _run(UV, "build", "--quiet", "--wheel", *offline, "--out-dir", work / "dist", ROOT)
    wheel = next((work / "dist").glob("credit_portal-*.whl"))
    venv = work / "venv"
    _run(UV, "venv", "--quiet", "--python", sys.executable, venv)
    python = venv / "bin" / "python"
    _run(UV, "pip", "install", "--quiet", "--python", python, *offline, "--require-hashes", "-r", LOCK)
    _run(UV, "pip", "install", "--quiet", "--python", python, "--no-index", "--no-deps", wheel)
    return venv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 10) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8")


def test_installed_wheel_runs_the_portal(installed, tmp_path):
    env = {
        "PATH": f"{installed / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PORTAL_SECURE_COOKIES": "0",
        "PORTAL_SEARCH_AUTOSYNC": "0",
    }
    flask = [installed / "bin" / "flask", "--app", "portal"]
    # Run from elsewhere: only the installed package can be imported.
    where = _run(installed / "bin" / "python", "-c", "import portal; print(portal.__file__)", cwd=tmp_path, env=env)
    assert str(installed) in where.stdout and str(ROOT) not in where.stdout
    _run(*flask, "portal", "init-db", cwd=tmp_path, env=env)
    instance = installed / "var" / "portal-instance"
    assert (instance / "portal.db").is_file() and (instance / "secret_key").is_file()
    _run(*flask, "portal", "seed", "--subjects", "30", cwd=tmp_path, env=env)
    _run(*flask, "portal", "sync-index", cwd=tmp_path, env=env)
    assert (instance / "search_index").is_dir()

    port = _free_port()
    server = subprocess.Popen(
        [installed / "bin" / "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "portal:create_app()"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, home = _get(base + "/", timeout=2)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()[-3000:]
                time.sleep(0.2)
        assert status == 200 and "信用信息公示" in home
        assert _get(base + "/static/portal.js")[0] == 200
        status, found = _get(base + "/api/v1/search?q=" + quote("有限公司"))
        name = json.loads(found)["subjects"][0]["name"]
        status, page = _get(base + "/search?q=" + quote(name))
        assert status == 200 and name in page
    finally:
        server.terminate()
        server.wait(timeout=10)
    shutil.rmtree(installed / "var", ignore_errors=True)
