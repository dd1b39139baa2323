"""The grading rules (portal/rules/grading.py): the model file, scores explained, decay, the sample draw."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import reference
from portal.rules import grading
from portal.rules.grading import Evidence

MODEL = grading.load(reference.GRADING_FILE)
DAY = dt.date(2026, 6, 30)


def test_industry_models_override_the_default():
    assert MODEL.for_industry("燃气经营").penalty["严重"] == 25
    assert MODEL.for_industry("食品药品").penalty["严重"] == MODEL.default.penalty["严重"]
    assert MODEL.for_industry(None) is MODEL.default
    assert len(MODEL.digest) == 64 and MODEL.version


def test_invalid_models_are_refused(tmp_path):
    text = reference.GRADING_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        text.replace(
            "thresholds = { A = 90, B = 80, C = 70, D = 60 }", "thresholds = { A = 60, B = 80, C = 70, D = 90 }"
        ),
        encoding="utf-8",
    )
    with pytest.raises(grading.GradingModelError):
        grading.load(bad)


def test_score_is_base_plus_explained_points():
    model = MODEL.default
    evidence = [
        Evidence("penalty", 1, "罚1", DAY - dt.timedelta(days=30), "严重", ("罚款", "吊销许可证件")),
        Evidence("penalty", 2, "罚2", DAY - dt.timedelta(days=730), "一般", ("罚款",)),  # two years: half weight
        Evidence("penalty", 3, "罚3", DAY - dt.timedelta(days=4 * 365), "严重", ()),  # too old: nothing
        Evidence("red", 4, "红", DAY - dt.timedelta(days=10)),
        Evidence("commitment", 5, "诺", DAY - dt.timedelta(days=10)),
    ]
    result = grading.evaluate(model, evidence, DAY)
    points = {i.evidence.id: i.points for i in result.items}
    assert points[1] == -(model.penalty["严重"] + model.penalty_category["吊销许可证件"])
    assert points[2] == pytest.approx(
        -model.penalty["一般"] * grading.weight(model, DAY - dt.timedelta(days=730), DAY), abs=0.01
    )
    assert 3 not in points
    assert points[4] == model.red_listing and points[5] == -model.breached_commitment
    assert result.score == pytest.approx(model.base + sum(points.values()), abs=0.01)
    assert result.grade == grading.grade_for(result.score, model.thresholds)
    assert "衰减" in next(i.reason for i in result.items if i.evidence.id == 2)


def test_score_stays_within_bounds_and_grades_follow_thresholds():
    model = MODEL.default
    many = [Evidence("black", i, "黑", DAY) for i in range(10)]
    assert grading.evaluate(model, many, DAY).score == 0
    assert grading.evaluate(model, [Evidence("red", 1, "红", DAY)], DAY).score == model.base
    grades = [grading.grade_for(s, model.thresholds) for s in (100, 90, 89.9, 80, 70, 60, 59.9)]
    assert grades == ["A", "A", "B", "B", "C", "D", "E"]


def test_decay_weight():
    model = MODEL.default
    assert grading.weight(model, DAY, DAY) == 1
    assert grading.weight(model, DAY - dt.timedelta(days=365 * 2), DAY) == pytest.approx(0.5, abs=0.01)
    assert grading.weight(model, DAY - dt.timedelta(days=365 * 3 + 1), DAY) == 0
    assert grading.weight(model, DAY + dt.timedelta(days=1), DAY) == 0


def test_sample_is_reproducible_and_follows_the_ratios():
    grades = [(i, "A") for i in range(200)] + [(1000 + i, "D") for i in range(10)] + [(2000 + i, "E") for i in range(3)]
    first = grading.draw_sample(grades, MODEL.supervision, "seed-1")
    assert first == grading.draw_sample(list(reversed(grades)), MODEL.supervision, "seed-1")
    assert first != grading.draw_sample(grades, MODEL.supervision, "seed-2")
    assert sum(1 for i in first if i < 1000) == 6  # ceil(200 × 3%)
    assert sum(1 for i in first if 1000 <= i < 2000) == 3  # ceil(10 × 30%)
    assert sum(1 for i in first if i >= 2000) == 3  # every E
