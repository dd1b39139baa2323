"""Images of published articles: the only uploaded files the public can load.

Other attachments (evidence, imports) are never served here; the back office has its own routes.
"""

from __future__ import annotations

import re

from flask import abort, send_file

from portal.services.articles import content
from portal.services.core import uploads
from portal.views.blueprint import bp

_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(?:png|jpg)$")


@bp.get("/media/<stored_name>")
def media(stored_name: str):
    if not _STORED_NAME.match(stored_name):
        abort(404)
    image = content.public_image(stored_name)
    if image is None:
        abort(404)
    path = uploads.path_of(image)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=image.content_type, conditional=True, etag=image.sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Revalidated on every use: an image disappears as soon as its article is withdrawn.
    response.headers["Cache-Control"] = "no-cache"
    return response
