"""Laying a report out as PDF (ReportLab): cover with QR code, numbered sections, tables, closing notes.

The layout knows nothing about credit records: it is handed a `Report` of plain strings, built by
portal.services.credit_reports.reports from the same presenters as the pages. Every page carries the report number
and 第 x 页 / 共 y 页; tables split between rows (and inside a row taller than a page) and repeat their
header row on each page.

Font: Noto Sans SC (SIL Open Font License 1.1, fonts/OFL.txt), the Google Fonts TrueType build.
ReportLab embeds TrueType (glyf) outlines only, as subsets of the characters used; it cannot embed
CFF-flavoured OpenType such as Noto Sans CJK / Source Han Sans .otf files, hence this build.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

FONT_FILE = Path(__file__).with_name("fonts") / "NotoSansSC-Regular.ttf"
FONT = "NotoSansSC"
MARGIN = 18 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#b71c1c")
RULE = colors.HexColor("#9e9e9e")
SHADE = colors.HexColor("#f2f2f2")
NUMERALS = "一二三四五六七八九十"
# A section heading starts a new page unless this much room is left for it and the first rows.
HEADING_ROOM = 45 * mm


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # share of the body width


@dataclass
class Section:
    title: str
    columns: list[Column]
    rows: list[list[str]]
    empty: str = "无"
    note: str = ""


@dataclass
class Report:
    title: str  # 信用报告 / 专用信用报告
    number: str
    code: str  # as printed
    verify_url: str  # with number and code: what the QR code holds
    verify_page: str  # the verification page, printed for typing in
    issuer: str
    cover: list[tuple[str, str]]  # label, value
    sections: list[Section]
    closing: list[str]
    tags: list[str] = field(default_factory=list)
    cover_notes: list[str] = field(default_factory=list)
    signed_by: str = ""


@cache
def _font() -> str:
    """Registered once per process: ReportLab parses the TrueType file here and subsets it per document."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


@cache
def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, textColor=INK, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=11),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=13, leading=18, textColor=ACCENT, spaceBefore=10, spaceAfter=4
        ),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=11.5, spaceAfter=3, keepWithNext=1),
        "title": ParagraphStyle("title", parent=base, fontSize=28, leading=36, alignment=TA_CENTER, textColor=ACCENT),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=18, alignment=TA_CENTER),
        "center": ParagraphStyle("center", parent=base, fontSize=8, leading=11, alignment=TA_CENTER),
    }


def _p(text: str | None, style: str = "cell") -> Paragraph:
    value = "—" if text in (None, "") else str(text)
    return Paragraph(escape(value).replace("\n", "<br/>"), _styles()[style])


class QrCode(Flowable):
    """The verification link as a QR code, drawn as vector modules (sharp at any zoom or print size)."""

    def __init__(self, data: str, size: float):
        super().__init__()
        self.qr = segno.make(data, error="m", micro=False)
        self.size = self.width = self.height = size

    def draw(self):
        matrix = self.qr.matrix
        border = 2
        unit = self.size / (len(matrix) + 2 * border)
        canvas = self.canv
        canvas.setFillColor(colors.black)
        for y, row in enumerate(matrix):
            top = self.size - (y + border + 1) * unit
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    canvas.rect((start + border) * unit, top, (x - start) * unit, unit, stroke=0, fill=1)
                else:
                    x += 1


