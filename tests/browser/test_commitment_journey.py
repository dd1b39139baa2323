"""Credit commitments in Chromium: a company files one online, the 受理员 handles it, the company follows it
on /track, and an accepted public commitment appears in the 信用承诺 column and the company's credit file."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import (
    contact,
    handle,
    open_application,
    pdf,
    penalty_of_a_company,
    receipt,
    supply_material,
    timeline,
    track,
    tracked_status,
)


def file_commitment(page, company, matter: str) -> tuple[str, str]:
    """From the 信用承诺 column: 在线提交信用承诺, the form with an attachment, the receipt."""
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="信用承诺").click()
    page.get_by_role("link", name="在线提交信用承诺").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("在线提交信用承诺")
    page.get_by_label("承诺类型").select_option("证明事项告知承诺")
    page.get_by_label("承诺主体名称").fill(company.subject_name)
    page.get_by_label("统一社会信用代码").fill(company.uscc)
    page.get_by_label("法定代表人（负责人）签名").fill(company.legal_rep)
    page.get_by_label("受理单位").select_option(label=company.department)
    page.get_by_label("承诺事由").fill(matter)
    page.get_by_label("公开类型").select_option("可向社会公开")
    contact(page)
    page.get_by_label("附件（可选）").set_input_files([pdf("营业执照副本.pdf")])
    page.get_by_label("本单位已阅读上述信用承诺书").check()
    page.get_by_role("button", name="提交承诺").click()
    return receipt(page)


def commitment_column(page):
    page.goto("/commitments")
    return page.get_by_role("table", name=re.compile("信用承诺列表"))


def test_accepted_commitment_is_published_and_its_fulfilment_shown(new_page, staff, live_server):
    company = penalty_of_a_company(live_server.app)
    matter = "申请办理食品经营许可证延续（告知承诺制）"
    applicant = new_page()
    number, code = file_commitment(applicant, company, matter)
    expect(applicant.get_by_role("row", name="当前状态 已提交")).to_be_visible()
    expect(commitment_column(applicant)).not_to_contain_text(matter)

    handler = staff("shouli")
    open_application(handler, number)
    expect(handler.get_by_role("link", name="营业执照副本.pdf")).to_be_visible()
    handle(handler, "受理")
    commitment_code = handler.get_by_role("row", name=re.compile("^承诺编码")).get_by_role("cell").inner_text()
    assert re.fullmatch(r"\d{6}\d{8}\d+", commitment_code), commitment_code
    track(applicant, number, code)
    expect(tracked_status(applicant)).to_have_text("已受理")

    row = commitment_column(applicant).get_by_role("row").filter(has_text=matter)
    expect(row).to_contain_text(commitment_code)
    expect(row).to_contain_text(company.department)
    row.get_by_role("link", name=company.subject_name).click()
    expect(applicant.get_by_role("table", name=re.compile("信用承诺信息"))).to_contain_text(matter)

    handler.get_by_label("履行状态").select_option("全部履行")
    handler.get_by_role("button", name="登记", exact=True).click()
    expect(handler.get_by_role("status")).to_contain_text("已登记履行情况")
    track(applicant, number, code)
    expect(timeline(applicant)).to_contain_text("登记履行状态：全部履行")
    expect(commitment_column(applicant).get_by_role("row").filter(has_text=matter)).to_contain_text("全部履行")


def test_material_supplied_then_refused_commitment_stays_unpublished(new_page, staff, live_server):
    company = penalty_of_a_company(live_server.app)
    matter = "申请办理排污许可证变更（告知承诺制）"
    applicant = new_page()
    number, code = file_commitment(applicant, company, matter)

    handler = staff("shouli")
    open_application(handler, number)
    handle(handler, "要求补正材料", {"需要补正的材料": "请补充法定代表人签字的承诺书扫描件"})
    track(applicant, number, code)
    expect(tracked_status(applicant)).to_have_text("待补正材料")
    supply_material(applicant, [pdf("签字承诺书.pdf")])
    expect(tracked_status(applicant)).to_have_text("已提交")

    handler.reload()
    expect(handler.get_by_role("link", name="签字承诺书.pdf")).to_be_visible()
    handle(handler, "不予受理", {"不予受理理由": "承诺事项不属于告知承诺制范围"})
    track(applicant, number, code)
    expect(tracked_status(applicant)).to_have_text("不予受理")
    expect(applicant.get_by_role("row", name="办理结果及理由")).to_contain_text("承诺事项不属于告知承诺制范围")
    expect(commitment_column(applicant)).not_to_contain_text(matter)
