"""录入, 审核, 批量导入 and 红黑名单 in Chromium: what the 录入员 enters reaches the public only through the
审核员, and then the public pages and the search show it."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from portal import clock
from tests.browser.helpers import penalty_of_a_company
from tests.exchange_files import YINZHOU_USCC, authority_columns, penalty_row, write_csv

NEW_COMPANY = "宁波甬兴智造科技有限公司"
FACTS = "经查，当事人在生产经营场所擅自改变消防设施用途，占用疏散通道堆放货物。"


def days_ago(n: int) -> str:
    return (clock.today() - dt.timedelta(days=n)).isoformat()


def field(page, header: str):
    """The 录入 form's field labelled with a national header (required ones carry “（必填）”)."""
    return page.get_by_label(re.compile(f"^{re.escape(header)}(（必填）)?$"))


def nav(page, label: str) -> None:
    page.get_by_role("navigation", name="后台导航").get_by_role("link", name=label, exact=True).click()


def review_and_approve(reviewer, description: str, button: str = "审核通过并公示") -> None:
    """The 审核员 opens the item from the 待审核 queue and approves it."""
    nav(reviewer, "待审核")
    reviewer.get_by_role("row").filter(has_text=description).get_by_role("link", name="审核").click()
    reviewer.get_by_role("button", name=button).click()
    expect(reviewer.locator(".record-state")).to_contain_text("已公示")


def search(page, live_server, text: str) -> None:
    live_server.sync_index()
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="信用查询").click()
    page.get_by_label("企业名称、统一社会信用代码、决定书文号或关键词").fill(text)
    page.get_by_role("button", name="查询").click()


def test_entered_penalty_is_public_once_reviewed(new_page, staff, live_server):
    doc_no = "甬市监罚〔2026〕9001号"
    clerk = staff("luru")
    nav(clerk, "双公示录入")
    clerk.get_by_role("link", name="录入行政处罚").click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text("录入行政处罚")
    expect(field(clerk, "处罚机关")).not_to_have_value("")  # the clerk's department, filled in
    field(clerk, "行政相对人名称").fill(NEW_COMPANY)
    field(clerk, "行政相对人类别").select_option("法人及非法人组织")
    field(clerk, "统一社会信用代码").fill(YINZHOU_USCC)
    field(clerk, "法定代表人").fill("周立新")
    field(clerk, "行政处罚决定书文号").fill(doc_no)
    field(clerk, "违法行为类型").fill("消防设施违法")
    field(clerk, "违法事实").fill(FACTS)
    field(clerk, "处罚依据").fill("《中华人民共和国消防法》第六十条第一款")
    field(clerk, "处罚类别").fill("警告;罚款")
    field(clerk, "处罚内容").fill("警告，罚款人民币8000元")
    field(clerk, "罚款金额(万元)").fill("0.8")
    field(clerk, "处罚决定日期").fill(days_ago(3))
    field(clerk, "失信严重程度").select_option("一般")
    clerk.get_by_role("button", name="提交审核").click()
    expect(clerk.get_by_role("status").first).to_contain_text("已保存，等待审核员审核")
    expect(clerk.locator(".record-state")).to_contain_text("待审核")

    citizen = new_page()
    search(citizen, live_server, doc_no)
    expect(citizen.locator("#records-title")).to_contain_text("公示记录（0")

    reviewer = staff("shenhe")
    review_and_approve(reviewer, doc_no)

    search(citizen, live_server, doc_no)
    citizen.get_by_role("link", name=doc_no).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("行政处罚详情")
    expect(citizen.get_by_role("row", name=re.compile("^违法事实"))).to_contain_text(FACTS)
    citizen.get_by_role("link", name=NEW_COMPANY).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(NEW_COMPANY)
    expect(citizen.get_by_role("table", name=re.compile("公示期内的行政处罚信息"))).to_contain_text(doc_no)


