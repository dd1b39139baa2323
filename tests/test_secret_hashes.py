"""Stored secrets: production's scrypt cost unless PORTAL_SECRET_HASH says otherwise, and the
stand-in hash of an unknown account or number costs what a real one does."""

from __future__ import annotations

from portal.services.core import secret_hashes


def _method(stored: str) -> str:
    return stored.split("$")[0]


def test_production_hashes_passwords_and_codes_at_their_own_costs(app_ctx):
    app_ctx.config["PORTAL_SECRET_HASH"] = None
    password, code = secret_hashes.hash_password("Right-Password-2026"), secret_hashes.hash_code("AB12CD34")
    assert _method(password) == secret_hashes.PASSWORD == "scrypt:32768:8:1"
    assert _method(code) == secret_hashes.CODE == "scrypt:8192:8:1"
    assert secret_hashes.matches(password, "Right-Password-2026")
    assert not secret_hashes.matches(password, "Wrong-Password-2026")
    assert secret_hashes.matches(code, "AB12CD34") and not secret_hashes.matches(code, "AB12CD35")
    assert _method(secret_hashes.stand_in_password()) == secret_hashes.PASSWORD
    assert _method(secret_hashes.stand_in_code()) == secret_hashes.CODE


def test_the_configured_method_replaces_both(app_ctx):
    app_ctx.config["PORTAL_SECRET_HASH"] = "scrypt:1024:8:1"
    for stored in (secret_hashes.hash_password("x" * 12), secret_hashes.hash_code("AB12CD34")):
        assert _method(stored) == "scrypt:1024:8:1"
    assert _method(secret_hashes.stand_in_password()) == _method(secret_hashes.stand_in_code()) == "scrypt:1024:8:1"
    assert not secret_hashes.matches(secret_hashes.stand_in_password(), "")
