"""Sign-in does not tell which usernames exist: unknown, locked, disabled and wrong-password attempts
get the same page and cost the same (one scrypt check each)."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from portal.extensions import db
from portal.models import Role
from portal.models.base import utcnow
from portal.services.core import secret_hashes
from tests.admin_helpers import PASSWORD, staff
from tests.forms import page_form


@pytest.fixture
def production_hashes(app):
    """Production's scrypt cost: the suite's cheap hash would not dominate the time of a sign-in."""
    app.config["PORTAL_SECRET_HASH"] = None


@pytest.fixture
def people(production_hashes, app_ctx):
    known = staff("known1", Role.CLERK)
    locked = staff("locked1", Role.CLERK)
    locked.locked_until = utcnow() + dt.timedelta(hours=1)
    disabled = staff("disabled1", Role.CLERK)
    disabled.active = False
    db.session.commit()
    return known


# (username, password) of each kind of refused attempt; locked and disabled accounts with the right password.
ATTEMPTS = {
    "wrong password": ("known1", "Wrong-Password-2026"),
    "unknown": ("nobody-here", PASSWORD),
    "locked": ("locked1", PASSWORD),
    "disabled": ("disabled1", PASSWORD),
}


def _attempt(client, username: str, password: str):
    form = page_form(client, "/admin/login").fill(username=username, password=password)
    started = time.perf_counter()
    response = form.submit(client)
    return response, time.perf_counter() - started


def _visible(response) -> str:
    """The page's main part, without the CSRF token (signed with the time, so it differs anyway)."""
    html = response.get_data(as_text=True)
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", html[html.index("<main") :])


def test_every_refusal_reads_the_same(client, people):
    answers = {}
    for kind, (username, password) in ATTEMPTS.items():
        response, _ = _attempt(client, username, password)
        assert response.status_code == 400, kind
        answers[kind] = _visible(response).replace(f'value="{username}"', 'value=""')
    assert "用户名或密码错误" in answers["unknown"]
    assert len(set(answers.values())) == 1, {k: v[:300] for k, v in answers.items()}


def test_every_refusal_costs_one_password_check(client, people, monkeypatch):
    checks = []
    real = secret_hashes.check_password_hash

    def counted(stored, password):
        checks.append(stored)
        return real(stored, password)

    monkeypatch.setattr(secret_hashes, "check_password_hash", counted)
    for kind, (username, password) in ATTEMPTS.items():
        checks.clear()
        _attempt(client, username, password)
        assert len(checks) == 1, kind
        assert checks[0].split("$")[0] == secret_hashes.PASSWORD, kind  # production's method and cost


def test_every_refusal_takes_about_as_long(client, people):
    """Fastest of interleaved attempts: the scrypt check dominates every path alike. Load from the
    suite's other workers only ever adds time, so a round spoilt by it is measured again; a path that
    skipped the check would be several times faster in every round."""
    took: dict[str, list[float]] = {kind: [] for kind in ATTEMPTS}
    for _ in range(4):
        for _ in range(9):
            for kind, (username, password) in ATTEMPTS.items():
                took[kind].append(_attempt(client, username, password)[1])
                if kind == "wrong password":  # keep the known account from locking itself
                    people.failed_logins = 0
                    db.session.commit()
        fastest_each = {kind: min(values) for kind, values in took.items()}
        if max(fastest_each.values()) < min(fastest_each.values()) * 1.5:
            return
    pytest.fail(f"refusals differ in cost: {fastest_each}")
