"""Credit reports: a subject's report as PDF, and verifying a report (number + code, QR link, or the file)."""

from __future__ import annotations

from flask import Response, abort, render_template, request

from portal import forms
from portal.services.core import uploads
from portal.services.credit_reports import reports, verification
from portal.services.publication import subjects
from portal.views.blueprint import bp

REPORT_ENDPOINTS = ("public.subject_report",)
VERIFY_ENDPOINTS = ("public.report_verify",)


@bp.before_request
def _verify_upload_limit():
    if request.endpoint in VERIFY_ENDPOINTS and request.method == "POST":
        request.max_content_length = uploads.max_bytes() + 64 * 1024  # the file and the form around it


def pdf_response(issued: reports.Issued) -> Response:
    """The signed PDF, shown in the browser's viewer; saved under its report number."""
    response = Response(issued.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{issued.issue.number}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/subjects/<ref>/report")
def subject_report(ref: str):
    subject = subjects.find(ref)
    if subject is None:
        abort(404)
    purpose = request.args.get("purpose") or None
    req = reports.Request(
        kind=request.args.get("type", "full"), purpose=purpose, years=request.args.get("years", 3, type=int)
    )
    try:
        issued = reports.issue(subject, req)
    except reports.NotAvailable as refused:
        if subject.is_person:
            abort(404)  # as the credit file page: say nothing about a person with nothing public
        return render_template("reports/unavailable.html", message=str(refused), ref=ref), 400
    return pdf_response(issued)


@bp.route("/reports/verify", methods=["GET", "POST"])
def report_verify():
    code_form = forms.ReportCodeForm(request.args)
    file_form = forms.ReportFileForm()
    result, error = None, None
    if request.method == "POST":
        if file_form.validate_on_submit():
            try:
                result = verification.by_file(verification.read_pdf(file_form.file.data))
            except uploads.UploadRejected as refused:
                error = str(refused)
        else:
            error = "页面已过期，请刷新页面后重新选择文件提交"
    elif request.args and code_form.validate():
        result = verification.by_code(code_form.number.data, code_form.code.data)
    return render_template(
        "reports/verify.html", code_form=code_form, file_form=file_form, result=result, error=error
    ), (400 if error else 200)
