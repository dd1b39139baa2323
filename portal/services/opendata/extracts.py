"""Bulk extracts of the public columns: CSV (UTF-8 with BOM, the national headers, so that Excel
opens it) and JSON Lines, streamed row by row from keyset batches, so memory stays flat however
many rows there are. The daily full extract is written to a file with its SHA-256 beside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from portal import clock
from portal.importer.headers import PROJECT
from portal.services.opendata import columns

BOM = "\ufeff"
# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading formula character gets a quote before it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# (header, value) per column: the national exchange headers (portal.importer.headers) where the
# national format has the field; the values are the presenters', masked as on the pages.
Field = tuple[str, Callable[[dict], object]]


def _project_code(view: dict) -> str | None:
    """所属项目 as the import column takes it: the approved project's 项目编号, empty for none."""
    return view["project"]["code"] if view["project"] else None


FIELDS: dict[str, list[Field]] = {
    "licenses": [
        ("行政相对人名称", lambda v: v["subject_name"]),
        ("行政相对人类别", lambda v: v["subject"]["kind"]),
        ("统一社会信用代码", lambda v: v["subject"]["uscc"]),
        ("行政许可决定文书名称", lambda v: v["doc_name"]),
        ("行政许可决定文书号", lambda v: v["doc_no"]),
        ("许可类别", lambda v: v["category"]),
        ("许可证书名称", lambda v: v["cert_name"]),
        ("许可编号", lambda v: v["license_no"]),
        ("许可内容", lambda v: v["content"]),
        ("许可决定日期", lambda v: v["decided_on"]),
        ("有效期自", lambda v: v["valid_from"]),
        ("有效期至", lambda v: v["valid_to"]),
        ("许可机关", lambda v: v["authority"]),
        ("许可机关统一社会信用代码", lambda v: v["authority_uscc"]),
        ("当前状态", lambda v: v["status_label"]),
        ("数据来源单位", lambda v: v["source_unit"]),
        ("数据来源单位统一社会信用代码", lambda v: v["source_unit_uscc"]),
        ("备注", lambda v: v["remarks"]),
        (PROJECT, _project_code),
    ],
    "penalties": [
        ("行政相对人名称", lambda v: v["subject_name"]),
        ("行政相对人类别", lambda v: v["subject"]["kind"]),
        ("统一社会信用代码", lambda v: v["subject"]["uscc"]),
        ("行政处罚决定书文号", lambda v: v["doc_no"]),
        ("违法行为类型", lambda v: v["violation_type"]),
        ("违法事实", lambda v: v["facts"]),
        ("处罚依据", lambda v: v["basis"]),
        ("处罚类别", lambda v: ";".join(v["categories"])),
        ("处罚内容", lambda v: v["content"]),
        ("罚款金额(万元)", lambda v: v["fine_wan"]),
        ("没收违法所得、没收非法财物的金额(万元)", lambda v: v["confiscated_wan"]),
        ("暂扣或吊销证照名称及编号", lambda v: v["license_affected"]),
        ("处罚决定日期", lambda v: v["decided_on"]),
        ("处罚有效期", lambda v: v["penalty_valid_to"]),
        ("公示截止期", lambda v: v["display_until"]),
        ("处罚机关", lambda v: v["authority"]),
        ("处罚机关统一社会信用代码", lambda v: v["authority_uscc"]),
        ("数据来源单位", lambda v: v["source_unit"]),
        ("数据来源单位统一社会信用代码", lambda v: v["source_unit_uscc"]),
        ("备注", lambda v: v["remarks"]),
        ("失信严重程度", lambda v: v["severity"]),
        (PROJECT, _project_code),
    ],
    "list_entries": [
        ("主体名称", lambda v: v["subject"]["name"]),
        ("统一社会信用代码", lambda v: v["subject"]["uscc"]),
        ("名单种类", lambda v: v["kind_label"]),
        ("名单类型", lambda v: v["list_type"]),
        ("认定部门", lambda v: v["authority"]),
        ("列入原因", lambda v: v["reason"]),
        ("列入依据", lambda v: v["basis"]),
        ("列入日期", lambda v: v["listed_on"]),
        ("计划移出日期", lambda v: v["planned_end"]),
        ("名单条目编号", lambda v: v["id"]),
    ],
    "commitments": [
        ("承诺编码", lambda v: v["code"]),
        ("承诺主体名称", lambda v: v["committer_name"]),
        ("统一社会信用代码", lambda v: v["uscc"]),
        ("承诺类型", lambda v: v["commitment_type"]),
        ("承诺事项", lambda v: v["matter"]),
        ("承诺内容", lambda v: v["content"]),
        ("违诺责任", lambda v: v["liability"]),
        ("作出承诺日期", lambda v: v["made_on"]),
        ("承诺有效期至", lambda v: v["valid_until"]),
        ("承诺受理单位", lambda v: v["acceptor"]),
        ("履约状态", lambda v: v["fulfilment"]),
    ],
    "articles": [
        ("标题", lambda v: v["title"]),
        ("栏目", lambda v: v["column"]["name"]),
        ("来源", lambda v: v["source"]),
        ("发布日期", lambda v: v["publish_on"]),
        ("摘要", lambda v: v["summary"]),
        ("文章编号", lambda v: v["id"]),
    ],
}


def _cell(value) -> str:
    return "" if value is None else neutralise(str(value))


def csv_lines(name: str, q: columns.Query = columns.ANY) -> Iterator[str]:
    """The column as CSV text, a line at a time: BOM and headers first."""
    fields = FIELDS[name]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for header, _ in fields])
    yield BOM + buffer.getvalue()
    for view in columns.stream(name, q):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(get(view)) for _, get in fields])
        yield buffer.getvalue()


def jsonl_lines(name: str, q: columns.Query = columns.ANY) -> Iterator[str]:
    """The column as JSON Lines: each line the API's item for the record."""
    for view in columns.stream(name, q):
        yield json.dumps(view, ensure_ascii=False, separators=(",", ":")) + "\n"


LINES = {"csv": csv_lines, "jsonl": jsonl_lines}


def file_name(name: str, fmt: str, on: dt.date | None = None) -> str:
    return f"{name}-{(on or clock.today()).isoformat()}.{fmt}"


def write_daily(name: str, fmt: str, out: Path) -> tuple[Path, str]:
    """Today's full extract into `out`, with `<file>.sha256` beside it (sha256sum's format).

    Written under a temporary name and renamed: a download never sees half a file."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / file_name(name, fmt)
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    with partial.open("wb") as f:
        for line in LINES[fmt](name):
            data = line.encode("utf-8")
            digest.update(data)
            f.write(data)
    os.replace(partial, target)
    checksum = target.with_name(target.name + ".sha256")
    checksum.write_text(f"{digest.hexdigest()}  {target.name}\n", encoding="ascii")
    return target, digest.hexdigest()


def daily_files(out: Path) -> list[dict]:
    """The daily extracts present in `out`, newest first, with their digests."""
    found = []
    for path in sorted(out.glob("*-????-??-??.*"), reverse=True):
        if path.suffix not in (".csv", ".jsonl"):
            continue
        checksum = path.with_name(path.name + ".sha256")
        digest = checksum.read_text(encoding="ascii").split()[0] if checksum.exists() else None
        found.append({"name": path.name, "bytes": path.stat().st_size, "sha256": digest})
    return found
