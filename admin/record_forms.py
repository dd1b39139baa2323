"""Forms of the 录入/审核 screens: one field per national field, labelled with the national header.

Fields are plain text: the importer's RowValidator checks them exactly as it checks a file row, and
its messages are attached to the fields by header.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal import city, reference
from portal.importer.headers import HEADERS, INDUSTRY, LICENSE, PENALTY, PROJECT, REQUIRED
from portal.models import ListKind
from portal.models.lists import LIST_TYPES
from portal.models.subject import SubjectKind
from portal.rules.categories import LICENSE_CATEGORIES
from portal.rules.publicity import SEVERITIES

# Form field name -> national header, in the national order.
SUBJECT_FIELDS = (
    ("subject_name", "行政相对人名称"),
    ("subject_kind", "行政相对人类别"),
    ("uscc", "统一社会信用代码"),
    ("business_reg_no", "工商注册号"),
    ("org_code", "组织机构代码"),
    ("tax_reg_no", "税务登记号"),
    ("institution_cert_no", "事业单位证书号"),
    ("social_org_reg_no", "社会组织登记证号"),
    ("legal_rep", "法定代表人"),
    ("legal_rep_id_type", "法定代表人证件类型"),
    ("legal_rep_id_no", "法定代表人证件号码"),
    ("id_type", "证件类型"),
    ("id_no", "证件号码"),
)
DECISION_FIELDS = {
    LICENSE: (
        ("doc_name", "行政许可决定文书名称"),
        ("doc_no", "行政许可决定文书号"),
        ("category", "许可类别"),
        ("cert_name", "许可证书名称"),
        ("license_no", "许可编号"),
        ("content", "许可内容"),
        ("decided_on", "许可决定日期"),
        ("valid_from", "有效期自"),
        ("valid_to", "有效期至"),
        ("authority", "许可机关"),
        ("authority_uscc", "许可机关统一社会信用代码"),
        ("current_status", "当前状态"),
        ("source_unit", "数据来源单位"),
        ("source_unit_uscc", "数据来源单位统一社会信用代码"),
        ("remarks", "备注"),
        ("industry", INDUSTRY),
        ("project", PROJECT),
    ),
    PENALTY: (
        ("doc_no", "行政处罚决定书文号"),
        ("violation_type", "违法行为类型"),
        ("facts", "违法事实"),
        ("basis", "处罚依据"),
        ("categories", "处罚类别"),
        ("content", "处罚内容"),
        ("fine_wan", "罚款金额(万元)"),
        ("confiscated_wan", "没收违法所得、没收非法财物的金额(万元)"),
        ("license_affected", "暂扣或吊销证照名称及编号"),
        ("decided_on", "处罚决定日期"),
        ("penalty_valid_to", "处罚有效期"),
        ("publicity_deadline", "公示截止期"),
        ("authority", "处罚机关"),
        ("authority_uscc", "处罚机关统一社会信用代码"),
        ("source_unit", "数据来源单位"),
        ("source_unit_uscc", "数据来源单位统一社会信用代码"),
        ("remarks", "备注"),
        ("severity", "失信严重程度"),
        ("industry", INDUSTRY),
        ("project", PROJECT),
    ),
}
for _kind, _fields in DECISION_FIELDS.items():  # the form covers exactly the national field list
    assert tuple(h for _, h in SUBJECT_FIELDS + _fields) == HEADERS[_kind]

_LONG = {"content", "facts", "basis", "remarks"}
_DATE = "YYYY-MM-DD"
_HELP = {
    "subject_kind": "自然人填写证件类型和证件号码；法人及非法人组织、个体工商户填写统一社会信用代码",
    "categories": "可多选，以分号分隔，如：警告;罚款",
    "fine_wan": "单位：万元，最多6位小数（如罚款5000元填0.5）",
    "confiscated_wan": "单位：万元",
    "decided_on": _DATE,
    "valid_from": _DATE,
    "valid_to": f"{_DATE}，或“长期”",
    "penalty_valid_to": f"{_DATE}，或“长期”",
    "publicity_deadline": f"{_DATE}（可空）",
    "severity": "空白按“一般”；决定公示期限",
    "industry": "空白按决定机关的默认行业",
    "project": "可选：该行政相对人已审核的项目/设施（填写统一社会信用代码后点“按所填统一社会信用代码列出所属项目”）",
}
NO_PROJECT = SelectChoice("", "（不属于任何项目）")
_CHOICES = {
    "subject_kind": [SelectChoice("", "请选择")] + [SelectChoice(k.value) for k in SubjectKind],
    "category": [SelectChoice("", "请选择")] + [SelectChoice(c) for c in LICENSE_CATEGORIES],
    "severity": [SelectChoice("", "（空白，按一般）")] + [SelectChoice(s) for s in SEVERITIES],
    # Read when the form is built: the configured list (PORTAL_INDUSTRIES_FILE).
    "industry": lambda: (
        [SelectChoice("", "（空白，按决定机关）")] + [SelectChoice(n) for n in reference.industries().names]
    ),
}


def _field(kind: str, name: str, header: str):
    label = header + ("（必填）" if header in REQUIRED[kind] else "")
    description = _HELP.get(name, "")
    if name == "project":  # choices: the subject's approved projects, set by the view (project_choices)
        return SelectField(label, choices=[NO_PROJECT], validate_choice=False, description=description)
    if name in _CHOICES:
        return SelectField(label, choices=_CHOICES[name], validate_choice=False, description=description)
    if name in _LONG:
        return TextAreaField(label, description=description)
    return StringField(label, description=description)


def _form_class(kind: str) -> type[FlaskForm]:
    fields = {name: _field(kind, name, header) for name, header in SUBJECT_FIELDS + DECISION_FIELDS[kind]}
    # Shown only after a warning that the code is registered under another name (重错码).
    fields["confirm_name"] = BooleanField(
        "名称与已登记名称不一致，确认按本次填写的名称保存（记为重错码待核实，主体名称不变）"
    )
    return type(f"{kind.title()}Form", (FlaskForm,), fields)


FORMS = {kind: _form_class(kind) for kind in (LICENSE, PENALTY)}


def field_headers(kind: str) -> dict[str, str]:
    return dict(SUBJECT_FIELDS + DECISION_FIELDS[kind])


def values_by_header(kind: str, form) -> dict[str, str]:
    return {header: (form[name].data or "").strip() for name, header in field_headers(kind).items()}


def attach_errors(kind: str, form, errors: dict[str, list[str]]) -> list[str]:
    """Put each message on its field; messages without a field are returned for the page."""
    by_header = {header: name for name, header in field_headers(kind).items()}
    loose = []
    for header, messages in errors.items():
        name = by_header.get(header)
        if name is None:
            loose += messages
        else:
            form[name].errors = list(form[name].errors) + messages
    return loose


class ReasonForm(FlaskForm):
    reason = TextAreaField("原因", validators=[Length(max=500, message="原因不能超过500个字符")])


class ImportForm(FlaskForm):
    kind = SelectField(
        "数据类别",
        choices=[SelectChoice(LICENSE, "行政许可"), SelectChoice(PENALTY, "行政处罚")],
        validators=[DataRequired("请选择数据类别")],
    )
    file = FileField(
        "导入文件（CSV或XLSX，国家双公示数据标准表头）",
        validators=[FileRequired("请选择要导入的文件"), FileAllowed(["csv", "xlsx"], "只支持CSV或XLSX文件")],
        description="CSV支持UTF-8或GB18030（GBK）编码；最大50MB",
    )


class ListEntryForm(FlaskForm):
    subject_uscc = StringField("统一社会信用代码（必填）", description="主体须已在系统中")
    kind = SelectField(
        "名单类别（必填）",
        choices=[SelectChoice("", "请选择")] + [SelectChoice(k.value, k.label) for k in ListKind],
        validate_choice=False,
    )
    list_type = SelectField(
        "名单类型（必填）",
        validate_choice=False,
        choices=[SelectChoice("", "请选择")]
        + [SelectChoice(t) for t in dict.fromkeys(t for k in ListKind for t in LIST_TYPES[k])],
    )
    authority = StringField("认定机关（必填）")
    authority_uscc = StringField("认定机关统一社会信用代码")
    reason = TextAreaField("列入原因（必填）")
    basis = TextAreaField("认定依据（必填）")
    listed_on = StringField("列入日期（必填）", description=_DATE)
    planned_end = StringField("计划移出日期", description=f"{_DATE}（可空）")


class RemovalForm(FlaskForm):
    removed_on = StringField("移出日期（必填）", description=_DATE)
    removal_reason = TextAreaField("移出原因（必填）")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def project_choices(form, choices: list[tuple[str, str]]) -> None:
    """The record's project field offers these (code, label) pairs besides 'none'."""
    form.project.choices = [NO_PROJECT] + [SelectChoice(code, label) for code, label in choices]


