"""The one safe upload path: type by content, size limit, random names outside static/, sha256."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from portal.services.core import uploads


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
HTML = b"<!doctype html><script>alert(document.cookie)</script>"


def upload(data: bytes, name: str, content_type: str = "image/png") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type=content_type)


def test_png_is_stored_under_a_random_name_with_its_digest(app_ctx):
    data = png_bytes()
    attachment = uploads.save_upload(upload(data, "../../公告 配图.png"), "article_image", allowed=uploads.IMAGES)
    path = uploads.path_of(attachment)
    assert path.read_bytes() == data
    assert attachment.content_type == "image/png" and attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.original_name == "公告 配图.png"
    assert attachment.stored_name.endswith(".png") and "公告" not in attachment.stored_name
    assert len(attachment.stored_name) == 36
    assert path.parent == Path(app_ctx.config["PORTAL_UPLOAD_DIR"]).resolve()
    static = Path(app_ctx.static_folder).resolve()
    assert static not in path.parents


def test_type_comes_from_the_content_not_the_name(app_ctx):
    jpeg = uploads.save_upload(upload(JPEG, "photo.png"), "x", allowed=uploads.IMAGES)
    assert jpeg.content_type == "image/jpeg" and jpeg.stored_name.endswith(".jpg")
    pdf = uploads.save_upload(upload(PDF, "evidence.bin", "application/octet-stream"), "objection")
    assert pdf.content_type == "application/pdf" and pdf.stored_name.endswith(".pdf")


def test_html_named_png_is_refused_in_chinese(app_ctx):
    with pytest.raises(uploads.UploadRejected, match="文件内容不是允许的类型"):
        uploads.save_upload(upload(HTML, "innocent.png"), "article_image", allowed=uploads.IMAGES)
    assert list(Path(app_ctx.config["PORTAL_UPLOAD_DIR"]).iterdir()) == []


def test_pdf_refused_where_only_images_are_allowed(app_ctx):
    with pytest.raises(uploads.UploadRejected, match="PNG图片、JPEG图片"):
        uploads.save_upload(upload(PDF, "a.pdf"), "article_image", allowed=uploads.IMAGES)


def test_more_than_10_mb_is_refused_and_nothing_kept(app_ctx):
    big = png_bytes() + b"\x00" * (11 * 1024 * 1024)
    with pytest.raises(uploads.UploadRejected, match="10MB"):
        uploads.save_upload(upload(big, "big.png"), "article_image")
    assert list(Path(app_ctx.config["PORTAL_UPLOAD_DIR"]).iterdir()) == []
    exactly = PDF + b"\x00" * (10 * 1024 * 1024 - len(PDF))
    assert uploads.save_upload(upload(exactly, "max.pdf"), "objection").size == 10 * 1024 * 1024


def test_empty_and_missing_files_are_refused(app_ctx):
    with pytest.raises(uploads.UploadRejected, match="空"):
        uploads.save_upload(upload(b"", "a.png"), "x")
    with pytest.raises(uploads.UploadRejected, match="请选择"):
        uploads.save_upload(None, "x")


def test_at_most_five_files_per_submission_all_or_none(app_ctx):
    files = [upload(PDF, f"{i}.pdf") for i in range(6)]
    with pytest.raises(uploads.UploadRejected, match="最多上传5个"):
        uploads.save_uploads(files, "objection")
    mixed = [upload(PDF, "1.pdf"), upload(HTML, "2.pdf")]
    with pytest.raises(uploads.UploadRejected):
        uploads.save_uploads(mixed, "objection")
    assert [p for p in Path(app_ctx.config["PORTAL_UPLOAD_DIR"]).iterdir()] == []
    assert len(uploads.save_uploads([upload(PDF, f"{i}.pdf") for i in range(5)], "objection")) == 5


def test_upload_dir_inside_static_is_refused(app_ctx):
    app_ctx.config["PORTAL_UPLOAD_DIR"] = str(Path(app_ctx.static_folder) / "uploads")
    with pytest.raises(RuntimeError):
        uploads.save_upload(upload(png_bytes(), "a.png"), "x")
