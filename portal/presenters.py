"""The one layer between records and every output (HTML, JSON, CSV, PDF, search index).

Views and the API never hand a model to a template or serialiser: they hand what these functions
return, and these functions mask personal data. A natural person's name keeps its surname, ID
numbers keep 3 + 4 characters, phones 3 + 4 digits.

Masking is by construction: every text column of a record goes through `mask_text` (ID numbers,
phones, the record's persons and every other person recognised in the text) unless it is listed in
SAFE_FIELDS: codes, dates, amounts, enumerations and the names of public bodies. A new column is
therefore masked until someone decides it is safe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from sqlalchemy import Date, Enum, String, Text, bindparam, not_, or_, select

from portal import city, clock, reference
from portal.clock import CHINA
from portal.extensions import db
from portal.models import (
    Article,
    Column,
    Commitment,
    License,
    ListEntry,
    Penalty,
    Project,
    PublicationState,
    Subject,
    SubjectKind,
)
from portal.rules import license_status
from portal.rules.masking import mask_id_number, mask_numbers, mask_person_name, mask_phone, mask_text
from portal.sanitize import OWN_IMAGE
from portal.visibility import effective_state, public_filter

# Text columns shown as stored. Everything else of these models is masked.
_DECISION_SAFE = {"doc_no", "authority", "authority_uscc", "source_unit", "source_unit_uscc"}
SAFE_FIELDS = {
    License: _DECISION_SAFE | {"category"},
    Penalty: _DECISION_SAFE | {"categories", "severity"},
    ListEntry: {"list_type", "authority", "authority_uscc"},
    Commitment: {"code", "uscc", "acceptor", "acceptor_uscc", "disclosure", "fulfilment"},
    # An enterprise's project is named like the enterprise (place names such as 潘火 read as persons').
    Project: {"code", "name", "kind", "industry", "district"},
}
# Columns that never leave the back office (workflow notes, hashes, tokens): not presented at all.
_INTERNAL = {
    "source_hash",
    "withdrawn_reason",
    "returned_reason",
    "subject_name",
    "letter_text",
    "signer",
    "query_code_hash",
    "number",
    "submission_token",
    "contact_name",
    "contact_phone",
    "contact_email",
    "decision_reason",
    "committer_name",
}


@cache
def _text_columns(model) -> tuple[str, ...]:
    """Built once per model: every record presented walks them."""
    return tuple(
        c.key
        for c in model.__table__.columns
        if isinstance(c.type, String | Text)
        and not isinstance(c.type, Enum)
        and c.key not in _INTERNAL
        and not c.key.endswith("state")
    )


_BRACKETS = "〔〕[]()（）【】「」{}"
# Every bracket as one character, length kept: a 文书号 cited with other brackets is still found.
_SAME_BRACKETS = str.maketrans(dict.fromkeys(_BRACKETS, "〔"))
HIDDEN_REFERENCE = "***"


@lru_cache(maxsize=1)
def _hidden_statement():
    """Built once: the statement is compiled once too, not on every record shown."""
    mine = or_(Penalty.subject_id == bindparam("subject_id"), Penalty.id == bindparam("penalty_id"))
    return select(Penalty.doc_no).where(mine, not_(public_filter(Penalty, bindparam("on", type_=Date))))


def hidden_references(subject_id: int | None, penalty_id: int | None = None, on: dt.date | None = None) -> list[str]:
    """文书号 of the subject's penalties the public may not see today (repaired, withdrawn, expired):
    no public text may point at them, or a repaired record would stay identifiable."""
    if subject_id is None and penalty_id is None:
        return []
    # Both keys as parameters: "id = NULL" matches nothing, "id IS NULL" would make SQLite scan the table.
    params = {"subject_id": subject_id, "penalty_id": penalty_id, "on": on or clock.today()}
    return list(db.session.scalars(_hidden_statement(), params))


def hidden_references_by_subject(subject_ids, on: dt.date) -> dict[int, list[str]]:
    """`hidden_references` of many subjects in one query (a page of records), each list sorted."""
    ids = sorted(set(subject_ids))
    found: dict[int, list[str]] = {}
    if ids:
        for subject_id, doc_no in db.session.execute(_hidden_by_subject_statement(), {"ids": ids, "on": on}):
            found.setdefault(subject_id, []).append(doc_no)
    return {subject_id: sorted(refs) for subject_id, refs in found.items()}


@lru_cache(maxsize=1)
def _hidden_by_subject_statement():
    ids = bindparam("ids", expanding=True)
    return select(Penalty.subject_id, Penalty.doc_no).where(
        Penalty.subject_id.in_(ids), not_(public_filter(Penalty, bindparam("on", type_=Date)))
    )


def _without_references(text: str, references: list[str]) -> str:
    for doc_no in references:
        wanted = doc_no.translate(_SAME_BRACKETS)
        start = text.translate(_SAME_BRACKETS).find(wanted)
        while start >= 0:
            text = text[:start] + HIDDEN_REFERENCE + text[start + len(wanted) :]
            start = text.translate(_SAME_BRACKETS).find(wanted, start + len(HIDDEN_REFERENCE))
    return text


def masked_texts(record, names: tuple[str, ...], references=None) -> dict[str, str | None]:
    """Every presentable text column of the record: as stored when listed safe, else masked; and
    nowhere a reference to a penalty the public may no longer see.

    `references` is called for the 文书号 to hide, only when some text could cite one (has 号)."""
    safe = SAFE_FIELDS[type(record)]
    out = {}
    for key in _text_columns(type(record)):
        value = getattr(record, key)
        out[key] = mask_text(value, names) if value is not None and key not in safe else value
    cited = [k for k, v in out.items() if v and k != "doc_no" and "号" in v]
    hidden = references() if references and cited else []
    for key in cited if hidden else ():
        out[key] = _without_references(out[key], hidden)
    return out


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _amount(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _person_names(subject: Subject, *more: str | None) -> tuple[str, ...]:
    """Names of natural persons the record is known to carry, masked wherever they appear in its text."""
    names = [subject.name] if subject.kind == SubjectKind.PERSON else []
    return tuple(n for n in [*names, *more] if n)


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


def _record_base(record, subject: Subject, on: dt.date, texts: dict) -> dict:
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
        "doc_no": texts["doc_no"],
        "decided_on": _date(record.decided_on),
        "authority": texts["authority"],
        "authority_uscc": texts["authority_uscc"],
        "source_unit": texts["source_unit"],
        "source_unit_uscc": texts["source_unit_uscc"],
        "remarks": texts["remarks"] or None,
        "state": effective_state(record, on).value,
        "state_label": effective_state(record, on).label,
    }


def _record_names(record) -> tuple[str, ...]:
    return _person_names(record.subject, record.subject_name if record.subject.is_person else None)


def project_view(project: Project) -> dict:
    """An approved project or facility: public fields only (staff notes and workflow stay inside)."""
    t = masked_texts(project, _person_names(project.subject))
    return {
        "code": t["code"],
        "name": t["name"],
        "kind": t["kind"],
        "group": reference.project_kinds().group(project.kind),
        "industry": t["industry"],
        "district": city.current().district_name(project.district),
        "address": t["address"],
        "start_on": _date(project.start_on),
        "end_on": _date(project.end_on),
    }


def _record_project(record) -> dict | None:
    """The record's project, when it is approved (a withdrawn project is no longer shown)."""
    project = record.project
    if project is None or project.state != PublicationState.PUBLISHED:
        return None
    return project_view(project)


