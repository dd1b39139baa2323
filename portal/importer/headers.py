"""The national exchange format's column headers (spec section 2) and their mapping to fields."""

from __future__ import annotations

import unicodedata

LICENSE, PENALTY = "license", "penalty"
KIND_LABELS = {LICENSE: "行政许可", PENALTY: "行政处罚"}

# This portal's extension (like 失信严重程度): one of portal/reference/industries.toml; empty takes
# the deciding authority's default industry.
INDUSTRY = "所属行业"
# Also this portal's: the record's project or facility (项目/设施), by its 项目编号 or name among the
# subject's approved projects; empty for none.
PROJECT = "所属项目"

SUBJECT_HEADERS = (
    "行政相对人名称",
    "行政相对人类别",
    "统一社会信用代码",
    "工商注册号",
    "组织机构代码",
    "税务登记号",
    "事业单位证书号",
    "社会组织登记证号",
    "法定代表人",
    "法定代表人证件类型",
    "法定代表人证件号码",
    "证件类型",
    "证件号码",
)

LICENSE_HEADERS = SUBJECT_HEADERS + (
    "行政许可决定文书名称",
    "行政许可决定文书号",
    "许可类别",
    "许可证书名称",
    "许可编号",
    "许可内容",
    "许可决定日期",
    "有效期自",
    "有效期至",
    "许可机关",
    "许可机关统一社会信用代码",
    "当前状态",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
    INDUSTRY,
    PROJECT,
)

PENALTY_HEADERS = SUBJECT_HEADERS + (
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额(万元)",
    "没收违法所得、没收非法财物的金额(万元)",
    "暂扣或吊销证照名称及编号",
    "处罚决定日期",
    "处罚有效期",
    "公示截止期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
    "失信严重程度",
    INDUSTRY,
    PROJECT,
)

HEADERS = {LICENSE: LICENSE_HEADERS, PENALTY: PENALTY_HEADERS}

_COMMON_REQUIRED = ("行政相对人名称", "行政相对人类别", "数据来源单位", "数据来源单位统一社会信用代码")
REQUIRED = {
    LICENSE: _COMMON_REQUIRED
    + ("行政许可决定文书号", "许可类别", "许可决定日期", "许可机关", "许可机关统一社会信用代码"),
    PENALTY: _COMMON_REQUIRED
    + (
        "行政处罚决定书文号",
        "违法行为类型",
        "违法事实",
        "处罚依据",
        "处罚类别",
        "处罚内容",
        "处罚决定日期",
        "处罚机关",
        "处罚机关统一社会信用代码",
    ),
}

# The header that names the record in messages and makes up the natural key with the authority's USCC.
DOC_NO = {LICENSE: "行政许可决定文书号", PENALTY: "行政处罚决定书文号"}
AUTHORITY_USCC = {LICENSE: "许可机关统一社会信用代码", PENALTY: "处罚机关统一社会信用代码"}


def normalise_header(cell) -> str:
    """Headers as exported: BOM, full-width brackets and stray spaces are folded away."""
    text = unicodedata.normalize("NFKC", str(cell or "")).replace("\ufeff", "")
    return "".join(text.split())


class HeaderError(ValueError):
    """The file as a whole is refused; the message is Chinese."""


def check_headers(kind: str, raw_headers) -> list[str]:
    """The normalised headers, or HeaderError naming unknown, duplicate and missing required columns."""
    headers = [normalise_header(h) for h in raw_headers]
    while headers and not headers[-1]:
        headers.pop()  # trailing empty columns left by spreadsheet programs
    known = set(HEADERS[kind])
    problems = []
    if not headers:
        raise HeaderError("文件没有表头行")
    unknown = [h or "（空白列名）" for h in headers if h not in known]
    if unknown:
        problems.append("未知列：" + "、".join(unknown))
    duplicates = sorted({h for h in headers if h and headers.count(h) > 1})
    if duplicates:
        problems.append("重复列：" + "、".join(duplicates))
    missing = [h for h in REQUIRED[kind] if h not in headers]
    if missing:
        problems.append("缺少必填列：" + "、".join(missing))
    if problems:
        raise HeaderError(f"{KIND_LABELS[kind]}文件表头不符合国家双公示数据标准：" + "；".join(problems))
    return headers
