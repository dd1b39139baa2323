"""Chart geometry: values mapped into the plot, round scale, labelled ticks, bars to scale, and the
data table carrying the same figures as the drawing."""

from __future__ import annotations

import datetime as dt

from portal.charts import BAR_AREA, BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, bar_chart, line_chart, nice_ceiling
from portal.services.publication.trends import last_months


def test_scale_tops_are_round_numbers():
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 10, 11, 42, 180, 999)] == [1, 1, 5, 10, 10, 20, 50, 200, 1000]


def test_values_are_drawn_inside_the_plot_from_left_to_right():
    series = [("license", "行政许可", [0, 5, 10], None), ("penalty", "行政处罚", [2, 2, 2], None)]
    chart = line_chart("t", "趋势", ["1月", "2月", "3月"], series)
    points = chart.series[0].points
    assert points[0] == (LEFT, HEIGHT - BOTTOM)  # zero on the baseline, first month on the left
    assert points[-1] == (WIDTH - RIGHT, TOP)  # the largest value touches the top of the scale
    assert chart.series[0].polyline.split()[1] == f"{points[1][0]},{points[1][1]}"
    assert [t for _, t in chart.y_ticks] == ["0", "5", "10"]
    assert [label for _, label in chart.x_ticks] == ["1月", "2月", "3月"]
    assert chart.columns == ["行政许可", "行政处罚"]
    assert chart.rows[1] == ("2月", ["5", "2"])
    assert not chart.labels_points  # two lines: figures in the table, not at the points


def test_an_empty_series_stays_on_the_baseline():
    chart = line_chart("t", "趋势", ["a", "b"], [("license", "行政许可", [0, 0], None)])
    assert {y for _, y in chart.series[0].points} == {float(HEIGHT - BOTTOM)}


def test_a_single_line_keeps_the_figures_as_given_for_its_points_and_table():
    chart = line_chart("t", "及时率", ["7月", "8月"], [("value", "及时率", [0.5, 0.75], ["50.0%", "75.0%"])])
    assert chart.labels_points
    assert chart.rows == [("7月", ["50.0%"]), ("8月", ["75.0%"])]
    assert [t for _, t in chart.y_ticks] == ["0", "0.5", "1"]


def test_bars_are_drawn_to_scale_with_the_largest_filling_the_area():
    chart = bar_chart("g", "等级分布", "企业（家）", [("A", 40, "40家"), ("B", 10, "10家"), ("C", 0, "0家")])
    assert [b.width for b in chart.bars] == [BAR_AREA, BAR_AREA / 4, 0]
    assert [b.y for b in chart.bars] == sorted(b.y for b in chart.bars)
    assert chart.rows == [("A", ["40家"]), ("B", ["10家"]), ("C", ["0家"])]
    assert bar_chart("g", "空", "数值", []).rows == []


def test_the_last_twelve_months_end_with_the_current_one_across_a_new_year():
    months = last_months(dt.date(2026, 2, 15))
    assert len(months) == 12
    assert months[0] == (2025, 3) and months[-1] == (2026, 2)