def _references(record, on: dt.date, hidden: list[str] | None):
    """The 文书号 to hide in the record's text: given (a page looked them up at once), or looked up."""
    return (lambda: hidden) if hidden is not None else (lambda: hidden_references(record.subject_id, on=on))


def license_view(record: License, on: dt.date, hidden: list[str] | None = None) -> dict:
    t = masked_texts(record, _record_names(record), _references(record, on, hidden))
    status = license_status.derive(
        record.valid_from, record.valid_to, record.valid_to_long_term, t["current_status"], on
    )
    return {
        **_record_base(record, record.subject, on, t),
        "type": "license",
        "doc_name": t["doc_name"],
        "category": t["category"],
        "cert_name": t["cert_name"],
        "license_no": t["license_no"],
        "content": t["content"] or None,
        "valid_from": _date(record.valid_from),
        "valid_to": "长期" if record.valid_to_long_term else _date(record.valid_to),
        "status": status.code,
        "status_label": status.label,
        "current_status": t["current_status"],
        "project": _record_project(record),
    }


def penalty_view(record: Penalty, on: dt.date, hidden: list[str] | None = None) -> dict:
    t = masked_texts(record, _record_names(record), _references(record, on, hidden))
    return {
        **_record_base(record, record.subject, on, t),
        "type": "penalty",
        "violation_type": t["violation_type"],
        "facts": t["facts"],
        "basis": t["basis"],
        "categories": record.category_list,
        "content": t["content"],
        "fine_wan": _amount(record.fine_wan),
        "confiscated_wan": _amount(record.confiscated_wan),
        "license_affected": t["license_affected"],
        "penalty_valid_to": "长期" if record.penalty_valid_long_term else _date(record.penalty_valid_to),
        "severity": t["severity"],
        "repair_from": _date(record.repair_from),
        "display_until": _date(record.display_until),
        "project": _record_project(record),
    }


def record_views(records: list, on: dt.date) -> list[dict]:
    """license_view / penalty_view of a page of records, with one query for every hidden 文书号."""
    hidden = hidden_references_by_subject((r.subject_id for r in records), on)
    return [_VIEWS[type(r)](r, on, hidden.get(r.subject_id, [])) for r in records]


