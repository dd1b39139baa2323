"""Another department's ids over every back-office route: they do not exist (404).

A staff member holding every desk role (录入, 审核, 受理) of one department walks each back-office route
that takes an id, with the ids of another department's records, list entries, edits, import runs,
submissions and attachments, GET and POST. Scoped routes answer 404, the others 403 (roles this
member lacks); the same pages open for the other department's own staff, so the ids are real.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import (
    Attachment,
    Commitment,
    Department,
    ImportRun,
    License,
    ListEntry,
    ListKind,
    Objection,
    Penalty,
    PublicationState,
    RecordRevision,
    RepairApplication,
    Role,
)
from portal.models.lists import BLACK_LIST_TYPES
from portal.services.core import uploads
from portal.services.publication import revisions
from tests import route_walk
from tests.admin_helpers import PASSWORD, staff
from tests.forms import page_form

DESK = (Role.CLERK, Role.REVIEWER, Role.HANDLER)
APPLICATIONS = {"objection": Objection, "commitment": Commitment, "repair": RepairApplication}


@pytest.fixture
def walk_app(migrated, tmp_path):
    from tests.conftest import _fresh_app

    yield from _fresh_app(migrated, tmp_path, WTF_CSRF_ENABLED=False)


def _first(model, dept_id: int):
    return db.session.scalar(select(model.id).where(model.department_id == dept_id).order_by(model.id))


def _foreign_ids(other: int) -> dict:
    """Ids of department `other`'s rows, by the kind of route that takes them."""
    ids = {kind: _first(model, other) for kind, model in (("penalty", Penalty), ("license", License))}
    ids["list_entry"] = _first(ListEntry, other)
    ids["revision"] = _first(RecordRevision, other)
    ids["run"] = _first(ImportRun, other)
    for kind, model in APPLICATIONS.items():
        ids[kind] = _first(model, other)
    owners = [(kind, ids[kind]) for kind in APPLICATIONS if ids[kind]]
    ids["attachment"] = next(
        (
            found
            for kind, owner in owners
            if (
                found := db.session.scalar(
                    select(Attachment.id).where(Attachment.owner_kind == kind, Attachment.owner_id == owner)
                )
            )
        ),
        None,
    )
    return ids


def _add_missing_rows(other: int, insider) -> None:
    """What the demo data may lack in department `other`: a list entry, an edit, an import run, a file."""
    penalty = db.session.get(Penalty, _first(Penalty, other))
    if _first(ListEntry, other) is None:
        db.session.add(
            ListEntry(
                subject_id=penalty.subject_id,
                kind=ListKind.BLACK,
                list_type=BLACK_LIST_TYPES[0],
                authority="外部门",
                reason="测试",
                listed_on=clock.today(),
                state=PublicationState.PENDING,
                department_id=other,
                created_by_id=insider.id,
            )
        )
    if _first(RecordRevision, other) is None:
        revisions.submit("penalty", penalty, {"remarks": "另一部门的修改"}, user_id=insider.id)
    if _first(ImportRun, other) is None:
        db.session.add(
            ImportRun(kind="penalty", file_name="a.csv", file_sha256="0" * 64, user_id=insider.id, department_id=other)
        )
    objection_id = _first(Objection, other)
    if db.session.scalar(select(Attachment.id).where(Attachment.owner_kind == "objection")) is None:
        attachment = Attachment(
            owner_kind="objection",
            owner_id=objection_id,
            original_name="证明.pdf",
            stored_name="f" * 32 + ".pdf",
            content_type="application/pdf",
            size=8,
            sha256="0" * 64,
        )
        db.session.add(attachment)
        uploads.path_of(attachment).parent.mkdir(parents=True, exist_ok=True)
        uploads.path_of(attachment).write_bytes(b"%PDF-1.4")
    db.session.commit()


def _path_values(rule, ids: dict) -> list[dict]:
    """The other department's ids in this rule's path, one set per kind the rule takes."""
    names = set(rule._converters)
    if "record_id" in names:
        kinds = ["penalty", "license"] if "kind" in names else []
        return [{"kind": k, "record_id": ids[k]} for k in kinds if ids[k]]
    if "entry_id" in names:
        return [{"entry_id": ids["list_entry"]}] if ids["list_entry"] else []
    if "revision_id" in names:
        return [{"revision_id": ids["revision"]}] if ids["revision"] else []
    if "run_id" in names:
        return [{"run_id": ids["run"]}] if ids["run"] else []
    if "app_id" in names and rule.endpoint.startswith("admin.application"):
        values = [{"kind": k, "app_id": ids[k]} for k in APPLICATIONS if ids[k]]
        return [{**v, "step": "accept"} for v in values] if "step" in names else values
    if "attachment_id" in names:
        return [{"attachment_id": ids["attachment"]}] if ids["attachment"] else []
    return []


def _sign_in(client, username: str) -> None:
    response = page_form(client, "/admin/login").fill(username=username, password=PASSWORD).submit(client)
    assert response.status_code == 302


def test_another_departments_ids_answer_404_on_every_admin_route(walk_app):
    app = walk_app
    with app.app_context():
        route_walk.seeded_portal()
        dept_ids = db.session.scalars(select(Department.id)).all()
        # The walker belongs to the department with the fewest penalties; the other has the most.
        counts = {
            d: len(db.session.scalars(select(Penalty.id).where(Penalty.department_id == d)).all()) for d in dept_ids
        }
        mine, other = min(counts, key=counts.get), max(counts, key=counts.get)
        assert mine != other
        staff("outsider", *DESK, dept=db.session.get(Department, mine))
        _add_missing_rows(other, staff("insider", *DESK, dept=db.session.get(Department, other)))
        ids = _foreign_ids(other)
    assert all(ids.values()), ids
    outsider, insider = app.test_client(), app.test_client()
    _sign_in(outsider, "outsider")
    _sign_in(insider, "insider")
    walked, scoped = 0, set()
    for rule in route_walk.rules(app):
        if not rule.endpoint.startswith("admin.") or rule.endpoint == "admin.logout":
            continue
        for values in _path_values(rule, ids):
            url = route_walk.url(rule, values)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = outsider.get(url) if method == "GET" else outsider.post(url, data={})
                assert response.status_code in (403, 404), f"{method} {url}: {response.status_code}"
                if response.status_code == 404:
                    scoped.add(rule.endpoint)
                walked += 1
            if "GET" in rule.methods and not url.endswith(".csv"):
                assert insider.get(url).status_code == 200, url  # the id is real: its own staff open it
    assert walked > 20
    assert {
        "admin.record_detail",
        "admin.record_edit",
        "admin.record_approve",
        "admin.list_entry_detail",
        "admin.application_detail",
        "admin.application_step",
        "admin.list_entry_edit",
        "admin.revision_approve",
        "admin.import_run",
        "admin.attachment_download",
    } <= scoped
