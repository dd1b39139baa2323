"""Attachments reach staff only as downloads: a name cleaned of anything a file system or a header
would misread, the extension of the type the content really is, never rendered by the browser."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import select

from portal.extensions import db
from portal.models import Attachment, Objection
from tests.online_helpers import pdf, read_receipt, submit
from tests.test_online_services import OBJECTION, _objection_path, _staff_client, world  # noqa: F401  (fixture)


def _filed_with(app, client, world, file_name: str):  # noqa: F811
    response = submit(client, _objection_path(world), OBJECTION, {"attachments": [pdf(file_name)]})
    number, _, _ = read_receipt(client, response)
    objection = db.session.scalar(select(Objection).where(Objection.number == number))
    attachment = db.session.scalar(
        select(Attachment).where(Attachment.owner_kind == "objection", Attachment.owner_id == objection.id)
    )
    return _staff_client(app, "handler").get(f"/admin/attachments/{attachment.id}"), attachment


def test_chinese_name_is_kept_with_rfc_5987(app, client, world):  # noqa: F811
    response, attachment = _filed_with(app, client, world, "营业执照（副本）.pdf")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('营业执照（副本）.pdf')}" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Type"] == "application/pdf"
    assert attachment.stored_name.endswith(".pdf") and attachment.original_name == "营业执照（副本）.pdf"


def test_name_and_extension_cannot_mislead(app, client, world):  # noqa: F811
    response, attachment = _filed_with(app, client, world, '..\\..\\报告:x=1;<b>*?.html')
    disposition = response.headers["Content-Disposition"]
    assert attachment.original_name.endswith("报告:x=1;<b>*?.html")  # kept as data, no path
    assert "/" not in attachment.original_name and "\\" not in attachment.original_name
    assert ".." not in disposition and ";<" not in disposition
    # The content is a PDF: it is saved as one, whatever the name said.
    assert disposition.endswith(f"filename*=UTF-8''{quote('报告x=1b.pdf')}"), disposition
    assert attachment.stored_name.endswith(".pdf")
