"""Geometry of the server-rendered SVG charts (templates/_charts.html draws them): horizontal bars for
breakdowns, a line for monthly trends. Pure: numbers in, coordinates out; every chart keeps its data
rows so the template can put the same figures in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.services.statistics.indicators import Result

LABEL_WIDTH, BAR_AREA, ROW_HEIGHT, VALUE_GAP = 150, 300, 26, 6
LINE_WIDTH, LINE_HEIGHT, MARGIN = 460, 180, 36


@dataclass
class Bar:
    label: str
    shown: str
    y: float
    width: float


@dataclass
class Point:
    label: str
    shown: str
    x: float
    y: float


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # "bar" or "line"
    width: int
    height: int
    rows: list[tuple[str, str]]  # (label, figure shown) for the data table
    bars: list[Bar] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    polyline: str = ""
    label_width: int = LABEL_WIDTH
    bar_height: int = ROW_HEIGHT - 8
    baseline: float = 0.0


def _numeric(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def bar_chart(result: Result, title: str, chart_id: str, skip_zero: bool = False) -> Chart:
    parts = [p for p in result.parts if p.value is not None and not (skip_zero and not p.value)]
    top = max((_numeric(p.value) for p in parts), default=0.0) or 1.0
    bars = [
        Bar(p.label, result.part_shown(p), i * ROW_HEIGHT + 4, round(_numeric(p.value) / top * BAR_AREA, 1))
        for i, p in enumerate(parts)
    ]
    width = LABEL_WIDTH + BAR_AREA + 90
    return Chart(
        chart_id,
        title,
        "bar",
        width,
        max(len(bars), 1) * ROW_HEIGHT + 8,
        [(b.label, b.shown) for b in bars],
        bars=bars,
    )


def line_chart(result: Result, title: str, chart_id: str) -> Chart:
    parts = result.parts
    top = max((_numeric(p.value) for p in parts), default=0.0) or 1.0
    span = LINE_WIDTH - 2 * MARGIN
    step = span / max(len(parts) - 1, 1)
    baseline = LINE_HEIGHT - MARGIN
    points = [
        Point(
            p.label,
            result.part_shown(p),
            round(MARGIN + i * step, 1),
            round(baseline - _numeric(p.value) / top * (LINE_HEIGHT - 2 * MARGIN), 1),
        )
        for i, p in enumerate(parts)
    ]
    return Chart(
        chart_id,
        title,
        "line",
        LINE_WIDTH,
        LINE_HEIGHT,
        [(p.label, p.shown) for p in points],
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        baseline=baseline,
    )
