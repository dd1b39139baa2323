"""What every online submission shares: receipt numbers, query codes, history and time limits.

Commitments, objections and repair applications are filed by the public (online_filing), handled by
staff (handling) and followed by the applicant (tracking); all three go through here for the parts
they have in common, so that a number, a deadline or a history entry means the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import (
    OPEN_STATUSES,
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    Attachment,
    Commitment,
    Objection,
    Penalty,
    RepairApplication,
)
from portal.rules import receipts
from portal.rules.time_limits import TimeLimits, deadline
from portal.services.core import record_kinds, secret_hashes, serials

MODELS = {"commitment": Commitment, "objection": Objection, "repair": RepairApplication}
KIND_LABELS = {"commitment": "信用承诺", "objection": "异议申诉", "repair": "信用修复申请"}
# A commitment is settled once accepted; objections and repairs stay open until decided.
OPEN = {
    "commitment": (ApplicationStatus.SUBMITTED, ApplicationStatus.MORE_MATERIAL),
    "objection": OPEN_STATUSES,
    "repair": OPEN_STATUSES,
}
APPLICANT = "申请人"


class Duplicate(Exception):
    """The form was already submitted (same one-off token): the first submission stands."""

    def __init__(self, application, token: str):
        super().__init__(application.number)
        self.application, self.code = application, code_for(token)


def kind_of(application) -> str:
    for kind, model in MODELS.items():
        if isinstance(application, model):
            return kind
    raise TypeError(type(application).__name__)


def time_limits() -> TimeLimits:
    c = current_app.config
    return TimeLimits(
        objection_accept=c["PORTAL_OBJECTION_ACCEPT_WORKDAYS"],
        objection_verify=c["PORTAL_OBJECTION_VERIFY_WORKDAYS"],
        repair_accept=c["PORTAL_REPAIR_ACCEPT_WORKDAYS"],
        repair_decide=c["PORTAL_REPAIR_DECIDE_WORKDAYS"],
        commitment_accept=c["PORTAL_COMMITMENT_ACCEPT_WORKDAYS"],
    )


def deadline_from(kind: str, status: ApplicationStatus, started: dt.date) -> dt.date | None:
    return deadline(kind, status.value, started, time_limits())


def new_token() -> str:
    """A one-off token for a form as rendered: a second POST of the same form is a duplicate."""
    return secrets.token_urlsafe(24)


def code_for(token: str) -> str:
    """The query code of the submission made with this form token (the raw token, never stored)."""
    return receipts.query_code(current_app.config["SECRET_KEY"], token)


def _token_key(token: str) -> str:
    # Only a digest is stored: the database and the secret key together still do not give the codes.
    return hashlib.sha256(token.encode()).hexdigest()


def by_token(kind: str, token: str | None):
    if not token:
        return None
    model = MODELS[kind]
    return db.session.scalar(select(model).where(model.submission_token == _token_key(token)))


def _next_serial(kind: str, day: dt.date) -> int:
    model, prefix = MODELS[kind], receipts.number_prefix(kind, day)
    # A day's first number follows any issued before counters existed (older data, imports).
    last = db.session.scalar(select(func.max(model.number)).where(model.number.startswith(prefix)))
    return serials.next_value(f"receipt:{prefix}", start=int(last[len(prefix) :]) + 1 if last else 1)


def register(
    kind: str,
    application,
    token: str,
    attachments: list[Attachment] = (),
    note: str = "在线提交",
    on: dt.date | None = None,
) -> str:
    """Number, query code, first deadline and first history entry of a new submission; flushed, not committed.

    Returns the query code. Raises Duplicate when the token was used already; when the same token
    arrives twice at once, the second flush fails on the unique token instead (see duplicate_of).
    `on` (the day of
    submission) is for loading older submissions; the portal itself files them today.
    """
    if not token:
        raise ValueError("a submission needs its form token")
    existing = by_token(kind, token)
    if existing is not None:
        raise Duplicate(existing, token)
    today = on or clock.today()
    application.submission_token = _token_key(token)
    code = code_for(token)
    application.query_code_hash = secret_hashes.hash_password(code)
    application.status = ApplicationStatus.SUBMITTED
    application.deadline = deadline_from(kind, ApplicationStatus.SUBMITTED, today)
    application.number = receipts.number(kind, today, _next_serial(kind, today))
    db.session.add(application)
    db.session.flush()
    for attachment in attachments:
        attachment.owner_kind, attachment.owner_id = kind, application.id
    event = log(application, note, actor_label=APPLICANT)
    if on is not None:
        application.created_at = event.at = dt.datetime.combine(on, dt.time(9), tzinfo=clock.CHINA)
    return code


def log(application, note: str | None, *, actor=None, actor_label: str | None = None) -> ApplicationEvent:
    """One history entry with the application's status and deadline as they are now."""
    event = ApplicationEvent(
        kind=ApplicationKind(kind_of(application)),
        application_id=application.id,
        status=application.status,
        note=note,
        deadline=application.deadline,
        actor_id=getattr(actor, "id", None),
        actor_label=actor_label or (actor.department.name if actor is not None and actor.department else None),
    )
    db.session.add(event)
    return event


