"""Online services end to end: a company files, gets a receipt, tracks; staff act; the public record follows."""

from __future__ import annotations

import datetime as dt
import io
import os
import re

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import (
    ApplicationStatus,
    Attachment,
    AuditLog,
    Commitment,
    Objection,
    Penalty,
    PublicationState,
    RecordRevision,
    RepairApplication,
    Role,
)
from portal.rules import publicity
from portal.search import indexer
from portal.services.online import applications
from tests.admin_helpers import department, login, staff, submit_form
from tests.forms import page_form
from tests.online_helpers import (
    HTML,
    OBJECTION,
    PNG,
    REPAIR,
    add_eligible_penalty,
    pdf,
    read_receipt,
    submit,
    track,
)
from tests.public_scenario import CURRENT, HAISHU, LICENSE_CURRENT, PERSON_DOC, YINZHOU, build

UNDER_OBJECTION, UNDER_REPAIR = "异议处理中", "信用修复中"


@pytest.fixture
def world(app_ctx, runner, tmp_path):
    dept = department()  # 宁波市市场监督管理局: the deciding authority of the scenario's records
    other = department("宁波市生态环境局", "11330200685NL8DL4J")
    w = build(runner, tmp_path)
    w.dept, w.other_dept = dept, other
    w.eligible = add_eligible_penalty(runner, tmp_path)
    staff("handler", Role.HANDLER, Role.CLERK, dept=dept)
    staff("reviewer", Role.REVIEWER, dept=dept)
    staff("other_handler", Role.HANDLER, dept=other)
    return w


def _staff_client(app, username: str):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _act(client, kind: str, app_id: int, step: str, labels: dict | None = None):
    """A handler's step, filled by the labels the detail page shows next to the step's fields."""
    path = f"/admin/applications/{kind}/{app_id}"
    return page_form(client, path, action=f"{path}/{step}").fill_labels(labels or {}).submit(client)


def _searchable(client, q: str, type_: str = "penalty") -> bool:
    indexer.sync(wait=True)
    hits = client.get(f"/api/v1/search?q={q}&type={type_}").get_json()
    return any(r.get("doc_no") == q for r in hits.get("records", []))


def _objection_path(world, doc: str = CURRENT) -> str:
    return f"/objections/new?record_type=penalty&record_id={world.penalties[doc]}"


def _file_objection(client, world, doc: str = CURRENT, **changes):
    response = submit(client, _objection_path(world, doc), {**OBJECTION, **changes}, {"attachments": [pdf()]})
    return read_receipt(client, response)


# Objections ----------------------------------------------------------------------------------------


