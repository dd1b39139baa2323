"""Staff handling of online submissions: accept, refuse, ask for material, verify, decide, and the effects.

Every step checks the 受理员 role and the department, moves the status, sets the next deadline,
writes a history entry (what the applicant sees on /track) and an audit entry, and changes what the
public sees in the same transaction:
- an approved repair ends the penalty's publication (REPAIRED);
- an upheld objection withdraws the record, or waits for its correction to pass review;
- a refused or rejected objection or repair leaves the record as it was (the marker clears);
- an accepted commitment is published when its disclosure allows; breach of a 信用修复型 commitment
  puts the penalty back on display until its maximum period.
"""

from __future__ import annotations

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import (
    ApplicationStatus,
    Commitment,
    CommitmentType,
    Objection,
    Penalty,
    PublicationState,
    RepairApplication,
    Role,
    SearchOutbox,
)
from portal.models.applications import FULFILMENT_STATES
from portal.models.base import utcnow
from portal.rules import overreach, publicity
from portal.services.core import audit, record_kinds, uploads
from portal.services.core.workflow import Rejected, WorkflowError, atomic, commit, reason_text, touch
from portal.services.online import applications, commitment_codes
from portal.services.staff import access

UPHOLD_CORRECT, UPHOLD_WITHDRAW, NOT_UPHELD = "correct", "withdraw", "reject"
OBJECTION_OUTCOMES = {
    UPHOLD_CORRECT: "异议成立，更正记录",
    UPHOLD_WITHDRAW: "异议成立，撤销公示",
    NOT_UPHELD: "异议不成立",
}
BREACH = ("部分履行", "全部未履行")


def _handler_of(user, application) -> None:
    if not user.has_role(Role.HANDLER):
        raise WorkflowError("需要“受理员”角色才能办理")
    if not access.in_department(user, application.department_id):
        raise WorkflowError("只能办理本部门受理的事项")


def _may_handle(user, application, statuses, step: str) -> None:
    _handler_of(user, application)
    if application.status not in statuses:
        raise WorkflowError(f"“{application.status.label}”状态的事项不能{step}")


def _move(
    application,
    status: ApplicationStatus,
    user,
    note: str,
    action: str,
    *,
    deadline_from_today: bool = True,
    decided: bool = False,
    extra: dict | None = None,
) -> None:
    kind = applications.kind_of(application)
    before = {"status": application.status, "deadline": application.deadline}
    application.status = status
    if deadline_from_today:
        application.deadline = applications.deadline_from(kind, status, clock.today())
    if decided:
        application.decided_at, application.decision_reason = utcnow(), note
        application.deadline = None
    applications.log(application, note, actor=user)
    audit.record(
        f"{kind}_{action}",
        user=user,
        entity_type=kind,
        entity_id=application.id,
        before=before,
        after={"status": status, "deadline": application.deadline, "note": note, **(extra or {})},
    )


def _target_record(objection: Objection):
    return db.session.get(record_kinds.MODELS[objection.record_type], objection.record_id)


def _touch_subject_of(application) -> None:
    """The application's record or subject: markers and commitments shown with it change."""
    if isinstance(application, Objection):
        record = _target_record(application)
        if record is not None:
            touch(application.record_type, record)
    elif isinstance(application, RepairApplication):
        touch("penalty", db.session.get(Penalty, application.penalty_id))
    elif application.subject_id is not None:
        db.session.add(SearchOutbox(entity_type="subject", entity_id=application.subject_id))


def _repair_commitment(repair: RepairApplication) -> Commitment | None:
    return db.session.get(Commitment, repair.commitment_id) if repair.commitment_id else None


def _follow(commitment: Commitment | None, status: ApplicationStatus, user, note: str) -> None:
    """The generated commitment follows its repair application."""
    if commitment is None:
        return
    commitment.status = status
    commitment.deadline = None
    if status == ApplicationStatus.ACCEPTED and commitment.code is None:
        commitment_codes.assign(commitment)
    applications.log(commitment, note, actor=user)


# Steps -------------------------------------------------------------------------------------------


@atomic
def accept(application, user, note: str | None = None) -> None:
    kind = applications.kind_of(application)
    _may_handle(user, application, (ApplicationStatus.SUBMITTED,), "受理")
    note = (note or "").strip() or "已受理"
    if kind == "commitment":
        commitment_codes.assign(application)
        _move(application, ApplicationStatus.ACCEPTED, user, note, "accept", extra={"code": application.code})
        _touch_subject_of(application)
    else:
        _move(application, ApplicationStatus.ACCEPTED, user, note, "accept")
        if kind == "repair":
            _follow(_repair_commitment(application), ApplicationStatus.ACCEPTED, user, "信用修复型承诺随申请一并受理")
    commit()


