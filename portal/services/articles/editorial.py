"""Writing articles in the back office: drafts, publication (at once or scheduled), withdrawal, images.

The public side (portal/services/articles/content.py) shows an article only while it is published and its
publish_at has come; here the editor sets both. Bodies go through portal.sanitize.clean_html
before they are stored, every change is audited with the values before and after.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence

from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import Article, Attachment, Column, PublicationState
from portal.rules.alt_text import undescribed_images
from portal.sanitize import MEDIA_PREFIX, clean_html
from portal.services.articles import content
from portal.services.core import audit, uploads
from portal.services.core.unit_of_work import atomic, commit
from portal.services.core.workflow import Rejected

IMAGE_OWNER = content.IMAGE_OWNER
AUDITED = ("title", "column_id", "summary", "body_html", "source", "publish_at", "state")


class ArticleStatus(str, enum.Enum):
    """What an editor sees: the stored state, with 'scheduled' for a publication still to come."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"draft": "草稿", "scheduled": "定时发布", "published": "已发布", "withdrawn": "已撤下"}[self.value]


def in_china(value: dt.datetime | None) -> dt.datetime | None:
    """An article time as China wall-clock time (SQLite hands back the naive China time it stored)."""
    if value is None:
        return None
    return value.replace(tzinfo=clock.CHINA) if value.tzinfo is None else value.astimezone(clock.CHINA)


def status(article: Article, now: dt.datetime | None = None) -> ArticleStatus:
    if article.state == PublicationState.PUBLISHED:
        at = in_china(article.publish_at)
        return ArticleStatus.SCHEDULED if at is not None and at > (now or clock.now()) else ArticleStatus.PUBLISHED
    if article.state == PublicationState.WITHDRAWN:
        return ArticleStatus.WITHDRAWN
    return ArticleStatus.DRAFT


def status_filter(chosen: ArticleStatus):
    now = clock.now()
    if chosen == ArticleStatus.SCHEDULED:
        return (Article.state == PublicationState.PUBLISHED) & (Article.publish_at > now)
    if chosen == ArticleStatus.PUBLISHED:
        return content.public_filter(now)
    if chosen == ArticleStatus.WITHDRAWN:
        return Article.state == PublicationState.WITHDRAWN
    return Article.state.in_((PublicationState.DRAFT, PublicationState.PENDING))


def article(article_id: int) -> Article | None:
    return db.session.get(Article, article_id)


def draft_count() -> int:
    return (
        db.session.scalar(select(func.count()).select_from(Article).where(Article.state == PublicationState.DRAFT)) or 0
    )


def columns() -> Sequence[Column]:
    return db.session.scalars(select(Column).order_by(Column.position, Column.id)).all()


def _body(html: str) -> str:
    """The body as stored: cleaned, and refused while a picture in it has no description."""
    body = clean_html(html)
    missing = undescribed_images(body)
    if missing:
        raise Rejected({"body_html": [f"正文中有{missing}张图片没有图片说明，请为每张图片填写图片说明（alt）"]})
    return body


def _snapshot(article: Article) -> dict:
    values = audit.snapshot(article, AUDITED)
    at = in_china(article.publish_at)
    values["publish_at"] = at.isoformat() if at else None
    return values


@atomic
def create(
    *,
    title: str,
    column_id: int,
    summary: str | None,
    body_html: str,
    source: str | None,
    publish_at: dt.datetime | None,
    by,
) -> Article:
    article = Article(
        title=title.strip(),
        column_id=column_id,
        summary=(summary or "").strip() or None,
        body_html=_body(body_html),
        source=(source or "").strip() or None,
        publish_at=in_china(publish_at),
        state=PublicationState.DRAFT,
        author_id=by.id,
        created_by_id=by.id,
    )
    db.session.add(article)
    db.session.flush()
    audit.record("article_created", user=by, entity_type="article", entity_id=article.id, after=_snapshot(article))
    commit()
    return article


@atomic
def update(
    article: Article,
    *,
    title: str,
    column_id: int,
    summary: str | None,
    body_html: str,
    source: str | None,
    publish_at: dt.datetime | None,
    by,
) -> bool:
    """Apply the editor's form; True when something changed (and was audited)."""
    body = _body(body_html)
    before = _snapshot(article)
    article.title = title.strip()
    article.column_id = column_id
    article.summary = (summary or "").strip() or None
    article.body_html = body
    article.source = (source or "").strip() or None
    new_at = in_china(publish_at)
    if new_at is None and article.state == PublicationState.PUBLISHED:
        new_at = in_china(article.publish_at)  # a published article keeps its time when the field is left empty
    if in_china(article.publish_at) != new_at:
        article.publish_at = new_at
    old, new = audit.changes(before, _snapshot(article))
    if not new:
        commit()
        return False
    audit.record("article_updated", user=by, entity_type="article", entity_id=article.id, before=old, after=new)
    commit()
    return True


@atomic
def publish(article: Article, *, by) -> ArticleStatus:
    """Publish now, or at publish_at when that is still to come (scheduled publication)."""
    before = _snapshot(article)
    now = clock.now()
    if article.publish_at is None:
        article.publish_at = now
    article.state = PublicationState.PUBLISHED
    article.published_at = now
    article.withdrawn_reason = None
    old, new = audit.changes(before, _snapshot(article))
    audit.record("article_published", user=by, entity_type="article", entity_id=article.id, before=old, after=new)
    result = status(article, now)
    commit()
    return result


@atomic
def withdraw(article: Article, *, by, reason: str | None = None) -> None:
    before = _snapshot(article)
    article.state = PublicationState.WITHDRAWN
    article.withdrawn_reason = (reason or "").strip()[:500] or None
    old, new = audit.changes(before, _snapshot(article))
    audit.record(
        "article_withdrawn",
        user=by,
        entity_type="article",
        entity_id=article.id,
        before=old,
        after={**new, "reason": article.withdrawn_reason},
    )
    commit()


@atomic
def add_image(article: Article, file_storage, *, by) -> Attachment:
    """An image for this article through the one safe upload path; raises uploads.UploadRejected."""
    attachment = uploads.save_upload(file_storage, IMAGE_OWNER, allowed=uploads.IMAGES, owner_id=article.id)
    db.session.flush()
    audit.record(
        "attachment_uploaded",
        user=by,
        entity_type="article",
        entity_id=article.id,
        after={
            "attachment_id": attachment.id,
            "stored_name": attachment.stored_name,
            "original_name": attachment.original_name,
            "size": attachment.size,
            "sha256": attachment.sha256,
        },
    )
    commit()
    return attachment


def images(article: Article) -> Sequence[Attachment]:
    return db.session.scalars(
        select(Attachment)
        .where(Attachment.owner_kind == IMAGE_OWNER, Attachment.owner_id == article.id)
        .order_by(Attachment.id)
    ).all()


def media_url(attachment: Attachment) -> str:
    return MEDIA_PREFIX + attachment.stored_name


def image(article: Article, stored_name: str) -> Attachment | None:
    return db.session.scalar(
        select(Attachment).where(
            Attachment.owner_kind == IMAGE_OWNER,
            Attachment.owner_id == article.id,
            Attachment.stored_name == stored_name,
        )
    )
