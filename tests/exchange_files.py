"""Building national-format exchange files for tests."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from portal.importer.headers import HEADERS

AUTHORITY = ("宁波市市场监督管理局", "113302004JURQ2830R")  # generated, passes both checks
COMPANY_USCC = "91110108551385082Q"  # a real code from the spec
# Generated codes (pass both checks) registered in Ningbo districts: 鄞州区 330212, 海曙区 330203.
YINZHOU_USCC = "91330212GQ9L4EA00A"
HAISHU_USCC = "91330203L1XLFYU287"
OTHER_AUTHORITY = ("宁波市生态环境局", "11330200685NL8DL4J")
# A natural person as the subject block of a row (organisation columns emptied).
PERSON = {
    "行政相对人名称": "张三",
    "行政相对人类别": "自然人",
    "统一社会信用代码": "",
    "法定代表人": "",
    "证件类型": "身份证",
    "证件号码": "330212198001010016",
}


def penalty_row(**overrides) -> dict:
    row = {
        "行政相对人名称": "宁波市鄞州区恒达建筑工程有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": COMPANY_USCC,
        "法定代表人": "王建国",
        "行政处罚决定书文号": "甬市监罚〔2026〕101号",
        "违法行为类型": "未取得食品经营许可从事食品经营",
        "违法事实": "经查，当事人于2026年3月在未取得食品经营许可证的情况下从事食品经营活动。",
        "处罚依据": "《中华人民共和国食品安全法》第一百二十二条第一款",
        "处罚类别": "警告;罚款",
        "处罚内容": "警告，罚款人民币5000元",
        "罚款金额(万元)": "0.5",
        "处罚决定日期": "2026-05-06",
        "处罚机关": AUTHORITY[0],
        "处罚机关统一社会信用代码": AUTHORITY[1],
        "数据来源单位": AUTHORITY[0],
        "数据来源单位统一社会信用代码": AUTHORITY[1],
        "失信严重程度": "一般",
    }
    row.update(overrides)
    return row


def license_row(**overrides) -> dict:
    row = {
        "行政相对人名称": "宁波恒达电子科技有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": "91350200776049653A",
        "法定代表人": "李明",
        "行政许可决定文书名称": "食品经营许可决定书",
        "行政许可决定文书号": "甬市监许〔2026〕88号",
        "许可类别": "普通",
        "许可证书名称": "食品经营许可证",
        "许可编号": "JY13302120001234",
        "许可内容": "预包装食品销售",
        "许可决定日期": "2026-03-02",
        "有效期自": "2026-03-02",
        "有效期至": "2031-03-01",
        "许可机关": AUTHORITY[0],
        "许可机关统一社会信用代码": AUTHORITY[1],
        "数据来源单位": AUTHORITY[0],
        "数据来源单位统一社会信用代码": AUTHORITY[1],
    }
    row.update(overrides)
    return row


def authority_columns(kind: str, authority: tuple[str, str]) -> dict:
    """The deciding authority and data source unit columns of a row, for another authority."""
    prefix = "许可机关" if kind == "license" else "处罚机关"
    return {
        prefix: authority[0],
        prefix + "统一社会信用代码": authority[1],
        "数据来源单位": authority[0],
        "数据来源单位统一社会信用代码": authority[1],
    }


def import_rows(runner, path: Path, kind: str, rows: list[dict]) -> None:
    """Write rows to a CSV file and import it through the operators' command; every row must pass."""
    result = runner.invoke(args=["portal", "import", kind, str(write_csv(path, kind, rows))])
    assert result.exit_code == 0 and result.stdout.strip().endswith(f"imported={len(rows)} rejected=0"), result.output


def write_csv(path: Path, kind: str, rows: list[dict], encoding: str = "utf-8", headers=None) -> Path:
    headers = list(headers or HEADERS[kind])
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])
    return path


def write_xlsx(path: Path, kind: str, rows: list[dict], headers=None) -> Path:
    from openpyxl import Workbook

    headers = list(headers or HEADERS[kind])
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        values = []
        for h in headers:
            v = row.get(h, "")
            values.append(dt.date.fromisoformat(v) if h.endswith("日期") and v else v)
        ws.append(values)
    wb.save(path)
    return path


def xlsx_bomb(path: Path, kind: str, rows: int) -> Path:
    """A valid XLSX whose first sheet has the national headers and `rows` nearly empty rows: a few
    kilobytes on the wire that inflate to megabytes of XML (100,000 rows fit in about 16 KB)."""
    import zipfile
    from xml.sax.saxutils import escape

    def cells(values) -> str:
        return "".join(f'<c t="inlineStr"><is><t>{escape(str(v))}</t></is></c>' for v in values)

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'.encode())
            sheet.write(f"<row>{cells(HEADERS[kind])}</row>".encode())
            sheet.write(f"<row>{cells(['x'])}</row>".encode() * rows)
            sheet.write(b"</sheetData></worksheet>")
    return path
