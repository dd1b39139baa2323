"""A clerk searches, filters, sorts and exports the department's records and list entries."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import update

from portal.demo.accounts import busiest_department
from portal.extensions import db
from portal.models import ListEntry
from tests.browser.test_staff_journey import nav


def _csv(download) -> list[list[str]]:
    return list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))


def _rows(page) -> list[list[str]]:
    return [r.locator("td").all_inner_texts() for r in page.locator("table.grid tbody tr").all()]


def test_a_clerk_searches_sorts_and_exports_the_department_s_penalties(staff):
    page = staff("luru")
    nav(page).get_by_role("link", name="双公示录入").click()
    everything = _rows(page)
    assert len(everything) > 1
    # By part of a 行政相对人's name: only that subject's records stay.
    name = everything[0][1]
    page.get_by_label("文书号或行政相对人").fill(name[2:8])
    page.get_by_role("button", name="筛选").click()
    found = _rows(page)
    assert found and all(name[2:8] in row[1] or name[2:8] in row[0] for row in found)

    page.get_by_label("文书号或行政相对人").fill("")
    page.get_by_role("button", name="筛选").click()
    header = page.get_by_role("columnheader", name="决定日期")
    header.get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="决定日期")).to_have_attribute("aria-sort", "descending")
    dates = [row[2] for row in _rows(page)]
    assert dates == sorted(dates, reverse=True)
    page.get_by_role("columnheader", name="决定日期").get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="决定日期")).to_have_attribute("aria-sort", "ascending")
    dates = [row[2] for row in _rows(page)]
    assert dates == sorted(dates)
    expect(page.locator("table.grid caption")).to_contain_text("按决定日期从旧到新排列")

    page.get_by_label("决定日期起").fill(dates[0])
    page.get_by_label("决定日期止").fill(dates[0])
    page.get_by_role("button", name="筛选").click()
    shown = _rows(page)
    assert shown and {row[2] for row in shown} == {dates[0]}
    with page.expect_download() as download:
        page.get_by_role("link", name="导出CSV（按当前条件）").click()
    exported = _csv(download.value)
    assert exported[0][:4] == ["文书号", "行政相对人名称", "决定日期", "状态"]
    assert sorted(r[0] for r in exported[1:]) == sorted(r[0] for r in shown)
    assert {r[2] for r in exported[1:]} == {dates[0]}


def test_a_clerk_filters_and_exports_list_entries(staff, live_server):
    with live_server.app.app_context():  # the demo lists belong to another department: hand them to the clerk's
        db.session.execute(update(ListEntry).values(department_id=busiest_department().id))
        db.session.commit()
    page = staff("luru")
    nav(page).get_by_role("link", name="红黑名单").click()
    entries = _rows(page)
    assert len(entries[0]) > 1, "the demo department should have list entries"
    subject = entries[0][0]
    page.get_by_label("主体名称、代码或名单类型").fill(subject)
    page.get_by_role("button", name="筛选").click()
    assert {row[0] for row in _rows(page)} == {subject}
    page.get_by_label("主体名称、代码或名单类型").fill("不会有这样的主体名称")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.grid tbody")).to_contain_text("暂无")
    page.get_by_label("主体名称、代码或名单类型").fill("")
    page.get_by_role("button", name="筛选").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="导出CSV（按当前条件）").click()
    exported = _csv(download.value)
    assert exported[0][:3] == ["信用主体", "统一社会信用代码", "名单"]
    assert len(exported) - 1 == len([r for r in _rows(page) if len(r) > 1])


def test_an_editor_finds_an_article_by_words_of_its_title(staff):
    page = staff("bianji")
    nav(page).get_by_role("link", name="栏目文章").click()
    title = page.locator("table.grid tbody tr td a").first.inner_text()
    page.get_by_label("标题包含").fill(title[:6])
    page.get_by_role("button", name="筛选").click()
    titles = page.locator("table.grid tbody tr td:first-child").all_inner_texts()
    assert titles and all(title[:6] in t for t in titles)
    page.get_by_label("标题包含").fill("没有这样的标题")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.grid tbody tr td a")).to_have_count(0)
