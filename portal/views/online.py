"""Online services: filing commitments, objections and repair applications; receipts and tracking."""

from __future__ import annotations

import time

from flask import abort, redirect, render_template, request, session, url_for
from wtforms import SelectChoice

from portal import errors, forms
from portal.rules import commitment_letter
from portal.services.core import uploads
from portal.services.core.workflow import Rejected, WorkflowError
from portal.services.online import applications, handling, online_filing, tracking
from portal.services.online.online_filing import REPAIR_MATERIALS, Upload
from portal.services.staff import accounts
from portal.views.blueprint import bp
from portal.views.reports import VERIFY_ENDPOINTS

FILING_ENDPOINTS = ("public.commitment_new", "public.objection_new", "public.repair_apply")
TRACK_ENDPOINTS = ("public.track", "public.track_supplement")
RECEIPTS_KEPT = 10
TRACKED_SECONDS = 30 * 60


@bp.before_request
def _upload_size_limit():
    # Whole request: five files at the per-file limit plus the form; one file over the limit is
    # refused with a message by the upload check, not here.
    if request.endpoint in FILING_ENDPOINTS + TRACK_ENDPOINTS and request.method == "POST":
        request.max_content_length = uploads.max_bytes() * (uploads.MAX_FILES_PER_SUBMISSION + 1)


@bp.app_errorhandler(413)
def _too_large(error):
    if request.endpoint in FILING_ENDPOINTS + TRACK_ENDPOINTS + VERIFY_ENDPOINTS:
        mb = uploads.max_bytes() // (1024 * 1024)
        files = 1 if request.endpoint in VERIFY_ENDPOINTS else uploads.MAX_FILES_PER_SUBMISSION
        return render_template("online/too_large.html", mb=mb, files=files, back=request.full_path.rstrip("?")), 413
    return errors.answer(413)


def _token(form) -> str:
    """The form's one-off token; a form that arrives without one gets a fresh one."""
    if not form.token.data:
        form.token.data = applications.new_token()
    return form.token.data


def _to_receipt(application, code: str):
    """Remember the code for one showing on the receipt page, and that this browser filed the number."""
    codes = session.get("receipt_codes", {})
    codes[application.number] = code
    session["receipt_codes"] = dict(list(codes.items())[-RECEIPTS_KEPT:])
    numbers = [n for n in session.get("receipts", []) if n != application.number] + [application.number]
    session["receipts"] = numbers[-RECEIPTS_KEPT:]
    return redirect(url_for("public.receipt", number=application.number), 303)


def _submit(form, filing) -> tuple[object | None, list[str]]:
    """Run `filing(token)`: the receipt redirect (also for a repeated post), or the form's errors."""
    try:
        receipt = filing(_token(form))
    except applications.Duplicate as e:
        return _to_receipt(e.application, e.code), []
    except Rejected as e:
        return None, _errors_onto(form, e.errors)
    return _to_receipt(*receipt), []


def _values(form, *names: str) -> dict:
    return {name: form[name].data for name in names}


def _form_page(template: str, form, general: list[str], file_fields: tuple[str, ...], **context):
    """The form as first shown (200) or back with its values and messages (400)."""
    _token(form)
    status = 400 if request.method == "POST" else 200
    return render_template(
        template,
        form=form,
        general=general,
        limits=applications.time_limits(),
        rechoose=status == 400 and any(_files(n) for n in file_fields),
        **context,
    ), status


def _errors_onto(form, errors: dict[str, list[str]]) -> list[str]:
    """Service errors shown at their field; the rest at the top of the form."""
    general = []
    for name, messages in errors.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = list(field.errors) + messages
        else:
            general += messages
    return general


def _files(name: str) -> list:
    return [f for f in request.files.getlist(name) if f and f.filename]


# Commitments -------------------------------------------------------------------------------------


def _departments() -> list[SelectChoice]:
    return [SelectChoice(d.id, d.name) for d in accounts.active_departments()]


@bp.route("/commitments/new", methods=["GET", "POST"])
def commitment_new():
    form = forms.CommitmentForm()
    form.department_id.choices = [SelectChoice(0, "请选择受理单位")] + _departments()
    letters = commitment_letter.template_letters()
    if request.method == "GET" and request.args.get("type") in letters:  # a type chosen by link (no script)
        form.type.data = request.args["type"]
    general: list[str] = []
    if request.method == "POST" and form.validate_on_submit():
        values = _values(
            form,
            "type",
            "committer_name",
            "uscc",
            "department_id",
            "matter",
            "content",
            "valid_until",
            "disclosure",
            "signer",
            "contact_name",
            "contact_phone",
            "contact_email",
        )
        files = [Upload(f, "承诺附件") for f in _files("attachments")]
        done, general = _submit(form, lambda token: online_filing.file_commitment(values, files, token))
        if done:
            return done
    return _form_page("online/commitment_form.html", form, general, ("attachments",), letters=letters)


# Objections --------------------------------------------------------------------------------------