_VIEWS = {License: license_view, Penalty: penalty_view}


# Stored presentations ------------------------------------------------------------------------------
# The search indexer keeps each public record's view, made here, beside its index document, so a
# page of results need not load and mask every record again. A stored view is only served while it
# is exactly what the functions above would show today: same masking code, same record and subject
# (their updated_at), same hidden 文书号 of the subject; the fields that depend on the day are derived
# again when it is served.


def _code_version() -> str:
    rules = Path(__file__).parent / "rules"
    sources = [Path(__file__), *(rules / name for name in ("masking.py", "person_names.py", "text.py"))]
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]


PRESENTATION_VERSION = _code_version()


@dataclass(frozen=True)
class StoredForm:
    view: dict
    hidden: list[str]  # the subject's hidden 文书号 the view was masked with (sorted)
    version: str = PRESENTATION_VERSION


def stored_forms(records: list, on: dt.date) -> list[StoredForm]:
    """The views of public records as the search indexer stores them (one query for the batch)."""
    hidden = hidden_references_by_subject((r.subject_id for r in records), on)
    return [
        StoredForm(_VIEWS[type(r)](r, on, hidden.get(r.subject_id, [])), hidden.get(r.subject_id, [])) for r in records
    ]


def from_stored(view: dict, on: dt.date) -> dict:
    """A stored view of a record public today, with the fields that depend on the day derived for `on`."""
    view = {**view, "state": PublicationState.PUBLISHED.value, "state_label": PublicationState.PUBLISHED.label}
    if view["type"] == "license":
        long_term = view["valid_to"] == "长期"
        status = license_status.derive(
            _parse_date(view["valid_from"]),
            None if long_term else _parse_date(view["valid_to"]),
            long_term,
            view["current_status"],
            on,
        )
        view["status"], view["status_label"] = status.code, status.label
    return view


def _parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def list_entry_view(entry: ListEntry, on: dt.date) -> dict:
    t = masked_texts(entry, _person_names(entry.subject), lambda: hidden_references(entry.subject_id, on=on))
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
        "list_type": t["list_type"],
        "authority": t["authority"],
        "reason": t["reason"],
        "basis": t["basis"],
        "listed_on": _date(entry.listed_on),
        "planned_end": _date(entry.planned_end),
        "removed_on": _date(entry.removed_on),
        "removal_reason": t["removal_reason"] or None,
    }


def commitment_view(c: Commitment) -> dict:
    # A committer without a USCC (or linked to a natural person) is a person: mask the name.
    person = c.subject.is_person if c.subject is not None else not c.uscc
    names = (c.committer_name, c.signer) if person else (c.signer,)
    t = masked_texts(c, names, lambda: hidden_references(c.subject_id, c.penalty_id))
    return {
        "id": c.id,
        "type": "commitment",
        "code": t["code"],
        "committer_name": mask_person_name(c.committer_name) if person else c.committer_name,
        "subject_ref": subject_ref(c.subject) if c.subject is not None else None,
        "uscc": t["uscc"],
        "commitment_type": c.type.value,
        "matter": t["matter"],
        "content": t["content"],
        "liability": t["liability"],
        "made_on": _date(c.made_on),
        "valid_until": _date(c.valid_until),
        "acceptor": t["acceptor"],
        "disclosure": t["disclosure"],
        "fulfilment": t["fulfilment"],
        "breach_action": t["breach_action"],
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
        "title": mask_numbers(article.title),
        "summary": mask_numbers(article.summary) or None,
        "source": article.source,
        "column": column_view(article.column),
        "publish_on": _date(at.date() if at else None),
    }
    if with_body:
        view["body_html"] = _masked_body(article.body_html)
    return view


def _masked_body(html: str | None) -> str:
    """The body masked, except the addresses of the portal's own images: their random names are
    no personal data, and a digit run in one (…/media/0675466566d2….png) read as a landline."""
    html, kept, start = html or "", [], 0
    for image in OWN_IMAGE.finditer(html):
        kept += [mask_numbers(html[start : image.start()]), image.group()]
        start = image.end()
    return "".join([*kept, mask_numbers(html[start:])])


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


def searchable_text(record, view: dict | None = None) -> str:
    """The record's text as the search index may hold it: exactly what its page shows (`view`, else
    presented now), masked."""
    view = view if view is not None else _VIEWS[type(record)](record, clock.today())
    subject = "" if record.subject.is_person else record.subject_name
    keys = ("doc_name", "cert_name", "license_no", "content", "category", "current_status", "remarks")
    if isinstance(record, Penalty):
        keys = ("violation_type", "facts", "basis", "content", "license_affected", "remarks")
        view = {**view, "categories": " ".join(view["categories"])}
        keys += ("categories",)
    return " ".join(v for v in (subject, *(view.get(k) for k in keys)) if v)