def subject_data(subject) -> dict[str, str]:
    """Form data of a known subject's fields (a record entered for a project starts from them)."""
    data = {name: _text(getattr(subject, name)) for name, _ in SUBJECT_FIELDS[2:]}
    data.update(subject_name=subject.name, subject_kind=subject.kind.value)
    return data


def record_data(kind: str, record) -> dict[str, str]:
    """Form data showing a stored record, for its edit form."""
    data = {**subject_data(record.subject), "subject_name": record.subject_name}
    for name, _ in DECISION_FIELDS[kind]:
        data[name] = _text(getattr(record, name)) if name != "project" else ""
    if record.project is not None:
        data["project"] = record.project.code
    if kind == LICENSE and record.valid_to_long_term:
        data["valid_to"] = "长期"
    if kind == PENALTY and record.penalty_valid_long_term:
        data["penalty_valid_to"] = "长期"
    return data


class ProjectForm(FlaskForm):
    """项目/设施: the service checks every value (unknown kinds, industries, districts are refused)."""

    subject_uscc = StringField("企业统一社会信用代码（必填）", description="企业须已在系统中")
    name = StringField("项目/设施名称（必填）")
    kind = SelectField(
        "类型（必填）",
        validate_choice=False,
        choices=lambda: [SelectChoice("", "请选择")] + [SelectChoice(n) for n in reference.project_kinds().names],
    )
    industry = SelectField(
        "所属行业（必填）",
        validate_choice=False,
        choices=lambda: [SelectChoice("", "请选择")] + [SelectChoice(n) for n in reference.industries().names],
    )
    district = SelectField(
        "所在区县（必填）",
        validate_choice=False,
        choices=lambda: [SelectChoice("", "请选择")] + [SelectChoice(d.code, d.name) for d in city.current().districts],
    )
    address = StringField("地址")
    start_on = StringField("开始日期（必填）", description=_DATE)
    end_on = StringField("结束日期", description=f"{_DATE}（仍在进行的留空）")
    remarks = TextAreaField("备注", description="仅后台可见")
