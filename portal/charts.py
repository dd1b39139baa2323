"""Every chart the portal draws, as SVG geometry computed on the server: numbers in, coordinates out.

templates/_charts.html draws a Chart with an accessible title and the same figures in a table beside
it, so charts read without JavaScript, styles or sight. Lines (monthly trends, one or more series)
and horizontal bars (breakdowns) share one scale rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 24, 28
LABEL_WIDTH, BAR_AREA, ROW_HEIGHT, BAR_HEIGHT = 150, 300, 26, 18


@dataclass(frozen=True)
class Series:
    key: str  # CSS class of the line
    label: str
    shown: list[str]  # each value as the table shows it
    points: list[tuple[float, float]]

    @property
    def polyline(self) -> str:
        return " ".join(f"{x},{y}" for x, y in self.points)


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    y: float
    width: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    kind: str  # "line" or "bar"
    width: int
    height: int
    columns: list[str]  # value columns of the data table
    rows: list[tuple[str, list[str]]]  # (label, one shown figure per column)
    series: list[Series] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    plot: tuple[int, int, int, int] = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)  # left, top, right, bottom
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def labels_points(self) -> bool:
        """A single line carries its figures at its points; several lines would overlap them."""
        return len(self.series) == 1


def nice_ceiling(value: float) -> float:
    """The next round number at or above value (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _tick(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def line_chart(
    chart_id: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, str, list[float], list[str] | None]],
) -> Chart:
    """labels: one per x position; series: (key, label, values, shown or None) with one value per label."""
    top_value = nice_ceiling(max((v for _, _, values, _ in series for v in values), default=0))
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    step = (right - LEFT) / max(1, len(labels) - 1)

    def x(i: int) -> float:
        return round(LEFT + i * step, 1)

    def y(v: float) -> float:
        return round(bottom - (bottom - TOP) * v / top_value, 1)

    drawn = [
        Series(key, label, shown or [_tick(v) for v in values], [(x(i), y(v)) for i, v in enumerate(values)])
        for key, label, values, shown in series
    ]
    every = max(1, math.ceil(len(labels) / 6))
    return Chart(
        chart_id,
        title,
        "line",
        WIDTH,
        HEIGHT,
        columns=[s.label for s in drawn],
        rows=[(label, [s.shown[i] for s in drawn]) for i, label in enumerate(labels)],
        series=drawn,
        x_ticks=[(x(i), label) for i, label in enumerate(labels) if i % every == 0 or i == len(labels) - 1],
        y_ticks=[(y(v), _tick(v)) for v in sorted({0, top_value / 2, top_value})],
    )


def bar_chart(chart_id: str, title: str, column: str, rows: list[tuple[str, float, str]]) -> Chart:
    """rows: (label, value, value as shown), one horizontal bar each, longest for the largest value."""
    top = max((value for _, value, _ in rows), default=0) or 1
    bars = [
        Bar(label, shown, i * ROW_HEIGHT + 4, round(value / top * BAR_AREA, 1))
        for i, (label, value, shown) in enumerate(rows)
    ]
    return Chart(
        chart_id,
        title,
        "bar",
        LABEL_WIDTH + BAR_AREA + 90,
        max(len(bars), 1) * ROW_HEIGHT + 8,
        columns=[column],
        rows=[(b.label, [b.shown]) for b in bars],
        bars=bars,
    )