def _numbered_canvas(report: Report):
    """A canvas that holds pages back until the end, so each page can say 共 y 页."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, page: int, total: int):
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, 14 * mm, PAGE_WIDTH - MARGIN, 14 * mm)
            self.setFont(FONT, 8)
            self.setFillColor(INK)
            self.drawString(MARGIN, 9.5 * mm, report.title)
            self.drawCentredString(PAGE_WIDTH / 2, 9.5 * mm, f"报告编号：{report.number}")
            self.drawRightString(PAGE_WIDTH - MARGIN, 9.5 * mm, f"第 {page} 页 / 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


# Characters that must not begin a line (closing punctuation): they stay at the end of the one before.
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’,.;:?!)]}%")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-/:%@#+]*|\s+|.", re.S)
CELL_SIZE, CELL_LEADING, CELL_PADDING = 8, 11, 3


@cache
def _char_width(char: str) -> float:
    return pdfmetrics.stringWidth(char, _font(), 1)


def _width(text: str) -> float:
    return pdfmetrics.stringWidth(text, _font(), 1)  # C-accelerated with rl_accel


def lines(text: str, width: float, size: float = CELL_SIZE) -> list[str]:
    """Text broken into lines of at most `width` points: Chinese between any two characters, Latin
    words and numbers kept whole when they fit, closing punctuation never at the start of a line."""
    limit = width / size
    out: list[str] = []
    for paragraph in text.split("\n"):
        if _width(paragraph) <= limit:  # most cells: one short line
            out.append(paragraph.rstrip())
            continue
        line, used = "", 0.0
        for token in _WORD.findall(paragraph):
            w = _width(token)
            if used + w <= limit or not line or token in NO_LINE_START:
                if w > limit and len(token) > 1:  # longer than a whole line: break it anywhere
                    for char in token:
                        cw = _char_width(char)
                        if used + cw > limit and line and char not in NO_LINE_START:
                            out.append(line)
                            line, used = "", 0.0
                        line, used = line + char, used + cw
                    continue
                line, used = line + token, used + w
            elif token.isspace():
                out.append(line)
                line, used = "", 0.0
            else:
                out.append(line)
                line, used = token, w
        out.append(line.rstrip())
    return out


def _cell(text: str | None, width: float) -> str:
    value = "—" if text in (None, "") else str(text)
    return "\n".join(lines(value, width - 2 * CELL_PADDING))


def _table(section: Section) -> Table:
    """Cells are plain strings broken into lines here: ReportLab's CJK paragraph wrapping costs ~1 ms a cell."""
    widths = [c.width * BODY_WIDTH for c in section.columns]
    data = [[_cell(c.header, w) for c, w in zip(section.columns, widths, strict=True)]]
    data += [[_cell(cell, w) for cell, w in zip(row, widths, strict=True)] for row in section.rows]
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), _font(), CELL_SIZE, CELL_LEADING),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
            ]
        )
    )
    return table


def _heading(index: int, title: str) -> Paragraph:
    numeral = NUMERALS[index] if index < 10 else "十" + NUMERALS[index - 10]
    return _p(f"{numeral}、{title}", "h2")


def _cover(report: Report) -> list:
    font = _font()
    facts = Table(
        [[_p(label, "body"), _p(value, "body")] for label, value in report.cover],
        colWidths=[34 * mm, 88 * mm],
        hAlign="LEFT",
    )
    facts.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TEXTCOLOR", (0, 0), (0, -1), colors.grey),
            ]
        )
    )
    qr = [QrCode(report.verify_url, 36 * mm), _p("扫码核验本报告", "center"), _p(f"验证码：{report.code}", "center")]
    side = Table([[item] for item in qr], colWidths=[44 * mm])
    side.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    block = Table([[facts, side]], colWidths=[BODY_WIDTH - 46 * mm, 46 * mm])
    block.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    flow = [
        Spacer(1, 28 * mm),
        _p(report.title, "title"),
        Spacer(1, 4 * mm),
        _p(report.issuer, "subtitle"),
        Spacer(1, 18 * mm),
        block,
    ]
    if report.tags:
        flow += [Spacer(1, 4 * mm), _p("主体标签：" + "、".join(report.tags), "body")]
    flow += [Spacer(1, 10 * mm), _p("核验方式", "h2"), _p(f"核验地址：{report.verify_page}", "body")]
    flow += [_p(note, "body") for note in report.cover_notes]
    return flow


def render(report: Report) -> bytes:
    """The unsigned PDF."""
    font = _font()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=20 * mm,
        title=f"{report.title} {report.number}",
        author=report.issuer,
        subject=report.number,
        creator=report.issuer,
        keywords=[report.number],
        initialFontName=font,
        lang="zh-CN",
        displayDocTitle=1,
    )
    frame = Frame(MARGIN, 20 * mm, BODY_WIDTH, PAGE_HEIGHT - MARGIN - 20 * mm, id="body", showBoundary=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    story = _cover(report) + [PageBreak()]
    for index, section in enumerate(report.sections):
        story += [CondPageBreak(HEADING_ROOM), _heading(index, section.title)]
        if section.note:
            story.append(_p(section.note, "note"))
        story.append(_table(section) if section.rows else _p(section.empty, "body"))
    story += [_p("报告声明", "h2")] + [_p(text, "body") for text in report.closing]
    doc.build(story, canvasmaker=_numbered_canvas(report))
    return buffer.getvalue()
