"""Credit reports: what goes into one, issuing it (number, code, signature, digest, log), and figures.

A report is built from the subject's credit file (subjects.file_for: the same visibility rule,
presenters and markers as the credit file page), so it shows exactly what the public may see on its
issue day, masked the same way. The special-purpose report (专用信用报告) is the same engine over
the violations of a period, grouped by field (rules.report_fields).

Nothing of the PDF is stored: the issue row keeps its SHA-256, a hash of its verification code, the
summary counts as printed and keyed fingerprints of its records (rules.report_verification).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import secrets
from dataclasses import dataclass, field
from functools import cache

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import city, clock
from portal.extensions import db
from portal.models import ListKind, Penalty, PublicationState, ReportIssue, Subject
from portal.presenters import subject_ref
from portal.reports import pdf, signing
from portal.reports.pdf import Column, Section
from portal.rules import report_fields, report_numbers
from portal.rules.report_verification import content_digest, fingerprint, record_key
from portal.services.core import audit, secret_hashes, serials
from portal.services.publication import records, subjects

log = logging.getLogger(__name__)
PURPOSES = ("招投标", "行政审批", "评优评先", "融资", "其他")
NO_PURPOSE = "未注明"
CHANNELS = {"online": "网上自助查询", "counter": "信用窗口"}
KINDS = {"full": "信用报告", "special": "专用信用报告"}
KIND_CHOICES = (("full", "信用报告（全部公开信息）"), ("special", "专用信用报告（分领域有无违法违规记录）"))
SPECIAL_YEARS = (1, 2, 3, 5)
VIOLATION_LISTS = (ListKind.BLACK.value, ListKind.ABNORMAL.value)
CLEAN = "无违法违规记录"
OWN_REPORT_AT_COUNTER = "本人信用报告须由本人持有效身份证件到信用窗口办理"


class NotAvailable(Exception):
    """No report for this request (the message says why, in Chinese)."""


class Duplicate(Exception):
    """The counter form was posted twice: the first post issued the report."""

    def __init__(self, issue: ReportIssue):
        super().__init__(issue.number)
        self.issue = issue


@dataclass(frozen=True)
class Request:
    kind: str = "full"
    channel: str = "online"
    purpose: str | None = None
    years: int = 3  # special reports: the period ends on the day of issue
    requester_name: str | None = None
    own_report: bool = False  # a natural person's own report, identity checked at the counter
    staff: object | None = None
    token: str | None = None


@dataclass
class Content:
    """What a report says, before it has a number."""

    subject: Subject
    file: dict
    sections: list[Section]
    counts: dict
    records: list[tuple[str, int, list[str]]]  # (record type, id, cells printed without markers) per record
    period: tuple[dt.date, dt.date] | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Issued:
    issue: ReportIssue
    code: str
    pdf: bytes


# Content -------------------------------------------------------------------------------------------


def _markers(view: dict) -> str:
    return "、".join(view.get("markers") or [])


def _basics(subject: Subject, file: dict, own: bool) -> Section:
    s = file["subject"]
    if subject.is_person:
        rows = [
            ["姓名", subject.name if own else s["name"]],
            ["主体类别", s["kind"]],
            ["证件类型", s["id_type"]],
            ["证件号码", subject.id_no if own else s["id_no"]],
            ["所属地区", s["region_name"]],
        ]
    else:
        rows = [
            ["名称", s["name"]],
            ["主体类别", s["kind"]],
            ["统一社会信用代码", s["uscc"]],
            ["工商注册号", s["business_reg_no"]],
            ["组织机构代码", s["org_code"]],
            ["法定代表人（负责人）", s["legal_rep"]],
            ["所属地区", s["region_name"]],
        ]
    return Section("登记基本信息", [Column("项目", 0.3), Column("内容", 0.7)], rows)


def _rows(views: list[dict], cells, marked: bool = True) -> list[list[str]]:
    """Numbered table rows: what the report prints about each record, and its markers."""
    return [[str(i), *cells(v), *([_markers(v)] if marked else [])] for i, v in enumerate(views, start=1)]


def _license_cells(v: dict) -> list[str]:
    return [
        v["cert_name"] or v["doc_name"] or v["doc_no"],
        v["doc_no"],
        v["category"],
        v["authority"],
        v["decided_on"],
        f"{v['valid_from'] or '—'} 至 {v['valid_to'] or '—'}",
        v["status_label"],
    ]


LICENSE_COLUMNS = [
    Column("序号", 0.05),
    Column("许可证书 / 文书名称", 0.15),
    Column("文书号", 0.16),
    Column("许可类别", 0.08),
    Column("许可机关", 0.12),
    Column("决定日期", 0.1),
    Column("有效期", 0.15),
    Column("状态", 0.07),
    Column("标注", 0.12),
]


def _penalty_cells(v: dict) -> list[str]:
    what = "、".join(v["categories"]) + "：" + (v["content"] or "")
    return [v["doc_no"], v["violation_type"], what, v["authority"], v["decided_on"], v["display_until"]]


PENALTY_COLUMNS = [
    Column("序号", 0.05),
    Column("决定书文号", 0.15),
    Column("违法行为类型", 0.15),
    Column("处罚类别及内容", 0.22),
    Column("处罚机关", 0.14),
    Column("决定日期", 0.1),
    Column("公示截止", 0.1),
    Column("标注", 0.09),
]


def _entry_cells(v: dict) -> list[str]:
    return [v["list_type"], v["authority"], v["listed_on"], v["planned_end"], v["reason"]]


ENTRY_COLUMNS = [
    Column("序号", 0.05),
    Column("名单类型", 0.15),
    Column("认定机关", 0.17),
    Column("列入日期", 0.1),
    Column("计划移出", 0.1),
    Column("列入原因", 0.32),
    Column("标注", 0.11),
]


def _commitment_cells(v: dict) -> list[str]:
    return [v["code"], v["commitment_type"], v["matter"], v["made_on"], v["acceptor"], v["fulfilment"] or "履行中"]


CELLS = {
    "license": _license_cells,
    "penalty": _penalty_cells,
    "list_entry": _entry_cells,
    "commitment": _commitment_cells,
}


COMMITMENT_COLUMNS = [
    Column("序号", 0.05),
    Column("承诺编码", 0.17),
    Column("承诺类型", 0.12),
    Column("承诺事由", 0.27),
    Column("作出日期", 0.1),
    Column("受理单位", 0.17),
    Column("履行状态", 0.12),
]


def _of_kind(file: dict, kind: str) -> list[dict]:
    return [e for e in file["list_entries"] if e["kind"] == kind]


def _full(subject: Subject, file: dict, own: bool) -> Content:
    red, black, abnormal = (_of_kind(file, k.value) for k in (ListKind.RED, ListKind.BLACK, ListKind.ABNORMAL))
    listed = [("license", v) for v in file["licenses"]] + [("penalty", v) for v in file["penalties"]]
    listed += [("list_entry", v) for v in file["list_entries"]] + [("commitment", v) for v in file["commitments"]]
    counts = {
        "licenses": len(file["licenses"]),
        "penalties": len(file["penalties"]),
        "red": len(red),
        "black": len(black),
        "abnormal": len(abnormal),
        "commitments": len(file["commitments"]),
        "marked": sum(1 for _, v in listed if v.get("markers")),
    }
    sections = [
        Section(
            "信息概要", [Column("信息类别", 0.7), Column("条数", 0.3)], [[lb, str(counts[k])] for k, lb in FULL_COUNTS]
        ),
        _basics(subject, file, own),
        Section("行政许可信息", LICENSE_COLUMNS, _rows(file["licenses"], _license_cells)),
        Section(
            "行政处罚信息", PENALTY_COLUMNS, _rows(file["penalties"], _penalty_cells), note="公示期内的行政处罚信息。"
        ),
        Section("守信激励信息（红名单）", ENTRY_COLUMNS, _rows(red, _entry_cells)),
        Section("严重失信主体名单信息", ENTRY_COLUMNS, _rows(black, _entry_cells)),
        Section("经营异常名录信息", ENTRY_COLUMNS, _rows(abnormal, _entry_cells)),
        Section("信用承诺及履行情况", COMMITMENT_COLUMNS, _rows(file["commitments"], _commitment_cells, marked=False)),
        Section("信用评价信息", [], [], empty="无（本平台未归集可向社会公开的信用评价或分级结果）"),
        Section("其他信息", [], [], empty="无"),
    ]
    return Content(subject, file, sections, counts, [(t, v["id"], CELLS[t](v)) for t, v in listed])


FULL_COUNTS = (
    ("licenses", "行政许可"),
    ("penalties", "行政处罚（公示期内）"),
    ("red", "守信激励（红名单）"),
    ("black", "严重失信主体名单"),
    ("abnormal", "经营异常名录"),
    ("commitments", "信用承诺"),
    ("marked", "其中标注「异议处理中」或「信用修复中」的记录"),
)


@cache
def _load_fields(path: str, _mtime: float) -> tuple[report_fields.Field, ...]:
    return report_fields.load(path)


def fields() -> tuple[report_fields.Field, ...]:
    """The configured fields, read again when the file changes."""
    path = current_app.config["PORTAL_REPORT_FIELDS"]
    return _load_fields(path, os.path.getmtime(path))


def _expired_penalties(subject: Subject, period: tuple[dt.date, dt.date], today: dt.date) -> list[dict]:
    """Published penalties of the period whose display has ended: for fields configured to count them."""
    stmt = (
        select(Penalty)
        .where(
            Penalty.subject_id == subject.id,
            Penalty.state == PublicationState.PUBLISHED,
            Penalty.display_until < today,
            Penalty.decided_on.between(*period),
        )
        .order_by(Penalty.decided_on.desc(), Penalty.id.desc())
    )
    return records.present("penalty", db.session.scalars(stmt).all(), today)


def _violation_cells(record_type: str, v: dict) -> list[str]:
    if record_type == "penalty":
        what = f"{v['violation_type']}；{'、'.join(v['categories'])}：{v['content']}"
        if v.get("state") == PublicationState.EXPIRED.value:
            what += "（公示期已满，依领域规定计入）"
        return ["行政处罚", v["doc_no"], what, v["authority"], v["decided_on"]]
    return [v["kind_label"], v["list_type"], v["reason"], v["authority"], v["listed_on"]]


VIOLATION_COLUMNS = [
    Column("类别", 0.11),
    Column("文书号 / 名单类型", 0.17),
    Column("违法违规情况", 0.34),
    Column("决定（认定）机关", 0.17),
    Column("日期", 0.1),
    Column("标注", 0.11),
]


def _special(subject: Subject, file: dict, own: bool, period: tuple[dt.date, dt.date], today: dt.date) -> Content:
    start, end = period
    configured = fields()
    found: list[tuple[str, dict]] = [
        ("penalty", v) for v in file["penalties"] if start <= dt.date.fromisoformat(v["decided_on"]) <= end
    ]
    found += [("list_entry", v) for v in file["list_entries"] if v["kind"] in VIOLATION_LISTS]
    if any(f.include_expired for f in configured):
        found += [("penalty", v) for v in _expired_penalties(subject, period, today)]
    by_field: dict[str, list[tuple[str, dict]]] = {f.name: [] for f in configured}
    by_field[report_fields.OTHER] = []
    for record_type, v in found:
        owner = report_fields.field_of(configured, v["authority"], v.get("authority_uscc"))
        if v.get("state") == PublicationState.EXPIRED.value and not (owner and owner.include_expired):
            continue
        by_field[owner.name if owner else report_fields.OTHER].append((record_type, v))
    listed = [item for items in by_field.values() for item in items]
    summary = [[name, CLEAN if not items else f"有违法违规记录 {len(items)} 条"] for name, items in by_field.items()]
    sections = [
        Section(
            "分领域结论",
            [Column("领域", 0.3), Column("结论", 0.7)],
            summary,
            note=f"报告期：{start.isoformat()} 至 {end.isoformat()}。",
        ),
        _basics(subject, file, own),
    ]
    sections += [
        Section(
            f"{name}领域违法违规记录", VIOLATION_COLUMNS, [[*_violation_cells(t, v), _markers(v)] for t, v in items]
        )
        for name, items in by_field.items()
        if items
    ]
    sections.append(
        Section(
            "领域划分及计入口径",
            [Column("领域", 0.18), Column("决定机关（名称包含或统一社会信用代码）", 0.5), Column("计入口径", 0.32)],
            [
                [
                    f.name,
                    "、".join(f.keywords + f.usccs),
                    f"公示中及公示期满的行政处罚（依据：{f.rule}）" if f.include_expired else "报告期内公示中的信息",
                ]
                for f in configured
            ]
            + [[report_fields.OTHER, "未列入以上领域的决定机关", "报告期内公示中的信息"]],
        )
    )
    counts = {"fields": {name: len(items) for name, items in by_field.items()}, "total": len(listed)}
    records = [(t, v["id"], _violation_cells(t, v)) for t, v in listed]
    return Content(subject, file, sections, counts, records, period=period)


def period_for(years: int, today: dt.date) -> tuple[dt.date, dt.date]:
    try:
        start = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - years, day=28)
    return start + dt.timedelta(days=1), today


def collect(subject: Subject, kind: str, own: bool = False, period: tuple[dt.date, dt.date] | None = None) -> Content:
    """The report's content as of today (also used to recompute it when a report is verified)."""
    file = subjects.file_for(subject)
    if kind == "special":
        return _special(subject, file, own, period, clock.today())
    return _full(subject, file, own)


