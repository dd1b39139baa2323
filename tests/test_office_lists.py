"""The other desks' listings (accounts, submissions, imports, API keys, articles): filters from the
query string, department scoping, and the CSV export as staff open it in a spreadsheet."""

from __future__ import annotations

import csv
import io

from portal.extensions import db
from portal.models import ImportRun, Role
from portal.services.opendata import api_keys
from portal.services.staff import office_lists
from portal.services.staff.desk_lists import Listing
from tests.admin_helpers import department, login, staff
from tests.exchange_files import OTHER_AUTHORITY


def _csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # UTF-8 with a BOM: Excel reads the Chinese
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_listing_values_are_checked_per_listing():
    accounts = Listing.from_args("account", {"kind": "admin", "state": "disabled", "department": "7", "sort": "x"})
    assert (accounts.kind, accounts.state, accounts.department, accounts.sort) == ("admin", "disabled", 7, "username")
    assert not accounts.descending  # accounts read A to Z
    queue = Listing.from_args("application", {"kind": "repair", "state": "overdue", "department": "1; drop"})
    assert (queue.kind, queue.state, queue.department, queue.sort) == ("repair", "overdue", None, "deadline")
    assert Listing.from_args("import", {"kind": "red", "state": "failed"}).as_args()["state"] == "failed"
    assert "kind" not in Listing.from_args("import", {"kind": "red"}).as_args()


def test_accounts_are_searched_filtered_and_exported_with_formulas_defused(client, app_ctx):
    dept = department()
    staff("admin", Role.ADMIN)
    staff("=cmd", Role.CLERK, dept=dept)
    staff("luru2", Role.CLERK, Role.REVIEWER, dept=dept)
    staff("bianji", Role.EDITOR)
    login(client, "admin")
    page = client.get(f"/admin/accounts?kind=clerk&department={dept.id}&sort=username&order=desc").get_data(
        as_text=True
    )
    assert page.index("luru2") < page.index("=cmd") and "bianji" not in page
    rows = _csv(client.get(f"/admin/accounts/export.csv?kind=clerk&department={dept.id}"))
    assert rows[0] == ["用户名", "姓名", "部门", "角色", "状态", "最近登录"]
    assert [r[0] for r in rows[1:]] == ["'=cmd", "luru2"]
    assert rows[2][3] == "录入员、审核员" and rows[2][2] == dept.name
    everyone = client.get("/admin/accounts").get_data(as_text=True)
    assert "账号（共4个，按用户名升序排列）" in everyone  # counted over the whole table


def test_import_runs_are_the_department_s_own(client, app_ctx):
    mine, other = department(), department(*OTHER_AUTHORITY)
    clerk = staff("luru", Role.CLERK, dept=mine)
    db.session.add_all(
        [
            ImportRun(kind="penalty", file_name="处罚2026.csv", file_sha256="a" * 64, department_id=mine.id),
            ImportRun(kind="license", file_name="许可2026.csv", file_sha256="b" * 64, department_id=mine.id),
            ImportRun(kind="penalty", file_name="别的部门.csv", file_sha256="c" * 64, department_id=other.id),
        ]
    )
    db.session.commit()
    shown = db.session.scalars(office_lists.imports(clerk, Listing.from_args("import", {"kind": "penalty"}))).all()
    assert [r.file_name for r in shown] == ["处罚2026.csv"]
    login(client, "luru")
    rows = _csv(client.get("/admin/imports/export.csv?q=2026&sort=file&order=asc"))
    assert [r[2] for r in rows[1:]] == ["处罚2026.csv", "许可2026.csv"]
    assert rows[1][4] == "导入中"


def test_api_keys_only_for_the_administrator(client, app_ctx):
    admin = staff("admin", Role.ADMIN)
    clerk = staff("luru", Role.CLERK, dept=department())
    api_keys.issue("甲银行", admin)
    revoked, _ = api_keys.issue("乙银行", admin)
    api_keys.revoke(revoked.id, admin)
    assert db.session.scalars(office_lists.api_keys(clerk, Listing.from_args("api_key", {}))).all() == []
    login(client, "admin")
    rows = _csv(client.get("/admin/api-keys/export.csv?state=valid"))
    assert [r[0] for r in rows[1:]] == ["甲银行"] and rows[1][3] == "有效"
