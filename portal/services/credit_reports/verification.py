"""Verifying a credit report: by number and code (typed, or the QR link), or by the PDF file itself.

A genuine report is shown as issued (time, subject, summary counts) together with what changed in
the subject's public record since: records added, records no longer public (by reason: expiry,
repair, objection, removal from a list) and records corrected. What was removed is never said.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal import clock
from portal.extensions import db
from portal.models import License, ListEntry, Objection, Penalty, PublicationState, ReportIssue
from portal.presenters import subject_ref
from portal.reports import signing
from portal.rules import report_numbers
from portal.rules.report_verification import (
    GENUINE,
    UNKNOWN,
    compare,
    fingerprint,
    record_key,
    verdict,
)
from portal.services.core import secret_hashes, uploads
from portal.services.credit_reports import reports
from portal.services.staff.audit_query import local_time
from portal.visibility import effective_state

_READ = 64 * 1024
REASONS = ("公示期满", "信用修复", "异议成立后撤销", "撤销", "移出名单", "其他原因")


@dataclass
class Result:
    status: str  # genuine, altered or unknown (rules.report_verification)
    by: str  # 'code' or 'file'
    report: dict | None = None
    changes: dict | None = None
    signature: signing.SignatureCheck | None = None


def by_code(number: str, code: str) -> Result:
    number, code = report_numbers.tidy_number(number), report_numbers.tidy_code(code)
    issue = None
    if report_numbers.kind_of(number):
        issue = db.session.scalar(select(ReportIssue).where(ReportIssue.number == number))
    # An unknown number costs as much as a wrong code.
    if not secret_hashes.matches(issue.code_hash if issue else secret_hashes.stand_in_code(), code) or issue is None:
        return Result(UNKNOWN, "code")
    return Result(GENUINE, "code", issued(issue), changes_since(issue))


def read_pdf(upload: FileStorage | None) -> bytes:
    """The uploaded file's bytes, at most PORTAL_MAX_UPLOAD_MB, and a PDF by its content."""
    if upload is None or not upload.filename:
        raise uploads.UploadRejected("请选择要核验的报告PDF文件")
    limit, chunks, size = uploads.max_bytes(), [], 0
    while chunk := upload.stream.read(_READ):
        size += len(chunk)
        if size > limit:
            raise uploads.UploadRejected(f"文件超过{limit // (1024 * 1024)}MB，不是本平台出具的信用报告")
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise uploads.UploadRejected("上传的文件是空的")
    if uploads.sniff(data[:16], ("pdf",)) is None:
        raise uploads.UploadRejected("文件内容不是PDF，请上传本平台出具的信用报告PDF文件")
    return data


def by_file(data: bytes) -> Result:
    issue = db.session.scalar(select(ReportIssue).where(ReportIssue.sha256 == hashlib.sha256(data).hexdigest()))
    signature = signing.check(data, signing.identity(current_app.config))
    if issue is not None:
        return Result(GENUINE, "file", issued(issue), changes_since(issue), signature)
    numbers = report_numbers.numbers_in(data)
    named = bool(numbers) and bool(db.session.scalar(select(ReportIssue.id).where(ReportIssue.number.in_(numbers))))
    return Result(verdict(False, named, signature.present and signature.trusted), "file", signature=signature)


def issued(issue: ReportIssue) -> dict:
    """The report as issued: what its cover and summary said."""
    if issue.kind == "special":
        summary = [
            (name, reports.CLEAN if not n else f"有违法违规记录 {n} 条") for name, n in issue.counts["fields"].items()
        ]
    else:
        summary = [(label, f"{issue.counts.get(key, 0)} 条") for key, label in reports.FULL_COUNTS]
    subject = issue.subject
    return {
        "number": issue.number,
        "kind": reports.KINDS[issue.kind],
        "issued_at": local_time(issue.issued_at),
        "subject_name": issue.subject_name,
        "subject_ref": None if subject.is_person else subject_ref(subject),
        "uscc": subject.uscc,
        "channel": reports.CHANNELS[issue.channel],
        "purpose": issue.purpose or reports.NO_PURPOSE,
        "period": f"{issue.period_from} 至 {issue.period_to}" if issue.period_from else None,
        "summary": summary,
    }


def changes_since(issue: ReportIssue) -> dict:
    """Counts of what changed in the subject's public record, as the same report would show it today."""
    period = (issue.period_from, issue.period_to) if issue.kind == "special" else None
    content = reports.collect(issue.subject, issue.kind, issue.own_report, period)
    salt = issue.snapshot["salt"]
    diff = compare(issue.snapshot["records"], reports.snapshot(content, salt))
    reasons = _removal_reasons(issue, salt, set(diff.removed))
    return {
        "as_of": clock.today().isoformat(),
        "changed": diff.any,
        "added": diff.added,
        "removed": len(diff.removed),
        "corrected": diff.corrected,
        "reasons": [(r, reasons[r]) for r in REASONS if reasons[r]],
    }


def _reason(record_type: str, record, withdrawn_by_objection: set) -> str:
    state = effective_state(record, clock.today())
    if state == PublicationState.EXPIRED:
        return "公示期满"
    if state == PublicationState.REPAIRED:
        return "信用修复"
    if state == PublicationState.WITHDRAWN:
        return "异议成立后撤销" if (record_type, record.id) in withdrawn_by_objection else "撤销"
    if record_type == "list_entry" and record.removed_on is not None and record.removed_on <= clock.today():
        return "移出名单"
    return "其他原因"


def _removal_reasons(issue: ReportIssue, salt: str, removed: set[str]) -> Counter:
    """Why records left the report, counted by reason; the records themselves are not named."""
    found: Counter = Counter()
    if not removed:
        return found
    matched = [
        (record_type, record)
        for record_type, model in (("license", License), ("penalty", Penalty), ("list_entry", ListEntry))
        for record in db.session.scalars(select(model).where(model.subject_id == issue.subject_id))
        if fingerprint(salt, record_key(record_type, record.id)) in removed
    ]
    withdrawn = [record.id for _, record in matched if record.state == PublicationState.WITHDRAWN]
    by_objection = set()
    if withdrawn:
        by_objection = set(
            db.session.execute(
                select(Objection.record_type, Objection.record_id).where(
                    Objection.outcome == "withdraw", Objection.record_id.in_(withdrawn)
                )
            ).tuples()
        )
    for record_type, record in matched:
        found[_reason(record_type, record, by_objection)] += 1
    # Commitments no longer public, and anything not found at all.
    found["其他原因"] += len(removed) - len(matched)
    return found
