"""Published articles by column (栏目)."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.extensions import db
from portal.models import Article, Attachment, Column, PublicationState
from portal.presenters import article_view, column_view
from portal.services.paging import Page, paginate


def published():
    """Published, with a publication time that has come (scheduled articles wait)."""
    return and_(
        Article.state == PublicationState.PUBLISHED, Article.publish_at.is_not(None), Article.publish_at <= clock.now()
    )


def _newest(*where):
    return (
        select(Article)
        .where(published(), *where)
        .options(selectinload(Article.column))
        .order_by(Article.publish_at.desc(), Article.id.desc())
    )


def columns() -> list[dict]:
    return [column_view(c) for c in db.session.scalars(select(Column).order_by(Column.position, Column.id))]


def articles(column_slug: str = "", page: int = 1) -> Page:
    where = [Article.column_id.in_(select(Column.id).where(Column.slug == column_slug))] if column_slug else []
    return paginate(_newest(*where), page, lambda rows: [article_view(a) for a in rows])


def latest_articles(limit: int = 5) -> list[dict]:
    return [article_view(a) for a in db.session.scalars(_newest().limit(limit))]


def article(article_id: int) -> dict | None:
    found = db.session.scalar(_newest(Article.id == article_id))
    return article_view(found, with_body=True) if found else None


def public_image(stored_name: str) -> Attachment | None:
    """An article image the public may load: only while its article is published (and its time has come)."""
    from portal.services.editorial import IMAGE_OWNER

    return db.session.scalar(
        select(Attachment)
        .join(Article, Article.id == Attachment.owner_id)
        .where(Attachment.owner_kind == IMAGE_OWNER, Attachment.stored_name == stored_name, published())
    )
