"""信用窗口: staff at the service hall issue credit reports to walk-in requesters and print them.

Staff find the subject (USCC or name of an organisation; a natural person only by the ID number on
the card they are shown), record who asks and why, and get the signed PDF to print. A natural
person's own report, with their identity unmasked, is issued only after staff checked the ID card
and typed its number, which must match the subject's.
"""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from admin.access import require_roles
from admin.blueprint import bp
from admin.scope import me
from portal.models import Role, Subject
from portal.presenters import subject_name, subject_ref
from portal.services.credit_reports import reports
from portal.services.publication import subjects
from portal.views.reports import pdf_response


class CounterIssueForm(FlaskForm):
    token = HiddenField()
    kind = SelectField("报告类型", choices=[SelectChoice(value, label) for value, label in reports.KIND_CHOICES])
    years = SelectField(
        "报告期（专用信用报告）", choices=[SelectChoice(str(y), f"近{y}年") for y in reports.SPECIAL_YEARS], default="3"
    )
    requester_name = StringField(
        "查询人姓名", validators=[DataRequired("请填写查询人姓名"), Length(max=64, message="姓名过长")]
    )
    purpose = SelectField(
        "报告用途",
        choices=[SelectChoice("", "请选择")] + [SelectChoice(p) for p in reports.PURPOSES],
        validators=[DataRequired("请选择报告用途")],
    )
    own_report = BooleanField("查询人为信用主体本人，已当面核验其有效身份证件（出具本人完整信息的报告）")
    id_no = StringField(
        "本人证件号码",
        validators=[Optional(), Length(max=32)],
        description="核验证件后录入，须与该信用主体登记的证件号码一致",
    )


@bp.get("/counter")
@require_roles(Role.COUNTER)
def counter():
    query = request.args.get("q", "")
    return render_template(
        "admin/counter.html",
        query=query,
        found=[(s, subject_name(s), subject_ref(s)) for s in subjects.find_at_counter(query)],
        searched=bool(query.strip()),
        issued=reports.issued_at_counter_today(),
    )


def _subject_or_404(subject_id: int) -> Subject:
    subject = subjects.get(subject_id)
    if subject is None:
        abort(404)
    return subject


@bp.route("/counter/<int:subject_id>", methods=["GET", "POST"])
@require_roles(Role.COUNTER)
def counter_issue(subject_id: int):
    subject = _subject_or_404(subject_id)
    form = CounterIssueForm()
    if not subject.is_person:
        del form.own_report, form.id_no
    if not form.token.data:
        form.token.data = reports.new_token()
    if form.validate_on_submit():
        own = subject.is_person and form.own_report.data
        if own and (form.id_no.data or "").strip().upper() != (subject.id_no or "").upper():
            form.id_no.errors = [*form.id_no.errors, "证件号码与该信用主体登记的不一致，请核对证件"]
        else:
            req = reports.Request(
                kind=form.kind.data,
                channel="counter",
                purpose=form.purpose.data,
                years=int(form.years.data),
                requester_name=form.requester_name.data.strip(),
                own_report=bool(own),
                staff=me(),
                token=form.token.data,
            )
            try:
                return pdf_response(reports.issue(subject, req))
            except reports.Duplicate as earlier:
                number = earlier.issue.number
                flash(f"该表单已提交过，报告 {number} 已出具。如需再出具一份，请重新打开本页填写。", "warning")
            except reports.NotAvailable as refused:
                flash(str(refused), "error")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/counter_issue.html",
        form=form,
        subject=subject,
        name=subject_name(subject),
        ref=subject_ref(subject),
        staff=current_user,
    ), status