@atomic
def refuse(application, user, reason: str | None) -> None:
    reason = reason_text(reason, "不予受理须说明理由")
    _may_handle(user, application, (ApplicationStatus.SUBMITTED, ApplicationStatus.MORE_MATERIAL), "作不予受理处理")
    _move(application, ApplicationStatus.REFUSED, user, reason, "refuse", decided=True)
    if isinstance(application, RepairApplication):
        _follow(_repair_commitment(application), ApplicationStatus.REFUSED, user, "信用修复申请不予受理")
    _touch_subject_of(application)
    commit()


@atomic
def request_material(application, user, note: str | None) -> None:
    """补正: the clock stops until the applicant sends the material through /track."""
    note = reason_text(note, "请写明需要补正的材料")
    _may_handle(user, application, (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED), "要求补正材料")
    _move(application, ApplicationStatus.MORE_MATERIAL, user, f"请补正材料：{note}", "request_material")
    commit()


def _status_before_material(application) -> ApplicationStatus:
    for event in reversed(applications.history(application)):
        if event.status not in (ApplicationStatus.MORE_MATERIAL,):
            return event.status
    return ApplicationStatus.SUBMITTED


def supplement(application, files: list, note: str | None) -> None:
    """The applicant's material: back to the step it was asked at, with a fresh time limit."""
    if application.status != ApplicationStatus.MORE_MATERIAL:
        raise WorkflowError("该事项当前不需要补正材料")
    note = (note or "").strip()
    if len(note) > 1000:
        raise Rejected({"note": ["补正说明不能超过1000个字符"]})
    if not any(f is not None and f.filename for f in files):
        raise Rejected({"attachments": ["请选择补正材料文件"]})
    kind = applications.kind_of(application)
    try:
        saved = uploads.save_uploads(files, kind, owner_id=application.id)
    except uploads.UploadRejected as e:
        raise Rejected({"attachments": [str(e)]}) from None
    try:
        for attachment in saved:
            attachment.purpose = "补正材料"
        resumed = _status_before_material(application)
        application.status = resumed
        application.deadline = applications.deadline_from(kind, resumed, clock.today())
        applications.log(
            application, "申请人已补正材料" + (f"：{note}" if note else ""), actor_label=applications.APPLICANT
        )
        audit.record(
            f"{kind}_supplement",
            actor=applications.APPLICANT,
            entity_type=kind,
            entity_id=application.id,
            after={"status": resumed, "files": len(saved)},
        )
        commit()
    except BaseException:
        db.session.rollback()
        for attachment in saved:
            uploads.discard(attachment)
        raise


@atomic
def verify_repair(repair: RepairApplication, user, note: str | None) -> None:
    """The deciding authority has checked performance and correction; the decision follows."""
    note = reason_text(note, "请填写核实情况")
    _may_handle(user, repair, (ApplicationStatus.ACCEPTED,), "核实")
    _move(repair, ApplicationStatus.VERIFIED, user, f"核实情况：{note}", "verify", deadline_from_today=False)
    commit()


@atomic
def decide_repair(repair: RepairApplication, user, approve: bool, reason: str | None) -> None:
    reason = reason_text(reason, "请填写决定理由")
    _may_handle(user, repair, (ApplicationStatus.ACCEPTED, ApplicationStatus.VERIFIED), "作出决定")
    penalty = db.session.get(Penalty, repair.penalty_id)
    if approve:
        _move(repair, ApplicationStatus.APPROVED, user, f"准予信用修复：{reason}", "approve", decided=True)
        _follow(_repair_commitment(repair), ApplicationStatus.APPROVED, user, "信用修复已通过，承诺生效")
        if penalty.state == PublicationState.PUBLISHED:
            penalty.state = PublicationState.REPAIRED
            audit.record(
                "repair",
                user=user,
                entity_type="penalty",
                entity_id=penalty.id,
                before={"state": PublicationState.PUBLISHED},
                after={"state": PublicationState.REPAIRED, "repair_id": repair.id},
            )
    else:
        _move(repair, ApplicationStatus.REJECTED, user, f"不予信用修复：{reason}", "reject", decided=True)
        _follow(_repair_commitment(repair), ApplicationStatus.REJECTED, user, "信用修复未通过")
    touch("penalty", penalty)
    commit()


@atomic
def decide_objection(objection: Objection, user, outcome: str, reason: str | None) -> None:
    """Verify an objection: upheld (withdraw now, or correct through review) or not upheld."""
    reason = reason_text(reason, "请填写核实结论和理由")
    if outcome not in OBJECTION_OUTCOMES:
        raise Rejected({"outcome": ["请选择核实结论"]})
    _may_handle(user, objection, (ApplicationStatus.ACCEPTED,), "核实")
    record = _target_record(objection)
    if outcome == NOT_UPHELD:
        _move(objection, ApplicationStatus.REJECTED, user, f"异议不成立：{reason}", "reject", decided=True)
    elif outcome == UPHOLD_WITHDRAW:
        if record is None or record.state != PublicationState.PUBLISHED:
            raise WorkflowError("该记录已不在公示状态，无需撤销")
        objection.outcome = outcome
        record.state, record.withdrawn_reason = PublicationState.WITHDRAWN, f"异议成立：{reason}"
        audit.record(
            "withdraw",
            user=user,
            entity_type=objection.record_type,
            entity_id=record.id,
            before={"state": PublicationState.PUBLISHED},
            after={
                "state": PublicationState.WITHDRAWN,
                "withdrawn_reason": record.withdrawn_reason,
                "objection_id": objection.id,
            },
        )
        _move(objection, ApplicationStatus.APPROVED, user, f"异议成立，已撤销公示：{reason}", "uphold", decided=True)
    else:
        objection.outcome = outcome
        _move(
            objection,
            ApplicationStatus.VERIFIED,
            user,
            f"异议成立，正在更正记录：{reason}",
            "uphold",
            deadline_from_today=False,
        )
    if record is not None:
        touch(objection.record_type, record)
    commit()


