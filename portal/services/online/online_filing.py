"""Filing online: credit commitments, objections and repair applications from the public.

The views hand over what the visitor typed (already checked field by field by the form) and the
files they chose; these functions check what needs the database, keep the files, and register the
submission. Problems come back as Rejected with Chinese messages per form field, and nothing is
kept of a rejected submission (its files included).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from portal import clock
from portal.extensions import db
from portal.models import (
    Commitment,
    CommitmentType,
    Department,
    Objection,
    Penalty,
    RepairApplication,
    Subject,
)
from portal.presenters import subject_name
from portal.rules import commitment_letter, uscc
from portal.rules.repair import Eligibility, repair_eligibility
from portal.rules.text import normalise_name
from portal.services.core import audit, record_kinds, uploads
from portal.services.core.workflow import Rejected, commit, touch
from portal.services.online import applications
from portal.visibility import is_public

PUBLIC_DISCLOSURE = "可向社会公开"
# Materials of a repair application (domain spec 6), each a field of the form.
REPAIR_MATERIALS = {"licence": "营业执照", "proof": "履行处罚及整改证明", "identity": "经办人身份证明及授权委托书"}


class Receipt(NamedTuple):
    application: object
    code: str


@dataclass(frozen=True)
class Upload:
    file: FileStorage
    purpose: str


@dataclass(frozen=True)
class Target:
    """A published record someone objects to, as the form describes it."""

    record_type: str
    record: object
    label: str
    department_id: int | None


def department_for(record) -> int | None:
    """The department that owns a record: its own, else the one whose code is the deciding authority's."""
    if record.department_id is not None:
        return record.department_id
    authority = getattr(record, "authority_uscc", None)
    if not authority:
        return None
    return db.session.scalar(select(Department.id).where(Department.uscc == authority))


def _describe(record_type: str, record) -> str:
    if record_type == "list_entry":
        return f"{record.kind.label}（{record.list_type}）：{subject_name(record.subject)}"
    return f"{record_kinds.LABELS[record_type]} {record.doc_no}：{subject_name(record.subject)}"


def objection_target(record_type: str | None, record_id: int | None) -> Target | None:
    """The record, when it exists and the public can see it today; objections concern what is shown."""
    model = record_kinds.MODELS.get(record_type or "")
    if model is None or not record_id:
        return None
    record = db.session.get(model, record_id)
    if record is None or not is_public(record, clock.today()):
        return None
    return Target(record_type, record, _describe(record_type, record), department_for(record))


def find_target_by_doc_no(record_type: str, doc_no: str) -> list[Target]:
    """Published licences or penalties with this decision number (one per deciding authority)."""
    model = record_kinds.MODELS.get(record_type)
    if model is None or record_type == "list_entry" or not doc_no.strip():
        return []
    found = db.session.scalars(select(model).where(model.doc_no == doc_no.strip()).limit(10))
    return [t for t in (objection_target(record_type, r.id) for r in found) if t is not None]


def _keep_files(kind: str, files: list[Upload]):
    try:
        saved = uploads.save_uploads([u.file for u in files], kind)
    except uploads.UploadRejected as e:
        raise Rejected({"attachments": [str(e)]}) from None
    for attachment, upload in zip(saved, [u for u in files if u.file and u.file.filename], strict=False):
        attachment.purpose = upload.purpose
    return saved


def _register(
    kind: str, application, token: str, files: list[Upload], note: str = "在线提交", prepare=None, touched=()
) -> Receipt:
    """Keep the files and register the application in one transaction; on any failure the files go too.

    `prepare()` runs first inside the transaction (the repair's generated commitment); `touched`
    records get search-outbox rows, since their markers change.
    """
    duplicate = applications.by_token(kind, token)
    if duplicate is not None:
        raise applications.Duplicate(duplicate, token)
    saved = _keep_files(kind, files)
    try:
        if prepare is not None:
            prepare()
        code = applications.register(kind, application, token, saved, note)
        audit.record(
            f"{kind}_submit",
            actor=applications.APPLICANT,
            entity_type=kind,
            entity_id=application.id,
            after={"number": application.number, "status": application.status},
        )
        for record_type, record in touched:
            touch(record_type, record)
        commit()
    except IntegrityError:
        db.session.rollback()
        for attachment in saved:
            uploads.discard(attachment)
        duplicate = applications.duplicate_of(kind, token)
        if duplicate is not None:  # the same form posted twice at once: the other post won
            raise duplicate from None
        raise
    except BaseException:
        db.session.rollback()
        for attachment in saved:
            uploads.discard(attachment)
        raise
    return Receipt(application, code)


