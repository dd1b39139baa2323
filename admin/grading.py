"""信用评价: run an A–E evaluation for a period, see the distribution per industry and every grade's
explanation, and draw the 双随机 inspection sample of an industry."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from admin.access import require_roles
from admin.blueprint import bp
from admin.forms import GradingRunForm, SampleForm
from portal import charts, clock, reference
from portal.models import Role
from portal.rules.grading import GRADES
from portal.services.publication.publishing import WorkflowError
from portal.services.statistics import grading
from portal.services.statistics.period import PeriodError, parse

GRADERS = (Role.GRADER, Role.ADMIN)


def _sample_form() -> SampleForm:
    form = SampleForm()
    form.industry.choices = [SelectChoice(n) for n in reference.industries().names]
    return form


@bp.route("/grading", methods=["GET", "POST"])
@require_roles(*GRADERS)
def grading_runs():
    form = GradingRunForm()
    error = None
    if form.validate_on_submit():
        try:
            evaluation = grading.run(parse(form.period.data, clock.today()), current_user)
        except (PeriodError, WorkflowError) as exc:
            error = str(exc)
        else:
            flash(f"已完成{evaluation.period}信用评价：{evaluation.subjects}家企业", "info")
            return redirect(url_for("admin.grading_run", evaluation_id=evaluation.id))
    elif request.method == "POST":
        error = "请更正标出的内容后再提交"
    status = 400 if error else 200
    return render_template("admin/grading_runs.html", form=form, runs=grading.runs(), error=error), status


def _distribution_chart(rows) -> charts.Chart:
    counts = rows[-1].counts
    rows = [(g, counts.get(g, 0), f"{counts.get(g, 0)}家") for g in GRADES]
    return charts.bar_chart("grades", "全市企业信用等级分布（家）", "企业（家）", rows)


@bp.get("/grading/<int:evaluation_id>")
@require_roles(*GRADERS)
def grading_run(evaluation_id: int):
    evaluation = grading.get_run(evaluation_id) or abort(404)
    industry = request.args.get("industry") or None
    grade = request.args.get("grade") if request.args.get("grade") in GRADES else None
    rows = grading.distribution(evaluation_id)
    return render_template(
        "admin/grading_run.html",
        evaluation=evaluation,
        rows=rows,
        grades_letters=GRADES,
        chart=_distribution_chart(rows),
        listed=grading.grades(evaluation_id, industry, grade),
        industry=industry,
        grade=grade,
        industries=reference.industries().names,
        supervision=reference.grading_model().supervision,
        sample_form=_sample_form(),
    )


@bp.get("/grading/<int:evaluation_id>/subjects/<int:subject_id>")
@require_roles(*GRADERS)
def grading_explanation(evaluation_id: int, subject_id: int):
    found = grading.explanation(evaluation_id, subject_id) or abort(404)
    grade, subject = found
    return render_template(
        "admin/grading_explanation.html",
        evaluation=grading.get_run(evaluation_id),
        grade=grade,
        subject=subject,
        base=grading.base_score(grade.industry),
    )


@bp.post("/grading/<int:evaluation_id>/sample")
@require_roles(*GRADERS)
def grading_sample(evaluation_id: int):
    evaluation = grading.get_run(evaluation_id) or abort(404)
    form = _sample_form()
    industry = form.industry.data
    if not form.validate_on_submit() or not reference.industries().known(industry):
        flash("请选择行业", "warning")
        return redirect(url_for("admin.grading_run", evaluation_id=evaluation_id))
    seed = (form.seed.data or "").strip() or grading.new_seed()
    rows = grading.draw(evaluation_id, industry, seed, current_user)
    return render_template("admin/grading_sample.html", evaluation=evaluation, industry=industry, seed=seed, rows=rows)


@bp.get("/grading/<int:evaluation_id>/sample.csv")
@require_roles(*GRADERS)
def grading_sample_csv(evaluation_id: int):
    grading.get_run(evaluation_id) or abort(404)
    industry, seed = request.args.get("industry", ""), request.args.get("seed", "")
    if not reference.industries().known(industry) or not seed:
        abort(404)
    return Response(
        grading.sample_csv(grading.sample(evaluation_id, industry, seed)),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=sample-{evaluation_id}.csv"},
    )