def correction_published(entity_type: str, entity_id: int, user) -> None:
    """A reviewer approved a revision of a record: upheld objections awaiting that correction close.

    Called by publishing.approve_revision inside its transaction.
    """
    for objection in db.session.scalars(
        select(Objection).where(
            Objection.record_type == entity_type,
            Objection.record_id == entity_id,
            Objection.status == ApplicationStatus.VERIFIED,
            Objection.outcome == UPHOLD_CORRECT,
        )
    ):
        _move(
            objection, ApplicationStatus.APPROVED, user, "记录已更正，更正内容经审核后公示", "corrected", decided=True
        )


@atomic
def set_fulfilment(commitment: Commitment, user, fulfilment: str, action: str | None) -> None:
    """履行状态 of an accepted commitment; a breached 信用修复型 commitment restores the penalty's display."""
    if fulfilment not in FULFILMENT_STATES:
        raise Rejected({"fulfilment": ["请选择履行状态"]})
    action = (action or "").strip()
    if fulfilment in BREACH and not action:
        raise Rejected({"breach_action": ["未全部履行的，请填写违诺责任追究内容"]})
    finding = overreach.classify(action, organisation=bool(commitment.uscc))
    if finding:
        raise Rejected({"breach_action": [finding.message]})
    _handler_of(user, commitment)
    if commitment.status not in (ApplicationStatus.ACCEPTED, ApplicationStatus.APPROVED):
        raise WorkflowError("只能登记已受理承诺的履行情况")
    before = {"fulfilment": commitment.fulfilment, "breach_action": commitment.breach_action}
    commitment.fulfilment, commitment.breach_action = fulfilment, action or None
    applications.log(
        commitment, f"登记履行状态：{fulfilment}" + (f"；违诺责任追究：{action}" if action else ""), actor=user
    )
    audit.record(
        "commitment_fulfilment",
        user=user,
        entity_type="commitment",
        entity_id=commitment.id,
        before=before,
        after={"fulfilment": fulfilment, "breach_action": action or None},
    )
    if commitment.type == CommitmentType.REPAIR and fulfilment in BREACH and commitment.penalty_id:
        _restore_penalty(commitment, user)
    _touch_subject_of(commitment)
    commit()


def _restore_penalty(commitment: Commitment, user) -> None:
    """违反信用修复承诺: the penalty is shown again until the end of its maximum period."""
    penalty = db.session.get(Penalty, commitment.penalty_id)
    until = publicity.maximum_display_until(penalty.severity, penalty.decided_on)
    before = {"state": penalty.state, "display_until": penalty.display_until}
    if penalty.state == PublicationState.REPAIRED:
        penalty.state = PublicationState.PUBLISHED
    penalty.display_until = until
    audit.record(
        "repair_revoked",
        user=user,
        entity_type="penalty",
        entity_id=penalty.id,
        before=before,
        after={"state": penalty.state, "display_until": until, "commitment_id": commitment.id},
    )
    repair = db.session.scalar(select(RepairApplication).where(RepairApplication.commitment_id == commitment.id))
    if repair is not None:
        applications.log(repair, f"违反信用修复承诺，该行政处罚信息恢复公示至{until:%Y年%m月%d日}", actor=user)
    touch("penalty", penalty)


@atomic
def route(application, department, user) -> None:
    """信用办 hands an unrouted submission to a department; its deadline runs on unchanged."""
    if not user.has_role(Role.ADMIN):
        raise WorkflowError("需要“系统管理员”角色才能分派事项")
    if department is None or not department.active:
        raise Rejected({"department_id": ["请选择启用中的部门"]})
    if not applications.is_open(application):
        raise WorkflowError("该事项已办结，无需分派")
    kind = applications.kind_of(application)
    before = {"department_id": application.department_id}
    application.department_id = department.id
    applications.log(application, f"由信用办分派至{department.name}办理", actor_label="信用办")
    if isinstance(application, RepairApplication) and application.commitment_id:
        db.session.get(Commitment, application.commitment_id).department_id = department.id
    audit.record(
        f"{kind}_route",
        user=user,
        entity_type=kind,
        entity_id=application.id,
        before=before,
        after={"department_id": department.id},
    )
    commit()
