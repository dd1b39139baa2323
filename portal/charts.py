"""A small line chart drawn on the server as SVG geometry: no script, readable without styles.

Pure: numbers in, coordinates out; the template draws them (templates/_chart.html).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


@dataclass(frozen=True)
class Series:
    key: str  # CSS class of the line
    label: str
    values: list[int]
    points: str  # "x,y x,y ..." for <polyline points>


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    labels: list[str]
    series: list[Series]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    plot: tuple[int, int, int, int]  # left, top, right, bottom


def nice_ceiling(value: int) -> int:
    """The next round number at or above value (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def line_chart(labels: list[str], series: list[tuple[str, str, list[int]]]) -> LineChart:
    """labels: one per x position; series: (key, label, values) with one value per label."""
    top_value = nice_ceiling(max((v for _, _, values in series for v in values), default=0))
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    step = (right - LEFT) / max(1, len(labels) - 1)

    def x(i: int) -> float:
        return round(LEFT + i * step, 1)

    def y(v: float) -> float:
        return round(bottom - (bottom - TOP) * v / top_value, 1)

    drawn = [
        Series(key, label, values, " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values)))
        for key, label, values in series
    ]
    every = max(1, math.ceil(len(labels) / 6))
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        labels=labels,
        series=drawn,
        x_ticks=[(x(i), label) for i, label in enumerate(labels) if i % every == 0 or i == len(labels) - 1],
        y_ticks=[(y(v), v) for v in sorted({0, top_value // 2, top_value})],
        plot=(LEFT, TOP, right, bottom),
    )