@bp.route("/objections/new", methods=["GET", "POST"])
def objection_new():
    form = forms.ObjectionForm()
    record_type = request.values.get("record_type", "")
    record_id = request.values.get("record_id", type=errors.bounded_int)
    target = online_filing.objection_target(record_type, record_id)
    if target is None:
        lookup = forms.ObjectionLookupForm(request.args)
        found = (
            online_filing.find_target_by_doc_no(lookup.record_type.data, lookup.doc_no.data or "")
            if lookup.doc_no.data
            else []
        )
        if len(found) == 1:
            return redirect(
                url_for("public.objection_new", record_type=found[0].record_type, record_id=found[0].record.id)
            )
        status = 404 if record_id or (lookup.doc_no.data and not found) else 200
        return render_template(
            "online/objection_lookup.html", lookup=lookup, found=found, asked=bool(record_id or lookup.doc_no.data)
        ), status
    form.record_type.data, form.record_id.data = target.record_type, str(target.record.id)
    general: list[str] = []
    if request.method == "POST" and form.validate_on_submit():
        values = _values(
            form,
            "ground",
            "description",
            "applicant_name",
            "applicant_uscc",
            "contact_name",
            "contact_phone",
            "contact_email",
        )
        files = [Upload(f, "证明材料") for f in _files("attachments")]
        done, general = _submit(form, lambda token: online_filing.file_objection(target, values, files, token))
        if done:
            return done
    return _form_page("online/objection_form.html", form, general, ("attachments",), target=target)


# Repair ------------------------------------------------------------------------------------------


@bp.route("/repair/apply", methods=["GET", "POST"])
def repair_apply():
    penalty, eligibility = online_filing.repair_target(request.args.get("penalty_id", type=errors.bounded_int))
    if penalty is None:
        return render_template("online/repair_unavailable.html"), 404
    if not eligibility.allowed:
        return render_template(
            "online/repair_form.html", form=None, penalty=penalty, eligibility=eligibility, general=[]
        ), 200 if request.method == "GET" else 400
    form = forms.RepairForm()
    general: list[str] = []
    if request.method == "POST" and form.validate_on_submit():
        values = _values(
            form,
            "applicant_name",
            "applicant_uscc",
            "signer",
            "performance",
            "contact_name",
            "contact_phone",
            "contact_email",
        )
        files = [Upload(f, REPAIR_MATERIALS[name]) for name in REPAIR_MATERIALS for f in _files(name)]
        if len(_files("proof")) > 3:
            general = _errors_onto(form, {"proof": ["履行处罚及整改证明最多上传3个文件"]})
        else:
            done, general = _submit(form, lambda token: online_filing.file_repair(penalty, values, files, token))
            if done:
                return done
    _, letter = online_filing.repair_commitment_text(penalty)
    return _form_page(
        "online/repair_form.html",
        form,
        general,
        tuple(REPAIR_MATERIALS),
        penalty=penalty,
        eligibility=eligibility,
        letter=letter,
    )


# Receipts and tracking ---------------------------------------------------------------------------


@bp.get("/receipts/<number>")
def receipt(number: str):
    """The receipt of a submission made in this browser; the query code only the first time."""
    if number not in session.get("receipts", []):
        abort(404)
    codes = session.get("receipt_codes", {})
    code = codes.pop(number, None)
    session["receipt_codes"] = codes
    application = applications.find_by_number(number)
    if application is None:
        abort(404)
    return render_template("online/receipt.html", item=tracking.view(application), code=code)


def _tracked(number: str) -> bool:
    return session.get("tracked", {}).get(number, 0) > time.time()


def _remember_tracked(number: str) -> None:
    now = time.time()
    tracked = {n: t for n, t in session.get("tracked", {}).items() if t > now}
    tracked[number] = now + TRACKED_SECONDS
    session["tracked"] = tracked


@bp.route("/track", methods=["GET", "POST"])
def track():
    form = forms.TrackForm()
    if request.method == "GET":
        return render_template("online/track.html", form=form, item=None)
    if not form.validate_on_submit():
        return render_template("online/track.html", form=form, item=None), 400
    item = tracking.lookup(form.number.data, form.code.data)
    if item is None:
        return render_template(
            "online/track.html", form=form, item=None, error="受理编号或查询码不正确，请核对回执后重新输入"
        ), 404
    _remember_tracked(item["number"])
    return render_template("online/track.html", form=form, item=item, supplement=forms.SupplementForm())


@bp.post("/track/supplement")
def track_supplement():
    """补正材料, for a number tracked with its code in this browser within the last half hour."""
    number = request.form.get("number", "")
    application = applications.find_by_number(number) if _tracked(number) else None
    if application is None:
        return render_template(
            "online/track.html", form=forms.TrackForm(), item=None, error="请先输入受理编号和查询码查询后再补正材料"
        ), 403
    form = forms.SupplementForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            handling.supplement(application, _files("attachments"), form.note.data)
        except Rejected as e:
            errors = _errors_onto(form, e.errors)
        except WorkflowError as e:
            errors = [str(e)]
        else:
            return render_template(
                "online/track.html",
                form=forms.TrackForm(formdata=None),
                item=tracking.view(application),
                supplement=None,
                notice="补正材料已提交",
            )
    return render_template(
        "online/track.html",
        form=forms.TrackForm(formdata=None),
        item=tracking.view(application),
        supplement=form,
        error="；".join(errors) or None,
    ), 400
