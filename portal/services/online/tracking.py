"""Following a submission with its receipt number and query code (/track)."""

from __future__ import annotations

from portal.extensions import db
from portal.models import ApplicationStatus, Commitment, Objection, Penalty, RepairApplication
from portal.presenters import application_view
from portal.services.core import record_kinds
from portal.services.online import applications


def _about(application) -> tuple[str, bool]:
    """What the submission concerns, and whether its applicant is a natural person."""
    if isinstance(application, Objection):
        record = db.session.get(record_kinds.MODELS[application.record_type], application.record_id)
        doc = getattr(record, "doc_no", None) or getattr(record, "list_type", "")
        return (
            f"{record_kinds.LABELS[application.record_type]} {doc}（异议理由：{application.ground}）",
            not application.applicant_uscc,
        )
    if isinstance(application, RepairApplication):
        penalty = db.session.get(Penalty, application.penalty_id)
        return f"行政处罚 {penalty.doc_no}（{penalty.authority}）", False
    assert isinstance(application, Commitment)
    return f"{application.type.value}：{application.matter}", not application.uscc


def view(application) -> dict:
    about, person = _about(application)
    found = application_view(
        application,
        applications.KIND_LABELS[applications.kind_of(application)],
        applications.history(application),
        about,
        person,
    )
    found["may_supplement"] = application.status == ApplicationStatus.MORE_MATERIAL
    return found


def lookup(receipt_number: str, code: str) -> dict | None:
    """The timeline for a right number and code; None for anything else (nothing said about which)."""
    found = applications.find(receipt_number, code)
    return None if found is None else view(found)