# Issuing --------------------------------------------------------------------------------------------


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issued_with(token: str | None) -> ReportIssue | None:
    if not token:
        return None
    return db.session.scalar(select(ReportIssue).where(ReportIssue.submission_token == _token_key(token)))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _next_number(kind: str, day: dt.date) -> str:
    prefix = report_numbers.number_prefix(kind, day)
    last = db.session.scalar(select(func.max(ReportIssue.number)).where(ReportIssue.number.startswith(prefix)))
    serial = serials.next_value(f"report:{prefix}", start=int(last[len(prefix) :]) + 1 if last else 1)
    return report_numbers.number(kind, day, serial)


def _identity_rows(subject: Subject, file: dict, own: bool) -> list[tuple[str, str]]:
    s = file["subject"]
    if subject.is_person:
        id_no = subject.id_no if own else s["id_no"]
        return [("姓名", subject.name if own else s["name"]), ("证件号码", id_no or "—"), ("主体类别", s["kind"])]
    return [("主体名称", s["name"]), ("统一社会信用代码", s["uscc"] or "—"), ("主体类别", s["kind"])]


def _closing(content: Content, kind: str, own: bool) -> list[str]:
    objection = url_for("public.objection_guide", _external=True)
    repair = url_for("public.repair_guide", _external=True)
    notes = [
        "一、本报告依据本平台在出具时向社会公开的信用信息生成，内容与本平台「信用档案」页面当日公开的信息一致；"
        "已信用修复、公示期满或已撤销的信息依规不再公开，亦不在本报告中列出。",
        "二、本平台客观展示各部门依法报送的信用信息，不对源数据作修改，不作信用评分或评价。",
        "三、标注「异议处理中」的记录正在办理异议申诉，标注「信用修复中」的记录正在办理信用修复，最终结果以办理结论为准。",
        f"四、对报告所列信息有异议的，可通过 {objection} 申请异议处理；符合条件的可通过 {repair} 申请信用修复，"
        "信用修复不收取任何费用。",
        "五、本报告已加具出具机构的电子签名，可在常见PDF阅读器中查看签名及文件是否被改动；"
        "亦可在核验页面输入报告编号和验证码、扫描封面二维码或上传本报告PDF文件，核验真伪及出具后信息是否发生变化。",
    ]
    if kind == "special":
        notes.insert(
            1,
            "　　专用信用报告按领域列明报告期内的行政处罚和现列入的严重失信主体名单、经营异常名录信息；"
            "某一领域列明「无违法违规记录」，指本平台在报告期内未公开该领域决定机关作出的上述信息。",
        )
    if content.subject.is_person:
        notes.append(
            "六、本报告系信用主体本人经身份核验后在信用窗口查询，封面及登记信息载明本人完整身份信息，请妥善保管；"
            "各项记录按向社会公开的口径列出。"
            if own
            else "六、自然人的姓名、证件号码等个人信息已按规定遮蔽。"
        )
    return notes


