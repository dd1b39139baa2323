"""The home page's line chart: values mapped into the plot, round scale, labelled ticks."""

from __future__ import annotations

import datetime as dt

from portal.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, line_chart, nice_ceiling
from portal.services.publication.trends import last_months


def test_scale_tops_are_round_numbers():
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 10, 11, 42, 180, 999)] == [1, 1, 5, 10, 10, 20, 50, 200, 1000]


def test_values_are_drawn_inside_the_plot_from_left_to_right():
    chart = line_chart(["1月", "2月", "3月"], [("license", "行政许可", [0, 5, 10]), ("penalty", "行政处罚", [2, 2, 2])])
    points = [tuple(map(float, p.split(","))) for p in chart.series[0].points.split()]
    assert points[0] == (LEFT, HEIGHT - BOTTOM)  # zero on the baseline, first month on the left
    assert points[-1] == (WIDTH - RIGHT, TOP)  # the largest value touches the top of the scale
    assert [t for _, t in chart.y_ticks] == [0, 5, 10]
    assert [label for _, label in chart.x_ticks] == ["1月", "2月", "3月"]


def test_an_empty_series_stays_on_the_baseline():
    chart = line_chart(["a", "b"], [("license", "行政许可", [0, 0])])
    assert {p.split(",")[1] for p in chart.series[0].points.split()} == {str(float(HEIGHT - BOTTOM))}


def test_the_last_twelve_months_end_with_the_current_one_across_a_new_year():
    months = last_months(dt.date(2026, 2, 15))
    assert len(months) == 12
    assert months[0] == (2025, 3) and months[-1] == (2026, 2)
