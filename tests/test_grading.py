"""Credit grading through the back office: a grader evaluates a period, every grade is explained and
recomputable from the rows, and the 双随机 sample is reproducible and recorded."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import reference
from portal.extensions import db
from portal.models import AuditLog, Grade, GradingRun, ListKind, PublicationState, Role
from portal.rules import grading as rules
from tests import statistics_rows
from tests.admin_helpers import login, staff
from tests.forms import page_form


@pytest.fixture
def graded(app, app_ctx):
    rows = statistics_rows.build()
    grader_id = staff("grader", Role.GRADER).id
    staff("reviewer", Role.REVIEWER)
    client = app.test_client()
    login(client, "grader")
    response = page_form(client, "/admin/grading", button="开始评价").fill(period="2026Q2").submit(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    run_id = int(re.search(r"/grading/(\d+)$", response.headers["Location"])[1])
    return app, client, rows, run_id, grader_id


def expected_grades(rows, as_of) -> dict[int, tuple[float, str]]:
    """Grades recomputed from the rows with the rules alone."""
    model = reference.grading_model()
    out = {}
    for subject in rows.subjects:
        if subject.is_person or subject.industry is None:
            continue
        evidence = [
            rules.Evidence("penalty", r.id, "", r.decided_on, r.severity, tuple(r.category_list))
            for r in rows.records
            if r.subject_id == subject.id
            and hasattr(r, "severity")
            and r.state == PublicationState.PUBLISHED
            and r.decided_on <= as_of
        ]
        kinds = {ListKind.BLACK: "black", ListKind.ABNORMAL: "abnormal", ListKind.RED: "red"}
        evidence += [
            rules.Evidence(kinds[e.kind], e.id, "", e.listed_on)
            for e in rows.lists
            if e.subject_id == subject.id
            and e.state == PublicationState.PUBLISHED
            and e.listed_on <= as_of
            and (e.removed_on is None or e.removed_on > as_of)
        ]
        evidence += [
            rules.Evidence("commitment", c.id, "", c.made_on)
            for c in rows.commitments
            if c.subject_id == subject.id and c.fulfilment in ("部分履行", "全部未履行") and c.made_on <= as_of
        ]
        result = rules.evaluate(model.for_industry(subject.industry), evidence, as_of)
        out[subject.id] = (result.score, result.grade)
    return out


def test_evaluation_is_stored_explained_and_recomputable(graded):
    app, client, rows, run_id, grader_id = graded
    with app.app_context():
        run = db.session.get(GradingRun, run_id)
        assert (run.period, run.run_by_id, run.model_version) == (
            "2026Q2",
            grader_id,
            reference.grading_model().version,
        )
        stored = {
            g.subject_id: (g.score, g.grade) for g in db.session.scalars(select(Grade).where(Grade.run_id == run_id))
        }
        assert stored == expected_grades(rows, run.as_of)
        assert len({g for _, g in stored.values()}) > 1
        audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "grading_run"))
        assert audit.user_id == grader_id and audit.after["subjects"] == len(stored)
        worst = min(stored, key=lambda s: stored[s][0])

    page = client.get(f"/admin/grading/{run_id}").get_data(as_text=True)
    city_counts = {g: int(re.search(rf'data-grade="全市:{g}">(\d+)', page)[1]) for g in rules.GRADES}
    assert city_counts == {g: sum(1 for _, grade in stored.values() if grade == g) for g in rules.GRADES}
    assert '<svg class="chart-svg" role="img"' in page

    explained = client.get(f"/admin/grading/{run_id}/subjects/{worst}").get_data(as_text=True)
    points = [float(p) for p in re.findall(r"<td>([+-][\d.]+)</td>", explained)]
    assert points and reference.grading_model().default.base + sum(points) == pytest.approx(
        max(stored[worst][0], 0), abs=0.05
    )
    assert f"{stored[worst][1]}级" in explained


def test_sample_is_reproducible_recorded_and_exported(graded):
    app, client, rows, run_id, grader_id = graded

    def draw(seed):
        page = (
            page_form(client, f"/admin/grading/{run_id}", button="抽取")
            .fill(industry="食品药品", seed=seed)
            .submit(client)
        )
        assert page.status_code == 200
        return re.findall(r"<tr><td>([^<]+)</td>", page.get_data(as_text=True))

    first = draw("甬2026")
    assert first and draw("甬2026") == first
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "inspection_sample")).all()
    assert len(entries) == 2 and entries[0].after["seed"] == "甬2026" and entries[0].after == entries[1].after
    exported = client.get(f"/admin/grading/{run_id}/sample.csv?industry=食品药品&seed=甬2026")
    lines = exported.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("主体名称") and [line.split(",")[0] for line in lines[1:]] == first


def test_only_graders_evaluate(graded):
    app, *_ = graded
    client = app.test_client()
    login(client, "reviewer")
    assert client.get("/admin/grading").status_code == 403
    assert "信用评价" not in client.get("/admin/").get_data(as_text=True)


def test_bulletin_carries_the_period_grading_per_industry(graded):
    import io

    from openpyxl import load_workbook

    app, client, rows, run_id, grader_id = graded
    sheet = load_workbook(io.BytesIO(client.get("/admin/statistics/bulletin.xlsx?period=2026Q2").data))["附件1 分行业"]
    header = [c.value for c in sheet[1]]
    by_industry = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    stored = db.session.scalars(select(Grade).where(Grade.run_id == run_id)).all()
    assert by_industry["合计"]["评价企业（家）"] == len(stored)
    gas = [g for g in stored if g.industry == "燃气经营"]
    assert by_industry["燃气经营"]["A级（家）"] == sum(g.grade == "A" for g in gas)


def test_credit_file_shows_the_grade_only_where_the_grading_file_says(graded, monkeypatch):
    import dataclasses

    app, client, rows, run_id, grader_id = graded
    subject_id, grade = db.session.execute(select(Grade.subject_id, Grade.grade).where(Grade.run_id == run_id)).first()
    ref = next(s for s in rows.subjects if s.id == subject_id).public_id
    assert "行业信用等级" not in app.test_client().get(f"/subjects/{ref}").get_data(as_text=True)
    assert app.test_client().get(f"/api/v1/subjects/{ref}").get_json()["grade"] is None

    public = dataclasses.replace(reference.grading_model(), public=True)  # as `public = true` in the file
    monkeypatch.setitem(app.extensions, "grading", public)
    page = app.test_client().get(f"/subjects/{ref}").get_data(as_text=True)
    assert f"行业信用等级：<strong>{grade}级</strong>" in page
    assert app.test_client().get(f"/api/v1/subjects/{ref}").get_json()["grade"]["grade"] == grade