def _document(content: Content, kind: str, number: str, code: str, now: dt.datetime, req: Request) -> pdf.Report:
    cover = [
        *_identity_rows(content.subject, content.file, req.own_report),
        ("报告编号", number),
        ("出具时间", now.strftime("%Y-%m-%d %H:%M")),
        ("出具机构", city.current().issuer),
        ("出具渠道", CHANNELS[req.channel]),
        ("报告用途", req.purpose or NO_PURPOSE),
    ]
    if content.period:
        cover.append(("报告期", f"{content.period[0].isoformat()} 至 {content.period[1].isoformat()}"))
    if req.requester_name:
        cover.append(("查询人", req.requester_name))
    return pdf.Report(
        title=KINDS[kind],
        number=number,
        code=report_numbers.printed_code(code),
        verify_url=url_for("public.report_verify", number=number, code=code, _external=True),
        verify_page=url_for("public.report_verify", _external=True),
        issuer=city.current().issuer,
        cover=cover,
        tags=content.file["tags"],
        cover_notes=[
            "输入报告编号和验证码、扫描二维码或上传本报告PDF文件，可核验本报告是否为本平台出具、是否被改动，"
            "以及出具后该主体的公开信用信息是否发生变化。"
        ],
        sections=content.sections,
        closing=_closing(content, kind, req.own_report),
    )


