"""A clerk searches, filters, sorts and exports the department's records and list entries."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import update

from portal import clock
from portal.demo.accounts import busiest_department
from portal.extensions import db
from portal.models import ApplicationStatus, ImportRun, ListEntry
from tests.browser.test_staff_journey import nav


def _csv(download) -> list[list[str]]:
    return list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))


def _follow(page, link) -> None:
    """Click and wait for the next page: rows read right after a click could be the old page's,
    or none while it loads."""
    with page.expect_navigation():
        link.click()


def _filter(page) -> None:
    _follow(page, page.get_by_role("button", name="筛选"))


def _rows(page) -> list[list[str]]:
    return [r.locator("td").all_inner_texts() for r in page.locator("table.grid tbody tr").all()]


def test_a_clerk_searches_sorts_and_exports_the_department_s_penalties(staff):
    page = staff("luru")
    _follow(page, nav(page).get_by_role("link", name="双公示录入"))
    everything = _rows(page)
    assert len(everything) > 1
    # By part of a 行政相对人's name: only that subject's records stay.
    name = everything[0][1]
    page.get_by_label("文书号或行政相对人").fill(name[2:8])
    _filter(page)
    found = _rows(page)
    assert found and all(name[2:8] in row[1] or name[2:8] in row[0] for row in found)

    page.get_by_label("文书号或行政相对人").fill("")
    _filter(page)
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
    _filter(page)
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
    _follow(page, nav(page).get_by_role("link", name="红黑名单"))
    entries = _rows(page)
    assert len(entries[0]) > 1, "the demo department should have list entries"
    subject = entries[0][0]
    page.get_by_label("主体名称、代码或名单类型").fill(subject)
    _filter(page)
    assert {row[0] for row in _rows(page)} == {subject}
    page.get_by_label("主体名称、代码或名单类型").fill("不会有这样的主体名称")
    _filter(page)
    expect(page.locator("table.grid tbody")).to_contain_text("暂无")
    page.get_by_label("主体名称、代码或名单类型").fill("")
    _filter(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="导出CSV（按当前条件）").click()
    exported = _csv(download.value)
    assert exported[0][:3] == ["信用主体", "统一社会信用代码", "名单"]
    assert len(exported) - 1 == len([r for r in _rows(page) if len(r) > 1])


def test_an_editor_finds_an_article_by_words_of_its_title(staff):
    page = staff("bianji")
    _follow(page, nav(page).get_by_role("link", name="栏目文章"))
    title = page.locator("table.grid tbody tr td a").first.inner_text()
    page.get_by_label("标题包含").fill(title[:6])
    _filter(page)
    titles = page.locator("table.grid tbody tr td:first-child").all_inner_texts()
    assert titles and all(title[:6] in t for t in titles)
    page.get_by_label("标题包含").fill("没有这样的标题")
    _filter(page)
    expect(page.locator("table.grid tbody tr td a")).to_have_count(0)


def _download(page) -> list[list[str]]:
    with page.expect_download() as download:
        page.get_by_role("link", name="导出CSV（按当前条件）").click()
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith("\ufeff".encode()), "UTF-8 with a BOM, for spreadsheets"
    return _csv(download.value)


def test_an_administrator_finds_sorts_and_exports_accounts(staff):
    page = staff("admin")
    _follow(page, nav(page).get_by_role("link", name="账号管理"))
    page.get_by_label("角色").select_option(label="录入员")
    _filter(page)
    shown = _rows(page)
    assert [row[0] for row in shown] == ["luru"] and "录入员" in shown[0][3]
    page.get_by_label("角色").select_option(label="全部")
    page.get_by_label("用户名或姓名").fill("演示")
    _filter(page)
    page.get_by_role("columnheader", name="用户名").get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="用户名")).to_have_attribute("aria-sort", "descending")
    names = [row[0] for row in _rows(page)]
    assert len(names) == 6 and names == sorted(names, reverse=True)
    exported = _download(page)
    assert exported[0] == ["用户名", "姓名", "部门", "角色", "状态", "最近登录"]
    assert [r[0] for r in exported[1:]] == names


def _open_matters(page) -> list[list[str]]:
    table = page.locator("table.grid").filter(has=page.locator("caption", has_text="待办事项"))
    return [r.locator("td").all_inner_texts() for r in table.locator("tbody tr").all()]


def test_a_handler_filters_and_exports_the_queue(staff, live_server):
    from tests.test_admin_dashboard import _objection

    today = clock.today()
    with live_server.app.app_context():  # three open objections for the handler's department
        dept = busiest_department().id
        for n, days in ((1, 5), (2, -1), (3, 9)):
            item = _objection(f"YY-20261101-00000{n}", dept, today + dt.timedelta(days=days))
            item.status = ApplicationStatus.ACCEPTED if n == 3 else ApplicationStatus.SUBMITTED
            db.session.add(item)
        db.session.commit()
    page = staff("shouli")
    _follow(page, nav(page).get_by_role("link", name="受理事项"))
    everything = _open_matters(page)
    assert everything[0][1].startswith("YY-20261101-000002")  # overdue first
    number = everything[-1][1].split()[0]
    page.get_by_label("受理编号或申请人").fill(number)
    _filter(page)
    assert [row[1].split()[0] for row in _open_matters(page)] == [number]
    page.get_by_label("受理编号或申请人").fill("")
    page.get_by_label("状态").select_option(label="已提交")
    _filter(page)
    submitted = _open_matters(page)
    assert submitted and {row[2] for row in submitted} == {"已提交"}
    exported = _download(page)
    assert exported[0] == ["类别", "事项", "状态", "提交日期", "办理期限", "是否超期"]
    assert [r[1] for r in exported[1:]] == [row[1] for row in submitted]


def test_a_clerk_filters_and_exports_the_department_s_imports(staff, live_server):
    with live_server.app.app_context():
        dept = busiest_department().id
        db.session.add_all(
            [
                ImportRun(kind="penalty", file_name="=处罚2026.csv", file_sha256="a" * 64, department_id=dept),
                ImportRun(kind="license", file_name="许可2026.csv", file_sha256="b" * 64, department_id=dept),
            ]
        )
        db.session.commit()
    page = staff("luru")
    _follow(page, nav(page).get_by_role("link", name="批量导入"))
    page.get_by_label("导入类别").select_option(label="行政处罚")
    _filter(page)
    assert [row[2] for row in _rows(page)] == ["=处罚2026.csv"]
    page.get_by_label("导入类别").select_option(label="全部")
    page.get_by_label("文件名").fill("2026")
    _filter(page)
    _follow(page, page.get_by_role("columnheader", name="文件").get_by_role("link"))
    assert [row[2] for row in _rows(page)] == ["许可2026.csv", "=处罚2026.csv"]
    exported = _download(page)
    assert exported[0][:3] == ["编号", "类别", "文件"]
    assert [r[2] for r in exported[1:]] == ["许可2026.csv", "'=处罚2026.csv"]  # no formula for Excel


def test_an_administrator_finds_and_exports_api_keys(staff):
    page = staff("admin")
    _follow(page, nav(page).get_by_role("link", name="接口密钥"))
    for holder in ("甲银行股份有限公司", "乙信用服务有限公司"):
        page.get_by_label("使用单位或个人名称").fill(holder)
        page.get_by_role("button", name="签发").click()
        expect(page.locator("#issued-key")).to_be_visible()
    page.get_by_label("使用者或密钥开头").fill("银行")
    _filter(page)
    assert [row[0] for row in _rows(page)] == ["甲银行股份有限公司"]
    page.get_by_label("使用者或密钥开头").fill("")
    page.get_by_label("状态").select_option(label="有效")
    _filter(page)
    exported = _download(page)
    assert exported[0][:2] == ["使用者", "密钥开头"]
    assert sorted(r[0] for r in exported[1:]) == ["乙信用服务有限公司", "甲银行股份有限公司"]


def test_an_editor_sorts_and_exports_articles(staff):
    page = staff("bianji")
    _follow(page, nav(page).get_by_role("link", name="栏目文章"))
    page.get_by_label("栏目", exact=True).select_option(label="政策法规")
    _filter(page)
    page.get_by_role("columnheader", name="标题").get_by_role("link").click()
    page.get_by_role("columnheader", name="标题").get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="标题")).to_have_attribute("aria-sort", "ascending")
    rows = _rows(page)
    assert rows and {row[1] for row in rows} == {"政策法规"}
    exported = _download(page)
    assert exported[0][:3] == ["标题", "栏目", "状态"]
    assert [r[0] for r in exported[1:]][: len(rows)] == [row[0] for row in rows]
