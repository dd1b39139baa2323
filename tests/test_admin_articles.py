"""Articles through the back office as a 栏目编辑: clean HTML, scheduling, withdrawal, images."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Article, AuditLog, Column, Role
from tests.admin_helpers import department, login, staff, submit_form
from tests.forms import page_form
from tests.test_uploads import HTML, png_bytes

DIRTY = (
    '<p onclick="steal()">信用宁波建设<script>alert("x")</script></p>'
    '<img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(document.cookie)">点这里</a>'
    '<img src="data:image/png;base64,iVBORw0KGgo=">'
    '<iframe src="https://evil.example/"></iframe>'
    '<a href="https://www.ningbo.gov.cn/">宁波市政府</a>'
)
FORBIDDEN = ("<script", "alert", "onerror", "onclick", "javascript:", "data:", "<iframe", "evil.example")


@pytest.fixture
def editor(client, app_ctx):
    dept = department()
    staff("bianji", Role.EDITOR, dept=dept)
    assert login(client, "bianji").status_code == 302
    return client


def column_id(slug: str = "news") -> int:
    return db.session.scalar(select(Column.id).where(Column.slug == slug))


def new_article(client, body: str = "<p>正文</p>", publish_at: str = "", title: str = "关于开展诚信建设的通知") -> int:
    form = page_form(client, "/admin/articles/new", button="保存草稿")
    form.fill_labels({"标题": title, "栏目": "信用动态", "摘要": "摘要", "正文（HTML）": body, "来源": "信用宁波"})
    response = form.fill_labels({"发布时间": publish_at}).submit(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/admin/articles/(\d+)$", response.headers["Location"]).group(1))


def save(client, article_id: int, **values):
    return submit_form(client, f"/admin/articles/{article_id}", values, button="保存")


def act(client, article_id: int, action: str):
    return submit_form(client, f"/admin/articles/{article_id}", action=f"/admin/articles/{article_id}/{action}")


def upload(client, article_id: int, data: bytes, name: str, alt: str = "市民中心信用窗口"):
    form = page_form(client, f"/admin/articles/{article_id}", button="上传")
    return form.fill_labels({"上传图片": (io.BytesIO(data), name), "图片说明": alt}).submit(client)


def article(article_id: int) -> Article:
    db.session.expire_all()
    return db.session.get(Article, article_id)


def test_dangerous_html_is_cleaned_when_stored_and_on_the_public_page(editor):
    article_id = new_article(editor, DIRTY)
    stored = article(article_id).body_html
    for fragment in FORBIDDEN:
        assert fragment not in stored, fragment
    assert "信用宁波建设" in stored and 'href="https://www.ningbo.gov.cn/"' in stored
    assert 'rel="noopener noreferrer"' in stored
    assert editor.get(f"/articles/{article_id}").status_code == 404  # a draft is not public
    assert act(editor, article_id, "publish").status_code == 302
    public = editor.get(f"/articles/{article_id}")
    assert public.status_code == 200
    html = public.get_data(as_text=True)
    body = html.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]
    for fragment in FORBIDDEN:
        assert fragment not in body, fragment
    assert "信用宁波建设" in body

    # Editing goes through the same cleaning.
    form = editor.get(f"/admin/articles/{article_id}").get_data(as_text=True)
    assert "&lt;script" not in form  # the stored body shown back is the cleaned one
    save(editor, article_id, title="标题", body_html='<p>新</p><svg onload="alert(1)"></svg>')
    assert article(article_id).body_html == "<p>新</p>"


def test_scheduled_article_is_public_only_from_its_time(editor, monkeypatch):
    at = (clock.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    article_id = new_article(editor, publish_at=at.strftime("%Y-%m-%dT%H:%M"), title="定时发布的文章")
    assert act(editor, article_id, "publish").status_code == 302
    assert "<strong>定时发布</strong>" in editor.get(f"/admin/articles/{article_id}").get_data(as_text=True)
    assert editor.get(f"/articles/{article_id}").status_code == 404
    assert "定时发布的文章" not in editor.get("/articles").get_data(as_text=True)
    stored = article(article_id).publish_at
    assert stored.replace(tzinfo=None) == at.replace(tzinfo=None) or stored == at

    later = at + dt.timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert editor.get(f"/articles/{article_id}").status_code == 200
    assert "定时发布的文章" in editor.get("/articles").get_data(as_text=True)


def test_unpublish_hides_the_article(editor):
    article_id = new_article(editor, title="将被撤下的文章")
    act(editor, article_id, "publish")
    assert editor.get(f"/articles/{article_id}").status_code == 200
    assert act(editor, article_id, "unpublish").status_code == 302
    assert editor.get(f"/articles/{article_id}").status_code == 404
    assert "将被撤下的文章" not in editor.get("/articles").get_data(as_text=True)
    actions = db.session.scalars(
        select(AuditLog.action).where(AuditLog.entity_type == "article").order_by(AuditLog.id)
    ).all()
    assert actions == ["article_created", "article_published", "article_withdrawn"]


def test_image_is_served_only_while_its_article_is_published(editor):
    article_id = new_article(editor)
    response = upload(editor, article_id, png_bytes(), "配图.png")
    assert response.status_code == 302
    page = editor.get(f"/admin/articles/{article_id}").get_data(as_text=True)
    url = re.search(r"/media/[0-9a-f]{32}\.png", page).group(0)
    save(editor, article_id, title="带图片的文章", body_html=f'<p>图：</p><img src="{url}" alt="配图">')
    assert f'src="{url}"' in article(article_id).body_html

    anonymous = editor.application.test_client()
    assert anonymous.get(url).status_code == 404  # draft
    act(editor, article_id, "publish")
    image = anonymous.get(url)
    assert image.status_code == 200 and image.data == png_bytes()
    assert image.mimetype == "image/png" and image.headers["X-Content-Type-Options"] == "nosniff"
    assert f'src="{url}"' in anonymous.get(f"/articles/{article_id}").get_data(as_text=True)
    act(editor, article_id, "unpublish")
    assert anonymous.get(url).status_code == 404
    assert anonymous.get("/media/../instance/secret_key").status_code == 404


def test_an_image_needs_its_description_on_upload_and_in_the_body(editor):
    article_id = new_article(editor)
    refused = upload(editor, article_id, png_bytes(), "IMG_0001.png", alt="  ")
    assert refused.status_code == 400 and "请填写图片说明" in refused.get_data(as_text=True)
    done = upload(editor, article_id, png_bytes(), "IMG_0001.png", alt='信用"窗口"')
    assert done.status_code == 302
    page = editor.get(f"/admin/articles/{article_id}").get_data(as_text=True)
    url = re.search(r"/media/[0-9a-f]{32}\.png", page).group(0)
    assert "alt=&#34;信用“窗口“&#34;" in page  # the snippet to paste carries the description given
    response = save(editor, article_id, title="带图片的文章", body_html=f'<p>图：</p><img src="{url}">')
    assert response.status_code == 400
    assert "正文中有1张图片没有图片说明" in response.get_data(as_text=True)
    assert "<img" not in article(article_id).body_html  # nothing stored
    assert save(editor, article_id, body_html=f'<img src="{url}" alt="信用窗口">').status_code == 302
    assert 'alt="信用窗口"' in article(article_id).body_html


def test_html_named_png_is_refused_with_a_chinese_message(editor):
    article_id = new_article(editor)
    response = upload(editor, article_id, HTML, "photo.png")
    assert response.status_code == 400
    assert "文件内容不是允许的类型" in response.get_data(as_text=True)
    assert not re.search(r"/media/[0-9a-f]{32}", editor.get(f"/admin/articles/{article_id}").get_data(as_text=True))


def test_eleven_megabytes_are_refused(editor):
    article_id = new_article(editor)
    response = upload(editor, article_id, png_bytes() + b"\x00" * (11 * 1024 * 1024), "big.png")
    assert response.status_code == 400 and "超过10MB" in response.get_data(as_text=True)


def test_list_filters_by_column_and_state(editor):
    draft = new_article(editor, title="草稿文章甲")
    published = new_article(editor, title="已发布文章乙")
    act(editor, published, "publish")
    assert draft != published
    drafts = editor.get("/admin/articles?state=draft").get_data(as_text=True)
    assert "草稿文章甲" in drafts and "已发布文章乙" not in drafts
    done = editor.get("/admin/articles?state=published").get_data(as_text=True)
    assert "已发布文章乙" in done and "草稿文章甲" not in done
    other_column = editor.get(f"/admin/articles?column={column_id('policy')}").get_data(as_text=True)
    assert "草稿文章甲" not in other_column


def test_other_roles_cannot_edit_articles(client, app_ctx):
    staff("luru", Role.CLERK)
    login(client, "luru")
    assert client.get("/admin/articles").status_code == 403
    assert client.get("/admin/articles/new").status_code == 403


def test_the_address_of_an_image_is_never_masked_while_the_text_is(editor):
    # A random image name can hold a digit run that reads as a landline (0675466566…).
    url = "/media/0675466566d2d97a2dcba3a39e51fecb.png"
    article_id = new_article(editor)
    body = f'<p>咨询电话0574-87654321</p><img src="{url}" alt="配图">'
    assert save(editor, article_id, title="带图片的文章", body_html=body).status_code == 302
    act(editor, article_id, "publish")
    shown = editor.application.test_client().get(f"/articles/{article_id}").get_data(as_text=True)
    assert f'src="{url}"' in shown
    assert "0574-****4321" in shown and "87654321" not in shown
