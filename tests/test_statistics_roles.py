"""统计分析 per role and scope: a department's staff see their department by default and cannot widen it;
the 信用办 (no department) and administrators see the city; a grader sees the grading distribution first."""

from __future__ import annotations

import html
import io
import re

import pytest
from openpyxl import load_workbook

from portal.models import Role
from portal.services.statistics import grading
from portal.services.statistics.period import parse
from tests import statistics_rows
from tests.admin_helpers import login, staff
from tests.test_statistics_pages import as_map, cli_json, shown_on_page


@pytest.fixture
def seeded(app):
    with app.app_context():
        rows = statistics_rows.build()
        first, second = rows.departments
        ids = {"first": first.id, "second": second.id, "first_name": first.name}
        staff("clerk", Role.CLERK, dept=first)
        staff("reviewer", Role.REVIEWER, dept=second)
        staff("office", Role.REVIEWER)  # 信用办: no department
        staff("chief", Role.ADMIN, dept=first)
        grader = staff("grader", Role.GRADER, dept=first)
        grading.run(parse("2026Q2", statistics_rows.END), grader)
    app.config["ids"] = ids
    return app


def dashboard(app, username: str, query: str = "period=2026Q2"):
    client = app.test_client()
    login(client, username)
    return client, client.get(f"/admin/statistics?{query}")


def department_choices(page: str) -> list[str]:
    select = page[page.index('id="stat-department"') : page.index("</select>", page.index('id="stat-department"'))]
    return re.findall(r'<option value="([^"]*)"', select)


@pytest.mark.parametrize(("username", "department"), [("clerk", "first"), ("reviewer", "second")])
def test_department_staff_see_their_department_by_default(seeded, username, department):
    own = seeded.config["ids"][department]
    client, page = dashboard(seeded, username)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "统计范围：本部门" in text
    assert department_choices(text) == [str(own)]  # no 全部部门, no other department
    expected = as_map(cli_json(seeded, "--period", "2026Q2", "--department", str(own))["figures"])
    city = as_map(cli_json(seeded, "--period", "2026Q2")["figures"])
    on_page = shown_on_page(text)
    assert on_page and all(expected[k] == v for k, v in on_page.items())
    assert on_page[("records_by_kind", "合计")] != city[("records_by_kind", "合计")]
    assert on_page[("code_quality", "合计")] == "不适用"  # a city-wide figure is not theirs


@pytest.mark.parametrize("username", ["clerk", "reviewer"])
def test_department_staff_cannot_widen_the_scope(seeded, username):
    ids = seeded.config["ids"]
    other = ids["second"] if username == "clerk" else ids["first"]
    own = ids["first"] if username == "clerk" else ids["second"]
    client, page = dashboard(seeded, username, f"period=2026Q2&department={other}")
    text = page.get_data(as_text=True)
    assert page.status_code == 403 and "只能查看本部门的统计" in text
    expected = as_map(cli_json(seeded, "--period", "2026Q2", "--department", str(own))["figures"])
    assert shown_on_page(text)[("records_by_kind", "合计")] == expected[("records_by_kind", "合计")]
    rows = client.get(f"/admin/statistics/records_by_kind/rows?period=2026Q2&department={other}")
    assert rows.status_code == 403 and "只能查看本部门的统计" in rows.get_data(as_text=True)
    book = client.get(f"/admin/statistics/bulletin.xlsx?period=2026Q2&department={other}")
    assert book.status_code == 403
    # The bulletin of their own scope carries their department's figures, not the city's.
    sheet = load_workbook(io.BytesIO(client.get("/admin/statistics/bulletin.xlsx?period=2026Q2").data))["全部指标"]
    total = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "公示信息（按类别）" and r[1] == "合计")
    assert f"{total[2]}条" == expected[("records_by_kind", "合计")]


def test_department_drill_down_lists_only_their_rows(seeded):
    own = seeded.config["ids"]["first"]
    client, page = dashboard(seeded, "clerk")
    text = page.get_data(as_text=True)
    link = html.unescape(re.search(r'href="(/admin/statistics/records_by_kind/rows\?[^"]*kind=license[^"]*)"', text)[1])
    assert f"department={own}" in link
    rows = client.get(link).get_data(as_text=True)
    body = rows[rows.index("<tbody>") : rows.index("</tbody>")]
    assert body.count("<tr>") == int(shown_on_page(text)[("records_by_kind", "行政许可")].rstrip("条")) > 0
    assert body.count("/admin/records/license/") == body.count("<tr>")  # their own rows open from here


@pytest.mark.parametrize("username", ["office", "chief"])
def test_credit_office_and_administrators_see_the_city(seeded, username):
    ids = seeded.config["ids"]
    client, page = dashboard(seeded, username)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "统计范围：本部门" not in text
    assert department_choices(text)[0] == ""  # 全部部门
    city = as_map(cli_json(seeded, "--period", "2026Q2")["figures"])
    assert shown_on_page(text)[("records_by_kind", "合计")] == city[("records_by_kind", "合计")]
    _, narrowed = dashboard(seeded, username, f"period=2026Q2&department={ids['second']}")
    assert narrowed.status_code == 200
    second = as_map(cli_json(seeded, "--period", "2026Q2", "--department", str(ids["second"]))["figures"])
    on_page = shown_on_page(narrowed.get_data(as_text=True))
    assert on_page[("records_by_kind", "合计")] == second[("records_by_kind", "合计")]


def test_graders_see_the_grading_distribution_first(seeded):
    _, page = dashboard(seeded, "grader")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "统计范围：本部门" not in text  # grading is city-wide
    assert 0 < text.index('id="grading-distribution"') < text.index('id="indicator-records_by_kind"')
    with seeded.app_context():
        rows = {d.industry: d for d in grading.distribution(grading.latest_run("2026Q2").id)}
    city = rows["全市"]
    assert city.total > 0
    for grade in "ABCDE":
        assert f'data-grade="全市:{grade}">{city.counts.get(grade, 0)}（' in text
    _, other = dashboard(seeded, "office")
    assert 'id="grading-distribution"' not in other.get_data(as_text=True)
