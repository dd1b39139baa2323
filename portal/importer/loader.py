"""Loading validated rows: subjects and records upserted by natural key, one transaction per batch.

Each batch commits on its own, so an import killed halfway keeps what it wrote; running it again
finds those rows unchanged (same natural key, same digest) and adds the rest. Every new or changed
record gets a search-outbox entry in the same transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import bindparam, insert, select, text, update

from portal import clock, db_events
from portal.extensions import db
from portal.importer.bulk import bulk_insert
from portal.importer.headers import DOC_NO, KIND_LABELS, LICENSE, PROJECT, check_headers
from portal.importer.pipeline import validate_in_child
from portal.importer.readers import open_table
from portal.importer.validate import ERROR, WARNING, Problem, RowValidator, ValidRow
from portal.models import (
    AuditLog,
    Department,
    ImportRun,
    License,
    Penalty,
    Project,
    PublicationState,
    SearchOutbox,
    Subject,
    SubjectName,
)
from portal.models.base import new_public_id, utcnow
from portal.rules.projects import Candidate, match_reference
from portal.rules.workdays import workdays_between
from portal.services.opendata import removals

MODELS = {LICENSE: License, "penalty": Penalty}
_SUBJECT_FIELDS = (
    "kind",
    "name",
    "name_norm",
    "uscc",
    "region_code",
    "business_reg_no",
    "org_code",
    "tax_reg_no",
    "institution_cert_no",
    "social_org_reg_no",
    "legal_rep",
    "legal_rep_id_type",
    "legal_rep_id_no",
    "id_type",
    "id_no",
)

# Refreshed from a newer decision; the name is not among them (see _Batcher._subject_ids).
_REFRESHED = tuple(f for f in _SUBJECT_FIELDS if f not in ("name", "name_norm"))


@dataclass
class ImportResult:
    kind: str
    total: int = 0
    valid: int = 0
    rejected: int = 0
    new: int = 0
    updated: int = 0
    revised: int = 0  # changes to published records held for review (department imports)
    name_conflicts: int = 0  # codes that arrived under another name (重错码 cases for staff)
    problems: list[Problem] = field(default_factory=list)
    run_id: int | None = None

    @property
    def unchanged(self) -> int:
        return self.valid - self.new - self.updated

    def summary(self) -> str:
        return f"imported={self.valid} rejected={self.rejected}"


@dataclass
class ImportOptions:
    pending: bool = False
    user_id: int | None = None
    actor: str = "cli"
    # Day of publication of a record (its fields as loaded); demo data spreads realistic timeliness.
    published_on: Callable[[dict], dt.date] | None = None
    # A department's own import (back office): new records belong to it, rows matching another
    # department's record are rejected, changes to its published records become revisions for
    # review, and existing subjects are not refreshed from unreviewed rows.
    department_id: int | None = None


def _insert(table):
    """INSERT that skips rows another writer added meanwhile (both dialects support ON CONFLICT)."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).on_conflict_do_nothing()


_IN_CHUNK = 1000


def _select_in(stmt, column, values: list) -> list:
    """Rows of `stmt` whose `column` is in `values`, asked in chunks: PostgreSQL refuses
    a row-value IN list of many thousands (stack depth), SQLite caps bound parameters."""
    rows = []
    for start in range(0, len(values), _IN_CHUNK):
        rows += db.session.execute(stmt.where(column.in_(values[start : start + _IN_CHUNK]))).all()
    return rows


def _select_by_key(stmt, table, keys: list[tuple[str, str]]) -> list:
    """Rows of `stmt` whose (doc_no, authority_uscc) is in `keys`. Asked by doc_no alone, the
    leading column of the natural-key index: PostgreSQL plans a row-value IN list as a scan of
    the whole table, which made each batch cost more as the table grew."""
    wanted = set(keys)
    rows = _select_in(
        stmt.add_columns(table.c.doc_no, table.c.authority_uscc), table.c.doc_no, sorted({doc_no for doc_no, _ in keys})
    )
    return [r for r in rows if (r.doc_no, r.authority_uscc) in wanted]