def history(application) -> list[ApplicationEvent]:
    return list(
        db.session.scalars(
            select(ApplicationEvent)
            .where(
                ApplicationEvent.kind == ApplicationKind(kind_of(application)),
                ApplicationEvent.application_id == application.id,
            )
            .order_by(ApplicationEvent.at, ApplicationEvent.id)
        )
    )


def attachments(application) -> list[Attachment]:
    return list(
        db.session.scalars(
            select(Attachment)
            .where(Attachment.owner_kind == kind_of(application), Attachment.owner_id == application.id)
            .order_by(Attachment.id)
        )
    )


def find(receipt_number: str, code: str):
    """The application with this number when the code is right; None otherwise, telling nothing more."""
    receipt_number, code = receipts.normalise_number(receipt_number), receipts.normalise_code(code)
    kind = receipts.kind_of(receipt_number)
    found = None
    if kind is not None:
        model = MODELS[kind]
        found = db.session.scalar(select(model).where(model.number == receipt_number))
    if found is None:
        secret_hashes.matches(secret_hashes.stand_in_password(), code)  # a miss costs as much as a wrong code
        return None
    return found if secret_hashes.matches(found.query_code_hash, code) else None


def is_open(application) -> bool:
    return application.status in OPEN[kind_of(application)]


def find_by_number(receipt_number: str):
    """Only for callers that have already established the visitor's right to it (receipt, staff)."""
    kind = receipts.kind_of(receipts.normalise_number(receipt_number))
    if kind is None:
        return None
    model = MODELS[kind]
    return db.session.scalar(select(model).where(model.number == receipts.normalise_number(receipt_number)))


def duplicate_of(kind: str, token: str) -> Duplicate | None:
    """After a failed flush: was it the same form posted twice at once? (Call after rollback.)"""
    existing = by_token(kind, token)
    return Duplicate(existing, token) if existing is not None else None


def get(kind: str, app_id: int):
    """Any submission by kind and id (the 信用办's routing; handlers go through services.access)."""
    model = MODELS.get(kind)
    return db.session.get(model, app_id) if model is not None else None


def concerned(application) -> tuple[str, object] | None:
    """The record kind and record an objection or repair is about (staff see it unmasked)."""
    if isinstance(application, Objection):
        return application.record_type, db.session.get(
            record_kinds.MODELS[application.record_type], application.record_id
        )
    penalty_id = getattr(application, "penalty_id", None)
    if penalty_id:
        return "penalty", db.session.get(Penalty, penalty_id)
    return None


def related(application):
    """A repair's generated commitment, or the repair application a commitment was generated for."""
    if isinstance(application, RepairApplication) and application.commitment_id:
        return db.session.get(Commitment, application.commitment_id)
    if isinstance(application, Commitment) and application.penalty_id:
        return db.session.scalar(select(RepairApplication).where(RepairApplication.commitment_id == application.id))
    return None
