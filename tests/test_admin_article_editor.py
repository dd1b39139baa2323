"""The editor's two routes: images uploaded from inside the editor (the one upload path) and the
preview, which shows the body cleaned exactly as it will be stored."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Attachment, AuditLog, Role
from tests.admin_helpers import department, login, staff
from tests.forms import page_form
from tests.test_admin_articles import DIRTY, FORBIDDEN, new_article
from tests.test_uploads import png_bytes


@pytest.fixture
def editor(client, app_ctx):
    staff("bianji", Role.EDITOR, dept=department())
    assert login(client, "bianji").status_code == 302
    return client


def _token(client, article_id: int) -> str:
    return page_form(client, f"/admin/articles/{article_id}", button="保存").data()["csrf_token"]


def test_an_image_from_the_editor_is_stored_through_the_upload_path(editor):
    article_id = new_article(editor)
    response = editor.post(
        f"/admin/articles/{article_id}/images.json",
        data={
            "csrf_token": _token(editor, article_id),
            "image": (io.BytesIO(png_bytes()), "现场.png"),
            "alt": " 执法人员现场检查 ",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    found = response.get_json()
    assert found["alt"] == "执法人员现场检查"
    assert re.fullmatch(r"/media/[0-9a-f]{32}\.png", found["url"])
    assert editor.get(found["preview"]).status_code == 200  # the draft's image, for the editor only
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "attachment_uploaded"))


def test_an_image_without_its_description_is_refused_and_nothing_is_kept(editor):
    article_id = new_article(editor)
    before = db.session.scalar(select(func.count()).select_from(Attachment))
    response = editor.post(
        f"/admin/articles/{article_id}/images.json",
        data={"csrf_token": _token(editor, article_id), "image": (io.BytesIO(png_bytes()), "现场.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and response.get_json()["error"] == "请填写图片说明"
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == before


def test_a_file_that_is_not_an_image_is_refused_in_chinese_and_nothing_is_kept(editor):
    article_id = new_article(editor)
    before = db.session.scalar(select(func.count()).select_from(Attachment))
    response = editor.post(
        f"/admin/articles/{article_id}/images.json",
        data={
            "csrf_token": _token(editor, article_id),
            "image": (io.BytesIO(b"<html>not an image"), "x.png"),
            "alt": "图",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", response.get_json()["error"])
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == before


def test_an_upload_without_the_form_token_is_refused(editor):
    article_id = new_article(editor)
    response = editor.post(
        f"/admin/articles/{article_id}/images.json",
        data={"image": (io.BytesIO(png_bytes()), "x.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_the_preview_shows_the_body_cleaned_as_it_will_be_stored(editor):
    article_id = new_article(editor)
    # The preview button posts the article form to its own address (formaction).
    preview = re.search(r'formaction="([^"]+)"', editor.get(f"/admin/articles/{article_id}").get_data(as_text=True))[1]
    form = page_form(editor, f"/admin/articles/{article_id}", button="预览（新窗口）").aimed_at(preview)
    response = form.fill_labels({"标题": "预览标题", "正文（HTML）": DIRTY}).submit(editor)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "预览标题" in page and "信用宁波建设" in page
    body = page[page.index('<div class="article-body">') :]
    for fragment in FORBIDDEN:
        assert fragment not in body, fragment
