"""Objections in Chromium: a company objects to a penalty it sees, the 受理员 handles each step, and the
company follows every step on /track while the public pages show the marker and then the outcome."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import (
    contact,
    handle,
    open_application,
    pdf,
    penalty_of_a_company,
    png,
    receipt,
    supply_material,
    timeline,
    track,
    tracked_status,
)

UNDER_OBJECTION = "异议处理中"


def file_objection(page, penalty, ground: str = "错误", with_file: bool = True) -> tuple[str, str]:
    """From the penalty's public page: 我要异议, the form, the receipt."""
    page.goto(f"/penalties/{penalty.id}")
    expect(page.get_by_role("table", name=penalty.doc_no)).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="我要异议").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提出异议")
    page.get_by_label("异议理由").select_option(ground)
    page.get_by_label("异议内容及事实理由").fill("公示的罚款金额与处罚决定书载明的金额不一致，请核实更正。")
    page.get_by_label("异议申请人").fill(penalty.subject_name)
    page.get_by_label("统一社会信用代码").fill(penalty.uscc)
    contact(page)
    if with_file:
        page.get_by_label("证明材料", exact=True).set_input_files([pdf("处罚决定书.pdf")])
    page.get_by_label("本人承诺所提交的异议申请和证明材料真实有效").check()
    page.get_by_role("button", name="提交异议").click()
    return receipt(page)


def marker_on_penalty_page(page, penalty):
    page.goto(f"/penalties/{penalty.id}")
    return page.locator("main .marker")


def test_material_asked_supplied_on_track_then_upheld_withdraws_the_record(new_page, staff, live_server):
    penalty = penalty_of_a_company(live_server.app)
    company = new_page()
    number, code = file_objection(company, penalty)
    expect(company.get_by_role("row", name="当前状态 已提交")).to_be_visible()
    expect(marker_on_penalty_page(company, penalty)).to_have_text(UNDER_OBJECTION)

    handler = staff("shouli")
    open_application(handler, number)
    expect(handler.get_by_role("link", name="处罚决定书.pdf")).to_be_visible()
    handle(handler, "要求补正材料", {"需要补正的材料": "请提供加盖公章的情况说明"})
    expect(handler.get_by_role("status")).to_contain_text(f"已要求补正材料：{number}")

    track(company, number, code)
    expect(tracked_status(company)).to_have_text("待补正材料")
    expect(timeline(company)).to_contain_text("请补正材料：请提供加盖公章的情况说明")
    supply_material(company, [png("情况说明.png")], note="已补充加盖公章的情况说明")
    expect(tracked_status(company)).to_have_text("已提交")
    expect(timeline(company)).to_contain_text("申请人已补正材料：已补充加盖公章的情况说明")

    handler.reload()
    expect(handler.get_by_role("link", name="情况说明.png")).to_be_visible()
    handle(handler, "受理", {"受理意见": "材料齐全，予以受理"})
    track(company, number, code)
    expect(tracked_status(company)).to_have_text("已受理")
    expect(timeline(company)).to_contain_text("材料齐全，予以受理")

    handle(handler, "提交核实结论", {"核实情况及理由": "经核实罚款金额录入错误"}, choose="异议成立，撤销公示")
    track(company, number, code)
    expect(tracked_status(company)).to_have_text("已通过")
    expect(company.get_by_role("row", name="办理结果及理由")).to_contain_text("经核实罚款金额录入错误")

    # The record is gone from the public pages.
    company.goto(f"/penalties/{penalty.id}")
    expect(company.get_by_role("heading", level=1)).to_have_text("页面未找到")
    company.goto("/search")
    live_server.sync_index()
    company.get_by_label("企业名称、统一社会信用代码、决定书文号或关键词").fill(penalty.doc_no)
    company.get_by_role("button", name="查询").click()
    expect(company.locator("#records-title")).to_contain_text("公示记录（0")


def test_refused_and_not_upheld_objections_clear_the_marker_and_keep_the_record(new_page, staff, live_server):
    penalty = penalty_of_a_company(live_server.app)
    company = new_page()
    first, first_code = file_objection(company, penalty, ground="重复公示", with_file=False)
    handler = staff("shouli")
    open_application(handler, first)
    handle(handler, "不予受理", {"不予受理理由": "该信息未重复公示"})
    expect(handler.get_by_role("status")).to_contain_text(f"已不予受理：{first}")
    track(company, first, first_code)
    expect(tracked_status(company)).to_have_text("不予受理")
    expect(company.get_by_role("row", name="办理结果及理由")).to_contain_text("该信息未重复公示")
    expect(marker_on_penalty_page(company, penalty)).to_have_count(0)

    second, second_code = file_objection(company, penalty)
    expect(marker_on_penalty_page(company, penalty)).to_have_text(UNDER_OBJECTION)
    open_application(handler, second)
    handle(handler, "受理")
    handle(handler, "提交核实结论", {"核实情况及理由": "公示内容与处罚决定书一致"}, choose="异议不成立")
    track(company, second, second_code)
    expect(tracked_status(company)).to_have_text("未通过")
    expect(company.get_by_role("row", name="办理结果及理由")).to_contain_text("公示内容与处罚决定书一致")
    expect(marker_on_penalty_page(company, penalty)).to_have_count(0)
    expect(company.get_by_role("table", name=penalty.doc_no)).to_be_visible()


def test_upheld_by_correction_closes_when_the_reviewer_approves_it(new_page, staff, live_server):
    penalty = penalty_of_a_company(live_server.app)
    company = new_page()
    number, code = file_objection(company, penalty)
    handler = staff("shouli")
    open_application(handler, number)
    handle(handler, "受理")
    handle(handler, "提交核实结论", {"核实情况及理由": "罚款金额应为0.25万元"}, choose="异议成立，更正记录")
    track(company, number, code)
    expect(tracked_status(company)).to_have_text("已核实")
    expect(marker_on_penalty_page(company, penalty)).to_have_text(UNDER_OBJECTION)

    clerk = staff("luru")
    clerk.goto(f"/admin/records/penalty/{penalty.id}")
    clerk.get_by_role("link", name="修改", exact=True).click()
    clerk.get_by_label("罚款金额(万元)").fill("0.25")
    clerk.get_by_role("button", name="保存并提交审核").click()
    expect(clerk.get_by_role("status")).to_contain_text("修改已提交审核")

    reviewer = staff("shenhe")
    reviewer.get_by_role("navigation", name="后台导航").get_by_role("link", name="待审核").click()
    reviewer.get_by_role("row", name=penalty.doc_no).get_by_role("link", name="审核").click()
    reviewer.get_by_role("button", name="修改审核通过").click()
    expect(reviewer.get_by_role("status")).to_contain_text("修改审核通过")

    track(company, number, code)
    expect(tracked_status(company)).to_have_text("已通过")
    expect(timeline(company)).to_contain_text("记录已更正")
    expect(marker_on_penalty_page(company, penalty)).to_have_count(0)
    expect(company.get_by_role("row", name="罚款金额（万元）")).to_contain_text("0.25")
