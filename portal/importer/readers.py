"""Reading CSV (UTF-8 with or without BOM, GB18030/GBK) and XLSX files as rows of cells."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from portal.importer.headers import HeaderError

_CHUNK = 1 << 20


@dataclass
class Table:
    header: list
    rows: Iterator[list]  # data rows, in file order
    total: int  # data rows expected (for progress); exact for XLSX, line-based for CSV
    first_line: int = 2  # file row number of the first data row


def _detect_encoding(path: Path) -> tuple[str, int]:
    """Encoding that decodes the whole file, and its number of lines; HeaderError if none does."""
    with path.open("rb") as f:
        head = f.read(4)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        # GB18030 is a superset of GBK and GB2312; try UTF-8 first, since GB18030 decodes almost anything.
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            with path.open("rb") as f:
                while chunk := f.read(_CHUNK):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    raise HeaderError("无法识别文件编码，请使用UTF-8或GB18030（GBK）编码的CSV文件，或XLSX文件")


def _read_csv(path: Path) -> Table:
    encoding, lines = _detect_encoding(path)
    f = path.open("r", encoding=encoding, newline="")
    first_line = f.readline()
    f.seek(0)
    # Some systems export tab-separated text under a .csv name.
    dialect = csv.excel_tab if "\t" in first_line and "," not in first_line else csv.excel
    reader = csv.reader(f, dialect)
    try:
        header = next(reader)
    except StopIteration:
        f.close()
        raise HeaderError("文件为空") from None
    except csv.Error as e:
        f.close()
        raise HeaderError(f"文件无法按CSV格式读取：{e}") from None

    def rows():
        with f:
            yield from reader

    return Table(header=header, rows=rows(), total=max(lines - 1, 0))


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds on a damaged file
        raise HeaderError(f"XLSX文件无法读取：{type(e).__name__}") from None
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    try:
        header = list(next(it))
    except StopIteration:
        wb.close()
        raise HeaderError("文件为空") from None
    total = max((ws.max_row or 1) - 1, 0)

    def rows():
        try:
            for row in it:
                yield ["" if v is None else v for v in row]
        finally:
            wb.close()

    return Table(header=header, rows=rows(), total=total)


def open_table(path: str | Path) -> Table:
    path = Path(path)
    if not path.is_file():
        raise HeaderError(f"文件不存在：{path.name}")
    with path.open("rb") as f:
        magic = f.read(4)
    if magic == b"PK\x03\x04":
        if not zipfile.is_zipfile(path):
            raise HeaderError("XLSX文件已损坏")
        return _read_xlsx(path)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise HeaderError("不支持旧版Excel（.xls）文件，请另存为XLSX或CSV后再导入")
    return _read_csv(path)
