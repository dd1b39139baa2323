"""Red, serious-dishonesty and abnormal lists: listing and removal, both reviewed, per department."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ListEntry, ListKind, PublicationState, RecordRevision
from tests.admin_helpers import submit_form
from tests.exchange_files import COMPANY_USCC
from tests.forms import page_form
from tests.publishing_helpers import (
    add_subject,
    ctx,
    days_ago,
    decide,
    decide_revision,
    detail_page,
    history,
    load,
    set_up_departments,
    signed_in,
)

COMPANY = "宁波市鄞州区恒达建筑工程有限公司"


@pytest.fixture
def depts(app):
    ids = set_up_departments(app)
    add_subject(app)
    return ids


def listing(**overrides) -> dict:
    data = {
        "subject_uscc": COMPANY_USCC,
        "kind": "black",
        "list_type": "失信被执行人",
        "authority": "宁波市中级人民法院",
        "authority_uscc": "",
        "reason": "有履行能力而拒不履行生效法律文书确定的义务",
        "basis": "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条",
        "listed_on": days_ago(5),
        "planned_end": "",
    }
    data.update(overrides)
    return data


def list_form(client, **overrides):
    return submit_form(client, "/admin/lists/new", listing(**overrides), button="提交审核")


def remove(client, entry_id: int, **values):
    return submit_form(client, f"/admin/lists/{entry_id}/remove", values, button="提交审核")


def add(client, **overrides) -> int:
    response = list_form(client, **overrides)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/(\d+)$", response.headers["Location"]).group(1))


def on_public_list(app, kind: str = "black") -> bool:
    return COMPANY in app.test_client().get(f"/lists/{kind}").get_data(as_text=True)


def revision_id(app, entry_id: int) -> int:
    with ctx(app):
        return db.session.scalar(select(RecordRevision.id).where(RecordRevision.entity_id == entry_id))


def test_listing_and_removal_are_both_reviewed(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    entry_id = add(clerk)
    entry = load(app, ListEntry, entry_id)
    assert entry.state == PublicationState.PENDING and entry.kind == ListKind.BLACK
    assert entry.department_id == depts["a"]
    assert not on_public_list(app)
    assert "失信被执行人" in reviewer.get("/admin/review").get_data(as_text=True)

    assert decide(reviewer, "list_entry", entry_id, "approve").status_code == 302
    assert on_public_list(app)

    refused = remove(clerk, entry_id, removed_on=days_ago(1), removal_reason="")
    assert refused.status_code == 400 and "“移出原因”为必填项" in refused.get_data(as_text=True)
    early = remove(clerk, entry_id, removed_on=days_ago(30), removal_reason="已履行")
    assert early.status_code == 400 and "移出日期不能早于列入日期" in early.get_data(as_text=True)
    assert remove(clerk, entry_id, removed_on=days_ago(1), removal_reason="已全部履行").status_code == 302
    assert on_public_list(app)  # still listed until the removal is approved
    assert load(app, ListEntry, entry_id).removed_on is None
    assert "移出申请" in reviewer.get("/admin/review").get_data(as_text=True)

    approved = decide_revision(reviewer, "list_entry", entry_id, revision_id(app, entry_id), "approve")
    assert approved.status_code == 302
    entry = load(app, ListEntry, entry_id)
    assert entry.removed_on.isoformat() == days_ago(1) and entry.removal_reason == "已全部履行"
    assert not on_public_list(app)

    entries = history(app, "list_entry", entry_id)
    assert [e.action for e in entries] == ["create", "approve", "publish", "removal_request", "revision_approve"]
    assert entries[0].after["list_type"] == "失信被执行人" and entries[0].after["state"] == "pending"
    assert entries[3].before == {"removed_on": None, "removal_reason": None}
    assert entries[3].after["removal_reason"] == "已全部履行"
    assert entries[4].after["removed_on"] == days_ago(1)
    assert all(e.client_addr == "127.0.0.1" and e.user_id for e in entries)


def test_listing_needs_a_known_subject_and_a_type_of_the_list(app, depts):
    clerk = signed_in(app, "clerk")
    unknown = list_form(clerk, subject_uscc="91330212GQ9L4EA00A")
    html = unknown.get_data(as_text=True)
    assert unknown.status_code == 400 and "系统中没有统一社会信用代码为91330212GQ9L4EA00A的信用主体" in html
    assert "有履行能力而拒不履行" in html  # typed values kept
    wrong_type = list_form(clerk, kind="red")
    assert wrong_type.status_code == 400 and "不属于红名单" in wrong_type.get_data(as_text=True)
    missing = list_form(clerk, reason="", listed_on="")
    assert "“列入原因”为必填项" in missing.get_data(as_text=True)
    assert "“列入日期”为必填项" in missing.get_data(as_text=True)
    add(clerk)
    twice = list_form(clerk)
    assert twice.status_code == 400 and "请勿重复列入" in twice.get_data(as_text=True)


def test_a_returned_listing_is_corrected_and_a_returned_removal_keeps_the_entry(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    entry_id = add(clerk, kind="red", list_type="A级纳税人", reason="纳税信用评价为A级", basis="纳税信用管理办法")
    assert decide(reviewer, "list_entry", entry_id, "return", reason="请附认定文书编号").status_code == 302
    assert "请附认定文书编号" in clerk.get("/admin/lists").get_data(as_text=True)
    corrected = listing(kind="red", list_type="A级纳税人", reason="纳税信用评价为A级", basis="甬税信〔2026〕3号")
    assert submit_form(clerk, f"/admin/lists/{entry_id}/edit", corrected, button="提交审核").status_code == 302
    assert load(app, ListEntry, entry_id).state == PublicationState.PENDING
    decide(reviewer, "list_entry", entry_id, "approve")
    assert on_public_list(app, "red")

    remove(clerk, entry_id, removed_on=days_ago(0), removal_reason="评级调整")
    returned = decide_revision(
        reviewer, "list_entry", entry_id, revision_id(app, entry_id), "return", reason="未见评级调整文书"
    )
    assert returned.status_code == 302
    assert load(app, ListEntry, entry_id).removed_on is None and on_public_list(app, "red")


def test_another_department_gets_404(app, depts):
    entry_id = add(signed_in(app, "clerk"))
    clerk_b, reviewer_b = signed_in(app, "clerk_b"), signed_in(app, "reviewer_b")
    assert clerk_b.get(f"/admin/lists/{entry_id}").status_code == 404
    assert clerk_b.get(f"/admin/lists/{entry_id}/remove").status_code == 404
    assert clerk_b.get(f"/admin/lists/{entry_id}/edit").status_code == 404
    # The forms department A's reviewer sees, replayed by department B's reviewer with B's own token.
    reviewer = signed_in(app, "reviewer")
    for button in ("审核通过", "退回录入人"):
        form = page_form(reviewer, detail_page("list_entry", entry_id), button=button)
        if button == "退回录入人":
            form.fill(reason="x")
        assert form.with_csrf_of(reviewer_b, "/admin/lists").submit(reviewer_b).status_code == 404, button
    assert COMPANY not in reviewer_b.get("/admin/lists").get_data(as_text=True)
    assert load(app, ListEntry, entry_id).state == PublicationState.PENDING
