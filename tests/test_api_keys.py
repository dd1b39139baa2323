"""API keys: administrators issue and revoke them in the back office (audit-logged, stored as
digests); a request with a valid key counts against the key's own, higher limit."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.models import ApiKey, AuditLog, Role
from tests.admin_helpers import login, staff
from tests.conftest import FreshGlobalsClient
from tests.forms import page_form


def _issue(client, holder: str) -> str:
    page = (
        page_form(client, "/admin/api-keys", button="签发").fill_labels({"使用单位或个人名称": holder}).submit(client)
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and holder in text
    return re.search(r'<code id="issued-key">([^<]+)</code>', text).group(1)


def test_admin_issues_and_revokes_keys(client, app_ctx):
    staff("guanli", Role.ADMIN)
    login(client, "guanli")
    key = _issue(client, "宁波银行股份有限公司")
    stored = db.session.scalar(select(ApiKey))
    assert stored.holder == "宁波银行股份有限公司" and key.startswith(stored.prefix)
    assert key not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64
    listing = client.get("/admin/api-keys").get_data(as_text=True)
    assert key not in listing and f"{stored.prefix}…" in listing  # shown once only
    page_form(client, "/admin/api-keys", button="停用").submit(client)
    db.session.expire_all()
    assert db.session.get(ApiKey, stored.id).revoked_at is not None
    actions = [a.action for a in db.session.scalars(select(AuditLog).where(AuditLog.entity_type == "api_key"))]
    assert actions == ["api_key_issue", "api_key_revoke"]
    refused = (
        page_form(client, "/admin/api-keys", button="签发").fill_labels({"使用单位或个人名称": " "}).submit(client)
    )
    assert refused.status_code == 400 and "请填写使用单位或个人名称" in refused.get_data(as_text=True)


def test_only_administrators_manage_keys(client, app_ctx):
    staff("luru", Role.CLERK)
    login(client, "luru")
    assert client.get("/admin/api-keys").status_code == 403


def test_a_key_has_its_own_higher_limit(migrated, tmp_path, app_ctx):
    limited = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": migrated,
            "TESTING": True,
            "SECRET_KEY": "x",
            "PORTAL_SEARCH_INDEX": str(tmp_path / "idx"),
            "PORTAL_SEARCH_AUTOSYNC": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "PORTAL_API_RATE_LIMIT": "2 per minute",
            "PORTAL_API_KEY_RATE_LIMIT": "5 per minute",
            "SESSION_COOKIE_SECURE": False,
        }
    )
    limited.test_client_class = FreshGlobalsClient
    admin = limited.test_client()
    with limited.app_context():
        staff("guanli", Role.ADMIN)
    login(admin, "guanli")
    key = _issue(admin, "某数据服务公司")
    anonymous = [limited.test_client().get("/api/v1/penalties").status_code for _ in range(3)]
    assert anonymous == [200, 200, 429]
    keyed = [limited.test_client().get("/api/v1/penalties", headers={"X-API-Key": key}).status_code for _ in range(6)]
    assert keyed == [200] * 5 + [429]
    wrong = limited.test_client().get("/api/v1/penalties", headers={"X-API-Key": key + "x"})
    assert wrong.status_code == 429  # an unknown key is anonymous: that address's budget is spent
    page_form(admin, "/admin/api-keys", button="停用").submit(admin)
    assert limited.test_client().get("/api/v1/penalties", headers={"X-API-Key": key}).status_code == 429
