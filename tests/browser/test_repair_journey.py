"""Credit repair in Chromium: a company applies from its penalty's page with the required materials, the
受理员 takes every step, the company follows them on /track, and the public pages follow the decision."""

from __future__ import annotations

import re

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

UNDER_REPAIR = "信用修复中"


def file_repair(page, penalty) -> tuple[str, str]:
    """From the penalty's public page: 申请信用修复, the form with its three materials, the receipt."""
    page.goto(f"/penalties/{penalty.id}")
    page.get_by_role("main").get_by_role("link", name="申请信用修复").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申请信用修复")
    expect(page.locator(".letter-text")).to_contain_text(penalty.doc_no)  # the generated repair commitment
    page.get_by_label("申请主体名称").fill(penalty.subject_name)
    page.get_by_label("统一社会信用代码", exact=True).fill(penalty.uscc)
    page.get_by_label("法定代表人（负责人）").fill(penalty.legal_rep)
    page.get_by_label("履行处罚及整改情况").fill("已按处罚决定书缴清全部罚款，完成整改并通过复查。")
    page.get_by_label("营业执照", exact=True).set_input_files([pdf("营业执照.pdf")])
    page.get_by_label("履行处罚及整改证明").set_input_files([pdf("缴款凭证.pdf"), png("整改照片.png")])
    page.get_by_label("经办人身份证明及授权委托书").set_input_files([pdf("授权委托书.pdf")])
    contact(page)
    page.get_by_label("本单位已阅读并自愿作出上述信用修复承诺").check()
    page.get_by_role("button", name="提交信用修复申请").click()
    return receipt(page)


def penalty_page(page, penalty):
    page.goto(f"/penalties/{penalty.id}")
    return page


def test_accepted_material_verified_approved_then_a_breach_restores_the_penalty(new_page, staff, live_server):
    penalty = penalty_of_a_company(live_server.app, repairable=True)
    company = new_page()
    number, code = file_repair(company, penalty)
    assert number.startswith("XF-")
    expect(penalty_page(company, penalty).locator("main .marker")).to_have_text(UNDER_REPAIR)

    handler = staff("shouli")
    open_application(handler, number)
    for name in ("营业执照.pdf", "缴款凭证.pdf", "整改照片.png", "授权委托书.pdf"):
        expect(handler.get_by_role("link", name=name)).to_be_visible()
    handle(handler, "受理")
    track(company, number, code)
    expect(tracked_status(company)).to_have_text("已受理")

    handle(handler, "要求补正材料", {"需要补正的材料": "请补充决定机关出具的整改复查意见"})
    expect(handler.get_by_role("status")).to_contain_text(f"已要求补正材料：{number}")
    track(company, number, code)
    expect(tracked_status(company)).to_have_text("待补正材料")
    expect(timeline(company)).to_contain_text("请补充决定机关出具的整改复查意见")
    supply_material(company, [pdf("整改复查意见.pdf")])
    expect(tracked_status(company)).to_have_text("已受理")  # back to the step it was asked at

    handler.reload()
    expect(handler.get_by_role("link", name="整改复查意见.pdf")).to_be_visible()
    handle(handler, "记录核实情况", {"决定机关核实情况": "已核实罚款缴纳凭证和整改复查意见，整改到位"})
    expect(handler.get_by_role("status")).to_contain_text(f"已核实：{number}")
    track(company, number, code)
    expect(tracked_status(company)).to_have_text("已核实")
    expect(timeline(company)).to_contain_text("核实情况：已核实罚款缴纳凭证和整改复查意见，整改到位")

    handle(handler, "作出决定", {"决定理由": "已履行处罚义务并完成整改"}, choose="准予信用修复")
    track(company, number, code)
    expect(tracked_status(company)).to_have_text("已通过")
    expect(company.get_by_role("row", name="办理结果及理由")).to_contain_text("已履行处罚义务并完成整改")

    # The penalty is no longer published; the repair commitment is.
    expect(penalty_page(company, penalty).get_by_role("heading", level=1)).to_have_text("页面未找到")
    company.goto("/")
    company.get_by_role("navigation", name="主导航").get_by_role("link", name="信用承诺").click()
    company.get_by_label("承诺类型").select_option("信用修复型")
    company.get_by_role("button", name="筛选").click()
    # It no longer names the repaired penalty: a repaired record leaves every public text.
    row = company.get_by_role("row").filter(has_text=penalty.subject_name).filter(has_text="信用修复型").first
    expect(row).to_be_visible()
    expect(row).not_to_contain_text(penalty.doc_no)
    row.get_by_role("link", name=penalty.subject_name).click()
    expect(company.get_by_role("heading", level=1)).to_have_text(penalty.subject_name)
    expect(company.get_by_role("table", name=re.compile("公示期内的行政处罚信息"))).not_to_contain_text(penalty.doc_no)
    commitments = company.get_by_role("table", name=re.compile("信用承诺信息"))
    expect(commitments).to_contain_text("信用修复型")
    expect(commitments).not_to_contain_text(penalty.doc_no)

    # The company breaks its repair commitment: the penalty is shown again.
    handler.get_by_role("row", name="信用修复型承诺").get_by_role("link").click()
    expect(handler.get_by_role("heading", level=1)).to_contain_text("信用承诺")
    handler.get_by_label("履行状态").select_option("全部未履行")
    handler.get_by_label("违诺责任追究内容").fill("恢复公示并纳入重点监管")
    handler.get_by_role("button", name="登记", exact=True).click()
    expect(handler.get_by_role("status")).to_contain_text("已登记履行情况")
    track(company, number, code)
    expect(timeline(company)).to_contain_text("违反信用修复承诺")
    expect(penalty_page(company, penalty).get_by_role("table", name=penalty.doc_no)).to_be_visible()


def test_refused_and_rejected_repairs_clear_the_marker_and_keep_the_penalty(new_page, staff, live_server):
    penalty = penalty_of_a_company(live_server.app, repairable=True)
    company = new_page()
    first, first_code = file_repair(company, penalty)
    handler = staff("shouli")
    open_application(handler, first)
    handle(handler, "不予受理", {"不予受理理由": "申请材料与处罚决定不对应"})
    track(company, first, first_code)
    expect(tracked_status(company)).to_have_text("不予受理")
    expect(company.get_by_role("row", name="办理结果及理由")).to_contain_text("申请材料与处罚决定不对应")
    expect(penalty_page(company, penalty).locator("main .marker")).to_have_count(0)

    second, second_code = file_repair(company, penalty)
    expect(penalty_page(company, penalty).locator("main .marker")).to_have_text(UNDER_REPAIR)
    open_application(handler, second)
    handle(handler, "受理")
    handle(handler, "作出决定", {"决定理由": "整改尚未通过复查"}, choose="不予信用修复")
    track(company, second, second_code)
    expect(tracked_status(company)).to_have_text("未通过")
    expect(company.get_by_role("row", name="办理结果及理由")).to_contain_text("整改尚未通过复查")
    page = penalty_page(company, penalty)
    expect(page.get_by_role("table", name=penalty.doc_no)).to_be_visible()
    expect(page.locator("main .marker")).to_have_count(0)
