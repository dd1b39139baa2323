"""Imports from the back office: upload, preview (validation only), then a department import.

An upload is kept under PORTAL_UPLOAD_DIR/imports/<random> with a JSON note of who uploaded what
and the preview's result; the preview writes nothing to the database. What a file may cost (rows,
unpacked size) is checked before it is parsed (portal/importer/cost.py). Small files are previewed
and imported in the request; larger ones as jobs outside the web workers (portal/jobs.py), the
preview page and the progress page refreshing themselves meanwhile. On confirmation the rows are
loaded as 待审核 records of the uploader's department. The ImportRun row is updated after every
batch (its heartbeat): a run whose job died is marked failed by `sweep_stale` and can be started
again, since rows are upserted by natural key. Uploads never confirmed are removed after a day.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, has_request_context, request
from sqlalchemy import update

from portal import clock, faults, jobs
from portal.extensions import db
from portal.importer import cost
from portal.importer.headers import KIND_LABELS, HeaderError, check_headers
from portal.importer.loader import (
    ERROR_FILE_HEADER,
    ImportOptions,
    ImportResult,
    load_rows,
    project_problems,
    write_error_file,
)
from portal.importer.pipeline import validate_chunks
from portal.importer.readers import open_table
from portal.importer.validate import ERROR, RowValidator
from portal.models import ImportRun, StaffUser
from portal.models.base import utcnow
from portal.search import autosync
from portal.services.core import audit

log = logging.getLogger(__name__)
PREVIEW_PROBLEMS = 200
REPORTED_PROBLEMS = 100_000  # lines of the preview's problem file: a small file of bad rows stays small
MAX_BYTES = 50 * 1024 * 1024
BACKGROUND_ROWS = 1000  # files with more rows are previewed and imported as jobs
UNCONFIRMED_KEPT = dt.timedelta(days=1)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
STALE_RUN_ERROR = "导入进程意外中断（已写入的批次保留为待审核）。可点击“重新开始导入”继续，已导入的行不会重复。"


@dataclass
class Upload:
    token: str
    kind: str
    file_name: str
    stored_name: str  # token plus the file's suffix (openpyxl goes by the suffix)
    user_id: int
    department_id: int
    total: int = 0
    valid: int = 0
    rejected: int = 0
    problem_count: int = 0
    problems: list[list] = field(default_factory=list)  # [line, column, level, message], the first 200
    run_id: int | None = None
    state: str = "ready"  # "checking" while a job previews a large file; "refused" by that job
    expected: int = 0  # rows counted before parsing (progress of the preview)
    error: str | None = None  # why the file was refused

    @property
    def checking(self) -> bool:
        return self.state == "checking"

    @property
    def check_interrupted(self) -> bool:
        """A preview job that stopped writing its progress has died."""
        return self.checking and time.time() - _note_path(self.token).stat().st_mtime > _stale_seconds()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def max_bytes() -> int:
    return current_app.config.get("PORTAL_IMPORT_MAX_BYTES", MAX_BYTES)


def limits() -> cost.Limits:
    config = current_app.config
    return cost.Limits(
        max_rows=config["PORTAL_IMPORT_MAX_ROWS"],
        max_unpacked_bytes=config["PORTAL_IMPORT_MAX_UNPACKED_MB"] * 1024 * 1024,
        max_shared_strings_bytes=config["PORTAL_IMPORT_MAX_UNPACKED_MB"] * 1024 * 1024 // 8,
    )


def _background_rows() -> int:
    return current_app.config.get("PORTAL_IMPORT_BACKGROUND_ROWS", BACKGROUND_ROWS)


def _stale_seconds() -> int:
    return current_app.config["PORTAL_JOB_STALE_SECONDS"]


def _directory() -> Path:
    path = Path(current_app.config["PORTAL_UPLOAD_DIR"]) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def source_path(stored_name: str) -> Path:
    return _directory() / stored_name


def errors_path(token: str) -> Path:
    return _directory() / f"{token}.errors.csv"


def _note_path(token: str) -> Path:
    return _directory() / f"{token}.json"


def _save(upload: Upload) -> None:
    # Written aside and renamed: a page reading the note while the job updates it never sees half a file.
    note = _note_path(upload.token)
    partial = note.with_name(f"{note.name}.{os.getpid()}.part")
    partial.write_text(json.dumps(dataclasses.asdict(upload), ensure_ascii=False), "utf-8")
    os.replace(partial, note)


def _numbered(table):
    for offset, cells in enumerate(table.rows):
        yield table.first_line + offset, cells


def receive(file_storage, kind: str, user) -> Upload:
    """Store an upload, check what it would cost, and preview it: now, or as a job for a large file
    (then even opening it happens outside the web worker).

    HeaderError (file removed) when it is refused as a whole."""
    token = secrets.token_hex(16)
    name = (file_storage.filename or "upload")[-255:]
    stored_name = token + (".xlsx" if name.lower().endswith(".xlsx") else ".csv")
    path = source_path(stored_name)
    file_storage.save(path)
    upload = Upload(token, kind, name, stored_name, user.id, user.department_id)
    try:
        upload.expected = _rows_within_limits(path)
        if upload.expected > _background_rows():
            upload.state = "checking"
            _save(upload)
            jobs.enqueue("preview", token)
        else:
            _preview(upload, _open(path, kind, upload.expected))
    except HeaderError:
        path.unlink(missing_ok=True)
        raise
    return upload


def _rows_within_limits(path: Path) -> int:
    """Rows of the file, counted without parsing it; HeaderError past the limits."""
    with path.open("rb") as f:
        zipped = f.read(4) == b"PK\x03\x04"
    if zipped:
        return cost.xlsx_rows(path, limits())
    lines = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
    return cost.check_csv_rows(max(lines - 1, 0), limits())


def _open(path: Path, kind: str, rows: int):
    """The table, its headers checked (HeaderError otherwise)."""
    table = open_table(path)
    table.total = rows
    check_headers(kind, table.header)
    return table


def _preview(upload: Upload, table) -> None:
    """Validate every row without writing; the problems go to a CSV as they come (bounded memory)."""
    validator = RowValidator(upload.kind, check_headers(upload.kind, table.header), clock.today())
    with errors_path(upload.token).open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(ERROR_FILE_HEADER)
        for chunk in validate_chunks(validator, _numbered(table), 2_000):
            unknown = project_problems(chunk.valid)  # what the import will refuse: 所属项目 not found
            upload.total += chunk.rows
            upload.valid += len(chunk.valid) - len(unknown)
            upload.rejected += chunk.rejected + len(unknown)
            found = sorted(chunk.problems + unknown, key=lambda p: (p.line, p.level != ERROR))
            room = REPORTED_PROBLEMS - upload.problem_count
            writer.writerows((p.line, p.column, p.level, p.message) for p in found[: max(room, 0)])
            upload.problem_count += len(found)
            room = PREVIEW_PROBLEMS - len(upload.problems)
            upload.problems += [[p.line, p.column, p.level, p.message] for p in found[: max(room, 0)]]
            if upload.checking:
                _save(upload)  # progress, and the job's heartbeat
        if upload.problem_count > REPORTED_PROBLEMS:
            writer.writerow(("", "", "", f"问题共{upload.problem_count}条，仅列出前{REPORTED_PROBLEMS}条"))
    upload.state = "ready"
    _save(upload)


def preview_job(token: str) -> None:
    """The preview of a large upload, run by portal/jobs.py."""
    upload = Upload(**json.loads(_note_path(token).read_text("utf-8")))
    path = source_path(upload.stored_name)
    try:
        table = _open(path, upload.kind, upload.expected)
    except HeaderError as e:
        path.unlink(missing_ok=True)
        upload.state, upload.error = "refused", str(e)
        _save(upload)
        return
    _preview(upload, table)


def find(token: str, user) -> Upload | None:
    """The user's own upload, or None (unknown token, someone else's, or malformed)."""
    if not _TOKEN.match(token or ""):
        return None
    note = _note_path(token)
    if not note.is_file():
        return None
    upload = Upload(**json.loads(note.read_text("utf-8")))
    if upload.user_id != user.id or upload.department_id != user.department_id:
        return None
    return upload


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def start(upload: Upload, user) -> ImportRun:
    """Confirm an upload: an ImportRun, loaded now (small files) or as a job."""
    if upload.run_id is not None:  # confirmed twice (double click, back button)
        return db.session.get(ImportRun, upload.run_id)
    run = ImportRun(
        kind=upload.kind,
        file_name=upload.file_name,
        file_sha256=_sha256(source_path(upload.stored_name)),
        user_id=user.id,
        department_id=user.department_id,
        rows_expected=upload.total,
        stored_name=upload.stored_name,
    )
    db.session.add(run)
    db.session.flush()
    audit.record(
        "import_start",
        user=user,
        entity_type="import_run",
        entity_id=run.id,
        after={"file": upload.file_name, "kind": upload.kind_label, "rows": upload.total},
    )
    db.session.commit()
    upload.run_id = run.id
    _save(upload)
    _launch(run, request.remote_addr if has_request_context() else None)
    return run


def _launch(run: ImportRun, client_addr: str | None) -> None:
    if (run.rows_expected or 0) > _background_rows():
        jobs.enqueue("import", run.id, client_addr)
    else:
        run_import(run.id, client_addr)


def import_job(run_id: str, client_addr: str | None) -> None:
    """A confirmed import, run by portal/jobs.py."""
    run_import(int(run_id), client_addr)


jobs.register("import", import_job)
jobs.register("preview", preview_job)


def retry(run: ImportRun, user) -> bool:
    """Start a failed run again from its kept file; rows already written are matched, not repeated."""
    if status(run) != "failed" or not run.stored_name or not source_path(run.stored_name).is_file():
        return False
    run.error, run.heartbeat_at, run.started_at = None, None, utcnow()
    audit.record("import_retry", user=user, entity_type="import_run", entity_id=run.id, after={"file": run.file_name})
    db.session.commit()
    _launch(run, request.remote_addr if has_request_context() else None)
    return True


def sweep_stale(now: dt.datetime | None = None) -> int:
    """Mark failed the runs whose job stopped beating (killed, machine restarted), and those whose job
    never started within the job time limit (lost with its queue); returns how many."""
    now = (now or clock.now()).astimezone(dt.timezone.utc)
    silent = now - dt.timedelta(seconds=_stale_seconds())
    lost = now - dt.timedelta(seconds=current_app.config["PORTAL_JOB_TIMEOUT"])
    result = db.session.execute(
        update(ImportRun)
        .where(
            ImportRun.finished_at.is_(None),
            ImportRun.error.is_(None),
            ((ImportRun.heartbeat_at < silent) | (ImportRun.heartbeat_at.is_(None) & (ImportRun.started_at < lost))),
        )
        .values(error=STALE_RUN_ERROR)
        .execution_options(synchronize_session="fetch")
    )
    db.session.commit()
    return result.rowcount


def purge_uploads(now: float | None = None, kept: dt.timedelta = UNCONFIRMED_KEPT) -> int:
    """Remove uploads previewed but never confirmed once they are older than `kept`; returns how many."""
    cutoff = (now or time.time()) - kept.total_seconds()
    removed = 0
    for note in _directory().glob("*.json"):
        try:
            upload = Upload(**json.loads(note.read_text("utf-8")))
            if upload.run_id is not None or note.stat().st_mtime > cutoff:
                continue
        except (OSError, ValueError, TypeError):
            continue
        for path in (source_path(upload.stored_name), errors_path(upload.token), note):
            path.unlink(missing_ok=True)
        removed += 1
    return removed


def run_import(run_id: int, client_addr: str | None) -> None:
    """Load a confirmed upload as pending records; failures are kept on the run, never raised."""
    run = db.session.get(ImportRun, run_id)
    if run.finished_at is not None:
        return
    # Beating from now on; a run marked failed while its job waited in the queue is alive after all.
    run.heartbeat_at, run.error = utcnow(), None
    db.session.commit()
    user = db.session.get(StaffUser, run.user_id)
    path = source_path(run.stored_name)
    result = ImportResult(run.kind, run_id=run.id)

    def progress(_lines: int) -> None:
        run.rows_total, run.rows_valid, run.rows_rejected = result.total, result.valid, result.rejected
        run.rows_new, run.rows_updated = result.new, result.updated + result.revised
        run.heartbeat_at = utcnow()
        db.session.commit()
        faults.point("import.batch")

    try:
        table = open_table(path)
        validator = RowValidator(run.kind, check_headers(run.kind, table.header), clock.today())
        options = ImportOptions(pending=True, user_id=user.id, actor=user.username, department_id=run.department_id)
        load_rows(validator, _numbered(table), result, options, progress)
        write_error_file(result.problems, errors_path(Path(run.stored_name).stem))
        progress(0)
        run.finished_at = utcnow()
        entry = audit.record(
            "import",
            user=user,
            entity_type="import_run",
            entity_id=run.id,
            after={
                "file": run.file_name,
                "kind": KIND_LABELS[run.kind],
                "valid": result.valid,
                "rejected": result.rejected,
                "new": result.new,
                "updated": result.updated,
                "revised": result.revised,
            },
        )
        entry.client_addr = client_addr
        db.session.commit()
        path.unlink(missing_ok=True)
    except Exception as e:  # the run shows the failure; rows of finished batches stay (pending)
        log.exception("import run %s failed", run_id)
        db.session.rollback()
        run = db.session.get(ImportRun, run_id)
        run.error = f"导入失败（{type(e).__name__}），已写入的批次保留为待审核，请联系系统管理员"
        entry = audit.record(
            "import_failed",
            user=user,
            entity_type="import_run",
            entity_id=run.id,
            after={"file": run.file_name, "error": str(e)[:300]},
        )
        entry.client_addr = client_addr
        db.session.commit()
    autosync.kick(current_app._get_current_object())


def status(run: ImportRun) -> str:
    if run.error:
        return "failed"
    return "finished" if run.finished_at else "running"
