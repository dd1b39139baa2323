"""Row validation, as the national exchange does it: every problem reported with its column."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from portal import reference
from portal.importer.headers import AUTHORITY_USCC, DOC_NO, INDUSTRY, LICENSE, PENALTY, PROJECT
from portal.models.subject import SubjectKind
from portal.rules import idcard, overreach, publicity, uscc
from portal.rules.categories import LICENSE_CATEGORIES, PENALTY_CATEGORIES
from portal.rules.parsing import ParseError, parse_amount_wan, parse_date, parse_date_or_long_term, split_multi
from portal.rules.text import clean_cell, fold, normalise_name

SUBJECT_KINDS = {k.value: k for k in SubjectKind}
_CATEGORY_ORDER = {c: i for i, c in enumerate(PENALTY_CATEGORIES)}

OLD_CODE_HEADERS = ("工商注册号", "组织机构代码", "税务登记号", "事业单位证书号", "社会组织登记证号")
PERSON_ONLY = ("证件类型", "证件号码")
ORG_ONLY = ("统一社会信用代码", "法定代表人", "法定代表人证件类型", "法定代表人证件号码") + OLD_CODE_HEADERS

# Column widths of the tables (a longer value would fail on PostgreSQL halfway through a batch).
MAX_LENGTH = {
    PROJECT: 200,
    "行政相对人名称": 200,
    "统一社会信用代码": 64,
    "法定代表人": 100,
    "法定代表人证件类型": 100,
    "法定代表人证件号码": 64,
    "证件类型": 100,
    "证件号码": 64,
    "行政许可决定文书名称": 200,
    "行政许可决定文书号": 128,
    "行政处罚决定书文号": 128,
    "许可证书名称": 200,
    "许可编号": 128,
    "许可机关": 200,
    "处罚机关": 200,
    "数据来源单位": 200,
    "当前状态": 100,
    "违法行为类型": 500,
    "暂扣或吊销证照名称及编号": 500,
    **{h: 64 for h in OLD_CODE_HEADERS},
}

ERROR, WARNING = "错误", "警告"


@dataclass
class Problem:
    line: int
    column: str
    message: str
    level: str = ERROR


@dataclass
class ValidRow:
    line: int
    subject: dict
    record: dict
    natural_key: tuple[str, str]
    # 所属项目 as written: resolved against the subject's approved projects when the row is written.
    project_ref: str = ""


@dataclass
class _Row:
    """Cells of one row by header, collecting problems as fields are read."""

    cells: dict[str, str]
    line: int
    problems: list[Problem] = field(default_factory=list)

    def get(self, header: str) -> str:
        return self.cells.get(header, "")

    def error(self, header: str, message: str) -> None:
        self.problems.append(Problem(self.line, header, message))

    def required(self, header: str) -> str:
        value = self.get(header)
        if not value:
            self.error(header, f"“{header}”为必填项")
        return value

    def date(self, header: str, *, required: bool = False, long_term: bool = False):
        value = self.required(header) if required else self.get(header)
        if not value:
            return (None, False) if long_term else None
        try:
            return parse_date_or_long_term(value) if long_term else parse_date(value)
        except ParseError as e:
            self.error(header, str(e))
            return (None, False) if long_term else None

    def amount(self, header: str):
        value = self.get(header)
        if not value:
            return None
        try:
            return parse_amount_wan(value)
        except ParseError as e:
            self.error(header, str(e))
            return None

    def code(self, header: str, *, required: bool = False) -> str | None:
        value = self.required(header) if required else self.get(header)
        if not value:
            return None
        check = uscc.validate(value)
        for message in check.errors:
            self.error(header, message)
        for message in check.warnings:
            self.problems.append(Problem(self.line, header, message, WARNING))
        return check.code


def _subject(row: _Row) -> dict | None:
    name = row.required("行政相对人名称")
    kind_text = row.required("行政相对人类别")
    kind = SUBJECT_KINDS.get(kind_text)
    if kind_text and kind is None:
        row.error("行政相对人类别", f"行政相对人类别“{kind_text}”无效，应为：" + "、".join(SUBJECT_KINDS))
    if kind is None:
        return None
    subject = {"kind": kind, "name": name, "name_norm": normalise_name(name)}

    if kind == SubjectKind.PERSON:
        for header in ORG_ONLY:
            if row.get(header):
                row.error(header, f"自然人不应填写“{header}”")
        id_type, id_no = row.required("证件类型"), row.required("证件号码").upper()
        if id_type == idcard.ID_CARD and id_no:
            for message in idcard.validate(id_no):
                row.error("证件号码", message)
        subject.update(id_type=id_type, id_no=id_no, subject_key=f"ID:{id_type}:{id_no}")
        return subject

    for header in PERSON_ONLY:
        if row.get(header):
            row.error(header, f"{kind.value}不应填写“{header}”（自然人专用）")
    code = row.code("统一社会信用代码")
    old = {h: row.get(h) for h in OLD_CODE_HEADERS}
    if not code and not any(old.values()):
        row.error("统一社会信用代码", "法人及非法人组织、个体工商户须填写统一社会信用代码或原有登记代码之一")
    legal_rep = row.required("法定代表人") if kind == SubjectKind.ORGANISATION else row.get("法定代表人")
    rep_id_type, rep_id_no = row.get("法定代表人证件类型"), row.get("法定代表人证件号码").upper()
    if rep_id_no and not rep_id_type:
        row.error("法定代表人证件类型", "填写了法定代表人证件号码时须填写证件类型")
    if rep_id_type == idcard.ID_CARD and rep_id_no:
        for message in idcard.validate(rep_id_no):
            row.error("法定代表人证件号码", message)
    first_old = next(((h, v) for h, v in old.items() if v), None)
    key = f"USCC:{code}" if code else (f"OLD:{first_old[0]}:{first_old[1]}" if first_old else "")
    subject.update(
        uscc=code,
        region_code=uscc.region_code(code) if code else None,
        business_reg_no=old["工商注册号"] or None,
        org_code=old["组织机构代码"] or None,
        tax_reg_no=old["税务登记号"] or None,
        institution_cert_no=old["事业单位证书号"] or None,
        social_org_reg_no=old["社会组织登记证号"] or None,
        legal_rep=legal_rep or None,
        legal_rep_id_type=rep_id_type or None,
        legal_rep_id_no=rep_id_no or None,
        subject_key=key,
    )
    return subject


def _decision_date(row: _Row, header: str, today: dt.date):
    decided_on = row.date(header, required=True)
    if decided_on and decided_on > today:
        row.error(header, f"决定日期{decided_on:%Y-%m-%d}晚于今天，不能是将来的日期")
    return decided_on


def _common(row: _Row, kind: str, today: dt.date) -> dict:
    authority_uscc = AUTHORITY_USCC[kind]
    return {
        "doc_no": row.required(DOC_NO[kind]),
        "decided_on": _decision_date(row, "许可决定日期" if kind == LICENSE else "处罚决定日期", today),
        "authority": row.required(authority_uscc.removesuffix("统一社会信用代码")),
        "authority_uscc": row.code(authority_uscc, required=True),
        "source_unit": row.required("数据来源单位"),
        "source_unit_uscc": row.code("数据来源单位统一社会信用代码", required=True),
        "remarks": row.get("备注") or None,
    }


def _license(row: _Row, today: dt.date) -> dict:
    record = _common(row, LICENSE, today)
    _overreach(row, ("许可内容", "行政许可决定文书名称", "备注"))
    category = row.required("许可类别")
    if category and category not in LICENSE_CATEGORIES:
        row.error("许可类别", f"许可类别“{category}”无效，应为：" + "、".join(LICENSE_CATEGORIES))
    valid_from = row.date("有效期自")
    valid_to, long_term = row.date("有效期至", long_term=True)
    if valid_from and valid_to and valid_to < valid_from:
        row.error("有效期至", "有效期至不能早于有效期自")
    record.update(
        doc_name=row.get("行政许可决定文书名称") or None,
        category=category,
        cert_name=row.get("许可证书名称") or None,
        license_no=row.get("许可编号") or None,
        content=row.get("许可内容") or None,
        valid_from=valid_from,
        valid_to=valid_to,
        valid_to_long_term=long_term,
        current_status=row.get("当前状态") or None,
    )
    return record


def _overreach(row: _Row, headers: tuple[str, ...]) -> None:
    """Refuse a row describing what is not credit information, on the first column showing it."""
    finding = overreach.classify(
        *(row.get(h) for h in headers), organisation=row.get("行政相对人类别") != SubjectKind.PERSON.value
    )
    if finding:
        column = next((h for h in headers if any(w in fold(row.get(h)) for w in finding.words)), headers[0])
        row.error(column, finding.message)


def _penalty(row: _Row, today: dt.date) -> dict:
    record = _common(row, PENALTY, today)
    violation_type, facts = row.required("违法行为类型"), row.required("违法事实")
    _overreach(row, ("违法行为类型", "违法事实", "处罚依据", "处罚内容", "备注"))

    categories = split_multi(row.required("处罚类别"))
    unknown = [c for c in categories if c not in _CATEGORY_ORDER]
    if unknown:
        row.error("处罚类别", f"处罚类别“{'、'.join(unknown)}”无效，应为：" + "、".join(PENALTY_CATEGORIES))
    categories = sorted(set(categories) - set(unknown), key=_CATEGORY_ORDER.get)

    fine = row.amount("罚款金额(万元)")
    confiscated = row.amount("没收违法所得、没收非法财物的金额(万元)")
    if "罚款" in categories and fine is None:
        row.error("罚款金额(万元)", "处罚类别含罚款时，罚款金额为必填项")
    if {"没收违法所得", "没收非法财物"} & set(categories) and confiscated is None:
        row.error("没收违法所得、没收非法财物的金额(万元)", "处罚类别含没收时，没收金额为必填项")
    license_affected = row.get("暂扣或吊销证照名称及编号")
    if {"暂扣许可证件", "吊销许可证件"} & set(categories) and not license_affected:
        row.error("暂扣或吊销证照名称及编号", "处罚类别含暂扣或吊销许可证件时，须填写证照名称及编号")

    decided_on = record["decided_on"]
    valid_to, valid_long = row.date("处罚有效期", long_term=True)
    deadline = row.date("公示截止期")
    if decided_on:
        if valid_to and valid_to < decided_on:
            row.error("处罚有效期", "处罚有效期不能早于处罚决定日期")
        if deadline and deadline < decided_on:
            row.error("公示截止期", "公示截止期不能早于处罚决定日期")
    severity = row.get("失信严重程度") or publicity.DEFAULT_SEVERITY
    if severity not in publicity.SEVERITIES:
        row.error("失信严重程度", f"失信严重程度“{severity}”无效，应为：轻微、一般、严重（空白按一般）")
        severity = publicity.DEFAULT_SEVERITY
    record.update(
        violation_type=violation_type,
        facts=facts,
        basis=row.required("处罚依据"),
        categories=";".join(categories),
        content=row.required("处罚内容"),
        fine_wan=fine,
        confiscated_wan=confiscated,
        license_affected=license_affected or None,
        penalty_valid_to=valid_to,
        penalty_valid_long_term=valid_long,
        publicity_deadline=deadline,
        severity=severity,
    )
    if decided_on:
        beyond = publicity.deadline_beyond_maximum(severity, decided_on, deadline)
        if beyond:
            row.problems.append(Problem(row.line, "公示截止期", beyond, WARNING))
        window = publicity.penalty_window(severity, decided_on, deadline)
        record.update(repair_from=window.repair_from, display_until=window.display_until)
    return record


def _digest(subject: dict, record: dict) -> str:
    payload = json.dumps([subject, record], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class RowValidator:
    def __init__(self, kind: str, headers: list[str], today: dt.date):
        self.kind, self.headers, self.today = kind, headers, today
        self._record = _license if kind == LICENSE else _penalty
        self._seen: dict[tuple[str, str], int] = {}
        self.industries = reference.industries()

    def _industry(self, row: _Row, record: dict) -> str | None:
        """所属行业 as given (a known industry), else the deciding authority's default one."""
        value = row.get(INDUSTRY)
        if not value:
            return self.industries.for_authority(record["authority"])
        if not self.industries.known(value):
            row.error(INDUSTRY, f"所属行业“{value}”不在行业目录中，应为：" + "、".join(self.industries.names))
        return value

    def validate(self, cells: list, line: int) -> tuple[ValidRow | None, list[Problem]]:
        if len(cells) > len(self.headers) and any(clean_cell(c) for c in cells[len(self.headers) :]):
            return None, [Problem(line, "", f"本行有{len(cells)}列，多于表头的{len(self.headers)}列")]
        row = _Row({h: clean_cell(c) for h, c in zip(self.headers, cells, strict=False)}, line)
        for header, limit in MAX_LENGTH.items():
            if len(row.get(header)) > limit:
                row.error(header, f"“{header}”超过{limit}个字符")
        subject = _subject(row)
        record = self._record(row, self.today)
        record["industry"] = self._industry(row, record)
        if any(p.level == ERROR for p in row.problems) or subject is None:
            return None, row.problems
        key = (record["doc_no"], record["authority_uscc"])
        first = self._seen.setdefault(key, line)
        if first != line:
            row.error(DOC_NO[self.kind], f"与第{first}行的文书号和决定机关重复")
            return None, row.problems
        record["subject_name"] = subject["name"]
        project_ref = row.get(PROJECT)
        # Rows without a project keep the digest they had before the column existed.
        record["source_hash"] = _digest(subject, {**record, "project": project_ref} if project_ref else record)
        return ValidRow(line, subject, record, key, project_ref), row.problems


def is_blank(cells: list) -> bool:
    return not any(str(c).strip() for c in cells if c is not None)