def _get(row, field: str):
    return row[field] if isinstance(row, dict) else getattr(row, field)


def _approved_projects(keys: list[str]) -> dict[str, list[Candidate]]:
    """The approved projects of the subjects with these natural keys, per key."""
    t, subjects = Project.__table__, Subject.__table__
    stmt = (
        select(t.c.id, t.c.code, t.c.name, subjects.c.subject_key)
        .join(subjects, subjects.c.id == t.c.subject_id)
        .where(t.c.state == PublicationState.PUBLISHED.value)
    )
    found: dict[str, list[Candidate]] = {}
    for row in _select_in(stmt, subjects.c.subject_key, keys):
        found.setdefault(row.subject_key, []).append(Candidate(row.id, row.code, row.name))
    return found


def project_problems(rows: list[ValidRow]) -> list[Problem]:
    """Rows whose 所属项目 names no approved project of their subject: the preview shows what the
    import will refuse."""
    named = [r for r in rows if r.project_ref]
    candidates = _approved_projects(sorted({r.subject["subject_key"] for r in named})) if named else {}
    problems = []
    for row in named:
        _, problem = match_reference(row.project_ref, candidates.get(row.subject["subject_key"], []))
        if problem:
            problems.append(Problem(row.line, PROJECT, problem))
    return problems