def _active_department(department_id) -> Department | None:
    dept = db.session.get(Department, department_id) if department_id else None
    return dept if dept is not None and dept.active else None


# Commitments -------------------------------------------------------------------------------------


def _check_subject_name(code: str, name: str, field: str) -> Subject | None:
    """The subject registered under `code`; its name must match the one typed (variants folded)."""
    subject = db.session.scalar(select(Subject).where(Subject.uscc == code).order_by(Subject.id))
    if subject is not None and normalise_name(subject.name) != normalise_name(name):
        raise Rejected({field: ["名称与该统一社会信用代码登记的主体名称不一致，请核对"]})
    return subject


def file_commitment(values: dict, files: list[Upload], token: str) -> Receipt:
    ctype = CommitmentType(values["type"])
    if ctype == CommitmentType.REPAIR:
        raise Rejected({"type": ["信用修复型承诺随信用修复申请一并提交，请通过“申请信用修复”办理"]})
    dept = _active_department(values["department_id"])
    if dept is None:
        raise Rejected({"department_id": ["请选择受理单位"]})
    code = uscc.normalise(values["uscc"])
    subject = _check_subject_name(code, values["committer_name"], "committer_name")
    name = values["committer_name"].strip()
    supplement = (values.get("content") or "").strip()
    content = commitment_letter.TYPE_UNDERTAKINGS[ctype.value] + (f"\n{supplement}" if supplement else "")
    commitment = Commitment(
        subject_id=subject.id if subject else None,
        committer_name=name,
        uscc=code,
        type=ctype,
        matter=values["matter"].strip(),
        content=content,
        liability=commitment_letter.DEFAULT_LIABILITY,
        letter_text=commitment_letter.letter_text(ctype.value, name, values["matter"].strip(), dept.name),
        made_on=clock.today(),
        valid_until=values.get("valid_until"),
        acceptor=dept.name,
        acceptor_uscc=dept.uscc,
        disclosure=values["disclosure"],
        signer=values["signer"].strip(),
        consent=True,
        department_id=dept.id,
        contact_name=values["contact_name"].strip(),
        contact_phone=values["contact_phone"].strip(),
        contact_email=(values.get("contact_email") or "").strip() or None,
    )
    return _register("commitment", commitment, token, files)


# Objections --------------------------------------------------------------------------------------


def file_objection(target: Target, values: dict, files: list[Upload], token: str) -> Receipt:
    applicant_uscc = uscc.normalise(values.get("applicant_uscc") or "") or None
    if applicant_uscc:
        _check_subject_name(applicant_uscc, values["applicant_name"], "applicant_name")
    objection = Objection(
        record_type=target.record_type,
        record_id=target.record.id,
        ground=values["ground"],
        description=values["description"].strip(),
        applicant_name=values["applicant_name"].strip(),
        applicant_uscc=applicant_uscc,
        department_id=target.department_id,
        contact_name=values["contact_name"].strip(),
        contact_phone=values["contact_phone"].strip(),
        contact_email=(values.get("contact_email") or "").strip() or None,
    )
    # The record shows 异议处理中 from now on, on every page and in search results.
    return _register(
        "objection",
        objection,
        token,
        files,
        note=f"在线提交异议：{target.label}",
        touched=[(target.record_type, target.record)],
    )


# Repair ------------------------------------------------------------------------------------------


