"""Filing online as a company would: read the form page, fill it in, attach files, post, read the receipt."""

from __future__ import annotations

import io
import re

from portal.extensions import db
from portal.models import Penalty
from tests.exchange_files import import_rows, penalty_row
from tests.forms import Form, page_form
from tests.public_scenario import YINZHOU, days_ago

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<html><script>alert(1)</script></html>"
_NUMBER = re.compile(r'class="receipt-number">([A-Z]{2}-\d{8}-\d{6})<')
_CODE = re.compile(r'class="query-code">([0-9A-Z]+)<')
ELIGIBLE = "甬市监罚〔2026〕31号"  # decided 120 days ago, 一般: past its 3-month minimum


def pdf(name: str = "证明.pdf", content: bytes = PDF):
    return (io.BytesIO(content), name)


def submit(client, path: str, data: dict, files: dict | None = None, form: Form | None = None):
    """Fill the form on `path` (or `form`, rendered earlier) by field name, attach files, and post it."""
    form = form or page_form(client, path)
    return form.fill(**data, **(files or {})).submit(client)


def read_receipt(client, response) -> tuple[str, str | None, str]:
    """Follow the post's redirect to the receipt: number, query code (None when not shown) and page."""
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    number = _NUMBER.search(html).group(1)
    code = _CODE.search(html)
    return number, code.group(1) if code else None, html


def track(client, number: str, code: str):
    return page_form(client, "/track").fill_labels({"受理编号": number, "查询码": code}).submit(client)


def add_eligible_penalty(runner, tmp_path) -> int:
    """A penalty of 宁波恒达 decided 120 days ago: open for repair."""
    import_rows(
        runner,
        tmp_path / "eligible.csv",
        "penalty",
        [penalty_row(**YINZHOU, **{"行政处罚决定书文号": ELIGIBLE, "处罚决定日期": days_ago(120)})],
    )
    return db.session.query(Penalty.id).filter(Penalty.doc_no == ELIGIBLE).scalar()


OBJECTION = {
    "ground": "错误",
    "description": "公示的罚款金额与处罚决定书载明的金额不一致，请核实更正。",
    "applicant_name": YINZHOU["行政相对人名称"],
    "applicant_uscc": YINZHOU["统一社会信用代码"],
    "contact_name": "王建国",
    "contact_phone": "13912345678",
    "consent": "y",
}
REPAIR = {
    "applicant_name": YINZHOU["行政相对人名称"],
    "applicant_uscc": YINZHOU["统一社会信用代码"],
    "signer": "王建国",
    "performance": "已于2026年8月缴清全部罚款，完成整改并通过复查。",
    "contact_name": "王建国",
    "contact_phone": "13912345678",
    "consent": "y",
}