def test_objection_upheld_withdraws_the_record_everywhere(app, client, world):
    penalty_id = world.penalties[CURRENT]
    detail = client.get(f"/penalties/{penalty_id}").get_data(as_text=True)
    assert "我要异议" in detail and UNDER_OBJECTION not in detail
    assert _searchable(client, CURRENT)

    number, code, receipt = _file_objection(client, world)
    assert number.startswith(f"YY-{clock.today():%Y%m%d}-") and code and len(code) == 10
    assert "打印回执" in receipt and "查询码只显示这一次" in receipt
    # Shown once: the receipt page reloaded no longer shows the code.
    again = client.get(f"/receipts/{number}").get_data(as_text=True)
    assert code not in again and "仅在提交后显示一次" in again

    assert UNDER_OBJECTION in client.get(f"/penalties/{penalty_id}").get_data(as_text=True)
    assert UNDER_OBJECTION in client.get(f"/api/v1/penalties/{penalty_id}").get_json()["markers"]

    page = track(app.test_client(), number, code)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "已提交" in html and CURRENT in html
    objection = db.session.scalar(select(Objection).where(Objection.number == number))
    assert f"{objection.deadline}" in html  # the acceptance deadline, 2 working days on

    handler = _staff_client(app, "handler")
    queue = handler.get("/admin/queues").get_data(as_text=True)
    assert number in queue
    assert _act(handler, "objection", objection.id, "accept").status_code == 302
    db.session.expire_all()
    assert objection.status == ApplicationStatus.ACCEPTED and objection.deadline > clock.today()
    html = track(app.test_client(), number, code).get_data(as_text=True)
    assert "已受理" in html and str(objection.deadline) in html

    response = _act(
        handler,
        "objection",
        objection.id,
        "verify",
        {"异议成立，撤销公示": True, "核实情况及理由": "经核实罚款金额录入错误"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert objection.status == ApplicationStatus.APPROVED
    assert db.session.get(Penalty, penalty_id).state == PublicationState.WITHDRAWN
    html = track(app.test_client(), number, code).get_data(as_text=True)
    assert "已通过" in html and "经核实罚款金额录入错误" in html and "异议成立" in html

    assert client.get(f"/penalties/{penalty_id}").status_code == 404
    assert client.get(f"/api/v1/penalties/{penalty_id}").status_code == 404
    assert not _searchable(client, CURRENT)
    actions = set(db.session.scalars(select(AuditLog.action).where(AuditLog.entity_type == "objection")))
    assert {"objection_submit", "objection_accept", "objection_uphold"} <= actions


def test_objection_not_upheld_clears_the_marker_and_keeps_the_record(app, client, world):
    penalty_id = world.penalties[CURRENT]
    number, code, _ = _file_objection(client, world)
    objection = db.session.scalar(select(Objection).where(Objection.number == number))
    handler = _staff_client(app, "handler")
    _act(handler, "objection", objection.id, "accept")
    assert UNDER_OBJECTION in client.get(f"/penalties/{penalty_id}").get_data(as_text=True)
    # A conclusion without reasons is refused, and nothing changes.
    response = _act(handler, "objection", objection.id, "verify", {"异议不成立": True, "核实情况及理由": " "})
    assert response.status_code == 400 and "请填写核实结论和理由" in response.get_data(as_text=True)
    _act(handler, "objection", objection.id, "verify", {"异议不成立": True, "核实情况及理由": "公示内容与决定书一致"})
    page = client.get(f"/penalties/{penalty_id}").get_data(as_text=True)
    assert UNDER_OBJECTION not in page and CURRENT in page
    assert client.get(f"/api/v1/penalties/{penalty_id}").get_json()["markers"] == []
    assert _searchable(client, CURRENT)
    html = track(app.test_client(), number, code).get_data(as_text=True)
    assert "未通过" in html and "公示内容与决定书一致" in html


def test_objection_upheld_corrects_the_record_through_review(app, client, world):
    penalty_id = world.penalties[CURRENT]
    number, code, _ = _file_objection(client, world)
    objection = db.session.scalar(select(Objection).where(Objection.number == number))
    handler = _staff_client(app, "handler")
    _act(handler, "objection", objection.id, "accept")
    _act(
        handler,
        "objection",
        objection.id,
        "verify",
        {"异议成立，更正记录": True, "核实情况及理由": "罚款金额应为2万元"},
    )
    db.session.expire_all()
    assert objection.status == ApplicationStatus.VERIFIED
    # Still under objection until the correction is published.
    assert UNDER_OBJECTION in client.get(f"/penalties/{penalty_id}").get_data(as_text=True)

    edit = page_form(handler, f"/admin/records/penalty/{penalty_id}/edit", button="保存并提交审核")
    corrected = edit.fill_labels({"罚款金额(万元)": "2"}).submit(handler)
    assert corrected.status_code == 302, "the correction should be held for review"
    revision = db.session.scalar(select(RecordRevision).where(RecordRevision.entity_id == penalty_id))
    reviewer = _staff_client(app, "reviewer")
    response = submit_form(
        reviewer, f"/admin/records/penalty/{penalty_id}", action=f"/admin/review/revisions/{revision.id}/approve"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert objection.status == ApplicationStatus.APPROVED
    assert str(db.session.get(Penalty, penalty_id).fine_wan).startswith("2")
    page = client.get(f"/api/v1/penalties/{penalty_id}").get_json()
    assert page["markers"] == [] and page["fine_wan"] == "2"
    html = track(app.test_client(), number, code).get_data(as_text=True)
    assert "记录已更正" in html


def test_objection_by_a_person_is_masked_on_tracking(app, client, world):
    number, code, receipt = _file_objection(
        client,
        world,
        PERSON_DOC,
        applicant_name="张三",
        applicant_uscc="",
        contact_name="张三",
        contact_phone="13812345678",
    )
    html = track(app.test_client(), number, code).get_data(as_text=True)
    for page in (receipt, html):
        assert "张三" not in page and "13812345678" not in page
        assert "张*" in page


def test_objection_found_by_decision_number(client, world):
    response = client.get("/objections/new?record_type=license&doc_no=" + LICENSE_CURRENT)
    assert response.status_code == 302
    assert f"record_id={world.licenses[LICENSE_CURRENT]}" in response.headers["Location"]
    missing = client.get("/objections/new?record_type=penalty&doc_no=不存在的文号")
    assert missing.status_code == 404 and "未找到该条公示信息" in missing.get_data(as_text=True)


# Repair ----------------------------------------------------------------------------------------------


def _repair_files() -> dict:
    return {
        "licence": [pdf("营业执照.pdf")],
        "proof": [pdf("缴款凭证.pdf"), (io.BytesIO(PNG), "整改.png")],
        "identity": [pdf("授权委托书.pdf")],
    }


def _file_repair(client, penalty_id: int, **changes):
    return submit(client, f"/repair/apply?penalty_id={penalty_id}", {**REPAIR, **changes}, _repair_files())


def test_repair_approved_ends_publication_and_breach_restores_it(app, client, world):
    penalty_id = world.eligible
    assert "申请信用修复" in client.get(f"/penalties/{penalty_id}").get_data(as_text=True)
    form = client.get(f"/repair/apply?penalty_id={penalty_id}").get_data(as_text=True)
    assert "信用修复承诺书" in form and "按最长公示期限予以公示" in form
    number, code, _ = read_receipt(client, _file_repair(client, penalty_id))
    assert number.startswith("XF-")
    repair = db.session.scalar(select(RepairApplication).where(RepairApplication.number == number))
    commitment = db.session.get(Commitment, repair.commitment_id)
    assert commitment.type.value == "信用修复型" and commitment.penalty_id == penalty_id
    assert UNDER_REPAIR in client.get(f"/penalties/{penalty_id}").get_data(as_text=True)

    handler = _staff_client(app, "handler")
    detail = handler.get(f"/admin/applications/repair/{repair.id}").get_data(as_text=True)
    assert "营业执照.pdf" in detail and "整改.png" in detail
    _act(handler, "repair", repair.id, "accept")
    verified = _act(handler, "repair", repair.id, "verify", {"决定机关核实情况": "已核实罚款缴纳凭证，整改到位"})
    assert verified.status_code == 302
    assert UNDER_REPAIR in client.get(f"/penalties/{penalty_id}").get_data(as_text=True)
    decided = _act(
        handler, "repair", repair.id, "decide", {"准予信用修复": True, "决定理由": "已履行处罚义务并完成整改"}
    )
    assert decided.status_code == 302

    db.session.expire_all()
    assert db.session.get(Penalty, penalty_id).state == PublicationState.REPAIRED
    html = track(app.test_client(), number, code).get_data(as_text=True)
    for step in ("已提交", "已受理", "已核实", "已核实罚款缴纳凭证，整改到位", "已通过", "已履行处罚义务并完成整改"):
        assert step in html
    assert client.get(f"/penalties/{penalty_id}").status_code == 404
    assert client.get(f"/api/v1/penalties/{penalty_id}").status_code == 404
    assert not _searchable(client, "甬市监罚〔2026〕31号")
    # The accepted 信用修复型 commitment is public on the commitments column and the credit file.
    assert commitment.code and "信用修复型" in client.get("/commitments?type=信用修复型").get_data(as_text=True)
    credit = client.get(f"/api/v1/subjects/{YINZHOU['统一社会信用代码']}").get_json()
    assert any(c["code"] == commitment.code for c in credit["commitments"])

    # Breach of the repair commitment: the penalty is shown again until its maximum period.
    response = _act(
        handler,
        "commitment",
        commitment.id,
        "fulfilment",
        {"履行状态": "全部未履行", "违诺责任追究内容": "恢复公示并纳入重点监管"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    penalty = db.session.get(Penalty, penalty_id)
    assert penalty.state == PublicationState.PUBLISHED
    assert penalty.display_until == publicity.maximum_display_until(penalty.severity, penalty.decided_on)
    assert client.get(f"/api/v1/penalties/{penalty_id}").status_code == 200
    assert _searchable(client, "甬市监罚〔2026〕31号")
    assert "违反信用修复承诺" in track(app.test_client(), number, code).get_data(as_text=True)


def test_repair_refused_before_the_minimum_period(client, world):
    penalty_id = world.penalties[CURRENT]  # decided 30 days ago, 一般: 3 months minimum
    penalty = db.session.get(Penalty, penalty_id)
    page = client.get(f"/repair/apply?penalty_id={penalty_id}").get_data(as_text=True)
    expected = f"{penalty.repair_from.year}年{penalty.repair_from.month}月{penalty.repair_from.day}日"
    assert "最短公示期尚未届满" in page and expected in page and 'type="submit"' not in page
    # A post made anyway (the form is not offered: the one of another penalty, aimed at this one) is refused too.
    form = page_form(client, f"/repair/apply?penalty_id={world.eligible}").fill(**REPAIR, **_repair_files())
    response = form.aimed_at(f"/repair/apply?penalty_id={penalty_id}").submit(client)
    assert response.status_code == 400 and "最短公示期尚未届满" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(RepairApplication)) == 0


def test_repair_only_for_the_penalised_organisation(client, world):
    penalty_id = world.penalties[PERSON_DOC]
    page = client.get(f"/repair/apply?penalty_id={penalty_id}").get_data(as_text=True)
    assert "仅适用于法人和非法人组织" in page
    response = _file_repair(
        client, world.eligible, applicant_uscc=HAISHU["统一社会信用代码"], applicant_name=HAISHU["行政相对人名称"]
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "只能由被处罚主体本身申请" in html
    assert "已于2026年8月缴清全部罚款" in html  # what was typed is still there
    assert "重新选择附件" in html
    assert db.session.scalar(select(func.count()).select_from(RepairApplication)) == 0


def test_repair_refused_by_staff_clears_the_marker(app, client, world):
    number, code, _ = read_receipt(client, _file_repair(client, world.eligible))
    repair = db.session.scalar(select(RepairApplication).where(RepairApplication.number == number))
    handler = _staff_client(app, "handler")
    asked = _act(handler, "repair", repair.id, "request_material", {"需要补正的材料": "请补充整改报告"})
    assert asked.status_code == 302
    html = track(app.test_client(), number, code).get_data(as_text=True)
    assert "待补正材料" in html and "请补充整改报告" in html
    _act(handler, "repair", repair.id, "refuse", {"不予受理理由": "逾期未补正材料"})
    page = client.get(f"/penalties/{world.eligible}").get_data(as_text=True)
    assert UNDER_REPAIR not in page and "甬市监罚〔2026〕31号" in page
    assert "不予受理" in track(app.test_client(), number, code).get_data(as_text=True)


def test_applicant_supplements_material_through_tracking(app, client, world):
    number, code, _ = _file_objection(client, world)
    objection = db.session.scalar(select(Objection).where(Objection.number == number))
    handler = _staff_client(app, "handler")
    asked = _act(handler, "objection", objection.id, "request_material", {"需要补正的材料": "请提供处罚决定书扫描件"})
    assert asked.status_code == 302
    db.session.expire_all()
    assert objection.status == ApplicationStatus.MORE_MATERIAL
    assert objection.deadline is None  # the clock stops
    applicant = app.test_client()
    html = track(applicant, number, code).get_data(as_text=True)
    assert "待补正材料" in html and "请提供处罚决定书扫描件" in html

    def supplement_form():
        return page_form(applicant, "/track", html=html, action="/track/supplement")

    response = (
        supplement_form().fill_labels({"补正材料": [pdf("决定书.pdf")], "补正说明": "补充决定书"}).submit(applicant)
    )
    assert response.status_code == 200 and "补正材料已提交" in response.get_data(as_text=True)
    db.session.expire_all()
    assert objection.status == ApplicationStatus.SUBMITTED and objection.deadline >= clock.today()
    assert "申请人已补正材料：补充决定书" in track(app.test_client(), number, code).get_data(as_text=True)
    # Someone who has not tracked the number with its code cannot add files, even with the form.
    stranger = app.test_client()
    refused = supplement_form().fill_labels({"补正材料": [pdf()]}).with_csrf_of(stranger, "/track").submit(stranger)
    assert refused.status_code == 403


# Commitments -------------------------------------------------------------------------------------------

COMMITMENT = {
    "type": "证明事项告知承诺",
    "committer_name": HAISHU["行政相对人名称"],
    "uscc": HAISHU["统一社会信用代码"],
    "matter": "申请办理排污许可证延续（告知承诺制）",
    "disclosure": "可向社会公开",
    "signer": "陈立",
    "contact_name": "陈立",
    "contact_phone": "0574-87654321",
    "consent": "y",
}


def test_commitment_filed_accepted_published_and_fulfilled(app, client, world):
    form = client.get("/commitments/new").get_data(as_text=True)
    assert "信用承诺书" in form and "自愿接受行政主管部门和社会公众的监督" in form
    data = {**COMMITMENT, "department_id": str(world.other_dept.id)}
    # An existing subject's name must match its USCC; what was typed comes back.
    wrong = submit(client, "/commitments/new", {**data, "committer_name": "宁波别的公司"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and "名称与该统一社会信用代码登记的主体名称不一致" in html
    assert "申请办理排污许可证延续" in html and "0574-87654321" in html
    bad_code = submit(client, "/commitments/new", {**data, "uscc": "91330203L1XLFYU280"})
    assert bad_code.status_code == 400 and "校验位错误" in bad_code.get_data(as_text=True)
    no_consent = submit(client, "/commitments/new", {k: v for k, v in data.items() if k != "consent"})
    assert "请阅读承诺书并勾选同意" in no_consent.get_data(as_text=True)
    repair_type = submit(client, "/commitments/new", {**data, "type": "信用修复型"})
    assert "随信用修复申请一并提交" in repair_type.get_data(as_text=True)
    past = submit(client, "/commitments/new", {**data, "valid_until": "2020-01-01"})
    assert "承诺有效期不能早于今天" in past.get_data(as_text=True)
    bad_date = submit(client, "/commitments/new", {**data, "valid_until": "2026-13-01"})
    assert "不是有效的日期值" in bad_date.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Commitment).where(Commitment.number.like("CN-2%"))) == 0

    number, code, _ = read_receipt(client, submit(client, "/commitments/new", data, {"attachments": [pdf()]}))
    commitment = db.session.scalar(select(Commitment).where(Commitment.number == number))
    assert "证明事项告知承诺" in commitment.letter_text and commitment.department_id == world.other_dept.id
    assert "申请办理排污许可证延续" not in client.get("/commitments").get_data(as_text=True)

    # Only the acceptor's handlers see it.
    assert _staff_client(app, "handler").get(f"/admin/applications/commitment/{commitment.id}").status_code == 404
    handler = _staff_client(app, "other_handler")
    _act(handler, "commitment", commitment.id, "accept")
    db.session.expire_all()
    assert commitment.code.startswith(f"330200{clock.today():%Y%m%d}")
    column = client.get("/commitments").get_data(as_text=True)
    assert "申请办理排污许可证延续" in column and commitment.code in column
    credit = client.get(f"/api/v1/subjects/{HAISHU['统一社会信用代码']}").get_json()
    assert any(c["code"] == commitment.code for c in credit["commitments"])
    # Breach needs the action taken; then the fulfilment shows publicly.
    assert _act(handler, "commitment", commitment.id, "fulfilment", {"履行状态": "部分履行"}).status_code == 400
    breach = {"履行状态": "部分履行", "违诺责任追究内容": "约谈并限期整改"}
    assert _act(handler, "commitment", commitment.id, "fulfilment", breach).status_code == 302
    credit = client.get(f"/api/v1/subjects/{HAISHU['统一社会信用代码']}").get_json()
    assert [c["fulfilment"] for c in credit["commitments"] if c["code"] == commitment.code] == ["部分履行"]
    assert "登记履行状态：部分履行" in track(app.test_client(), number, code).get_data(as_text=True)


# Attachments, tokens, codes ------------------------------------------------------------------------------


def test_pdf_named_html_is_refused_and_nothing_is_kept(client, world, app):
    response = submit(client, _objection_path(world), OBJECTION, {"attachments": [pdf("决定书.pdf", HTML)]})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "文件内容不是允许的类型" in html
    assert "公示的罚款金额与处罚决定书载明的金额不一致" in html and "重新选择附件" in html
    assert db.session.scalar(select(func.count()).select_from(Objection)) == 0
    uploads = app.config["PORTAL_UPLOAD_DIR"]
    assert not os.path.isdir(uploads) or not [f for f in os.listdir(uploads) if not f.startswith(".")]


def test_eleven_megabytes_refused(client, world):
    big = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)
    response = submit(client, _objection_path(world), OBJECTION, {"attachments": [pdf("大文件.pdf", big)]})
    assert response.status_code == 400 and "文件超过10MB" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Objection)) == 0


def test_six_files_refused(client, world):
    response = submit(client, _objection_path(world), OBJECTION, {"attachments": [pdf(f"{i}.pdf") for i in range(6)]})
    assert response.status_code == 400 and "每次最多上传5个文件" in response.get_data(as_text=True)


def test_attachments_only_for_the_handling_department(app, client, world):
    number, _, _ = _file_objection(client, world)
    objection = db.session.scalar(select(Objection).where(Objection.number == number))
    attachment = db.session.scalar(
        select(Attachment).where(Attachment.owner_kind == "objection", Attachment.owner_id == objection.id)
    )
    url = f"/admin/attachments/{attachment.id}"
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and "/admin/login" in anonymous.headers["Location"]
    assert _staff_client(app, "other_handler").get(url).status_code == 404
    own = _staff_client(app, "handler").get(url)
    assert (
        own.status_code == 200 and own.data.startswith(b"%PDF-") and "attachment" in own.headers["Content-Disposition"]
    )
    # Nothing under static/ or any public route serves it.
    assert client.get(f"/static/{attachment.stored_name}").status_code == 404
    assert client.get(f"/media/{attachment.stored_name}").status_code == 404


def test_wrong_query_code_says_nothing_about_the_number(app, client, world):
    number, code, _ = _file_objection(client, world)
    wrong = track(app.test_client(), number, "ABCDEFGHJK")
    unknown = track(app.test_client(), "YY-20200101-000001", "ABCDEFGHJK")
    assert wrong.status_code == unknown.status_code == 404

    def page(response, typed: str) -> str:
        # Without what the visitor typed and the per-session CSRF token, the two pages are the same.
        return re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True).replace(typed, ""))

    assert page(wrong, number) == page(unknown, "YY-20200101-000001")
    assert "受理编号或查询码不正确" in wrong.get_data(as_text=True)
    assert track(app.test_client(), number.lower(), code.lower()).status_code == 200


