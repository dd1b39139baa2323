"""Industry credit grading (A–E): the scoring model from its data file, the score of one enterprise
from its evidence (every point explained), and the reproducible 双随机 inspection sample.

Pure: no database. portal/services/statistics/grading.py gathers the evidence and stores evaluations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

GRADES = ("A", "B", "C", "D", "E")
_MODEL_KEYS = (
    "base",
    "penalty",
    "penalty_category",
    "serious_listing",
    "abnormal_listing",
    "red_listing",
    "breached_commitment",
    "full_years",
    "max_years",
    "thresholds",
)


class GradingModelError(ValueError):
    """The grading file is missing a field or holds an invalid value."""


@dataclass(frozen=True)
class Model:
    base: float
    penalty: dict[str, float]
    penalty_category: dict[str, float]
    serious_listing: float
    abnormal_listing: float
    red_listing: float
    breached_commitment: float
    full_years: float
    max_years: float
    thresholds: dict[str, float]


@dataclass(frozen=True)
class Supervision:
    frequency: str
    ratio: float


@dataclass(frozen=True)
class GradingModel:
    version: str
    digest: str
    public: bool
    default: Model
    industries: dict[str, Model]
    supervision: dict[str, Supervision]

    def for_industry(self, industry: str | None) -> Model:
        return self.industries.get(industry or "", self.default)


def _model(data: dict, path) -> Model:
    try:
        model = Model(**{key: data[key] for key in _MODEL_KEYS})
    except (KeyError, TypeError) as exc:
        raise GradingModelError(f"{path}: missing or invalid field {exc}") from exc
    if set(model.thresholds) != set(GRADES[:-1]):
        raise GradingModelError(f"{path}: thresholds must give A, B, C and D")
    if not model.thresholds["A"] > model.thresholds["B"] > model.thresholds["C"] > model.thresholds["D"]:
        raise GradingModelError(f"{path}: thresholds must fall from A to D")
    if not 0 <= model.full_years <= model.max_years:
        raise GradingModelError(f"{path}: full_years must lie between 0 and max_years")
    return model


def load(path: str | Path) -> GradingModel:
    raw = Path(path).read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    try:
        default = data["default"]
        industries = {name: _model({**default, **over}, path) for name, over in data.get("industries", {}).items()}
        supervision = {g: Supervision(str(s["frequency"]), float(s["ratio"])) for g, s in data["supervision"].items()}
        version = str(data["version"])
    except (KeyError, TypeError) as exc:
        raise GradingModelError(f"{path}: missing or invalid field {exc}") from exc
    if set(supervision) != set(GRADES) or any(not 0 <= s.ratio <= 1 for s in supervision.values()):
        raise GradingModelError(f"{path}: supervision needs A to E, each ratio between 0 and 1")
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    public = bool(data.get("public", False))
    return GradingModel(version, digest, public, _model(default, path), industries, supervision)


@dataclass(frozen=True)
class Evidence:
    """One record that moves a score: a penalty, a list entry or a commitment."""

    kind: str  # 'penalty', 'black', 'abnormal', 'red', 'commitment'
    id: int
    label: str
    day: dt.date
    severity: str | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    evidence: Evidence
    points: float  # signed: deductions negative
    reason: str


@dataclass
class Evaluation:
    score: float
    grade: str
    items: list[Item] = field(default_factory=list)


def weight(model: Model, day: dt.date, as_of: dt.date) -> float:
    """Full weight for `full_years`, then falling linearly to nothing at `max_years`."""
    age = (as_of - day).days / 365.25
    if age < 0 or age >= model.max_years:
        return 0.0
    if age <= model.full_years:
        return 1.0
    return (model.max_years - age) / (model.max_years - model.full_years)


def _raw_points(model: Model, e: Evidence) -> tuple[float, str]:
    if e.kind == "penalty":
        points = model.penalty.get(e.severity or "一般", 0)
        points += sum(model.penalty_category.get(c, 0) for c in e.categories)
        extra = [c for c in e.categories if c in model.penalty_category]
        return -points, f"行政处罚（{e.severity or '一般'}{'，含' + '、'.join(extra) if extra else ''}）"
    if e.kind == "black":
        return -model.serious_listing, "列入严重失信主体名单"
    if e.kind == "abnormal":
        return -model.abnormal_listing, "列入经营异常名录"
    if e.kind == "red":
        return model.red_listing, "列入红名单"
    if e.kind == "commitment":
        return -model.breached_commitment, "违背信用承诺"
    raise ValueError(f"unknown evidence kind {e.kind}")


def grade_for(score: float, thresholds: dict[str, float]) -> str:
    return next((g for g in GRADES[:-1] if score >= thresholds[g]), "E")


def evaluate(model: Model, evidence: list[Evidence], as_of: dt.date) -> Evaluation:
    """Base score plus each record's points, weighted by its age; list entries count while current."""
    items = []
    for e in sorted(evidence, key=lambda e: (e.day, e.kind, e.id)):
        raw, reason = _raw_points(model, e)
        w = 1.0 if e.kind in ("black", "abnormal", "red") else weight(model, e.day, as_of)
        if w == 0 or raw == 0:
            continue
        shown = reason if w == 1 else f"{reason}，按时间衰减计{w:.0%}"
        items.append(Item(e, round(raw * w, 2), shown))
    score = round(min(max(model.base + sum(i.points for i in items), 0), model.base), 2)
    return Evaluation(score, grade_for(score, model.thresholds), items)


def draw_sample(grades: list[tuple[int, str]], supervision: dict[str, Supervision], seed: str) -> list[int]:
    """双随机 sample: from each grade, ceil(count × ratio) subjects drawn with a generator seeded by
    `seed` and the grade, over subjects in id order. The same input and seed give the same sample."""
    chosen = []
    for grade in GRADES:
        ids = sorted(subject_id for subject_id, g in grades if g == grade)
        n = min(len(ids), math.ceil(len(ids) * supervision[grade].ratio))
        chosen += random.Random(f"{seed}:{grade}").sample(ids, n)
    return chosen