def snapshot(content: Content, salt: str) -> dict[str, str]:
    """Per record listed: keyed fingerprint of its identity -> digest of what the report printed about it."""
    return {
        fingerprint(salt, record_key(t, record_id)): content_digest(cells) for t, record_id, cells in content.records
    }


def check_available(subject: Subject, req: Request) -> None:
    """Refuse what may not be issued: online, a natural person's report only while something is public."""
    if req.kind not in KINDS or req.channel not in CHANNELS:
        raise NotAvailable("不支持的报告类型")
    if req.purpose is not None and req.purpose not in PURPOSES:
        raise NotAvailable("请选择列表中的报告用途")
    if req.kind == "special" and req.years not in SPECIAL_YEARS:
        raise NotAvailable("报告期须为近1、2、3或5年")
    if req.own_report and not (subject.is_person and req.channel == "counter" and req.staff is not None):
        raise NotAvailable(OWN_REPORT_AT_COUNTER)


def issue(subject: Subject, req: Request) -> Issued:
    """Number, render, sign, record and log a report; commits. Raises NotAvailable or Duplicate."""
    check_available(subject, req)
    earlier = _issued_with(req.token)
    if earlier is not None:
        raise Duplicate(earlier)
    now = clock.now()
    period = period_for(req.years, now.date()) if req.kind == "special" else None
    content = collect(subject, req.kind, req.own_report, period)
    if subject.is_person and not req.own_report and not any(content.file["counts"].values()):
        # As the credit file page: a person with nothing public has no public file to report on.
        raise NotAvailable("该自然人没有向社会公开的信用信息。" + OWN_REPORT_AT_COUNTER)
    # The number is committed before the slow part, so that no lock is held while the PDF is made.
    number = _next_number(req.kind, now.date())
    db.session.commit()
    code = report_numbers.new_code()
    document = _document(content, req.kind, number, code, now, req)
    signed = signing.sign(
        pdf.render(document),
        signing.identity(current_app.config),
        reason=f"{KINDS[req.kind]} {number}",
        location=city.current().city,
        name=city.current().issuer,
    )
    salt = secrets.token_hex(16)
    row = ReportIssue(
        number=number,
        kind=req.kind,
        subject_id=subject.id,
        subject_name=_identity_rows(subject, content.file, req.own_report)[0][1],
        issued_at=now.astimezone(dt.timezone.utc),
        channel=req.channel,
        purpose=req.purpose,
        requester_name=req.requester_name,
        own_report=req.own_report,
        staff_user_id=getattr(req.staff, "id", None),
        period_from=period[0] if period else None,
        period_to=period[1] if period else None,
        sha256=hashlib.sha256(signed).hexdigest(),
        code_hash=secret_hashes.hash_code(code),
        counts=content.counts,
        snapshot={"salt": salt, "records": snapshot(content, salt)},
        submission_token=_token_key(req.token) if req.token else None,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = _issued_with(req.token)
        if earlier is None:
            raise
        raise Duplicate(earlier) from None  # the same form posted twice at once: the other post issued it
    if req.channel == "counter":
        audit.record(
            "report_issued",
            user=req.staff,
            entity_type="report_issue",
            entity_id=row.id,
            after={
                "number": number,
                "kind": KINDS[req.kind],
                "subject": subject_ref(subject),
                "channel": CHANNELS[req.channel],
                "purpose": req.purpose or NO_PURPOSE,
                "requester": req.requester_name,
                "own_report": req.own_report,
            },
        )
    db.session.commit()
    log.info(
        "report issued number=%s subject=%s channel=%s purpose=%s",
        number,
        subject_ref(subject),
        req.channel,
        req.purpose or "-",
    )
    return Issued(row, code, signed)


# Figures --------------------------------------------------------------------------------------------


def issued_by_purpose(date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[dict]:
    """Reports issued per purpose and channel between two days (China time, inclusive): for the
    dashboard and the statistics module. Every purpose is listed, with zeros."""
    stmt = select(ReportIssue.purpose, ReportIssue.channel, func.count()).group_by(
        ReportIssue.purpose, ReportIssue.channel
    )
    if date_from:
        stmt = stmt.where(ReportIssue.issued_at >= utc_midnight(date_from))
    if date_to:
        stmt = stmt.where(ReportIssue.issued_at < utc_midnight(date_to + dt.timedelta(days=1)))
    rows = {p: {"purpose": p, "online": 0, "counter": 0, "total": 0} for p in (*PURPOSES, NO_PURPOSE)}
    for purpose, channel, n in db.session.execute(stmt):
        row = rows[purpose or NO_PURPOSE]
        row[channel] += n
        row["total"] += n
    return list(rows.values())


def utc_midnight(day: dt.date) -> dt.datetime:
    """The start of a China-time day in UTC, as issue times are stored."""
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.CHINA).astimezone(dt.timezone.utc)


def issued_at_counter_today(limit: int = 50) -> list[ReportIssue]:
    """The service hall's reports of today, newest first."""
    stmt = (
        select(ReportIssue)
        .where(ReportIssue.channel == "counter", ReportIssue.issued_at >= utc_midnight(clock.today()))
        .order_by(ReportIssue.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
