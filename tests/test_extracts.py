"""Bulk extracts: CSV with BOM and the national headers, JSON Lines, filtered like the listings,
masked like the pages, formula cells neutralised; the daily file and its SHA-256."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re

import pytest
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.importer.headers import LICENSE_HEADERS, PENALTY_HEADERS
from portal.importer.loader import ImportOptions, import_file
from portal.models import Penalty, Project
from portal.search import indexer, presentations
from portal.services.opendata import extracts
from tests import public_scenario as sc
from tests.exchange_files import COMPANY_USCC, import_rows, penalty_row, write_csv
from tests.forms import page_form
from tests.publishing_helpers import add_subject, ctx, days_ago, load, row_values, set_up_departments, signed_in


@pytest.fixture
def world(runner, app_ctx, tmp_path):
    return sc.build(runner, tmp_path)


def _csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_penalty_csv_has_the_national_headers_and_the_public_rows(client, world):
    rows = _csv(client, "/extracts/penalties.csv")
    assert (
        set(rows[0]) <= set(PENALTY_HEADERS)
        and "行政处罚决定书文号" in rows[0]
        and "处罚机关统一社会信用代码" in rows[0]
    )
    assert [r["行政处罚决定书文号"] for r in rows] == [sc.PERSON_DOC, sc.CURRENT, sc.OTHER]
    person = rows[0]
    assert person["行政相对人名称"] == "张*" and "330212198001010016" not in str(person)
    assert "13812345678" not in person["违法事实"]
    other = _csv(client, f"/extracts/penalties.csv?authority={sc.OTHER_AUTHORITY[0]}")
    assert [r["行政处罚决定书文号"] for r in other] == [sc.OTHER]


def test_every_column_downloads_in_both_formats(client, world):
    for name in ("licenses", "list_entries", "commitments", "articles"):
        assert len(_csv(client, f"/extracts/{name}.csv")) == len(
            client.get(f"/extracts/{name}.jsonl").get_data(as_text=True).splitlines()
        )
    lines = client.get("/extracts/list_entries.jsonl?kind=black").get_data(as_text=True).splitlines()
    api = client.get("/api/v1/list-entries", query_string={"kind": "black"}).get_json()["items"]
    assert [json.loads(line) for line in lines] == api
    assert client.get("/extracts/list_entries.csv?kind=purple").status_code == 400
    assert client.get("/extracts/secrets.csv").status_code == 404


def test_cells_a_spreadsheet_would_run_are_neutralised(client, runner, app_ctx, tmp_path):
    import_rows(
        runner,
        tmp_path / "p.csv",
        "penalty",
        [
            penalty_row(
                **{
                    "行政处罚决定书文号": "甬市监罚〔2026〕30号",
                    "违法事实": '=HYPERLINK("http://example.invalid","点击")',
                    "处罚内容": "+罚款一万元",
                    "备注": "@SUM(1,2)",
                    "违法行为类型": "-未按规定公示",
                }
            )
        ],
    )
    row = _csv(client, "/extracts/penalties.csv")[0]
    assert row["违法事实"].startswith("'=") and row["处罚内容"] == "'+罚款一万元"
    assert row["备注"] == "'@SUM(1,2)" and row["违法行为类型"] == "'-未按规定公示"
    assert [extracts.neutralise(v) for v in ("\tx", "\rx", "2026-01-01", "甲=乙")] == [
        "'\tx",
        "'\rx",
        "2026-01-01",
        "甲=乙",
    ]


def test_daily_extract_with_its_checksum(client, runner, world, tmp_path):
    out = tmp_path / "daily"
    result = runner.invoke(args=["portal", "extract", "penalties", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    csv_name = extracts.file_name("penalties", "csv")
    assert written == sorted(
        [csv_name, f"{csv_name}.sha256", *(f"{extracts.file_name('penalties', 'jsonl')}{x}" for x in ("", ".sha256"))]
    )
    data = (out / csv_name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert (out / f"{csv_name}.sha256").read_text() == f"{digest}  {csv_name}\n"
    assert data == client.get("/extracts/penalties.csv").get_data()
    client.application.config["PORTAL_EXTRACT_DIR"] = str(out)
    page = client.get("/extracts/").get_data(as_text=True)
    assert csv_name in page and digest in page
    assert client.get(f"/extracts/daily/{csv_name}").get_data() == data
    assert client.get("/extracts/daily/../secret_key").status_code == 404


def _approve_project(app) -> Project:
    """A project entered and approved through the back office's forms."""
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    entry = page_form(clerk, "/admin/projects/new", button="提交审核").fill_labels(
        {
            "企业统一社会信用代码": COMPANY_USCC,
            "项目/设施名称": "鄞州区东湖住宅小区工程",
            "类型": "工程项目",
            "所属行业": "建筑施工",
            "所在区县": "鄞州区",
            "开始日期": days_ago(200),
        }
    )
    response = entry.submit(clerk)
    assert response.status_code == 302, response.get_data(as_text=True)
    project_id = int(re.search(r"/projects/(\d+)$", response.headers["Location"]).group(1))
    approve = page_form(reviewer, f"/admin/projects/{project_id}", action=f"/admin/projects/{project_id}/approve")
    assert approve.submit(reviewer).status_code == 302
    return load(app, Project, project_id)