def test_receipt_only_in_the_browser_that_filed(app, client, world):
    number, _, _ = _file_objection(client, world)
    assert app.test_client().get(f"/receipts/{number}").status_code == 404


def test_double_submit_creates_one_submission(app, client, world):
    path = _objection_path(world)
    form = page_form(client, path)
    first = submit(client, path, OBJECTION, {"attachments": [pdf()]}, form=form)
    second = submit(client, path, OBJECTION, {"attachments": [pdf()]}, form=form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Objection)) == 1
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
    # The code shown after the second post is the same one: tracking works with it.
    number, code, _ = read_receipt(client, second)
    assert track(app.test_client(), number, code).status_code == 200


def test_post_without_csrf_token_is_refused(client, world):
    form = page_form(client, _objection_path(world)).fill(**OBJECTION, attachments=[pdf()])
    response = form.without("csrf_token").submit(client)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Objection)) == 0


def test_staff_steps_need_the_handler_role_and_the_right_state(app, client, world):
    number, _, _ = _file_objection(client, world)
    objection = db.session.scalar(select(Objection).where(Objection.number == number))
    reviewer = _staff_client(app, "reviewer")
    assert reviewer.get(f"/admin/applications/objection/{objection.id}").status_code == 403
    handler = _staff_client(app, "handler")
    path = f"/admin/applications/objection/{objection.id}"
    assert "提交核实结论" not in handler.get(path).get_data(as_text=True)  # not offered before acceptance
    # Verification before acceptance is not a step the rules allow: the verify form of an accepted
    # objection, aimed at this one, is refused.
    other_number, _, _ = _file_objection(client, world)
    other = db.session.scalar(select(Objection).where(Objection.number == other_number))
    _act(handler, "objection", other.id, "accept")
    verify = page_form(handler, f"/admin/applications/objection/{other.id}", button="提交核实结论")
    verify.fill_labels({"异议成立，撤销公示": True, "核实情况及理由": "x"}).aimed_at(f"{path}/verify")
    response = verify.submit(handler)
    assert response.status_code == 400 and "不能核实" in response.get_data(as_text=True)
    assert _act(handler, "objection", objection.id, "refuse", {"不予受理理由": ""}).status_code == 400
    db.session.expire_all()
    assert objection.status == ApplicationStatus.SUBMITTED