def test_file_imported_through_the_web_is_public_once_reviewed(staff, new_page, live_server, tmp_path):
    department = penalty_of_a_company(live_server.app).department
    with live_server.app.app_context():
        from portal.demo.accounts import busiest_department

        authority = authority_columns("penalty", (department, busiest_department().uscc))
    rows = [
        penalty_row(**authority, **{"行政处罚决定书文号": f"甬市监罚〔2026〕{n}号", "处罚决定日期": days_ago(5)})
        for n in (9101, 9102, 9103)
    ]
    rows[1]["统一社会信用代码"] = "91110108551385082X"  # a wrong check character: file row 3
    upload = write_csv(tmp_path / "处罚导入.csv", "penalty", rows)

    clerk = staff("luru")
    nav(clerk, "批量导入")
    clerk.get_by_label("数据类别").select_option(label="行政处罚")
    clerk.get_by_label(re.compile("^导入文件")).set_input_files(upload)
    clerk.get_by_role("button", name="上传并预检").click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text("导入预检：处罚导入.csv")
    summary = clerk.locator(".record-state")
    expect(summary).to_contain_text("合格2")
    expect(summary).to_contain_text("不合格1")
    expect(clerk.get_by_role("row", name=re.compile("^3 统一社会信用代码"))).to_contain_text("校验位错误")
    clerk.get_by_role("button", name="确认导入").click()
    expect(clerk.get_by_role("status")).to_contain_text("导入完成", timeout=30_000)
    clerk.get_by_role("link", name="查看待审核的行政处罚").click()
    expect(clerk.get_by_role("table")).to_contain_text("甬市监罚〔2026〕9101号")
    expect(clerk.get_by_role("table")).not_to_contain_text("甬市监罚〔2026〕9102号")

    citizen = new_page()
    citizen.goto("/penalties")
    expect(citizen.get_by_role("main")).not_to_contain_text("甬市监罚〔2026〕9101号")

    review_and_approve(staff("shenhe"), "甬市监罚〔2026〕9101号")
    search(citizen, live_server, "甬市监罚〔2026〕9101号")
    citizen.get_by_role("link", name="甬市监罚〔2026〕9101号").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("行政处罚详情")
    citizen.goto("/penalties")  # newest decisions first
    expect(citizen.get_by_role("main")).to_contain_text("甬市监罚〔2026〕9101号")
    expect(citizen.get_by_role("main")).not_to_contain_text("甬市监罚〔2026〕9103号")  # still waiting for review


def test_list_entry_added_and_removed_through_review(new_page, staff, live_server):
    company = penalty_of_a_company(live_server.app)
    clerk = staff("luru")
    nav(clerk, "红黑名单")
    clerk.get_by_role("link", name="列入名单").click()
    clerk.get_by_label("统一社会信用代码（必填）").fill(company.uscc)
    clerk.get_by_label("名单类别（必填）").select_option(label="严重失信主体名单")
    clerk.get_by_label("名单类型（必填）").select_option("失信被执行人")
    expect(clerk.get_by_label("认定机关（必填）")).to_have_value(company.department)
    clerk.get_by_label("列入原因（必填）").fill("有履行能力而拒不履行生效法律文书确定的义务")
    clerk.get_by_label("认定依据（必填）").fill("《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条")
    clerk.get_by_label("列入日期（必填）").fill(days_ago(2))
    clerk.get_by_role("button", name="提交审核").click()
    expect(clerk.locator(".record-state")).to_contain_text("待审核")
    entry_url = clerk.url

    citizen = new_page()

    def black_list():
        citizen.goto("/")
        citizen.get_by_role("navigation", name="主导航").get_by_role("link", name="黑名单").click()
        return citizen.get_by_role("table")

    expect(black_list()).not_to_contain_text(company.subject_name)
    reviewer = staff("shenhe")
    review_and_approve(reviewer, company.subject_name)
    expect(black_list().get_by_role("row").filter(has_text=company.subject_name)).to_contain_text("失信被执行人")

    clerk.goto(entry_url)
    clerk.get_by_role("link", name="申请移出名单").click()
    clerk.get_by_label("移出日期（必填）").fill(clock.today().isoformat())
    clerk.get_by_label("移出原因（必填）").fill("已全部履行生效法律文书确定的义务")
    clerk.get_by_role("button", name="提交审核").click()
    expect(clerk.get_by_role("status").first).to_contain_text("移出申请已提交审核")
    expect(black_list()).to_contain_text(company.subject_name)  # listed until the removal is approved

    nav(reviewer, "待审核")
    reviewer.get_by_role("row").filter(has_text="移出申请").get_by_role("link", name="审核").click()
    reviewer.get_by_role("button", name="修改审核通过").click()
    expect(reviewer.get_by_role("status").first).to_contain_text("修改审核通过")
    expect(black_list()).not_to_contain_text(company.subject_name)
