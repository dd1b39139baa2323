"""Articles in the five columns (栏目编辑): drafts, publication at once or scheduled, withdrawal, images."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateTimeLocalField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from admin.access import require_roles
from admin.blueprint import bp
from admin.scope import me
from portal import city
from portal.errors import bounded_int, page_number
from portal.models import Article, Role
from portal.services.articles import editorial
from portal.services.core import uploads
from portal.services.core.paging import paginate
from portal.services.core.workflow import Rejected
from portal.services.staff import desk_lists, office_lists

BODY_HELP = (
    "支持段落、标题、列表、表格、链接（http/https/mailto）和本站上传的图片；"
    "脚本、内嵌框架、事件属性和外部图片会在保存时被清除"
)


class ArticleForm(FlaskForm):
    title = StringField("标题", validators=[DataRequired("请输入标题"), Length(max=200)])
    column_id = SelectField("栏目", coerce=int)
    summary = TextAreaField("摘要", validators=[Optional(), Length(max=500)])
    body_html = TextAreaField(
        "正文（HTML）", validators=[DataRequired("请输入正文")], description=BODY_HELP, render_kw={"rows": 16}
    )
    source = StringField("来源", validators=[Optional(), Length(max=100)], default=lambda: city.current().name)
    publish_at = DateTimeLocalField(
        "发布时间",
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
        description="北京时间；留空则点击“发布”时立即发布，填写将来的时间则到时自动公开",
    )


class ImageForm(FlaskForm):
    image = FileField("上传图片", description="PNG或JPEG，不超过10MB；按文件内容识别类型")
    alt = StringField(
        "图片说明",
        validators=[DataRequired("请填写图片说明"), Length(max=200, message="图片说明不超过200个字")],
        description="用一句话说明图片内容，供视障读者和图片无法显示时阅读；不要只写文件名",
    )


class ActionForm(FlaskForm):
    """A button that only carries the CSRF token."""


def _article_or_404(article_id: int) -> Article:
    article = editorial.article(article_id)
    if article is None:
        abort(404)
    return article


def _form(article: Article | None = None, formdata=True) -> ArticleForm:
    kwargs = {} if formdata else {"formdata": None}
    form = ArticleForm(obj=article, **kwargs)
    if article is not None and not formdata:
        at = editorial.in_china(article.publish_at)
        form.publish_at.data = at.replace(tzinfo=None) if at else None
    form.column_id.choices = [SelectChoice(c.id, c.name) for c in editorial.columns()]
    return form


def _values(form: ArticleForm) -> dict:
    return dict(
        title=form.title.data,
        column_id=form.column_id.data,
        summary=form.summary.data,
        body_html=form.body_html.data,
        source=form.source.data,
        publish_at=form.publish_at.data,
    )


def _attach(form: ArticleForm, refused: Rejected) -> None:
    for name, messages in refused.errors.items():
        field = getattr(form, name)
        field.errors = list(field.errors) + messages


@bp.get("/articles")
@require_roles(Role.EDITOR)
def articles():
    listing = desk_lists.Listing.from_args("article", request.args)
    page = paginate(
        office_lists.articles(me(), listing),
        max(1, request.args.get("page", 1, type=page_number)),
        lambda rows: [
            {"article": a, "status": editorial.status(a), "publish_at": editorial.in_china(a.publish_at)} for a in rows
        ],
    )
    return render_template(
        "admin/articles.html",
        page=page,
        listing=listing,
        sorts=desk_lists.SORTS["article"],
        columns=[(c.id, c.name) for c in editorial.columns()],
        column_id=listing.column,
        statuses=[(s.value, s.label) for s in editorial.ArticleStatus],
    )


@bp.route("/articles/new", methods=["GET", "POST"])
@require_roles(Role.EDITOR)
def article_new():
    form = _form()
    if request.method == "GET":
        wanted = request.args.get("column", type=bounded_int)
        if wanted:
            form.column_id.data = wanted
    if form.validate_on_submit():
        try:
            article = editorial.create(**_values(form), by=current_user._get_current_object())
        except Rejected as e:
            _attach(form, e)
        else:
            flash("草稿已保存；可继续上传图片，或点击“发布”", "info")
            return redirect(url_for("admin.article_edit", article_id=article.id))
    return render_template("admin/article_form.html", form=form, article=None), 200 if request.method == "GET" else 400


def _edit_page(
    article: Article, form: ArticleForm | None = None, image_form: ImageForm | None = None, status: int = 200
):
    return render_template(
        "admin/article_form.html",
        article=article,
        form=form or _form(article, formdata=False),
        image_form=image_form or ImageForm(),
        action=ActionForm(),
        status=editorial.status(article),
        publish_at=editorial.in_china(article.publish_at),
        images=editorial.images(article),
        media_url=editorial.media_url,
    ), status


@bp.route("/articles/<int:article_id>", methods=["GET", "POST"])
@require_roles(Role.EDITOR)
def article_edit(article_id: int):
    article = _article_or_404(article_id)
    if request.method == "GET":
        return _edit_page(article)
    form = _form(article)
    if form.validate_on_submit():
        try:
            changed = editorial.update(article, **_values(form), by=current_user._get_current_object())
        except Rejected as e:
            _attach(form, e)
        else:
            flash("已保存" if changed else "没有修改", "info")
            return redirect(url_for("admin.article_edit", article_id=article.id))
    return _edit_page(article, form=form, status=400)


@bp.post("/articles/<int:article_id>/publish")
@require_roles(Role.EDITOR)
def article_publish(article_id: int):
    article = _article_or_404(article_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    result = editorial.publish(article, by=current_user._get_current_object())
    if result == editorial.ArticleStatus.SCHEDULED:
        at = editorial.in_china(article.publish_at)
        flash(f"已设置定时发布，将于{at:%Y-%m-%d %H:%M}公开", "info")
    else:
        flash("已发布", "info")
    return redirect(url_for("admin.article_edit", article_id=article.id))


@bp.post("/articles/<int:article_id>/unpublish")
@require_roles(Role.EDITOR)
def article_unpublish(article_id: int):
    article = _article_or_404(article_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    editorial.withdraw(article, by=current_user._get_current_object(), reason=request.form.get("reason"))
    flash("已撤下，公众不再能看到这篇文章及其图片", "info")
    return redirect(url_for("admin.article_edit", article_id=article.id))


@bp.post("/articles/<int:article_id>/images")
@require_roles(Role.EDITOR)
def article_image_upload(article_id: int):
    article = _article_or_404(article_id)
    image_form = ImageForm()
    if not image_form.validate_on_submit():
        return _edit_page(article, image_form=image_form, status=400)
    try:
        attachment = editorial.add_image(article, image_form.image.data, by=current_user._get_current_object())
    except uploads.UploadRejected as e:
        image_form.image.errors = list(image_form.image.errors) + [str(e)]
        return _edit_page(article, image_form=image_form, status=400)
    alt = image_form.alt.data.strip().replace('"', "“")  # the snippet is copied into HTML as it is
    flash(f'图片已上传，在正文中插入：<img src="{editorial.media_url(attachment)}" alt="{alt}">', "info")
    return redirect(url_for("admin.article_edit", article_id=article.id))


@bp.get("/articles/<int:article_id>/images/<stored_name>")
@require_roles(Role.EDITOR)
def article_image(article_id: int, stored_name: str):
    """The editor's preview of an image, published or not."""
    attachment = editorial.image(_article_or_404(article_id), stored_name)
    if attachment is None or not uploads.path_of(attachment).is_file():
        abort(404)
    response = send_file(uploads.path_of(attachment), mimetype=attachment.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