class _Batcher:
    def __init__(self, kind: str, options: ImportOptions, result: ImportResult):
        self.kind, self.options, self.result = kind, options, result
        self.model = MODELS[kind]
        self.table = self.model.__table__
        self.departments = {
            d.uscc: d.id for d in db.session.scalars(select(Department).where(Department.uscc.is_not(None)))
        }
        self.today = clock.today()
        self.now = utcnow()
        self._analyze_at = 20_000

    def _subject_ids(self, rows: list[ValidRow], refresh: bool = True) -> dict[str, int]:
        """Subject id per key; new subjects inserted, known ones refreshed from newer decisions.

        A subject's name is never written over: a code arriving under another name keeps the
        subject's name and records the other one (subject_names) as a 重错码 case for staff.
        """
        newest: dict[str, tuple[dt.date, dict]] = {}
        names: dict[str, dict[str, tuple[str, dt.date]]] = {}  # key -> name_norm -> (name, first decision)
        industries: dict[str, tuple[dt.date, str]] = {}  # key -> industry of its earliest record having one
        for row in rows:
            key, decided = row.subject["subject_key"], row.record["decided_on"]
            industry = row.record.get("industry")
            if industry and (key not in industries or decided < industries[key][0]):
                industries[key] = (decided, industry)
            if key not in newest or decided >= newest[key][0]:
                newest[key] = (decided, row.subject)
            seen = names.setdefault(key, {})
            norm = row.subject["name_norm"]
            if norm not in seen or decided < seen[norm][1]:
                seen[norm] = (row.subject["name"], decided)
        table = Subject.__table__
        existing = {r.subject_key: r for r in _select_in(select(table), table.c.subject_key, list(newest))}
        missing = [
            {
                **{f: s.get(f) for f in _SUBJECT_FIELDS},
                "subject_key": k,
                "public_id": new_public_id(),
                "info_as_of": d,
                "industry": industries[k][1] if k in industries else None,
                "created_at": self.now,
                "updated_at": self.now,
            }
            for k, (d, s) in newest.items()
            if k not in existing
        ]
        if missing:
            bulk_insert(_insert(table), missing)
        kept = _REFRESHED
        stale = [
            {**{f: s.get(f) for f in kept}, "b_key": k, "info_as_of": d, "updated_at": self.now}
            for k, (d, s) in newest.items()
            if refresh
            and k in existing
            and (existing[k].info_as_of is None or d >= existing[k].info_as_of)
            and any(getattr(existing[k], f) != s.get(f) for f in kept)
        ]
        if stale:
            db.session.execute(
                update(table).where(table.c.subject_key == bindparam("b_key")),
                stale,
            )
        ids = dict(_select_in(select(table.c.subject_key, table.c.id), table.c.subject_key, list(newest)))
        without = [
            {"b_id": ids[k], "b_industry": industries[k][1]}
            for k, found in existing.items()
            if found.industry is None and k in industries
        ]
        if without:  # a subject's industry is set once, from its first record that has one
            db.session.execute(
                update(table)
                .where(table.c.id == bindparam("b_id"), table.c.industry.is_(None))
                .values(industry=bindparam("b_industry")),
                without,
            )
        current = {k: existing[k] if k in existing else newest[k][1] for k in newest}
        current = {k: (_get(v, "name"), _get(v, "name_norm")) for k, v in current.items()}
        self._other_names(ids, {k: norm for k, (_, norm) in current.items()}, names)
        for row in rows:
            key = row.subject["subject_key"]
            name, norm = current[key]
            if row.subject["name_norm"] != norm and not key.startswith("ID:"):
                self.result.problems.append(
                    Problem(
                        row.line,
                        "行政相对人名称",
                        f"该代码已登记为“{name}”，本行名称为“{row.subject['name']}”：主体名称未更改，"
                        "已作为重错码（一码多名）记录，待核实",
                        WARNING,
                    )
                )
        changed = [ids[row["subject_key"]] for row in missing] + [ids[row["b_key"]] for row in stale]
        if changed:
            bulk_insert(
                insert(SearchOutbox.__table__),
                [{"entity_type": "subject", "entity_id": i, "created_at": self.now} for i in changed],
            )
        return ids

    def _other_names(self, ids: dict[str, int], current: dict[str, str], names: dict) -> None:
        """Names a code arrived under besides its subject's own: recorded once each, as a conflict."""
        other = [
            {
                "subject_id": ids[key],
                "name": name,
                "name_norm": norm,
                "first_seen_on": first,
                "source": "import",
                "status": "conflict",
                "created_at": self.now,
                "updated_at": self.now,
            }
            for key, seen in names.items()
            for norm, (name, first) in seen.items()
            if norm != current[key] and not key.startswith("ID:")
        ]
        if other:
            bulk_insert(_insert(SubjectName.__table__), other)
            self.result.name_conflicts += len(other)

    def write(self, rows: list[ValidRow]) -> None:
        if not rows:
            return
        db_events.bulk_cache(db.session)
        t, subjects = self.table, Subject.__table__
        existing = {
            (r.doc_no, r.authority_uscc): r
            for r in _select_by_key(
                select(
                    t.c.id, t.c.source_hash, t.c.state, t.c.department_id, subjects.c.subject_key, subjects.c.name
                ).join(subjects, subjects.c.id == t.c.subject_id),
                t,
                [row.natural_key for row in rows],
            )
        }
        rows = self._same_subject(rows, existing)
        scoped = self.options.department_id is not None
        revisions = []
        if scoped:
            rows, revisions = self._scope(rows, existing)
        subject_ids = self._subject_ids(rows + [row for row, _ in revisions], refresh=not scoped)
        project_ids = self._projects(rows + [row for row, _ in revisions])
        rows = [row for row in rows if row.line in project_ids]
        revisions = [(row, i) for row, i in revisions if row.line in project_ids]
        new, changed = [], []
        for row in rows:
            record = {
                **row.record,
                "subject_id": subject_ids[row.subject["subject_key"]],
                "project_id": project_ids[row.line],
            }
            record["department_id"] = (
                self.options.department_id
                or self.departments.get(record["source_unit_uscc"])
                or self.departments.get(record["authority_uscc"])
            )
            found = existing.get(row.natural_key)
            if found is None:
                new.append(self._publication(record))
            elif found.source_hash != record["source_hash"]:
                extra = {"state": PublicationState.PENDING.value, "returned_reason": None} if scoped else {}
                changed.append({**record, **extra, "b_id": found.id, "updated_at": self.now})
        for row, record_id in revisions:
            record = {
                **row.record,
                "subject_id": subject_ids[row.subject["subject_key"]],
                "project_id": project_ids[row.line],
            }
            self._revise(record_id, record)
        if new:
            bulk_insert(_insert(t), new)
        if changed:
            visibility = removals.BulkChange(self.model, [r["b_id"] for r in changed])
            visibility.before()
            db.session.execute(update(t).where(t.c.id == bindparam("b_id")), changed)
            visibility.after()
        touched_keys = [(r["doc_no"], r["authority_uscc"]) for r in new]
        ids = [r["b_id"] for r in changed]
        if touched_keys:
            ids += [r.id for r in _select_by_key(select(t.c.id), t, touched_keys)]
        if ids:
            bulk_insert(
                insert(SearchOutbox.__table__),
                [{"entity_type": self.kind, "entity_id": i, "created_at": self.now} for i in ids],
            )
        db.session.commit()
        self.result.new += len(new)
        self._refresh_statistics(len(new))
        self.result.updated += len(changed)

    def _same_subject(self, rows: list[ValidRow], existing: dict) -> list[ValidRow]:
        """Rows whose record exists under another subject are refused: a decision never changes hands
        silently (a wrong subject is corrected by withdrawing the record and reporting it anew)."""
        keep = []
        for row in rows:
            found = existing.get(row.natural_key)
            if found is None or found.subject_key == row.subject["subject_key"]:
                keep.append(row)
                continue
            self._refuse(
                row,
                f"该文书号和决定机关的记录已登记在“{found.name}”名下，本行的行政相对人为“{row.subject['name']}”，"
                "不能变更记录的行政相对人；如确系原记录有误，请先撤销原记录再重新报送",
            )
        return keep

    def _refuse(self, row: ValidRow, message: str, column: str | None = None) -> None:
        self.result.valid -= 1
        self.result.rejected += 1
        self.result.problems.append(Problem(row.line, column or DOC_NO[self.kind], message))

    def _projects(self, rows: list[ValidRow]) -> dict[int, int | None]:
        """Project id (or None) per line of the rows whose 所属项目 names an approved project of their
        subject, or nothing; the other rows are refused."""
        wanted = sorted({r.subject["subject_key"] for r in rows if r.project_ref})
        candidates = _approved_projects(wanted) if wanted else {}
        project_ids: dict[int, int | None] = {}
        for row in rows:
            project_id, problem = match_reference(row.project_ref, candidates.get(row.subject["subject_key"], []))
            if problem:
                self._refuse(row, problem, PROJECT)
            else:
                project_ids[row.line] = project_id
        return project_ids

    def _scope(self, rows: list[ValidRow], existing: dict) -> tuple[list[ValidRow], list[tuple[ValidRow, int]]]:
        """A department import: rows to write as they are, and rows that revise a published record."""
        from portal.services.publication.revisions import pending_revision

        keep, revise = [], []
        for row in rows:
            found = existing.get(row.natural_key)
            message = None
            if found is None:
                keep.append(row)
                continue
            state = PublicationState(found.state)
            if found.department_id != self.options.department_id:
                message = "该文书号和决定机关的记录由其他部门管理，不能通过本部门导入修改"
            elif found.source_hash == row.record["source_hash"]:
                continue  # unchanged
            elif state in (PublicationState.PENDING, PublicationState.DRAFT):
                keep.append(row)
            elif state != PublicationState.PUBLISHED:
                message = f"该记录当前状态为“{state.label}”，不能通过导入修改"
            else:
                waiting = pending_revision(self.kind, found.id)
                if waiting is None:
                    revise.append((row, found.id))
                elif waiting.changes.get("source_hash") != row.record["source_hash"]:
                    message = "该记录已有待审核的修改，请待审核完成后再导入"
            if message:
                self._refuse(row, message)
        return keep, revise

    def _revise(self, record_id: int, record: dict) -> None:
        from portal.services.publication.revisions import submit

        entity = db.session.get(self.model, record_id)
        record.pop("department_id", None)
        if submit(self.kind, entity, record, user_id=self.options.user_id) is not None:
            self.result.revised += 1

    def _refresh_statistics(self, added: int) -> None:
        """The planners choose indexes from table statistics; a table that grew from nothing during
        this import still looks empty (PostgreSQL turned the key lookups into full scans; SQLite,
        which never gathers statistics on its own, picked a bad index for the listings). Refresh
        the statistics each time the import has doubled what it added."""
        self._added = getattr(self, "_added", 0) + added
        if self._added >= self._analyze_at:
            self._analyze_at *= 2
            for table in (self.table.name, "subjects"):  # one table per statement: SQLite's syntax
                db.session.execute(text(f"ANALYZE {table}"))
            db.session.commit()

    def finish_statistics(self) -> None:
        """After the last batch of an import that added rows: fresh statistics (listings planned on
        a small table's statistics took a second on PostgreSQL once it had grown)."""
        if getattr(self, "_added", 0) >= 1000:
            self._analyze_at = 0  # refresh now
            self._refresh_statistics(0)

    def _publication(self, record: dict) -> dict:
        record.update(created_at=self.now, updated_at=self.now, created_by_id=self.options.user_id)
        if self.options.pending:
            record.update(state=PublicationState.PENDING.value, published_at=None, timeliness_workdays=None)
            return record
        published_on = (self.options.published_on or (lambda _r: self.today))(record)
        record.update(
            state=PublicationState.PUBLISHED.value,
            published_at=dt.datetime.combine(published_on, dt.time(9), tzinfo=clock.CHINA),
            timeliness_workdays=workdays_between(record["decided_on"], published_on),
        )
        return record


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(
    kind: str,
    path: str | Path,
    options: ImportOptions | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate and load one file. HeaderError (nothing written) when the file as a whole is refused."""
    path = Path(path)
    options = options or ImportOptions()
    table = open_table(path)
    headers = check_headers(kind, table.header)
    if on_total:
        on_total(table.total)
    result = ImportResult(kind)
    validator = RowValidator(kind, headers, clock.today())
    run = ImportRun(kind=kind, file_name=path.name, file_sha256=_sha256(path), user_id=options.user_id)
    db.session.add(run)
    db.session.commit()
    result.run_id = run.id
    load_rows(validator, _numbered(table), result, options, progress)

    run = db.session.get(ImportRun, result.run_id)
    run.finished_at = utcnow()
    run.rows_total, run.rows_valid, run.rows_rejected = result.total, result.valid, result.rejected
    run.rows_new, run.rows_updated = result.new, result.updated
    db.session.add(
        AuditLog(
            user_id=options.user_id,
            actor=options.actor,
            action="import",
            entity_type="import_run",
            entity_id=run.id,
            after={
                "file": path.name,
                "kind": KIND_LABELS[kind],
                "valid": result.valid,
                "rejected": result.rejected,
                "new": result.new,
                "updated": result.updated,
            },
        )
    )
    db.session.commit()
    return result


def _numbered(table) -> Iterable[tuple[int, list]]:
    for offset, cells in enumerate(table.rows):
        yield table.first_line + offset, cells


def load_rows(
    validator: RowValidator,
    rows: Iterable[tuple[int, list]],
    result: ImportResult,
    options: ImportOptions,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Validate (line, cells) pairs in a second process and write the valid ones batch by batch."""
    batcher = _Batcher(validator.kind, options, result)
    for chunk in validate_in_child(validator, rows, current_app.config["PORTAL_IMPORT_BATCH_SIZE"]):
        result.total += chunk.rows
        result.rejected += chunk.rejected
        result.valid += len(chunk.valid)
        result.problems.extend(chunk.problems)
        batcher.write(chunk.valid)
        if progress:
            progress(chunk.lines)
    batcher.finish_statistics()


ERROR_FILE_HEADER = ("行号", "列名", "级别", "错误说明")


def write_error_file(problems: list[Problem], out: str | Path) -> None:
    """Per-row problems as CSV with a BOM, so that Excel shows the Chinese text."""
    with Path(out).open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(ERROR_FILE_HEADER)
        for p in sorted(problems, key=lambda p: (p.line, p.level != ERROR)):
            writer.writerow((p.line, p.column, p.level, p.message))
