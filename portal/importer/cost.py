"""What one import file may cost, checked before it is parsed.

An XLSX is a zip: 16 KB on the wire can inflate to hundreds of megabytes and 100,000 rows. The zip's
central directory gives each member's unpacked size (reads stop there: Python's zipfile never
returns more than the declared size), so the unpacked total, the shared-strings table (which openpyxl
holds in memory whole) and the number of rows (counted from the raw sheet XML, without building
cells) are known before any parsing. A CSV's rows are its lines.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from portal.importer.headers import HeaderError

_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CHUNK = 1 << 20
_MAX_MEMBERS = 1000
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class Limits:
    max_rows: int
    max_unpacked_bytes: int
    max_shared_strings_bytes: int


def _mb(n: int) -> int:
    return n // (1024 * 1024)


def _first_sheet(z: zipfile.ZipFile) -> str:
    """The member holding the workbook's first sheet (the one imported)."""
    try:
        workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        first = workbook.find(f".//{_SHEET}").get(_REL_ID)
        target = next(r.get("Target") for r in rels.iter(_RELS) if r.get("Id") == first)
    except (KeyError, AttributeError, StopIteration, ElementTree.ParseError):
        raise HeaderError("XLSX文件结构不完整，请用Excel另存后再导入") from None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _count_rows(z: zipfile.ZipFile, member: str, stop_after: int) -> int:
    """<row> elements of a sheet, read in chunks; stops counting past `stop_after`."""
    rows, carry = 0, b""
    with z.open(member) as f:
        while chunk := f.read(_CHUNK):
            data = carry + chunk
            # A tag cut at the end of the chunk is counted in the next round (a row tag is short).
            safe = len(data) - 64
            rows += sum(1 for m in _ROW.finditer(data) if m.start() < safe)
            carry = data[max(safe, 0) :]
            if rows > stop_after:
                return rows
    return rows + len(_ROW.findall(carry))


def xlsx_rows(path: Path, limits: Limits) -> int:
    """Data rows of an XLSX, or HeaderError when the file would cost more than `limits` allow."""
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
            if len(members) > _MAX_MEMBERS:
                raise HeaderError("XLSX文件包含的部件过多，不像是一份数据表")
            unpacked = sum(m.file_size for m in members)
            if unpacked > limits.max_unpacked_bytes:
                raise HeaderError(
                    f"XLSX文件解压后约{_mb(unpacked)}MB，超过{_mb(limits.max_unpacked_bytes)}MB的上限，请拆分后分批导入"
                )
            shared = next((m.file_size for m in members if m.filename == "xl/sharedStrings.xml"), 0)
            if shared > limits.max_shared_strings_bytes:
                raise HeaderError("XLSX文件中的文字内容过多，请拆分后分批导入，或另存为CSV")
            rows = _count_rows(z, _first_sheet(z), limits.max_rows + 1) - 1  # less the header row
    except zipfile.BadZipFile:
        raise HeaderError("XLSX文件已损坏") from None
    if rows > limits.max_rows:
        raise HeaderError(f"文件超过{limits.max_rows}行的上限，请拆分后分批导入")
    return max(rows, 0)


def check_csv_rows(rows: int, limits: Limits) -> int:
    if rows > limits.max_rows:
        raise HeaderError(f"文件超过{limits.max_rows}行的上限，请拆分后分批导入")
    return rows
