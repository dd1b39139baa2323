"""The public pages, driven as a visitor would over imported national-format data."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal import clock
from portal.extensions import db
from portal.models import ApplicationStatus, Article, Column, PublicationState
from portal.rules.publicity import add_months
from tests import public_scenario as sc
from tests.exchange_files import PERSON


@pytest.fixture
def world(runner, app_ctx, tmp_path):
    return sc.build(runner, tmp_path)


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def detail_url(kind: str, world, doc_no: str) -> str:
    ids = world.penalties if kind == "penalties" else world.licenses
    return f"/{kind}/{ids[doc_no]}"


OBJECTION, REPAIR = '<span class="marker">异议处理中</span>', '<span class="marker">信用修复中</span>'
PAGES = [
    "/",
    "/licenses",
    "/penalties",
    "/lists/red",
    "/lists/black",
    "/lists/abnormal",
    "/commitments",
    "/repair",
    "/objection",
    "/articles",
]


def test_every_page_answers_in_chinese(client, world):
    urls = PAGES + [
        detail_url("penalties", world, sc.CURRENT),
        detail_url("licenses", world, sc.LICENSE_CURRENT),
        f"/subjects/{sc.YINZHOU_USCC}",
    ]
    for url in urls:
        html = page(client, url)
        assert '<html lang="zh-CN">' in html
        assert "信用宁波" in html and re.search(r"<h1[^>]*>[^<]*[\u4e00-\u9fff]", html), url


def test_home_puts_the_search_box_first_and_shows_latest_items(client, world):
    html = page(client, "/")
    main = html.split('<main id="main"', 1)[1]
    form = main[: main.index("</form>")]
    assert main.index("<form") < main.index("信用信息公示")
    assert 'action="/search"' in form and 'method="get"' in form
    assert 'name="q"' in form and 'name="type"' in form
    assert re.findall(r'<option value="(\w+)"', form) == ["all", "subject", "license", "penalty"]
    assert sc.YINZHOU["行政相对人名称"] in html  # latest penalties and licences
    assert "移出经营异常名录" in html and "列入失信被执行人" in html  # list changes
    assert "张三" not in html and "张*" in html


def test_penalty_detail_shows_the_national_fields_window_and_links(client, world):
    pid = world.penalties[sc.CURRENT]
    html = page(client, f"/penalties/{pid}")
    for label in (
        "行政处罚决定书文号",
        "违法行为类型",
        "违法事实",
        "处罚依据",
        "处罚类别",
        "处罚内容",
        "处罚机关统一社会信用代码",
        "数据来源单位",
        "失信严重程度",
        "公示截止",
        "可申请信用修复日期",
    ):
        assert f">{label}</th>" in html, label
    decided = clock.today() - dt.timedelta(days=30)
    assert decided.isoformat() in html and add_months(decided, 12).isoformat() in html
    assert add_months(decided, 3).isoformat() not in html  # repair opens the day after the minimum period
    assert (add_months(decided, 3) + dt.timedelta(days=1)).isoformat() in html
    assert f'href="/objections/new?record_type=penalty&amp;record_id={pid}">我要异议</a>' in html
    assert f'href="/repair/apply?penalty_id={pid}">申请信用修复</a>' in html
    person = page(client, detail_url("penalties", world, sc.PERSON_DOC))
    assert "我要异议" in person and "/repair/apply" not in person


def test_license_detail_shows_the_national_fields(client, world):
    html = page(client, detail_url("licenses", world, sc.LICENSE_OTHER))
    for label in (
        "行政许可决定文书号",
        "许可类别",
        "许可证书名称",
        "许可编号",
        "许可内容",
        "有效期自",
        "有效期至",
        "许可机关",
    ):
        assert f">{label}</th>" in html, label
    assert "排污许可证" in html and "宁波市生态环境局" in html


def test_penalty_filters_narrow_results(client, world):
    def docs(query: str) -> set[str]:
        html = page(client, "/penalties" + query)
        return {doc for doc in (sc.CURRENT, sc.OTHER, sc.PERSON_DOC) if doc in html}

    assert docs("") == {sc.CURRENT, sc.OTHER, sc.PERSON_DOC}
    assert docs("?category=警告") == {sc.CURRENT, sc.PERSON_DOC}
    assert docs("?category=罚款") == {sc.CURRENT, sc.OTHER, sc.PERSON_DOC}
    assert docs("?category=警") == set()  # whole categories only
    assert docs("?authority=生态环境") == {sc.OTHER}
    assert docs("?region=330203") == {sc.OTHER}
    assert docs("?region=330212") == {sc.CURRENT}
    assert docs(f"?date_from={sc.days_ago(40)}&date_to={sc.days_ago(20)}") == {sc.CURRENT}
    assert docs(f"?date_from={sc.days_ago(40)}&category=罚款&region=330212") == {sc.CURRENT}
    assert docs("?date_from=不是日期") == {sc.CURRENT, sc.OTHER, sc.PERSON_DOC}


def test_license_filters_narrow_results(client, world):
    def docs(query: str) -> set[str]:
        html = page(client, "/licenses" + query)
        return {doc for doc in (sc.LICENSE_CURRENT, sc.LICENSE_OTHER) if doc in html}

    assert docs("") == {sc.LICENSE_CURRENT, sc.LICENSE_OTHER}
    assert docs("?category=特许") == {sc.LICENSE_OTHER}
    assert docs("?authority=市场监督") == {sc.LICENSE_CURRENT}
    assert docs("?region=330212") == {sc.LICENSE_CURRENT}
    assert docs(f"?date_to={sc.days_ago(50)}") == {sc.LICENSE_OTHER}
    html = page(client, "/licenses?category=特许")
    assert '<option value="特许" selected>' in html


@pytest.mark.parametrize("doc_no", sc.HIDDEN)
def test_expired_withdrawn_and_repaired_penalties_never_appear(client, world, doc_no):
    pid = world.penalties[doc_no]
    for url in ("/", "/penalties", "/penalties?region=330212", f"/subjects/{sc.YINZHOU_USCC}"):
        assert doc_no not in page(client, url), url
    page(client, f"/penalties/{pid}", 404)
    response = client.get(f"/api/v1/penalties/{pid}")
    assert response.status_code == 404 and "未找到" in response.get_json()["error"]["message"]
    assert doc_no not in client.get(f"/api/v1/subjects/{sc.YINZHOU_USCC}").get_data(as_text=True)


def test_natural_persons_are_masked_everywhere(client, world):
    pid = world.penalties[sc.PERSON_DOC]
    api = client.get(f"/api/v1/penalties/{pid}")
    outputs = [page(client, url) for url in ("/", "/penalties", f"/penalties/{pid}")] + [api.get_data(as_text=True)]
    for text in outputs:
        assert "张三" not in text and PERSON["证件号码"] not in text and "13812345678" not in text
    assert "张*" in outputs[2] and "330***********0016" in outputs[2]
    data = api.get_json()
    assert data["subject"]["name"] == "张*" and data["subject_name"] == "张*"
    assert data["subject"]["ref"] == world.person.public_id


def test_markers_follow_open_objections_and_repairs(client, world):
    pid = world.penalties[sc.CURRENT]
    urls = ("/penalties", f"/penalties/{pid}", f"/subjects/{sc.YINZHOU_USCC}")
    assert all(OBJECTION not in page(client, u) and REPAIR not in page(client, u) for u in urls)

    objection = sc.open_objection("penalty", pid)
    repair = sc.open_repair(world, pid)
    for url in urls:
        html = page(client, url)
        assert OBJECTION in html and REPAIR in html, url
    assert client.get(f"/api/v1/penalties/{pid}").get_json()["markers"] == ["异议处理中", "信用修复中"]
    other = client.get(f"/api/v1/penalties/{world.penalties[sc.OTHER]}").get_json()
    assert other["markers"] == []

    sc.close(objection, ApplicationStatus.REJECTED)
    html = page(client, f"/penalties/{pid}")
    assert OBJECTION not in html and REPAIR in html
    sc.close(repair, ApplicationStatus.REFUSED)
    assert client.get(f"/api/v1/penalties/{pid}").get_json()["markers"] == []


def test_licence_and_list_entry_markers(client, world):
    lid = world.licenses[sc.LICENSE_CURRENT]
    sc.open_objection("license", lid)
    assert OBJECTION in page(client, f"/licenses/{lid}")
    assert client.get(f"/api/v1/licenses/{lid}").get_json()["markers"] == ["异议处理中"]
    entry_id = client.get(f"/api/v1/subjects/{sc.YINZHOU_USCC}").get_json()["list_entries"][0]["id"]
    assert OBJECTION not in page(client, "/lists/black")
    sc.open_objection("list_entry", entry_id)
    assert OBJECTION in page(client, "/lists/black")


def test_lists_show_current_entries_by_type(client, world):
    black = page(client, "/lists/black")
    assert "失信被执行人" in black and "拖欠农民工工资黑名单" in black
    assert black.count("<option") == 15  # 全部 + the 14 types
    only = page(client, "/lists/black?type=失信被执行人")
    assert "列入失信被执行人" in only and "列入拖欠农民工工资黑名单" not in only
    assert "A级纳税人" in page(client, "/lists/red")
    abnormal = page(client, "/lists/abnormal")
    assert "共 0 条" in abnormal  # the only entry was removed
    page(client, "/lists/grey", 404)


def test_commitments_column_shows_only_public_ones(client, world):
    html = page(client, "/commitments")
    assert "申请建筑工程施工许可容缺受理" in html and "内部承诺事项不公开" not in html
    assert "共 1 条" in page(client, "/commitments?type=容缺受理型")
    assert "共 0 条" in page(client, "/commitments?type=主动型")


def test_repair_and_objection_guides(client, app_ctx):
    repair = page(client, "/repair")
    for text in (
        "一般",
        "3个月",
        "严重",
        "1年",
        "3年",
        "3个工作日",
        "10个工作日",
        "信用修复不收取任何费用",
        "申请材料",
    ):
        assert text in repair, text
    objection = page(client, "/objection")
    for text in ("错误", "遗漏", "重复公示", "不应公示", "超期公示", "与决定机关记录不一致", "2个工作日", "10个工作日"):
        assert text in objection, text


def _article(column: Column, title: str, state=PublicationState.PUBLISHED, days: int = 1) -> Article:
    at = clock.now() - dt.timedelta(days=days)
    return Article(
        column_id=column.id,
        title=title,
        body_html="<p>正文<strong>加粗</strong></p>",
        state=state,
        publish_at=at,
        source="信用宁波",
    )


def test_articles_by_column_only_published_ones(client, app_ctx):
    columns = {c.slug: c for c in db.session.query(Column)}
    db.session.add_all(
        [
            _article(columns["news"], "信用动态新闻一", days=2),
            _article(columns["news"], "信用动态新闻二", days=1),
            _article(columns["policy"], "政策法规文件"),
            _article(columns["news"], "尚在草稿", state=PublicationState.DRAFT),
            _article(columns["news"], "定时发布明天", days=-1),
        ]
    )
    db.session.commit()
    html = page(client, "/articles")
    assert html.index("信用动态新闻二") < html.index("信用动态新闻一")
    assert "尚在草稿" not in html and "定时发布明天" not in html
    news = page(client, "/articles?column=news")
    assert "信用动态新闻一" in news and "政策法规文件" not in news
    assert 'aria-current="page">信用动态</a>' in news
    ids = {a.title: a.id for a in db.session.query(Article)}
    body = page(client, f"/articles/{ids['政策法规文件']}")
    assert "<p>正文<strong>加粗</strong></p>" in body
    page(client, f"/articles/{ids['尚在草稿']}", 404)
    page(client, f"/articles/{ids['定时发布明天']}", 404)
    assert "信用动态新闻二" in page(client, "/")


def test_pagination_keeps_filters(client, runner, app_ctx):
    result = runner.invoke(args=["portal", "seed", "--subjects", "200", "--seed", "3"])
    assert result.exit_code == 0, result.output
    first = page(client, "/licenses?category=普通")
    rows = re.findall(r'href="/licenses/(\d+)"', first)
    assert len(rows) == 20
    next_link = re.search(r'href="([^"]+)" rel="next"', first)[1]
    assert "category=%E6%99%AE%E9%80%9A" in next_link and "after=" in next_link
    second = page(client, next_link.replace("&amp;", "&"))
    assert set(re.findall(r'href="/licenses/(\d+)"', second)).isdisjoint(rows)
    assert 'rel="prev"' in second
    total = int(re.search(r"共 (\d+) 条", first)[1])
    assert total < int(re.search(r"共 (\d+) 条", page(client, "/licenses"))[1])
    last = page(client, f"/licenses?category=普通&page={-(-total // 20)}")
    assert 'rel="next"' not in last and 'rel="prev"' in last
    beyond = page(client, "/licenses?category=普通&page=99999999999999999999999")  # past the end: the last page
    assert re.findall(r'href="/licenses/(\d+)"', beyond) == re.findall(r'href="/licenses/(\d+)"', last)


def test_api_returns_presenter_dicts_and_chinese_404(client, world):
    data = client.get(f"/api/v1/licenses/{world.licenses[sc.LICENSE_OTHER]}").get_json()
    assert data["type"] == "license" and data["category"] == "特许" and data["subject"]["uscc"] == sc.HAISHU_USCC
    for url in ("/api/v1/licenses/999999", "/api/v1/penalties/999999", "/api/v1/subjects/unknown"):
        response = client.get(url)
        assert response.status_code == 404 and response.is_json
        assert re.search(r"[\u4e00-\u9fff]", response.get_json()["error"]["message"])
    assert "页面未找到" in page(client, "/no-such-page", 404)
