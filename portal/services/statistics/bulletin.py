"""The quarterly bulletin as XLSX, in the shape of its two attachments: (1) per industry: records
published, timeliness, 应录未录 gaps and, when the period was evaluated, the A–E grading (the latest evaluation of
the period); (2) per district: records published, timeliness, 应录未录; then every indicator with its formula.
The figures come from the indicators and the stored evaluation, the same as on the pages."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from portal import clock
from portal.rules.grading import GRADES
from portal.services.statistics import grading
from portal.services.statistics import indicators as ind
from portal.services.statistics.summary import ADMIN_KEYS, Filters, as_of, figures, flat, shown_time

BOLD = Font(bold=True)
COLUMNS = ("公示信息（条）", "统计期内公示（条）", "按时公示（条）", "公示及时率", "应录未录（个）")


def _sheet(book: Workbook, title: str, header: tuple[str, ...], rows: list[tuple]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDEFGH", (22, 14, 14, 14, 14, 14, 60, 14), strict=False):
        sheet.column_dimensions[column].width = width


def _per(results: dict[str, ind.Result], count_key: str, prefix: str) -> list[tuple]:
    """Rows of one attachment: each industry (or district) with its count and timeliness figures."""
    timely = {p.label.removeprefix(f"{prefix}："): p for p in results["timeliness"].parts if p.label.startswith(prefix)}
    gaps = results["entry_gaps"]
    missing = {p.label.removeprefix(f"{prefix}："): p.value for p in gaps.parts if p.label.startswith(prefix)}
    rows = []
    for part in results[count_key].parts:
        t = timely.get(part.label)
        rows.append(
            (
                part.label,
                part.value,
                t.denominator if t else 0,
                t.numerator if t else 0,
                results["timeliness"].part_shown(t) if t else "—",
                missing.get(part.label, 0) if gaps.applicable else "—",
            )
        )
    total = results[count_key]
    rows.append(
        (
            "合计",
            total.value,
            results["timeliness"].denominator,
            results["timeliness"].numerator,
            results["timeliness"].shown(),
            gaps.value if gaps.applicable else "—",
        )
    )
    return rows


def _grades(found: grading.Distribution | None) -> tuple:
    if found is None:
        return (0, *(0 for _ in GRADES), *("—" for _ in GRADES))
    shares = tuple("—" if found.share(g) is None else f"{found.share(g) * 100:.2f}%" for g in GRADES)
    return (found.total, *(found.counts.get(g, 0) for g in GRADES), *shares)


def workbook(selected: Filters) -> bytes:
    updated = as_of()
    results = {r.key: r for r in figures(selected, ADMIN_KEYS)}
    book = Workbook()
    cover = book.active
    cover.title = "说明"
    cover.append(("信用工作统计季报",))
    cover["A1"].font = BOLD
    cover.append(("统计期", selected.period.label, selected.period.start.isoformat(), selected.period.end.isoformat()))
    cover.append(("生成时间", clock.now().strftime("%Y-%m-%d %H:%M")))
    cover.append(("数据更新于", shown_time(updated)))
    cover.append(("公示信息口径", ind.PUBLIC_FORMULA))
    cover.append(("及时率口径", results["timeliness"].formula))
    cover.column_dimensions["A"].width = 16
    cover.column_dimensions["B"].width = 80
    industry_rows = _per(results, "records_by_industry", "行业")
    evaluation = grading.latest_run(selected.period.code)
    grade_columns: tuple[str, ...] = ()
    if evaluation is not None:
        by_industry = {d.industry: d for d in grading.distribution(evaluation.id)}
        grade_columns = ("评价企业（家）", *(f"{g}级（家）" for g in GRADES), *(f"{g}级占比" for g in GRADES))
        industry_rows = [
            row + _grades(by_industry.get("全市" if row[0] == "合计" else row[0])) for row in industry_rows
        ]
    _sheet(book, "附件1 分行业", ("行业", *COLUMNS, *grade_columns), industry_rows)
    _sheet(book, "附件2 分区县", ("区县", *COLUMNS), _per(results, "records_by_district", "区县"))
    _sheet(
        book,
        "全部指标",
        ("指标", "项目", "数值", "分子", "分母", "显示", "计算公式"),
        [
            (r["label"], r["part"], r["value"], r["numerator"], r["denominator"], r["shown"], r["formula"])
            for r in flat(list(results.values()))
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