def test_overdue_submissions_come_first_in_the_queue(app, world):
    today = clock.today()
    old_day = today - dt.timedelta(days=20)
    fresh = Objection(
        record_type="penalty",
        record_id=world.penalties[CURRENT],
        ground="错误",
        description="新提交的异议",
        applicant_name="宁波恒达建筑工程有限公司",
        department_id=world.dept.id,
        contact_name="王建国",
        contact_phone="13912345678",
    )
    old = Objection(
        record_type="penalty",
        record_id=world.penalties[CURRENT],
        ground="遗漏",
        description="很早提交的异议",
        applicant_name="宁波恒达建筑工程有限公司",
        department_id=world.dept.id,
        contact_name="王建国",
        contact_phone="13912345678",
    )
    applications.register("objection", fresh, "fresh-token")
    applications.register("objection", old, "old-token", on=old_day)
    db.session.commit()
    assert old.deadline < today <= fresh.deadline
    html = _staff_client(app, "handler").get("/admin/queues").get_data(as_text=True)
    assert html.index(old.number) < html.index(fresh.number)
    row = html[html.index(old.number) : html.index(fresh.number)]
    assert "已超期" in row
    assert "已超期" not in html[html.index(fresh.number) :]


def test_objection_to_a_list_entry_marks_it_on_the_credit_file(app, client, world):
    from portal.models import ListEntry

    entry = db.session.scalar(select(ListEntry).where(ListEntry.subject_id == world.yinzhou.id).order_by(ListEntry.id))
    path = f"/subjects/{YINZHOU['统一社会信用代码']}"
    page = client.get(path).get_data(as_text=True)
    links = [h.replace("&amp;", "&") for h in re.findall(r'href="(/objections/new\?[^"]+)"', page)]
    link = next(h for h in links if "record_type=list_entry" in h and f"record_id={entry.id}" in h)
    marker = f'<span class="marker">{UNDER_OBJECTION}</span>'
    assert marker not in page
    read_receipt(client, submit(client, link, OBJECTION))
    assert marker in client.get(path).get_data(as_text=True)
    markers = [e["markers"] for e in client.get(f"/api/v1{path}").get_json()["list_entries"] if e["id"] == entry.id]
    assert markers == [[UNDER_OBJECTION]]
    # Unknown or unpublished records cannot be objected to.
    assert client.get("/objections/new?record_type=list_entry&record_id=99999").status_code == 404
    unknown = client.get("/objections/new?record_type=secret&record_id=1")
    assert unknown.status_code == 404 and "按决定文书号" not in unknown.get_data(as_text=True)
    assert "决定文书号" in unknown.get_data(as_text=True)  # the lookup form instead