def test_a_records_approved_project_is_the_import_column_of_the_csv(app, tmp_path):
    set_up_departments(app)
    add_subject(app)
    project = _approve_project(app)
    with ctx(app):
        for kind, doc in (("penalty", "行政处罚决定书文号"), ("license", "行政许可决定文书号")):
            company = {"行政相对人名称": "宁波市鄞州区恒达建筑工程有限公司", "统一社会信用代码": COMPANY_USCC}
            rows = [row_values(kind, **company, **{doc: f"甬{n}号"}) for n in (1, 2)]
            rows[0]["所属项目"] = project.code
            assert import_file(kind, write_csv(tmp_path / f"{kind}.csv", kind, rows), ImportOptions()).valid == 2
    public = app.test_client()

    def column(name: str, doc: str) -> dict[str, str]:
        rows = _csv(public, f"/extracts/{name}.csv")
        assert list(rows[0])[-1] == "所属项目"  # after the national headers, as the import names it
        assert set(rows[0]) <= set(LICENSE_HEADERS if name == "licenses" else PENALTY_HEADERS)
        return {r[doc]: r["所属项目"] for r in rows}

    assert column("penalties", "行政处罚决定书文号") == {"甬1号": project.code, "甬2号": ""}
    assert column("licenses", "行政许可决定文书号") == {"甬1号": project.code, "甬2号": ""}
    with ctx(app):
        indexer.sync(wait=True)  # now the stored views stand in for the presenters
        ids = list(db.session.scalars(select(Penalty.id)))
        assert len(presentations.views({"penalty": ids}, clock.today())) == 2
    assert column("penalties", "行政处罚决定书文号") == {"甬1号": project.code, "甬2号": ""}
    lines = [json.loads(line) for line in public.get("/extracts/penalties.jsonl").get_data(as_text=True).splitlines()]
    assert {v["doc_no"]: (v["project"] or {}).get("code") for v in lines} == {"甬1号": project.code, "甬2号": None}

    reviewer = signed_in(app, "reviewer")
    withdraw = page_form(reviewer, f"/admin/projects/{project.id}", action=f"/admin/projects/{project.id}/withdraw")
    assert withdraw.fill(reason="项目已注销").submit(reviewer).status_code == 302
    assert column("penalties", "行政处罚决定书文号") == {"甬1号": "", "甬2号": ""}
    with ctx(app):
        indexer.sync(wait=True)
    assert column("penalties", "行政处罚决定书文号") == {"甬1号": "", "甬2号": ""}