def repair_target(penalty_id: int | None) -> tuple[Penalty | None, Eligibility | None]:
    """The penalty (only while the public can see it) and whether its subject may apply today."""
    penalty = db.session.get(Penalty, penalty_id) if penalty_id else None
    if penalty is None:
        return None, None
    today = clock.today()
    on_display = is_public(penalty, today)
    if not on_display:
        return None, None
    return penalty, repair_eligibility(
        is_person=penalty.subject.is_person,
        repair_from=penalty.repair_from,
        display_until=penalty.display_until,
        on_display=on_display,
        today=today,
    )


def open_repair(penalty: Penalty) -> RepairApplication | None:
    return db.session.scalar(
        select(RepairApplication).where(
            RepairApplication.penalty_id == penalty.id, RepairApplication.status.in_(applications.OPEN["repair"])
        )
    )


def repair_commitment_text(penalty: Penalty) -> tuple[str, str]:
    """承诺事由 and the letter of the 信用修复型 commitment generated for a repair of `penalty`."""
    matter = f"申请对行政处罚信息（{penalty.doc_no}，{penalty.authority}）进行信用修复"
    dept_name = penalty.authority
    return matter, commitment_letter.letter_text(CommitmentType.REPAIR.value, penalty.subject.name, matter, dept_name)


def file_repair(penalty: Penalty, values: dict, files: list[Upload], token: str) -> Receipt:
    _, eligibility = repair_target(penalty.id)
    if eligibility is None or not eligibility.allowed:
        raise Rejected({"": [eligibility.message if eligibility else "该行政处罚信息当前不在公示期内"]})
    if applications.by_token("repair", token) is None and open_repair(penalty) is not None:
        raise Rejected({"": ["该行政处罚已有正在办理的信用修复申请，请使用受理编号查询办理进度"]})
    code = uscc.normalise(values["applicant_uscc"])
    if code != (penalty.subject.uscc or ""):
        raise Rejected({"applicant_uscc": ["统一社会信用代码与该行政处罚的当事人不一致，只能由被处罚主体本身申请"]})
    if normalise_name(values["applicant_name"]) != normalise_name(penalty.subject.name):
        raise Rejected({"applicant_name": ["申请主体名称与该行政处罚的当事人名称不一致，请核对"]})
    missing = [
        label
        for key, label in REPAIR_MATERIALS.items()
        if not any(u.purpose == label and u.file and u.file.filename for u in files)
    ]
    if missing:
        raise Rejected({"attachments": [f"请上传：{'、'.join(missing)}"]})
    department_id = department_for(penalty)
    dept = db.session.get(Department, department_id) if department_id else None
    contact = dict(
        contact_name=values["contact_name"].strip(),
        contact_phone=values["contact_phone"].strip(),
        contact_email=(values.get("contact_email") or "").strip() or None,
    )
    matter, letter = repair_commitment_text(penalty)
    commitment = Commitment(
        subject_id=penalty.subject_id,
        committer_name=penalty.subject.name,
        uscc=code,
        type=CommitmentType.REPAIR,
        matter=matter,
        content=commitment_letter.TYPE_UNDERTAKINGS[CommitmentType.REPAIR.value],
        liability=commitment_letter.REPAIR_LIABILITY,
        letter_text=letter,
        made_on=clock.today(),
        acceptor=dept.name if dept else penalty.authority,
        acceptor_uscc=dept.uscc if dept else penalty.authority_uscc,
        disclosure=PUBLIC_DISCLOSURE,
        signer=values["signer"].strip(),
        consent=True,
        department_id=department_id,
        penalty_id=penalty.id,
        **contact,
    )
    repair = RepairApplication(
        penalty_id=penalty.id,
        subject_id=penalty.subject_id,
        applicant_name=penalty.subject.name,
        applicant_uscc=code,
        performance=values["performance"].strip(),
        department_id=department_id,
        **contact,
    )

    def prepare():
        # The generated commitment is registered with the repair, under a token derived from the form's.
        applications.register("commitment", commitment, f"{token}:commitment", note="随信用修复申请生成信用修复型承诺")
        repair.commitment_id = commitment.id

    return _register(
        "repair",
        repair,
        token,
        files,
        note=f"在线提交信用修复申请：{penalty.doc_no}",
        prepare=prepare,
        touched=[("penalty", penalty)],
    )