def test_the_same_form_posted_twice_at_once_creates_one_submission(app, world):
    import threading

    path = _objection_path(world)
    clients = [app.test_client(), app.test_client()]
    forms = [page_form(c, path) for c in clients]
    token = forms[0].field("token").value
    barrier, results = threading.Barrier(2), [None, None]

    def post(i: int) -> None:
        with app.app_context():
            barrier.wait()
            results[i] = submit(
                clients[i], path, {**OBJECTION, "token": token}, {"attachments": [pdf()]}, form=forms[i]
            )
            db.session.remove()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [r.status_code for r in results] == [303, 303]
    assert results[0].headers["Location"] == results[1].headers["Location"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Objection)) == 1
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
    stored = [f for f in os.listdir(app.config["PORTAL_UPLOAD_DIR"]) if not f.startswith(".")]
    assert len(stored) == 1  # the losing post's file is gone too


def test_receipt_numbers_count_up_per_kind_and_day(app, client, world):
    first, _, _ = _file_objection(client, world)
    second, _, _ = _file_objection(client, world)
    assert int(second[-6:]) == int(first[-6:]) + 1 and first[:12] == second[:12]
    number, _, _ = read_receipt(client, _file_repair(client, world.eligible))
    assert number.endswith("-000001")  # repairs have their own sequence
