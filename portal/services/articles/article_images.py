"""An image uploaded from the article editor, as one unit of work: stored and recorded, or nothing."""

from __future__ import annotations

from portal.extensions import db
from portal.models import Article, Attachment
from portal.services.articles import editorial
from portal.services.core import uploads


def upload(article: Article, file_storage, *, by) -> Attachment:
    """Through the one safe upload path (editorial.add_image); raises uploads.UploadRejected with nothing kept."""
    try:
        attachment = editorial.add_image(article, file_storage, by=by)
    except uploads.UploadRejected:
        db.session.rollback()
        raise
    db.session.commit()
    return attachment
