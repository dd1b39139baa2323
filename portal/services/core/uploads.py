"""The one safe upload path: every file the portal accepts (article images, evidence) comes through here.

- The type is decided by the content (magic bytes), never by the file name or the browser's
  Content-Type: a file named .png that holds HTML is refused.
- At most PORTAL_MAX_UPLOAD_MB (10) megabytes, checked while reading.
- Stored under PORTAL_UPLOAD_DIR (never under static/) with a random name; the original name is
  kept only as data. A sha256 digest and an Attachment row describe the file.
- Nothing is served from the upload directory directly: each route that hands a file out decides
  whether this visitor may see it (article images: only while their article is published).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, send_file
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.extensions import db
from portal.models import Attachment

DEFAULT_MAX_MB = 10
MAX_FILES_PER_SUBMISSION = 5
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    extension: str
    content_type: str
    magic: tuple[bytes, ...]


KINDS = {
    "pdf": Kind("pdf", "PDF", "pdf", "application/pdf", (b"%PDF-",)),
    "png": Kind("png", "PNG图片", "png", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpeg": Kind("jpeg", "JPEG图片", "jpg", "image/jpeg", (b"\xff\xd8\xff",)),
}
IMAGES = ("png", "jpeg")
_STORED = re.compile(r"^[0-9a-f]{32}\.(?:pdf|png|jpg)$")


class UploadRejected(ValueError):
    """A file the portal will not keep; the message is for the person who sent it (Chinese)."""


def max_bytes() -> int:
    return int(current_app.config.get("PORTAL_MAX_UPLOAD_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def sniff(head: bytes, allowed=tuple(KINDS)) -> Kind | None:
    """The allowed kind whose magic bytes start `head`, else None."""
    for name in allowed:
        kind = KINDS[name]
        if any(head.startswith(m) for m in kind.magic):
            return kind
    return None


def upload_dir() -> Path:
    """PORTAL_UPLOAD_DIR, created when missing; refuses a directory the static route would serve."""
    path = Path(current_app.config["PORTAL_UPLOAD_DIR"]).resolve()
    static = Path(current_app.static_folder).resolve() if current_app.static_folder else None
    if static is not None and (path == static or static in path.parents):
        raise RuntimeError("PORTAL_UPLOAD_DIR must not be inside the static folder")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _allowed_labels(allowed) -> str:
    return "、".join(KINDS[a].label for a in allowed)


def _clean_original_name(name: str | None) -> str:
    name = os.path.basename((name or "").replace("\\", "/")).strip()
    name = "".join(c for c in name if c.isprintable())
    return name[-255:] or "未命名"


def save_upload(
    file_storage: FileStorage | None, owner_kind: str, allowed=("pdf", "png", "jpeg"), owner_id: int | None = None
) -> Attachment:
    """Check and keep one uploaded file; returns its Attachment (added to the session, not committed).

    Raises UploadRejected with a Chinese message when the file is missing, empty, too large or not
    one of the `allowed` kinds by its content.
    """
    unknown = [a for a in allowed if a not in KINDS]
    if unknown:
        raise ValueError(f"unknown upload kinds: {unknown}")
    if file_storage is None or not file_storage.filename:
        raise UploadRejected("请选择要上传的文件")
    limit = max_bytes()
    directory = upload_dir()
    digest = hashlib.sha256()
    size = 0
    kind = None
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            stream = file_storage.stream
            head = stream.read(_CHUNK)
            if not head:
                raise UploadRejected("上传的文件是空的")
            kind = sniff(head, allowed)
            if kind is None:
                raise UploadRejected(f"文件内容不是允许的类型（仅限{_allowed_labels(allowed)}），请勿仅修改文件扩展名")
            chunk = head
            while chunk:
                size += len(chunk)
                if size > limit:
                    raise UploadRejected(f"文件超过{limit // (1024 * 1024)}MB的大小限制")
                digest.update(chunk)
                out.write(chunk)
                chunk = stream.read(_CHUNK)
        stored_name = f"{secrets.token_hex(16)}.{kind.extension}"
        os.replace(tmp_name, directory / stored_name)
        os.chmod(directory / stored_name, 0o640)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    attachment = Attachment(
        owner_kind=owner_kind,
        owner_id=owner_id,
        original_name=_clean_original_name(file_storage.filename),
        stored_name=stored_name,
        content_type=kind.content_type,
        size=size,
        sha256=digest.hexdigest(),
    )
    db.session.add(attachment)
    return attachment


def save_uploads(
    files: list[FileStorage],
    owner_kind: str,
    allowed=("pdf", "png", "jpeg"),
    owner_id: int | None = None,
    max_files: int = MAX_FILES_PER_SUBMISSION,
) -> list[Attachment]:
    """Several files of one submission (evidence): at most `max_files`, all or none."""
    files = [f for f in files if f is not None and f.filename]
    if len(files) > max_files:
        raise UploadRejected(f"每次最多上传{max_files}个文件")
    saved: list[Attachment] = []
    try:
        for f in files:
            saved.append(save_upload(f, owner_kind, allowed, owner_id))
    except UploadRejected:
        for attachment in saved:
            discard(attachment)
        raise
    return saved


_UNSAFE_IN_NAMES = set('"\\/:*?<>|;%') | {chr(c) for c in range(32)} | {"\x7f"}


def download_name(attachment: Attachment) -> str:
    """The name a download is saved under: the original name's stem, cleaned, with the extension of
    the type the content was sniffed as (a PDF uploaded as 'x.html' downloads as 'x.pdf')."""
    stem = Path(_clean_original_name(attachment.original_name)).stem
    stem = "".join(c for c in stem if c not in _UNSAFE_IN_NAMES).strip(" .")[:100] or "附件"
    extension = next((k.extension for k in KINDS.values() if k.content_type == attachment.content_type), "bin")
    return f"{stem}.{extension}"


def send_attachment(attachment: Attachment):
    """A stored file as a download: never rendered by the browser, whatever it holds."""
    response = send_file(
        path_of(attachment),
        mimetype=attachment.content_type,
        as_attachment=True,  # Content-Disposition with an RFC 5987 filename* for Chinese names
        download_name=download_name(attachment),
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def purge_orphans(older_than: float = 3600, now: float | None = None) -> int:
    """Remove stored files no Attachment row names (their submission died before its commit) and
    unfinished temporary files, once older than `older_than` seconds; returns how many."""
    directory = upload_dir()
    cutoff = (now or time.time()) - older_than
    known = set(db.session.scalars(select(Attachment.stored_name)))
    removed = 0
    for path in directory.iterdir():
        if not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        if path.name.startswith(".upload-") or (_STORED.match(path.name) and path.name not in known):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def path_of(attachment: Attachment) -> Path:
    """Where an attachment's bytes are; the stored name is ours, never a path from outside."""
    return upload_dir() / Path(attachment.stored_name).name


def discard(attachment: Attachment) -> None:
    """Forget a file that was saved but not kept (its submission failed)."""
    try:
        path_of(attachment).unlink()
    except FileNotFoundError:
        pass
    if attachment in db.session:
        db.session.expunge(attachment)
