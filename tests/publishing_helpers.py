"""Staff of two departments acting through the back office, and what the public then sees.

Tests using these helpers make requests without an app context pushed around them: Flask reuses
a pushed context for every request, so its `g` (where Flask-Login keeps the signed-in user) would
leak from one client to the next. Database reads happen in short contexts of their own.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import AuditLog, Role, Subject, SubjectKind
from portal.rules.text import normalise_name
from portal.search import indexer
from tests.admin_helpers import department, login, staff, submit_form
from tests.exchange_files import COMPANY_USCC, OTHER_AUTHORITY, license_row, penalty_row
from tests.forms import page_form

# Department A is the authority of the exchange_files rows; B is another department.
USERS = {
    "clerk": (Role.CLERK,),
    "reviewer": (Role.REVIEWER,),
    "both": (Role.CLERK, Role.REVIEWER),
}


@contextmanager
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


def set_up_departments(app) -> dict[str, int]:
    """Departments A and B with a clerk, a reviewer and a clerk-reviewer each ('clerk', 'clerk_b', ...)."""
    with ctx(app):
        a = department()
        b = department(*OTHER_AUTHORITY)
        for name, roles in USERS.items():
            staff(name, *roles, dept=a)
            staff(f"{name}_b", *roles, dept=b)
        return {"a": a.id, "b": b.id}


def signed_in(app, username: str):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def days_ago(n: int) -> str:
    return (clock.today() - dt.timedelta(days=n)).isoformat()


def row_values(kind: str, **by_header) -> dict[str, str]:
    """A valid row (decided 10 days ago) by national header, with headers overridden."""
    date_header = "处罚决定日期" if kind == "penalty" else "许可决定日期"
    row = (penalty_row if kind == "penalty" else license_row)(**{date_header: days_ago(10)})
    if kind == "license":
        row.update({"有效期自": days_ago(10), "有效期至": "长期"})
    row.update(by_header)
    return row


def record_form(client, path: str, values: dict[str, str]):
    """Fill the 录入 form on `path` by its labels (the national headers) and submit it."""
    return page_form(client, path, button="提交审核").fill_labels(values).submit(client)


def new_record(client, kind: str, **by_header):
    return record_form(client, f"/admin/records/{kind}/new", row_values(kind, **by_header))


def enter(client, kind: str, **by_header) -> int:
    response = new_record(client, kind, **by_header)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/(\d+)$", response.headers["Location"]).group(1))


def detail_page(kind: str, entity_id: int) -> str:
    return f"/admin/lists/{entity_id}" if kind == "list_entry" else f"/admin/records/{kind}/{entity_id}"


def decide(client, kind: str, record_id: int, step: str, reason: str | None = None, page: str | None = None):
    """A reviewer's approve / return / withdraw, posted from the record's detail page (or `page`)."""
    data = {} if reason is None else {"reason": reason}
    return submit_form(
        client, page or detail_page(kind, record_id), data, action=f"/admin/review/{kind}/{record_id}/{step}"
    )


def decide_revision(client, kind: str, entity_id: int, revision_id: int, step: str, reason: str | None = None):
    """A reviewer's approval or return of a pending edit, from the detail page of what it changes."""
    data = {} if reason is None else {"reason": reason}
    return submit_form(
        client, detail_page(kind, entity_id), data, action=f"/admin/review/revisions/{revision_id}/{step}"
    )


def load(app, model, entity_id: int):
    with ctx(app):
        entity = db.session.get(model, entity_id)
        db.session.expunge(entity)
        return entity


def history(app, kind: str, entity_id: int) -> list[AuditLog]:
    with ctx(app):
        entries = db.session.scalars(
            select(AuditLog).where(AuditLog.entity_type == kind, AuditLog.entity_id == entity_id).order_by(AuditLog.id)
        ).all()
        db.session.expunge_all()
        return entries


def search_records(app, q: str) -> list[dict]:
    """Records the public search API finds after the index caught up with the outbox."""
    with ctx(app):
        indexer.sync(wait=True)
    data = app.test_client().get("/api/v1/search", query_string={"q": q, "type": "penalty"}).get_json()
    return data["records"]


def add_subject(app, name: str = "宁波市鄞州区恒达建筑工程有限公司", code: str = COMPANY_USCC) -> int:
    with ctx(app):
        subject = Subject(
            subject_key=f"USCC:{code}",
            kind=SubjectKind.ORGANISATION,
            name=name,
            name_norm=normalise_name(name),
            uscc=code,
            legal_rep="王建国",
        )
        db.session.add(subject)
        db.session.commit()
        return subject.id
