"""The one layer between records and every output (HTML, JSON, CSV, PDF).

Views and the API never hand a model to a template or serialiser: they hand what these functions
return, and these functions mask personal data. A natural person's name keeps its surname, ID
numbers keep 3 + 4 characters, phones 3 + 4 digits; free text is scanned for ID and phone numbers
and for the person's own name.
"""

from __future__ import annotations

import datetime as dt

from portal.clock import CHINA
from portal.models import Article, Column, Commitment, License, ListEntry, Penalty, Subject, SubjectKind
from portal.rules.masking import mask_id_number, mask_person_name, mask_phone, mask_text
from portal.visibility import effective_state


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _amount(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _person_names(subject: Subject) -> tuple[str, ...]:
    return (subject.name,) if subject.kind == SubjectKind.PERSON else ()


def subject_ref(subject: Subject) -> str:
    """The URL key of a subject: its USCC, else an opaque id (never an ID number)."""
    return subject.uscc or subject.public_id


def subject_name(subject: Subject) -> str:
    return mask_person_name(subject.name) if subject.kind == SubjectKind.PERSON else subject.name


def subject_view(subject: Subject) -> dict:
    person = subject.kind == SubjectKind.PERSON
    return {
        "ref": subject_ref(subject),
        "name": subject_name(subject),
        "kind": subject.kind.value,
        "uscc": subject.uscc,
        "region_code": subject.region_code,
        "business_reg_no": subject.business_reg_no,
        "org_code": subject.org_code,
        "legal_rep": None if person else subject.legal_rep,
        "legal_rep_id_type": None if person else subject.legal_rep_id_type,
        "legal_rep_id_no": mask_id_number(subject.legal_rep_id_no) or None,
        "id_type": subject.id_type if person else None,
        "id_no": mask_id_number(subject.id_no) or None,
    }


def _record_base(record, subject: Subject, on: dt.date) -> dict:
    names = _person_names(subject)
    return {
        "id": record.id,
        "subject": {
            "ref": subject_ref(subject),
            "name": subject_name(subject),
            "kind": subject.kind.value,
            "uscc": subject.uscc,
        },
        "subject_name": mask_person_name(record.subject_name) if names else record.subject_name,
        "doc_no": record.doc_no,
        "decided_on": _date(record.decided_on),
        "authority": record.authority,
        "authority_uscc": record.authority_uscc,
        "source_unit": record.source_unit,
        "source_unit_uscc": record.source_unit_uscc,
        "remarks": mask_text(record.remarks, names) or None,
        "state": effective_state(record, on).value,
        "state_label": effective_state(record, on).label,
    }


def license_view(record: License, on: dt.date) -> dict:
    names = _person_names(record.subject)
    return {
        **_record_base(record, record.subject, on),
        "type": "license",
        "doc_name": record.doc_name,
        "category": record.category,
        "cert_name": record.cert_name,
        "license_no": record.license_no,
        "content": mask_text(record.content, names) or None,
        "valid_from": _date(record.valid_from),
        "valid_to": "长期" if record.valid_to_long_term else _date(record.valid_to),
        "current_status": record.current_status,
    }


def penalty_view(record: Penalty, on: dt.date) -> dict:
    names = _person_names(record.subject)
    return {
        **_record_base(record, record.subject, on),
        "type": "penalty",
        "violation_type": mask_text(record.violation_type, names),
        "facts": mask_text(record.facts, names),
        "basis": record.basis,
        "categories": record.category_list,
        "content": mask_text(record.content, names),
        "fine_wan": _amount(record.fine_wan),
        "confiscated_wan": _amount(record.confiscated_wan),
        "license_affected": record.license_affected,
        "penalty_valid_to": "长期" if record.penalty_valid_long_term else _date(record.penalty_valid_to),
        "severity": record.severity,
        "repair_from": _date(record.repair_from),
        "display_until": _date(record.display_until),
    }


def list_entry_view(entry: ListEntry, on: dt.date) -> dict:
    names = _person_names(entry.subject)
    return {
        "id": entry.id,
        "type": "list_entry",
        "subject": {
            "ref": subject_ref(entry.subject),
            "name": subject_name(entry.subject),
            "uscc": entry.subject.uscc,
            "kind": entry.subject.kind.value,
        },
        "kind": entry.kind.value,
        "kind_label": entry.kind.label,
        "list_type": entry.list_type,
        "authority": entry.authority,
        "reason": mask_text(entry.reason, names),
        "basis": entry.basis,
        "listed_on": _date(entry.listed_on),
        "planned_end": _date(entry.planned_end),
        "removed_on": _date(entry.removed_on),
        "removal_reason": mask_text(entry.removal_reason, names) or None,
    }


def commitment_view(c: Commitment) -> dict:
    # A committer without a USCC (or linked to a natural person) is a person: mask the name.
    person = c.subject.is_person if c.subject is not None else not c.uscc
    names = (c.committer_name,) if person else ()
    return {
        "id": c.id,
        "type": "commitment",
        "code": c.code,
        "committer_name": mask_person_name(c.committer_name) if person else c.committer_name,
        "subject_ref": subject_ref(c.subject) if c.subject is not None else None,
        "uscc": c.uscc,
        "commitment_type": c.type.value,
        "matter": mask_text(c.matter, names),
        "content": mask_text(c.content, names),
        "liability": mask_text(c.liability, names),
        "made_on": _date(c.made_on),
        "valid_until": _date(c.valid_until),
        "acceptor": c.acceptor,
        "disclosure": c.disclosure,
        "fulfilment": c.fulfilment,
    }


def column_view(column: Column) -> dict:
    return {"slug": column.slug, "name": column.name}


def article_view(article: Article, with_body: bool = False) -> dict:
    """An article; `body_html` (sanitised when stored) only when asked for."""
    at = article.publish_at
    if at is not None and at.tzinfo is not None:
        at = at.astimezone(CHINA)
    view = {
        "id": article.id,
        "type": "article",
        "title": article.title,
        "summary": article.summary,
        "source": article.source,
        "column": column_view(article.column),
        "publish_on": _date(at.date() if at else None),
    }
    if with_body:
        view["body_html"] = article.body_html
    return view


def _local(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def application_view(application, kind_label: str, events, about: str, applicant_is_person: bool) -> dict:
    """What the applicant sees on /track: status, deadline, decision and every step, with persons masked."""
    applicant = getattr(application, "applicant_name", None) or getattr(application, "committer_name", "")
    names = tuple(n for n in (application.contact_name, applicant if applicant_is_person else None) if n)
    return {
        "number": application.number,
        "kind": kind_label,
        "about": mask_text(about, names),
        "applicant": mask_person_name(applicant) if applicant_is_person else applicant,
        "contact_name": mask_person_name(application.contact_name),
        "contact_phone": mask_phone(application.contact_phone),
        "status": application.status.value,
        "status_label": application.status.label,
        "submitted_at": _local(application.created_at),
        "deadline": _date(application.deadline),
        "decided_at": _local(application.decided_at),
        "decision_reason": mask_text(application.decision_reason, names) or None,
        "events": [
            {
                "at": _local(e.at),
                "status_label": e.status.label,
                "note": mask_text(e.note, names) or None,
                "by": e.actor_label,
                "deadline": _date(e.deadline),
            }
            for e in events
        ],
    }
