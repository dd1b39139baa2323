"""项目/设施: 录入 -> 审核 through the back office's forms, records attached to projects (form and
import column), what the public sees, and the listing with its export."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.importer.loader import ImportOptions, import_file
from portal.models import AuditLog, Penalty, Project, PublicationState, StaffUser
from portal.services.core.workflow import Rejected
from portal.services.publication import projects
from portal.services.publication.publishing import FOUR_EYES
from tests.exchange_files import COMPANY_USCC, YINZHOU_USCC, penalty_row, write_csv
from tests.forms import page_form
from tests.publishing_helpers import (
    add_subject,
    ctx,
    days_ago,
    history,
    load,
    row_values,
    set_up_departments,
    signed_in,
)

FORM = {
    "企业统一社会信用代码": COMPANY_USCC,
    "项目/设施名称": "鄞州区东湖住宅小区工程",
    "类型": "工程项目",
    "所属行业": "建筑施工",
    "所在区县": "鄞州区",
    "地址": "鄞州区东湖路8号",
    "开始日期": days_ago(200),
}


@pytest.fixture
def depts(app):
    found = set_up_departments(app)
    add_subject(app)
    return found


def new_project(client, **labels):
    return page_form(client, "/admin/projects/new", button="提交审核").fill_labels({**FORM, **labels}).submit(client)


def enter(client, **labels) -> int:
    response = new_project(client, **labels)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/projects/(\d+)$", response.headers["Location"]).group(1))


def decide(client, project_id: int, step: str, reason: str | None = None):
    data = {} if reason is None else {"reason": reason}
    page = page_form(client, f"/admin/projects/{project_id}", action=f"/admin/projects/{project_id}/{step}")
    return page.fill(**data).submit(client)


def approved(app, clerk, reviewer, **labels) -> Project:
    project_id = enter(clerk, **labels)
    assert decide(reviewer, project_id, "approve").status_code == 302
    return load(app, Project, project_id)


def test_a_project_is_entered_reviewed_and_then_shown_in_the_credit_file(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    project_id = enter(clerk)
    project = load(app, Project, project_id)
    assert project.state == PublicationState.PENDING and project.department_id == depts["a"]
    assert re.fullmatch(r"XM\d{4}\d{6}", project.code) and project.district == "330212"

    public = app.test_client()
    assert "鄞州区东湖住宅小区工程" not in public.get(f"/subjects/{COMPANY_USCC}").get_data(as_text=True)
    queue = reviewer.get("/admin/review").get_data(as_text=True)
    assert "项目/设施" in queue and project.code in queue

    assert decide(reviewer, project_id, "approve").status_code == 302
    project = load(app, Project, project_id)
    assert project.state == PublicationState.PUBLISHED and project.published_at is not None
    page = public.get(f"/subjects/{COMPANY_USCC}").get_data(as_text=True)
    assert "鄞州区东湖住宅小区工程" in page and project.code in page and "工程项目" in page
    assert "东湖路8号" not in page  # the file lists name, kind, industry, district and dates only
    data = public.get(f"/api/v1/subjects/{COMPANY_USCC}").get_json()
    assert [p["code"] for p in data["projects"]] == [project.code]
    assert [e.action for e in history(app, "project", project_id)] == ["create", "approve"]
    assert project.code not in reviewer.get("/admin/review").get_data(as_text=True)


def test_the_clerk_who_entered_a_project_cannot_approve_it(app, depts):
    both = signed_in(app, "both")
    project_id = enter(both)
    response = decide(both, project_id, "approve")
    assert response.status_code == 409 and FOUR_EYES in response.get_data(as_text=True)
    assert load(app, Project, project_id).state == PublicationState.PENDING
    assert signed_in(app, "clerk").post(f"/admin/projects/{project_id}/approve").status_code in (400, 403)


def test_returned_project_is_corrected_and_goes_back_to_review(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    project_id = enter(clerk)
    assert decide(reviewer, project_id, "return", "地址不完整").status_code == 302
    project = load(app, Project, project_id)
    assert project.state == PublicationState.DRAFT and project.returned_reason == "地址不完整"

    form = page_form(clerk, f"/admin/projects/{project_id}/edit", button="保存并提交审核")
    assert form.field("name").value == "鄞州区东湖住宅小区工程"  # the form shows what is stored
    assert form.fill_labels({"地址": "鄞州区东湖路8号东湖花园3幢"}).submit(clerk).status_code == 302
    project = load(app, Project, project_id)
    assert project.state == PublicationState.PENDING and project.address.endswith("3幢")
    assert [e.action for e in history(app, "project", project_id)] == ["create", "return", "update"]


def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(app, depts):
    clerk = signed_in(app, "clerk")
    response = new_project(clerk, 开始日期=days_ago(10), 结束日期=days_ago(20))
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "结束日期不能早于开始日期" in text
    response = new_project(clerk, 企业统一社会信用代码=YINZHOU_USCC)
    assert response.status_code == 400 and "系统中没有统一社会信用代码为" in response.get_data(as_text=True)
    response = new_project(clerk, 开始日期="2026年13月1日")
    assert response.status_code == 400 and "日期" in response.get_data(as_text=True)
    with ctx(app):
        assert db.session.scalars(select(Project)).all() == []


def test_unknown_kind_industry_and_district_are_refused(app, depts):
    values = {
        "subject_uscc": COMPANY_USCC,
        "name": "某项目",
        "kind": "火箭发射场",
        "industry": "航天",
        "district": "火星区",
        "start_on": days_ago(5),
    }
    with ctx(app):
        clerk = db.session.scalar(select(StaffUser).where(StaffUser.username == "clerk"))
        with pytest.raises(Rejected) as refused:
            projects.enter(values, clerk)
        errors = refused.value.errors
        assert "不在项目/设施类型目录中" in errors["kind"][0]
        assert "不在行业目录中" in errors["industry"][0]
        assert "不是本市的区县" in errors["district"][0]
        assert (
            projects.checked({**values, "kind": "公共停车场", "industry": "公共停车场经营", "district": "330203"})[
                "district"
            ]
            == "330203"
        )
        assert db.session.scalars(select(Project)).all() == []


def test_another_department_does_not_see_the_project(app, depts):
    project_id = enter(signed_in(app, "clerk"))
    other = signed_in(app, "reviewer_b")
    assert other.get(f"/admin/projects/{project_id}").status_code == 404
    assert other.post(f"/admin/projects/{project_id}/approve").status_code in (400, 404)
    assert "鄞州区东湖住宅小区工程" not in other.get("/admin/projects").get_data(as_text=True)


def test_the_listing_filters_sorts_and_exports(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    approved(app, clerk, reviewer)
    enter(
        clerk,
        **{
            "项目/设施名称": "海曙区公共停车场",
            "类型": "公共停车场",
            "所属行业": "公共停车场经营",
            "所在区县": "海曙区",
        },
    )
    page = page_form(clerk, "/admin/projects", button="筛选").fill_labels({"所在区县": "海曙区"})
    text = page.submit(clerk).get_data(as_text=True)
    assert "海曙区公共停车场" in text and "鄞州区东湖住宅小区工程" not in text
    text = clerk.get("/admin/projects", query_string={"state": "published"}).get_data(as_text=True)
    assert "鄞州区东湖住宅小区工程" in text and "海曙区公共停车场" not in text
    export = clerk.get("/admin/projects/export.csv", query_string={"industry": "公共停车场经营"})
    lines = export.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert export.status_code == 200 and lines[0].startswith("项目编号,项目/设施名称,类型")
    assert len(lines) == 2 and "海曙区公共停车场" in lines[1] and "待审核" in lines[1]
    with ctx(app):
        logged = db.session.scalars(select(AuditLog.action).where(AuditLog.entity_type == "project")).all()
        assert logged.count("projects_exported") == 1


def test_a_record_entered_from_a_project_page_names_it_and_the_public_sees_it(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    project = approved(app, clerk, reviewer)
    detail = clerk.get(f"/admin/projects/{project.id}").get_data(as_text=True)
    assert f"/admin/records/penalty/new?project={project.code}" in detail
    form = page_form(clerk, f"/admin/records/penalty/new?project={project.code}", button="提交审核")
    assert form.by_label("所属项目").value == project.code
    assert form.by_label("统一社会信用代码").value == COMPANY_USCC
    response = form.fill_labels(row_values("penalty")).submit(clerk)
    assert response.status_code == 302, response.get_data(as_text=True)
    record_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert load(app, Penalty, record_id).project_id == project.id
    submit = page_form(
        reviewer, f"/admin/records/penalty/{record_id}", action=f"/admin/review/penalty/{record_id}/approve"
    )
    assert submit.submit(reviewer).status_code == 302

    page = app.test_client().get(f"/penalties/{record_id}").get_data(as_text=True)
    assert "所属项目/设施" in page and f"鄞州区东湖住宅小区工程（{project.code}）" in page
    data = app.test_client().get(f"/api/v1/penalties/{record_id}").get_json()
    assert data["project"]["code"] == project.code and "address" in data["project"]
    assert "甬市监罚" in clerk.get(f"/admin/projects/{project.id}").get_data(as_text=True)


def test_a_project_of_another_subject_is_refused_on_the_record_form(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    project = approved(app, clerk, reviewer)
    form = page_form(clerk, f"/admin/records/penalty/new?project={project.code}", button="提交审核")
    other = row_values("penalty", 行政相对人名称="宁波恒达电子科技有限公司", 统一社会信用代码="91350200776049653A")
    response = form.fill_labels(other).submit(clerk)
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "不是该行政相对人已审核的项目" in text
    with ctx(app):
        assert db.session.scalars(select(Penalty)).all() == []


def test_the_import_column_names_a_project_by_name_or_code(app, depts, tmp_path):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    project = approved(app, clerk, reviewer)
    rows = [
        penalty_row(**{"行政处罚决定书文号": "罚1", "所属项目": "鄞州区东湖住宅小区工程"}),
        penalty_row(**{"行政处罚决定书文号": "罚2", "所属项目": project.code}),
        penalty_row(**{"行政处罚决定书文号": "罚3", "所属项目": "不存在的项目"}),
        penalty_row(**{"行政处罚决定书文号": "罚4"}),
    ]
    with ctx(app):
        result = import_file("penalty", write_csv(tmp_path / "p.csv", "penalty", rows), ImportOptions())
        assert (result.valid, result.rejected) == (3, 1)
        problem = next(p for p in result.problems if p.line == 4)
        assert problem.column == "所属项目" and "不是该行政相对人已审核的项目" in problem.message
        found = dict(db.session.execute(select(Penalty.doc_no, Penalty.project_id)).all())
        assert found == {"罚1": project.id, "罚2": project.id, "罚4": None}


def test_the_record_form_lists_the_subjects_projects_before_saving(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    project = approved(app, clerk, reviewer)
    form = page_form(clerk, "/admin/records/penalty/new", button="提交审核")
    assert [v for v, _ in form.by_label("所属项目").options] == [""]  # no subject yet: no project to offer
    listed = form.fill_labels(row_values("penalty")).submit(clerk, button="列出所属项目")
    assert listed.status_code == 200
    with ctx(app):
        assert db.session.scalars(select(Penalty)).all() == []  # listing saved nothing
    path = "/admin/records/penalty/new"
    html_form = page_form(clerk, path, button="提交审核", html=listed.get_data(as_text=True))
    assert html_form.by_label("统一社会信用代码").value == COMPANY_USCC  # what was typed stays
    assert (project.code, f"鄞州区东湖住宅小区工程（{project.code}）") in html_form.by_label("所属项目").options
    response = html_form.fill_labels({"所属项目": project.code}).submit(clerk)
    assert response.status_code == 302
    with ctx(app):
        assert db.session.scalar(select(Penalty.project_id)) == project.id


def test_an_approved_project_corrected_or_withdrawn_leaves_the_credit_file(app, depts):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    project = approved(app, clerk, reviewer)
    public = app.test_client()
    form = page_form(clerk, f"/admin/projects/{project.id}/edit", button="保存并提交审核")
    assert form.submit(clerk).status_code == 302  # nothing changed: it stays approved
    assert load(app, Project, project.id).state == PublicationState.PUBLISHED
    form = page_form(clerk, f"/admin/projects/{project.id}/edit", button="保存并提交审核")
    assert form.fill_labels({"结束日期": days_ago(1)}).submit(clerk).status_code == 302
    assert load(app, Project, project.id).state == PublicationState.PENDING
    assert project.code not in public.get(f"/subjects/{COMPANY_USCC}").get_data(as_text=True)

    assert decide(reviewer, project.id, "approve").status_code == 302
    assert project.code in public.get(f"/subjects/{COMPANY_USCC}").get_data(as_text=True)
    refused = decide(reviewer, project.id, "withdraw", "")
    assert refused.status_code == 400 and "撤销须填写原因" in refused.get_data(as_text=True)
    assert decide(reviewer, project.id, "withdraw", "项目已注销").status_code == 302
    withdrawn = load(app, Project, project.id)
    assert withdrawn.state == PublicationState.WITHDRAWN and withdrawn.withdrawn_reason == "项目已注销"
    assert project.code not in public.get(f"/subjects/{COMPANY_USCC}").get_data(as_text=True)
    actions = [e.action for e in history(app, "project", project.id)]
    assert actions == ["create", "approve", "update", "approve", "withdraw"]


def test_the_web_import_preview_names_an_unknown_project(app, depts, tmp_path):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    approved(app, clerk, reviewer)
    rows = [
        penalty_row(**{"行政处罚决定书文号": "罚1", "处罚决定日期": days_ago(5), "所属项目": "鄞州区东湖住宅小区工程"}),
        penalty_row(**{"行政处罚决定书文号": "罚2", "处罚决定日期": days_ago(5), "所属项目": "西湖工程"}),
    ]
    path = write_csv(tmp_path / "处罚.csv", "penalty", rows)
    with path.open("rb") as f:
        form = page_form(clerk, "/admin/imports", button="上传并预检").fill(kind="penalty", file=(f, path.name))
        response = form.submit(clerk)
    assert response.status_code == 302
    preview = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r"合格</dt><dd>1<", preview) and re.search(r"不合格</dt><dd>1<", preview)
    assert "<td>3</td><td>所属项目</td><td>错误</td><td>所属项目“西湖工程”不是该行政相对人已审核的项目" in preview
