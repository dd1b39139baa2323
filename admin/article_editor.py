"""The article editor's helpers: images uploaded from inside the editor, and a preview of the body
exactly as the public will get it (cleaned by the one sanitising function)."""

from __future__ import annotations

import re

from flask import jsonify, render_template, request, url_for
from flask_login import current_user

from admin.access import require_roles
from admin.articles import ImageForm, _article_or_404
from admin.blueprint import bp
from portal.errors import bounded_int
from portal.models import Role
from portal.sanitize import clean_html
from portal.services.articles import article_images, editorial
from portal.services.core import uploads

_MEDIA_SRC = re.compile(r'src="/media/([0-9a-f]{32}\.(?:png|jpg))"')


@bp.post("/articles/<int:article_id>/images.json")
@require_roles(Role.EDITOR)
def article_image_json(article_id: int):
    """An image chosen in the editor with its description (图片说明, required): the same upload path
    and form as the upload form."""
    article = _article_or_404(article_id)
    form = ImageForm()
    if not form.validate_on_submit() or not form.image.data:
        return jsonify({"error": (form.alt.errors or ["请选择PNG或JPEG图片"])[0]}), 400
    try:
        attachment = article_images.upload(article, form.image.data, by=current_user._get_current_object())
    except uploads.UploadRejected as e:
        return jsonify({"error": str(e)}), 400
    return jsonify(
        {
            "url": editorial.media_url(attachment),
            "alt": form.alt.data.strip(),
            "preview": url_for("admin.article_image", article_id=article.id, stored_name=attachment.stored_name),
        }
    )


@bp.post("/articles/preview")
@require_roles(Role.EDITOR)
def article_preview():
    """The body as it will be stored and shown; a draft's images come from the editor's own route."""
    body = clean_html(request.form.get("body_html"))
    article_id = request.form.get("article_id", type=bounded_int)
    if article_id:
        article = _article_or_404(article_id)
        body = _MEDIA_SRC.sub(
            lambda m: f'src="{url_for("admin.article_image", article_id=article.id, stored_name=m[1])}"', body
        )
    return render_template("admin/article_preview.html", title=request.form.get("title") or "（无标题）", body=body)
