"""Imports from the back office: upload, preview (validation only), then a department import.

An upload is kept under PORTAL_UPLOAD_DIR/imports/<random> with a JSON note of who uploaded what
and the preview's result; the preview writes nothing to the database. On confirmation the rows are
loaded as 待审核 records of the uploader's department, in a background thread (with its own app
context) for large files. The ImportRun row is updated after every batch: the progress page reads it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, has_request_context, request

from portal import clock
from portal.extensions import db
from portal.importer.headers import KIND_LABELS, HeaderError, check_headers
from portal.importer.loader import ImportOptions, ImportResult, load_rows, write_error_file
from portal.importer.pipeline import validate_chunks
from portal.importer.readers import open_table
from portal.importer.validate import ERROR, RowValidator
from portal.models import ImportRun, StaffUser
from portal.models.base import utcnow
from portal.search import autosync
from portal.services import audit

log = logging.getLogger(__name__)
PREVIEW_PROBLEMS = 200
MAX_BYTES = 50 * 1024 * 1024
BACKGROUND_ROWS = 1000  # files with more rows are imported in a background thread
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


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

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def max_bytes() -> int:
    return current_app.config.get("PORTAL_IMPORT_MAX_BYTES", MAX_BYTES)


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
    _note_path(upload.token).write_text(json.dumps(dataclasses.asdict(upload), ensure_ascii=False), "utf-8")


def _numbered(table):
    for offset, cells in enumerate(table.rows):
        yield table.first_line + offset, cells


def _problem_rows(problems) -> list[list]:
    ordered = sorted(problems, key=lambda p: (p.line, p.level != ERROR))
    return [[p.line, p.column, p.level, p.message] for p in ordered[:PREVIEW_PROBLEMS]]


def receive(file_storage, kind: str, user) -> Upload:
    """Store an upload and validate it without writing; HeaderError (file removed) when refused."""
    token = secrets.token_hex(16)
    name = (file_storage.filename or "upload")[-255:]
    stored_name = token + (".xlsx" if name.lower().endswith(".xlsx") else ".csv")
    path = source_path(stored_name)
    file_storage.save(path)
    upload = Upload(token, kind, name, stored_name, user.id, user.department_id)
    try:
        table = open_table(path)
        validator = RowValidator(kind, check_headers(kind, table.header), clock.today())
        problems = []
        for chunk in validate_chunks(validator, _numbered(table), 10_000):
            upload.total += chunk.rows
            upload.valid += len(chunk.valid)
            upload.rejected += chunk.rejected
            problems += chunk.problems
    except HeaderError:
        path.unlink(missing_ok=True)
        raise
    upload.problem_count, upload.problems = len(problems), _problem_rows(problems)
    write_error_file(problems, errors_path(token))
    _save(upload)
    return upload


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
    """Confirm an upload: an ImportRun, loaded now (small files) or in a background thread."""
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
    client_addr = request.remote_addr if has_request_context() else None
    app = current_app._get_current_object()
    if upload.total > current_app.config.get("PORTAL_IMPORT_BACKGROUND_ROWS", BACKGROUND_ROWS):
        threading.Thread(
            target=_in_background, args=(app, run.id, client_addr), name=f"import-{run.id}", daemon=True
        ).start()
    else:
        run_import(run.id, client_addr)
    return run


def _in_background(app, run_id: int, client_addr: str | None) -> None:
    with app.app_context():
        try:
            run_import(run_id, client_addr)
        finally:
            db.session.remove()


def run_import(run_id: int, client_addr: str | None) -> None:
    """Load a confirmed upload as pending records; failures are kept on the run, never raised."""
    run = db.session.get(ImportRun, run_id)
    user = db.session.get(StaffUser, run.user_id)
    path = source_path(run.stored_name)
    result = ImportResult(run.kind, run_id=run.id)

    def progress(_lines: int) -> None:
        run.rows_total, run.rows_valid, run.rows_rejected = result.total, result.valid, result.rejected
        run.rows_new, run.rows_updated = result.new, result.updated + result.revised
        db.session.commit()

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
