"""录入 -> 审核 -> 公示 of licences and penalties, through the back office as clerks and reviewers."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import clock
from portal.models import License, Penalty, PublicationState, RecordRevision
from portal.rules import uscc
from portal.rules.workdays import workdays_between
from portal.services.publication.publishing import FOUR_EYES
from tests.forms import page_form
from tests.publishing_helpers import (
    ctx,
    decide,
    decide_revision,
    detail_page,
    enter,
    history,
    load,
    new_record,
    record_form,
    search_records,
    set_up_departments,
    signed_in,
)

FACTS = "经查，当事人擅自改变消防设施用途，占用疏散通道堆放货物。"


@pytest.fixture
def depts(app):
    return set_up_departments(app)


def public_page(app, kind: str, record_id: int):
    return app.test_client().get(f"/{'penalties' if kind == 'penalty' else 'licenses'}/{record_id}")


def test_penalty_entered_reviewed_published_and_withdrawn(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    record_id = enter(clerk, "penalty", **{"违法事实": FACTS})
    penalty = load(app, Penalty, record_id)
    assert penalty.state == PublicationState.PENDING and penalty.department_id == depts["a"]
    assert penalty.created_by_id is not None and penalty.published_at is None

    public = app.test_client()
    assert public_page(app, "penalty", record_id).status_code == 404
    assert public.get(f"/api/v1/penalties/{record_id}").status_code == 404
    assert search_records(app, "擅自改变消防设施用途") == []

    assert decide(reviewer, "penalty", record_id, "approve").status_code == 302
    penalty = load(app, Penalty, record_id)
    decided_on = clock.today() - dt.timedelta(days=10)
    assert penalty.state == PublicationState.PUBLISHED and penalty.published_at is not None
    assert penalty.timeliness_workdays == workdays_between(decided_on, clock.today())
    page = public_page(app, "penalty", record_id)
    assert page.status_code == 200 and "擅自改变消防设施用途" in page.get_data(as_text=True)
    assert public.get(f"/api/v1/penalties/{record_id}").get_json()["doc_no"] == "甬市监罚〔2026〕101号"
    assert [r["id"] for r in search_records(app, "擅自改变消防设施用途")] == [record_id]

    refused = decide(reviewer, "penalty", record_id, "withdraw", reason="  ")
    assert refused.status_code == 400 and "撤销须填写原因" in refused.get_data(as_text=True)
    assert load(app, Penalty, record_id).state == PublicationState.PUBLISHED

    assert decide(reviewer, "penalty", record_id, "withdraw", reason="处罚决定已被依法撤销").status_code == 302
    penalty = load(app, Penalty, record_id)
    assert penalty.state == PublicationState.WITHDRAWN and penalty.withdrawn_reason == "处罚决定已被依法撤销"
    assert public_page(app, "penalty", record_id).status_code == 404
    assert public.get(f"/api/v1/penalties/{record_id}").status_code == 404
    assert search_records(app, "擅自改变消防设施用途") == []

    entries = history(app, "penalty", record_id)
    assert [e.action for e in entries] == ["create", "approve", "publish", "withdraw"]
    assert all(e.user_id and e.actor and e.client_addr == "127.0.0.1" and e.at for e in entries)
    create, approve, publish, withdraw = entries
    assert create.before is None and create.after["doc_no"] == "甬市监罚〔2026〕101号"
    assert create.after["state"] == "pending" and create.actor == "clerk"
    assert approve.before == {"state": "pending"} and approve.after["state"] == "published"
    assert approve.actor == "reviewer" and publish.after["timeliness_workdays"] == penalty.timeliness_workdays
    assert withdraw.before == {"state": "published"}
    assert withdraw.after == {"state": "withdrawn", "withdrawn_reason": "处罚决定已被依法撤销"}
    detail = reviewer.get(f"/admin/records/penalty/{record_id}").get_data(as_text=True)
    assert "处理记录" in detail and "撤销" in detail and "处罚决定已被依法撤销" in detail


def test_returned_record_shows_its_reason_and_is_resubmitted(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    record_id = enter(clerk, "license")
    refused = decide(reviewer, "license", record_id, "return", reason="")
    assert refused.status_code == 400 and "退回须填写原因" in refused.get_data(as_text=True)

    assert decide(reviewer, "license", record_id, "return", reason="许可编号与证书不一致").status_code == 302
    assert load(app, License, record_id).state == PublicationState.DRAFT
    listing = clerk.get("/admin/records?kind=license").get_data(as_text=True)
    assert "许可编号与证书不一致" in listing and "已退回" in listing
    assert public_page(app, "license", record_id).status_code == 404

    edit = f"/admin/records/license/{record_id}/edit"
    assert "许可编号与证书不一致" in clerk.get(edit).get_data(as_text=True)
    assert record_form(clerk, edit, {"许可编号": "JY13302120009999"}).status_code == 302
    record = load(app, License, record_id)
    assert record.state == PublicationState.PENDING and record.license_no == "JY13302120009999"
    assert record.returned_reason is None

    assert decide(reviewer, "license", record_id, "approve").status_code == 302
    assert public_page(app, "license", record_id).status_code == 200
    actions = [e.action for e in history(app, "license", record_id)]
    assert actions == ["create", "return", "update", "approve", "publish"]
    update = history(app, "license", record_id)[2]
    assert update.before["license_no"] == "JY13302120001234" and update.before["state"] == "draft"
    assert update.after["license_no"] == "JY13302120009999" and update.after["state"] == "pending"


def test_a_reviewer_may_not_approve_their_own_entry(app, depts):
    both = signed_in(app, "both")
    record_id = enter(both, "penalty")
    refused = decide(both, "penalty", record_id, "approve")
    assert refused.status_code == 409 and FOUR_EYES in refused.get_data(as_text=True)
    assert load(app, Penalty, record_id).state == PublicationState.PENDING
    assert decide(signed_in(app, "reviewer"), "penalty", record_id, "approve").status_code == 302
    assert load(app, Penalty, record_id).state == PublicationState.PUBLISHED


def test_a_clerk_cannot_review(app, depts):
    clerk = signed_in(app, "clerk")
    record_id = enter(clerk, "penalty")
    approve = page_form(signed_in(app, "reviewer"), detail_page("penalty", record_id), button="审核通过")
    assert approve.with_csrf_of(clerk, detail_page("penalty", record_id)).submit(clerk).status_code == 403
    assert clerk.get("/admin/review").status_code == 403
    assert load(app, Penalty, record_id).state == PublicationState.PENDING


def test_edit_of_a_published_record_waits_for_review(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    record_id = enter(clerk, "penalty", **{"处罚内容": "警告，罚款人民币5000元"})
    decide(reviewer, "penalty", record_id, "approve")
    edit = f"/admin/records/penalty/{record_id}/edit"
    changed = {"处罚内容": "警告，罚款人民币8000元", "罚款金额(万元)": "0.8"}
    response = record_form(clerk, edit, changed)
    assert response.status_code == 302

    page = public_page(app, "penalty", record_id).get_data(as_text=True)
    assert "罚款人民币5000元" in page and "8000" not in page
    record = load(app, Penalty, record_id)
    assert record.state == PublicationState.PUBLISHED and record.content == "警告，罚款人民币5000元"
    queue = reviewer.get("/admin/review").get_data(as_text=True)
    assert "修改已公示信息" in queue and "甬市监罚〔2026〕101号" in queue
    detail = reviewer.get(f"/admin/records/penalty/{record_id}").get_data(as_text=True)
    assert "待审核的修改" in detail and "罚款人民币8000元" in detail
    again = record_form(clerk, edit, changed)
    assert again.status_code == 400 and "已有待审核的修改" in again.get_data(as_text=True)

    with ctx(app):
        from portal.extensions import db

        revision_id = db.session.query(RecordRevision.id).filter_by(entity_id=record_id).scalar()
    approve = decide_revision(reviewer, "penalty", record_id, revision_id, "approve")
    assert approve.status_code == 302
    page = public_page(app, "penalty", record_id).get_data(as_text=True)
    assert "罚款人民币8000元" in page
    assert app.test_client().get(f"/api/v1/penalties/{record_id}").get_json()["fine_wan"] == "0.8"

    entries = history(app, "penalty", record_id)
    assert [e.action for e in entries] == ["create", "approve", "publish", "revise", "revision_approve"]
    revise, applied = entries[3], entries[4]
    assert revise.before["content"] == "警告，罚款人民币5000元" and revise.after["content"] == "警告，罚款人民币8000元"
    assert applied.before["content"] == "警告，罚款人民币5000元" and applied.after["fine_wan"] == "0.8"


def test_a_returned_edit_keeps_the_published_version(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    record_id = enter(clerk, "penalty")
    decide(reviewer, "penalty", record_id, "approve")
    record_form(clerk, f"/admin/records/penalty/{record_id}/edit", {"违法行为类型": "超范围经营"})
    with ctx(app):
        from portal.extensions import db

        revision_id = db.session.query(RecordRevision.id).filter_by(entity_id=record_id).scalar()
    detail = detail_page("penalty", record_id)
    refused = decide_revision(reviewer, "penalty", record_id, revision_id, "return", reason="")
    assert refused.status_code == 400
    returned = decide_revision(reviewer, "penalty", record_id, revision_id, "return", reason="违法行为类型与决定书不符")
    assert returned.status_code == 302
    assert load(app, Penalty, record_id).violation_type == "未取得食品经营许可从事食品经营"
    assert "违法行为类型与决定书不符" in clerk.get(detail).get_data(as_text=True)
    assert [e.action for e in history(app, "penalty", record_id)][-1] == "revision_return"


def test_another_department_gets_404(app, depts):
    record_id = enter(signed_in(app, "clerk"), "penalty")
    clerk_b, reviewer_b = signed_in(app, "clerk_b"), signed_in(app, "reviewer_b")
    assert clerk_b.get(f"/admin/records/penalty/{record_id}").status_code == 404
    assert clerk_b.get(f"/admin/records/penalty/{record_id}/edit").status_code == 404
    own_page = "/admin/records?kind=penalty"
    # The forms department A's reviewer sees, replayed by department B's reviewer with B's own token.
    reviewer = signed_in(app, "reviewer")
    for step, button in (("approve", "审核通过"), ("return", "退回录入人")):
        form = page_form(reviewer, detail_page("penalty", record_id), button=button)
        form.with_csrf_of(reviewer_b, own_page)
        if step == "return":
            form.fill(reason="x")
        assert form.submit(reviewer_b).status_code == 404, step
    decide(reviewer, "penalty", record_id, "approve")
    withdraw = page_form(reviewer, detail_page("penalty", record_id), button="撤销公示").fill(reason="x")
    assert withdraw.with_csrf_of(reviewer_b, own_page).submit(reviewer_b).status_code == 404
    assert "甬市监罚〔2026〕101号" not in reviewer_b.get("/admin/review").get_data(as_text=True)
    assert "甬市监罚〔2026〕101号" not in clerk_b.get(own_page).get_data(as_text=True)
    assert load(app, Penalty, record_id).state == PublicationState.PUBLISHED


def test_bad_input_re_renders_the_form_with_values_and_messages(app, depts):
    clerk = signed_in(app, "clerk")
    bad_code = "91110108551385082X"
    response = new_record(clerk, "penalty", **{"统一社会信用代码": bad_code, "违法事实": "当事人拒不缴纳物业费"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert uscc.validate(bad_code).errors[0] in html  # 统一社会信用代码校验位错误
    assert "不属于公共信用信息" in html  # the overreach guard of the importer
    assert bad_code in html and "宁波市鄞州区恒达建筑工程有限公司" in html and "甬市监罚〔2026〕101号" in html

    response = new_record(clerk, "penalty", **{"处罚决定日期": (clock.today() + dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 400 and "不能是将来的日期" in response.get_data(as_text=True)

    enter(clerk, "penalty")
    duplicate = new_record(clerk, "penalty")
    assert duplicate.status_code == 400 and "请勿重复录入" in duplicate.get_data(as_text=True)
