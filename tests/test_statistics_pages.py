"""The admin dashboard, the public statistics page, the XLSX bulletin and `portal stats` show the same
figures; drill-down links lead to exactly the rows counted; bad filters get a Chinese message."""

from __future__ import annotations

import ast
import html
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.models import Role
from portal.services.publication import records
from tests import statistics_rows
from tests.admin_helpers import login, staff

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seeded(app):
    with app.app_context():
        statistics_rows.build()
        staff("analyst", Role.REVIEWER)
    return app


def shown_on_page(page: str) -> dict[tuple[str, str], str]:
    """(indicator, part) -> figure as the page shows it (headline figures have part '合计')."""
    out = {}
    for key, value in re.findall(r'data-indicator="([^"]+)">([^<]*)<', page):
        if ":" not in key:
            out[(key, "合计")] = html.unescape(value)
    for key, value in re.findall(r'data-part="([^"]+)">([^<]*)<', page):
        indicator, part = html.unescape(key).split(":", 1)
        out[(indicator, part)] = html.unescape(value)
    return out


def cli_json(app, *args) -> dict:
    result = app.test_cli_runner().invoke(args=["portal", "stats", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def as_map(figures: list[dict]) -> dict[tuple[str, str], str]:
    return {(f["indicator"], f["part"]): f["shown"] for f in figures}


def test_admin_page_bulletin_and_command_agree(seeded, tmp_path):
    client = seeded.test_client()
    login(client, "analyst")
    page = client.get("/admin/statistics?period=2026Q2")
    assert page.status_code == 200
    on_page = shown_on_page(page.get_data(as_text=True))
    from_cli = as_map(cli_json(seeded, "--period", "2026Q2")["figures"])
    assert len(on_page) > 40
    for key, shown in on_page.items():
        assert from_cli[key] == shown, key

    workbook = load_workbook(io.BytesIO(client.get("/admin/statistics/bulletin.xlsx?period=2026Q2").data))
    sheet = workbook["全部指标"]
    labels = {f["label"]: f["indicator"] for f in cli_json(seeded, "--period", "2026Q2")["figures"]}
    in_xlsx = {(labels[row[0]], row[1]): row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert in_xlsx == from_cli
    by_industry = {row[0]: row for row in workbook["附件1 分行业"].iter_rows(min_row=2, values_only=True)}
    assert str(by_industry["燃气经营"][1]) + "条" == from_cli[("records_by_industry", "燃气经营")]
    by_district = {row[0]: row for row in workbook["附件2 分区县"].iter_rows(min_row=2, values_only=True)}
    assert str(by_district["海曙区"][1]) + "条" == from_cli[("records_by_district", "海曙区")]

    out = tmp_path / "b.xlsx"
    result = seeded.test_cli_runner().invoke(
        args=["portal", "stats", "--period", "2026Q2", "--format", "xlsx", "--output", str(out)]
    )
    assert result.exit_code == 0 and load_workbook(out)["全部指标"].max_row == sheet.max_row


def test_scoped_dashboard_agrees_with_the_command(seeded):
    client = seeded.test_client()
    login(client, "analyst")
    page = client.get("/admin/statistics?period=2026Q2&industry=燃气经营&district=330203")
    on_page = shown_on_page(page.get_data(as_text=True))
    scoped = cli_json(seeded, "--period", "2026Q2", "--industry", "燃气经营", "--district", "海曙区")
    from_cli = as_map(scoped["figures"])
    assert on_page and all(from_cli[k] == v for k, v in on_page.items())
    assert "不适用" in page.get_data(as_text=True)  # accuracy cannot be cut by industry


def test_public_page_shows_the_same_figures_with_charts_and_tables(seeded):
    client = seeded.test_client()
    page = client.get("/statistics?period=2026Q2")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    from_api = as_map(client.get("/api/v1/statistics?period=2026Q2").get_json()["figures"])
    from_cli = as_map(cli_json(seeded, "--period", "2026Q2")["figures"])
    on_page = shown_on_page(text)
    assert on_page
    for key, shown in on_page.items():
        indicator, part = key
        assert from_cli[(indicator.split(":")[0], part)] == shown
    assert all(from_cli[k] == v for k, v in from_api.items())
    assert text.count('<svg class="chart-svg" role="img"') >= 5
    assert text.count('<table class="chart-data">') == text.count('<svg class="chart-svg"')
    assert "<title" in text and "<rect" in text and "<polyline" in text
    assert "accuracy" not in {k[0] for k in from_api}  # the public sees the public indicators only


def test_public_counts_agree_with_the_public_listings(seeded):
    with seeded.app_context():
        listed = records.public_count("license")[0] + records.public_count("penalty")[0]
    figures = seeded.test_client().get("/api/v1/statistics?period=2026").get_json()["figures"]
    assert as_map(figures)[("records_by_kind", "合计")] == f"{listed}条"


def test_drill_down_link_lists_the_rows_counted(seeded):
    client = seeded.test_client()
    login(client, "analyst")
    page = client.get("/admin/statistics?period=2026Q2").get_data(as_text=True)
    on_page = shown_on_page(page)
    link = html.unescape(re.search(r'href="(/admin/statistics/records_by_kind/rows\?[^"]*kind=penalty[^"]*)"', page)[1])
    rows = client.get(link).get_data(as_text=True)
    body = rows[rows.index("<tbody>") : rows.index("</tbody>")]
    assert body.count("<tr>") == int(on_page[("records_by_kind", "行政处罚")].rstrip("条")) > 0
    assert "/admin/records/penalty/" not in body  # the analyst has no department: rows are not opened from here


def test_bad_filters_get_a_chinese_message(seeded):
    client = seeded.test_client()
    page = client.get("/statistics?period=上季度")
    assert page.status_code == 400 and "无法识别" in page.get_data(as_text=True)
    assert client.get("/api/v1/statistics?period=2026Q9").status_code == 400
    login(client, "analyst")
    assert "不在行业目录中" in client.get("/admin/statistics?industry=炼丹").get_data(as_text=True)
    bad = client.get("/admin/statistics/list_changes/rows?period=2026Q2&kind=zz")
    assert bad.status_code == 400 and "筛选条件无效" in bad.get_data(as_text=True)
    result = seeded.test_cli_runner().invoke(args=["portal", "stats", "--period", "2026-13"])
    assert result.exit_code != 0 and "月份" in result.output


@pytest.mark.parametrize("path", ["admin/statistics.py", "portal/views/statistics.py"])
def test_statistics_views_do_not_touch_the_database(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    imported = {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom | ast.Import) for alias in node.names
    }
    assert "db" not in imported and "portal.extensions" not in imported


def test_figures_come_from_aggregates_that_say_how_fresh_they_are(seeded):
    from tests.statistics_rows import china

    seeded.config["PORTAL_STATS_REFRESH_SECONDS"] = 3600  # as in production: not on every page
    client = seeded.test_client()
    first = client.get("/api/v1/statistics?period=2026Q2").get_json()
    with seeded.app_context():
        from portal.extensions import db
        from portal.models import License, PublicationState, Subject

        subject = db.session.scalars(select(Subject)).first()
        db.session.add(
            License(
                subject_id=subject.id,
                subject_name=subject.name,
                decided_on=statistics_rows.START,
                authority="机关",
                authority_uscc="113302004JURQ2830R",
                source_unit="机关",
                source_unit_uscc="113302004JURQ2830R",
                doc_no="新增",
                category="普通",
                state=PublicationState.PUBLISHED,
                published_at=china(statistics_rows.START),
            )
        )
        db.session.commit()
    again = client.get("/api/v1/statistics?period=2026Q2").get_json()
    assert again == first  # the aggregates are not refreshed yet, and say so
    stamp = "数据更新于 " + first["computed_at"][:16].replace("T", " ")
    assert stamp in client.get("/statistics?period=2026Q2").get_data(as_text=True)
    login(client, "analyst")
    assert stamp in client.get("/admin/statistics?period=2026Q2").get_data(as_text=True)
    text = seeded.test_cli_runner().invoke(args=["portal", "stats", "--period", "2026Q2"]).output
    assert "数据更新于：" + first["computed_at"][:16].replace("T", " ") in text
    book = load_workbook(io.BytesIO(client.get("/admin/statistics/bulletin.xlsx?period=2026Q2").data))
    assert ("数据更新于", first["computed_at"][:16].replace("T", " ")) in {
        tuple(row[:2]) for row in book["说明"].iter_rows(values_only=True)
    }

    refreshed = seeded.test_cli_runner().invoke(args=["portal", "stats-refresh"])
    assert refreshed.exit_code == 0 and "数据更新于" in refreshed.output
    fresh = client.get("/api/v1/statistics?period=2026Q2").get_json()
    assert fresh["computed_at"] >= first["computed_at"]
    assert (
        int(as_map(fresh["figures"])[("records_by_kind", "合计")].rstrip("条"))
        == int(as_map(first["figures"])[("records_by_kind", "合计")].rstrip("条")) + 1
    )
