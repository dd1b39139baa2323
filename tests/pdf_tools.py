"""Reading a PDF as a person's tools would: poppler's pdftotext, pdffonts, pdfinfo and pdftoppm."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path


def _run(tool: str, data: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(data)
        command = [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])]
        done = subprocess.run(command, capture_output=True, check=False)
    assert done.returncode == 0, f"{tool} failed: {done.stderr.decode(errors='replace')}"
    return done.stdout.decode("utf-8")


def text(data: bytes, first: int | None = None, last: int | None = None) -> str:
    """The text in content order (-raw): a table cell's lines follow each other."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return _run("pdftotext", data, "-raw", "-enc", "UTF-8", *pages)


def compact(data: bytes) -> str:
    """The text with all white space removed: values broken across lines of a cell join again."""
    return re.sub(r"\s+", "", text(data))


def fonts(data: bytes) -> list[dict]:
    """pdffonts' table: name, type, emb, sub, uni per font."""
    rows = []
    for line in _run("pdffonts", data).splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object-id generation
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pages(data: bytes) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", data), re.M).group(1))


def render_first_page(data: bytes, folder: Path) -> Path:
    """The first page as a PNG (pdftoppm, 50 dpi)."""
    pdf = folder / "report.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(folder / "page")], check=True)
    return next(folder.glob("page-*.png"))


def signature_report(data: bytes) -> str:
    """pdfsig's account of the signatures, as a reader would show it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(data)
        done = subprocess.run(["pdfsig", str(path)], capture_output=True, check=False)  # exits 1 when invalid
    return done.stdout.decode("utf-8", errors="replace")
