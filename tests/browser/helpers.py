"""What the browser journeys share: demo staff signing in, small real files, the demo records to act on,
and the applicant's receipt and tracking page.

Helpers act through the page only (labels, buttons, links); the database is read to choose which demo
record a journey starts from, never to check an outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page, expect
from sqlalchemy import exists, select

from portal import clock
from portal.demo.accounts import DEMO_ACCOUNTS, busiest_department, demo_password
from portal.extensions import db
from portal.models import Objection, Penalty, RepairApplication, Subject, SubjectKind
from portal.services.online.applications import OPEN
from portal.services.online.online_filing import repair_target
from portal.visibility import public_filter
from tests.test_uploads import png_bytes

ROLES = {username: label for username, label, _ in DEMO_ACCOUNTS}


def pdf_bytes(text: str = "Credit portal test") -> bytes:
    """A real one-page PDF (header, objects, cross-reference table, trailer)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf(name: str) -> dict:
    """A PDF for set_input_files."""
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def png(name: str) -> dict:
    """A PNG image for set_input_files."""
    return {"name": name, "mimeType": "image/png", "buffer": png_bytes()}


# Staff ---------------------------------------------------------------------------------------------


def sign_in(page: Page, username: str, password: str | None = None) -> Page:
    """Sign in on the back office's login page as a demo account (or with `password`)."""
    page.goto("/admin/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password or demo_password(username))
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    return page


def open_application(page: Page, number: str) -> None:
    """A 受理员 opens a submission from the queue of the department's open matters."""
    page.get_by_role("navigation", name="后台导航").get_by_role("link", name="受理事项").click()
    page.get_by_role("link", name=re.compile(re.escape(number))).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def handle(page: Page, button: str, fields: dict[str, str] | None = None, choose: str | None = None) -> None:
    """One handling step on the submission's page: fill the labelled fields, choose an option, press the button."""
    for label, value in (fields or {}).items():
        page.get_by_label(label).fill(value)
    if choose:
        page.get_by_label(choose).check()
    page.get_by_role("button", name=button, exact=True).click()


# Applicants --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PenaltyOnShow:
    id: int
    doc_no: str
    subject_name: str
    uscc: str
    legal_rep: str
    department: str


def penalty_of_a_company(app, repairable: bool = False) -> PenaltyOnShow:
    """A penalty on show of a company, decided by the demo staff's department, with nothing open on it.

    `repairable`: one whose company may apply for credit repair today.
    """
    with app.app_context():
        department = busiest_department()
        today = clock.today()
        stmt = (
            select(Penalty)
            .join(Subject, Subject.id == Penalty.subject_id)
            .where(
                public_filter(Penalty, today),
                Penalty.department_id == department.id,
                Subject.kind == SubjectKind.ORGANISATION,
                ~exists().where(
                    Objection.record_type == "penalty",
                    Objection.record_id == Penalty.id,
                    Objection.status.in_(OPEN["objection"]),
                ),
                ~exists().where(
                    RepairApplication.penalty_id == Penalty.id, RepairApplication.status.in_(OPEN["repair"])
                ),
            )
            .order_by(Penalty.id)
        )
        for penalty in db.session.scalars(stmt):
            if repairable and not repair_target(penalty.id)[1].allowed:
                continue
            subject = penalty.subject
            return PenaltyOnShow(
                penalty.id, penalty.doc_no, subject.name, subject.uscc, subject.legal_rep or "张明", department.name
            )
    raise AssertionError("the demo data has no such penalty")


def receipt(page: Page) -> tuple[str, str]:
    """The receipt page after a filing: its number and the query code shown once."""
    expect(page.get_by_role("heading", level=1)).to_contain_text("提交回执")
    number = page.locator(".receipt-number").inner_text()
    code = page.locator(".query-code").inner_text()
    assert re.fullmatch(r"[A-Z]{2}-\d{8}-\d{6}", number) and len(code) == 10, (number, code)
    return number, code


def track(page: Page, number: str, code: str) -> None:
    """The applicant looks the submission up on /track with the receipt's number and query code."""
    page.goto("/track")
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("办理进度查询")


def supply_material(page: Page, files: list[dict], note: str = "") -> None:
    """On the tracked submission's page: the 补正材料 section's files and note, sent."""
    section = page.get_by_role("region", name="补正材料")
    section.get_by_label("补正材料", exact=True).set_input_files(files)
    if note:
        section.get_by_label("补正说明").fill(note)
    section.get_by_role("button", name="提交补正材料").click()
    expect(page.get_by_role("status")).to_have_text("补正材料已提交")


def tracked_status(page: Page):
    """The 当前状态 cell of the tracked submission."""
    return page.get_by_role("row", name=re.compile("^当前状态")).get_by_role("cell")


def timeline(page: Page):
    return page.locator("ol.timeline")


def contact(page: Page, name: str = "王建国", phone: str = "13912345678") -> None:
    page.get_by_label("经办人姓名").fill(name)
    page.get_by_label("联系电话").fill(phone)
