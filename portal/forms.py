"""Public forms of the online services (Flask-WTF: each carries a CSRF token).

Field checks that need no database live here (required, lengths, formats, the USCC check digit);
the services check the rest. Messages are Chinese and name the field's problem.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import BooleanField, DateField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from portal import clock
from portal.models import CommitmentType
from portal.models.applications import DISCLOSURE_TYPES, OBJECTION_GROUNDS
from portal.rules import uscc
from portal.rules.receipts import CODE_LENGTH

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FILE_HINT = "PDF、JPG或PNG格式，每个文件不超过10MB，每次最多5个"


def _uscc_check(_form, field) -> None:
    if field.data:
        result = uscc.validate(field.data)
        if result.errors:
            raise ValidationError(result.errors[0])


def _required(label: str):
    return DataRequired(f"请填写{label}")


class ChineseForm(FlaskForm):
    """WTForms' own messages (invalid choice, bad date...) in Chinese."""

    class Meta:
        locales = ("zh",)


class ContactFields:
    contact_name = StringField("经办人姓名", validators=[_required("经办人姓名"), Length(max=64, message="姓名过长")])
    contact_phone = StringField(
        "联系电话",
        validators=[_required("联系电话"), Regexp(PHONE, message="请填写正确的手机号码或固定电话（如 0574-87654321）")],
        description="用于工作人员联系您核实情况，不会公开",
    )
    contact_email = StringField(
        "电子邮箱（可选）", validators=[Optional(), Length(max=128), Regexp(EMAIL, message="电子邮箱格式不正确")]
    )


class SubmissionForm(ChineseForm):
    # One-off token of the form as rendered: the same form posted twice makes one submission.
    token = HiddenField()


class CommitmentForm(ContactFields, SubmissionForm):
    type = SelectField("承诺类型", choices=[SelectChoice(t.value) for t in CommitmentType])
    committer_name = StringField("承诺主体名称", validators=[_required("承诺主体名称"), Length(max=200)])
    uscc = StringField("统一社会信用代码", validators=[_required("统一社会信用代码"), _uscc_check])
    department_id = SelectField("受理单位", coerce=int, validate_choice=False)
    matter = TextAreaField(
        "承诺事由",
        validators=[_required("承诺事由"), Length(max=500, message="承诺事由不能超过500字")],
        description="例如：申请办理食品经营许可（告知承诺制）",
    )
    content = TextAreaField("补充承诺内容（可选）", validators=[Optional(), Length(max=2000, message="不能超过2000字")])
    valid_until = DateField("承诺有效期至（可选）", validators=[Optional()], format="%Y-%m-%d")
    disclosure = SelectField("公开类型", choices=[SelectChoice(d) for d in DISCLOSURE_TYPES])
    signer = StringField("法定代表人（负责人）签名", validators=[_required("法定代表人（负责人）姓名"), Length(max=64)])
    attachments = MultipleFileField("附件（可选）", description=FILE_HINT)
    consent = BooleanField(
        "本单位已阅读上述信用承诺书，承诺内容真实，同意按承诺书接受监督并依法公开",
        validators=[DataRequired("请阅读承诺书并勾选同意")],
    )

    def validate_valid_until(self, field) -> None:
        if field.data and field.data < clock.today():
            raise ValidationError("承诺有效期不能早于今天")


class ObjectionForm(ContactFields, SubmissionForm):
    record_type = HiddenField()
    record_id = HiddenField()
    ground = SelectField(
        "异议理由",
        choices=[SelectChoice("", "请选择")] + [SelectChoice(g) for g in OBJECTION_GROUNDS],
        validators=[DataRequired("请选择异议理由")],
    )
    description = TextAreaField(
        "异议内容及事实理由",
        validators=[_required("异议内容"), Length(min=10, max=2000, message="请用10至2000字说明异议内容和事实理由")],
    )
    applicant_name = StringField("异议申请人（单位名称或姓名）", validators=[_required("异议申请人"), Length(max=200)])
    applicant_uscc = StringField("统一社会信用代码（单位申请时填写）", validators=[Optional(), _uscc_check])
    attachments = MultipleFileField(
        "证明材料", description="如处罚决定书、撤销或复议决定、判决书、加盖公章的情况说明；" + FILE_HINT
    )
    consent = BooleanField(
        "本人承诺所提交的异议申请和证明材料真实有效", validators=[DataRequired("请确认材料真实有效")]
    )


class ObjectionLookupForm(ChineseForm):
    """Finding the record by its decision number when the visitor did not come from its page."""

    class Meta(ChineseForm.Meta):
        csrf = False  # a GET lookup that changes nothing

    record_type = SelectField(
        "信息类别", choices=[SelectChoice("penalty", "行政处罚"), SelectChoice("license", "行政许可")]
    )
    doc_no = StringField("决定文书号", validators=[_required("决定文书号"), Length(max=128)])


class RepairForm(ContactFields, SubmissionForm):
    applicant_name = StringField("申请主体名称", validators=[_required("申请主体名称"), Length(max=200)])
    applicant_uscc = StringField("统一社会信用代码", validators=[_required("统一社会信用代码"), _uscc_check])
    signer = StringField("法定代表人（负责人）", validators=[_required("法定代表人（负责人）姓名"), Length(max=64)])
    performance = TextAreaField(
        "履行处罚及整改情况",
        validators=[
            _required("履行处罚及整改情况"),
            Length(min=10, max=3000, message="请用10至3000字说明履行和整改情况"),
        ],
        description="写明罚款缴纳、整改措施和完成时间等",
    )
    licence = FileField("营业执照", description="营业执照副本扫描件")
    proof = MultipleFileField("履行处罚及整改证明", description="罚款缴纳凭证、整改报告、决定机关意见等，最多3个文件")
    identity = FileField("经办人身份证明及授权委托书")
    consent = BooleanField(
        "本单位已阅读并自愿作出上述信用修复承诺", validators=[DataRequired("请阅读信用修复承诺书并勾选同意")]
    )


class TrackForm(ChineseForm):
    number = StringField(
        "受理编号",
        validators=[_required("受理编号"), Length(max=32)],
        description="回执上的编号，如 YY-20261122-000123",
    )
    code = StringField(
        "查询码",
        validators=[_required("查询码"), Length(max=CODE_LENGTH + 10)],
        description=f"回执上的{CODE_LENGTH}位查询码",
    )


class SupplementForm(ChineseForm):
    note = TextAreaField("补正说明（可选）", validators=[Optional(), Length(max=1000)])
    attachments = MultipleFileField("补正材料", description=FILE_HINT)


class ReportCodeForm(ChineseForm):
    """Verifying a report by its number and code; the QR code on the report links here with both filled in."""

    class Meta(ChineseForm.Meta):
        csrf = False  # a GET lookup that changes nothing

    number = StringField(
        "报告编号",
        validators=[_required("报告编号"), Length(max=40, message="报告编号过长")],
        description="报告封面和每页页脚上的编号，如 XY-20261201-000123",
    )
    code = StringField(
        "验证码",
        validators=[_required("验证码"), Length(max=20, message="验证码过长")],
        description="报告封面二维码下方的8位验证码",
    )


class ReportFileForm(ChineseForm):
    file = FileField("报告PDF文件", description="本平台出具的信用报告PDF文件，不超过10MB")
