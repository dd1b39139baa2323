"""Credit reports as the public gets them: the PDF, its signature, and the verification page."""

from __future__ import annotations

import hashlib
import io
import random
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select, update

from portal import clock, create_app
from portal.extensions import db
from portal.models import Penalty, PublicationState, ReportIssue, Subject
from portal.reports import signing
from portal.rules import uscc
from tests import pdf_tools
from tests import public_scenario as sc
from tests.exchange_files import OTHER_AUTHORITY, authority_columns, import_rows, license_row, penalty_row
from tests.forms import page_form

INDIVIDUAL_USCC = uscc.generate(random.Random(14), "330212", "9", "2")
CLEAN_USCC = "91350200776049653A"  # the licence row's default company: licences only


@pytest.fixture
def world(runner, app_ctx, tmp_path):
    world = sc.build(runner, tmp_path)
    import_rows(
        runner,
        tmp_path / "more.csv",
        "penalty",
        [
            penalty_row(
                **{
                    "行政相对人名称": "宁波市鄞州区小王便利店",
                    "行政相对人类别": "个体工商户",
                    "统一社会信用代码": INDIVIDUAL_USCC,
                    "法定代表人": "王小明",
                    "行政处罚决定书文号": "甬鄞市监罚〔2026〕9号",
                    "处罚决定日期": sc.days_ago(5),
                }
            )
        ],
    )
    import_rows(runner, tmp_path / "clean.csv", "license", [license_row(**{"许可决定日期": sc.days_ago(3)})])
    return world


def _report(client, ref: str, **args) -> tuple[bytes, str, str]:
    """(PDF, report number, verification code) as the visitor gets them, the code read off the cover."""
    response = client.get(f"/subjects/{ref}/report", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    data = response.data
    cover = pdf_tools.text(data, 1, 1)
    number = re.search(r"报告编号\s*((?:XY|ZY)-\d{8}-\d{6})", cover).group(1)
    code = re.search(r"验证码：(\w{4}-\w{4})", cover).group(1)
    assert response.headers["Content-Disposition"] == f'inline; filename="{number}.pdf"'
    return data, number, code


def _dark_share(png) -> float:
    image = Image.open(png).convert("L")
    return sum(1 for p in image.getdata() if p < 128) / (image.width * image.height)


@pytest.mark.parametrize("who", ["organisation", "individual_business", "person"])
def test_report_of_every_kind_of_subject_embeds_its_font_and_renders(client, world, tmp_path, who):
    ref, name, hidden = {
        "organisation": (sc.YINZHOU_USCC, "宁波恒达建筑工程有限公司", None),
        "individual_business": (INDIVIDUAL_USCC, "宁波市鄞州区小王便利店", None),
        "person": (world.person.public_id, "张*", "张三"),
    }[who]
    data, number, code = _report(client, ref)
    fonts = pdf_tools.fonts(data)
    assert fonts and all(f["emb"] == "yes" and f["sub"] == "yes" and f["uni"] == "yes" for f in fonts)
    assert all("NotoSansSC" in f["name"] for f in fonts)
    text = pdf_tools.text(data)
    assert "信用报告" in text and name in text and "报告声明" in text
    assert hidden is None or hidden not in text
    total = pdf_tools.pages(data)
    for page in range(1, total + 1):  # every page: the number and 第 x 页 / 共 y 页
        footer = pdf_tools.text(data, page, page)
        assert f"报告编号：{number}" in footer and f"第 {page} 页 / 共 {total} 页" in footer
    assert _dark_share(pdf_tools.render_first_page(data, tmp_path)) > 0.005  # text and QR code drawn


def test_long_tables_break_across_pages_repeating_their_header(client, world, runner, tmp_path):
    rows = [
        license_row(**{"行政许可决定文书号": f"甬市监许〔2025〕{n}号", "许可决定日期": sc.days_ago(n + 10)})
        for n in range(1, 61)
    ]
    import_rows(runner, tmp_path / "many.csv", "license", rows)
    data, _, _ = _report(client, CLEAN_USCC)
    pages = [re.sub(r"\s+", "", pdf_tools.text(data, n, n)) for n in range(2, pdf_tools.pages(data) + 1)]
    with_rows = [page for page in pages if "甬市监许〔2025〕" in page]
    assert len(with_rows) >= 2
    assert all("许可证书/文书名称" in page for page in with_rows)


def test_report_lists_exactly_the_records_of_the_credit_file(client, world):
    file = client.get(f"/api/v1/subjects/{sc.YINZHOU_USCC}").get_json()
    data, _, _ = _report(client, sc.YINZHOU_USCC)
    text = pdf_tools.compact(data)
    shown = [p["doc_no"] for p in file["penalties"]] + [lic["doc_no"] for lic in file["licenses"]]
    shown += [e["list_type"] for e in file["list_entries"]] + [c["matter"] for c in file["commitments"]]
    for value in shown:
        assert value in text
    for hidden in (*sc.HIDDEN, sc.OTHER, sc.LICENSE_OTHER, "内部承诺事项不公开"):
        assert hidden not in text
    order = ["信息概要", "登记基本信息", "行政许可信息", "行政处罚信息", "守信激励信息（红名单）"]
    order += ["严重失信主体名单信息", "经营异常名录信息", "信用承诺及履行情况", "信用评价信息", "其他信息", "报告声明"]
    positions = [text.index(title) for title in order]
    assert positions == sorted(positions)
    counts = file["counts"]
    assert f"行政许可{counts['licenses']}行政处罚（公示期内）{counts['penalties']}" in text
    assert "守信激励（红名单）0严重失信主体名单2经营异常名录0" in text  # empty sections say 无
    assert "守信激励信息（红名单）无" in text


def test_records_under_objection_or_repair_are_marked(client, world):
    sc.open_objection("penalty", world.penalties[sc.CURRENT])
    data, _, _ = _report(client, sc.YINZHOU_USCC)
    text = pdf_tools.compact(data)
    assert "异议处理中" in text and "其中标注「异议处理中」或「信用修复中」的记录1" in text


def test_person_online_report_is_masked_and_absent_without_public_records(client, world):
    data, _, _ = _report(client, world.person.public_id)
    text = pdf_tools.text(data)
    assert "330***********0016" in text and "330212198001010016" not in text and "13812345678" not in text
    assert client.get(f"/subjects/{world.lonely_person.public_id}/report").status_code == 404
    assert client.get("/subjects/unknown/report").status_code == 404


def test_report_is_signed_and_one_changed_byte_is_detected(client, world, app):
    data, _, _ = _report(client, sc.HAISHU_USCC)
    cert = load_cert_from_pemder(str(signing.identity(app.config).cert))
    context = ValidationContext(trust_roots=[cert])
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    # pyHanko's sync API runs its own event loop: a thread of its own, as the browser tests' loop may run here.
    with ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(validate_pdf_signature, signature, context).result()
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert "Signature is Valid" in pdf_tools.signature_report(data)
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 0x01
    assert not signing.check(bytes(flipped), signing.identity(app.config)).valid
    assert "Signature is Valid" not in pdf_tools.signature_report(bytes(flipped))


def _verify_by_code(client, number: str, code: str) -> str:
    form = page_form(client, "/reports/verify", button="按编号核验").fill(number=number, code=code)
    return form.submit(client).get_data(as_text=True)


def _verify_file(client, data: bytes, name: str = "report.pdf"):
    form = page_form(client, "/reports/verify", button="上传文件核验")
    return form.fill(file=(io.BytesIO(data), name)).submit(client)


def test_verification_tells_genuine_altered_and_unknown(client, world):
    data, number, code = _report(client, sc.YINZHOU_USCC, purpose="招投标")
    page = _verify_by_code(client, number, code.lower())
    assert "核验结果：真实有效" in page and "宁波恒达建筑工程有限公司" in page and "招投标" in page
    assert "出具后信息未变化" in page and "严重失信主体名单" in page
    # The QR code's link: number and code in the address.
    assert "核验结果：真实有效" in client.get(f"/reports/verify?number={number}&code={code}").get_data(as_text=True)
    wrong = _verify_by_code(client, number, "ABCD-EFGH")
    unknown = _verify_by_code(client, number.replace("-0000", "-9999"), code)
    for page in (wrong, unknown):
        assert "核验结果：未能核验" in page and "宁波恒达" not in page
    genuine = _verify_file(client, data).get_data(as_text=True)
    assert "核验结果：真实有效" in genuine and "逐字节比对" in genuine and "电子签名：有效" in genuine
    altered = bytearray(data)
    altered[len(data) // 2] ^= 0x20
    page = _verify_file(client, bytes(altered)).get_data(as_text=True)
    assert "核验结果：文件已被改动" in page and "宁波恒达" not in page
    foreign = _verify_file(client, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n").get_data(as_text=True)
    assert "核验结果：未能核验" in foreign and "不是本平台出具" in foreign
    refused = _verify_file(client, b"not a pdf at all", "report.pdf")
    assert refused.status_code == 400 and "文件内容不是PDF" in refused.get_data(as_text=True)


def test_verification_says_what_changed_since_without_naming_removed_records(client, world, runner, tmp_path):
    data, number, code = _report(client, sc.YINZHOU_USCC)
    db.session.execute(
        update(Penalty).where(Penalty.id == world.penalties[sc.CURRENT]).values(state=PublicationState.REPAIRED)
    )
    db.session.commit()
    import_rows(
        runner,
        tmp_path / "new.csv",
        "penalty",
        [penalty_row(**sc.YINZHOU, 行政处罚决定书文号="甬市监罚〔2026〕77号", 处罚决定日期=sc.days_ago(1))],
    )
    page = _verify_by_code(client, number, code)
    assert "核验结果：真实有效" in page and "出具后信息已变化" in page
    assert "新增公开记录 1 条" in page and "不再公开的记录 1 条（信用修复 1 条）" in page
    assert sc.CURRENT not in page and "甬市监罚〔2026〕77号" not in page
    assert "出具后信息已变化" in _verify_file(client, data).get_data(as_text=True)


def test_special_report_of_a_clean_subject_says_no_record_in_every_field(client, world):
    data, number, _ = _report(client, CLEAN_USCC, type="special", years=3)
    assert number.startswith("ZY-")
    text = pdf_tools.compact(data)
    assert "专用信用报告" in text and "分领域结论" in text and "有违法违规记录" not in text
    assert text.count("无违法违规记录") >= 15  # every configured field and 其他领域
    assert f"报告期：{clock.today().replace(year=clock.today().year - 3)}" not in text  # the period starts a day later


def test_special_report_lists_records_of_two_fields_within_the_period(client, world, runner, tmp_path):
    import_rows(
        runner,
        tmp_path / "env.csv",
        "penalty",
        [
            penalty_row(
                **sc.YINZHOU,
                **authority_columns("penalty", OTHER_AUTHORITY),
                行政处罚决定书文号="甬环罚〔2026〕31号",
                处罚决定日期=sc.days_ago(90),
            )
        ],
    )
    data, _, code = _report(client, sc.YINZHOU_USCC, type="special", years=1, purpose="融资")
    text = pdf_tools.compact(data)
    assert "市场监管有违法违规记录1条" in text and "生态环境有违法违规记录1条" in text
    assert "税务无违法违规记录" in text and "其他领域有违法违规记录2条" in text  # the court's lists
    assert "市场监管领域违法违规记录" in text and sc.CURRENT in text and "甬环罚〔2026〕31号" in text
    for hidden in sc.HIDDEN:
        assert hidden not in text
    issue = db.session.scalar(select(ReportIssue).where(ReportIssue.kind == "special"))
    assert issue.counts["fields"]["生态环境"] == 1 and issue.counts["total"] == 4 and issue.purpose == "融资"


def test_a_field_counts_expired_penalties_only_when_configured_with_its_rule(client, world, app, tmp_path):
    def expired_listed() -> bool:
        data, _, _ = _report(client, sc.YINZHOU_USCC, type="special", years=5)
        return sc.EXPIRED in pdf_tools.compact(data)

    assert not expired_listed()
    config = tmp_path / "fields.toml"
    config.write_text(
        '[[field]]\nname = "市场监管"\nauthorities = ["市场监督管理"]\ninclude_expired = true\n'
        'rule = "《某市公共信用信息管理办法》第二十条"\n',
        encoding="utf-8",
    )
    app.config["PORTAL_REPORT_FIELDS"] = str(config)
    assert expired_listed()
    data, _, _ = _report(client, sc.YINZHOU_USCC, type="special", years=5)
    text = pdf_tools.compact(data)
    assert "《某市公共信用信息管理办法》第二十条" in text and sc.REPAIRED not in text and sc.WITHDRAWN not in text


def test_bad_report_requests_get_a_chinese_answer(client, world):
    for args in ({"type": "bogus"}, {"type": "special", "years": 4}, {"purpose": "炒股"}):
        response = client.get(f"/subjects/{sc.YINZHOU_USCC}/report", query_string=args)
        assert response.status_code == 400 and "无法出具信用报告" in response.get_data(as_text=True)
    assert db.session.scalar(select(ReportIssue.id)) is None


def test_reports_are_logged_without_the_pdf_and_counted_by_purpose(client, world):
    from portal.services.credit_reports import reports

    data, number, _ = _report(client, sc.YINZHOU_USCC, purpose="招投标")
    _report(client, sc.HAISHU_USCC)
    issue = db.session.scalar(select(ReportIssue).where(ReportIssue.number == number))
    assert issue.channel == "online" and len(issue.sha256) == 64 and issue.code_hash.startswith("scrypt")
    assert issue.subject.uscc == sc.YINZHOU_USCC and issue.counts["penalties"] == 1
    assert issue.sha256 == hashlib.sha256(data).hexdigest()
    # Nothing of the PDF or of the records' content: fingerprints and digests of 16 hex characters.
    records = issue.snapshot["records"]
    assert len(records) == 5  # 1 licence, 1 penalty, 2 list entries, 1 commitment
    assert all(re.fullmatch(r"[0-9a-f]{16}", k) and re.fullmatch(r"[0-9a-f]{16}", v) for k, v in records.items())
    figures = {row["purpose"]: row for row in reports.issued_by_purpose(clock.today(), clock.today())}
    assert figures["招投标"]["online"] == 1 and figures["未注明"]["total"] == 1 and figures["融资"]["total"] == 0


def test_reports_and_verification_are_rate_limited(migrated, tmp_path, world):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": migrated,
            "TESTING": True,
            "SECRET_KEY": "x",
            "PORTAL_SEARCH_INDEX": str(tmp_path / "idx"),
            "PORTAL_SEARCH_AUTOSYNC": False,
            "PORTAL_REPORT_RATE_LIMIT": "1 per minute",
            "PORTAL_VERIFY_RATE_LIMIT": "2 per minute",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    client = app.test_client()
    with app.app_context():
        assert client.get(f"/subjects/{sc.HAISHU_USCC}/report").status_code == 200
        limited = client.get(f"/subjects/{sc.HAISHU_USCC}/report")
        assert limited.status_code == 429 and "出具信用报告过于频繁" in limited.get_data(as_text=True)
        assert [client.get("/reports/verify").status_code for _ in range(3)] == [200, 200, 429]
        db.session.remove()
        db.engine.dispose()


def test_subject_page_offers_the_report_form(client, world):
    form = page_form(client, f"/subjects/{sc.YINZHOU_USCC}", button="出具PDF报告")
    form.fill_labels({"报告类型": "专用信用报告（分领域有无违法违规记录）", "报告用途": "评优评先"})
    response = form.submit(client)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert db.session.scalar(select(ReportIssue.purpose)) == "评优评先"
    assert db.session.scalar(select(Subject.id).where(Subject.uscc == INDIVIDUAL_USCC)) is not None


def test_a_licence_past_its_validity_reads_expired_in_the_report(client, runner, app_ctx, tmp_path):
    import_rows(
        runner,
        tmp_path / "old.csv",
        "license",
        [license_row(**{"许可决定日期": sc.days_ago(800), "有效期自": sc.days_ago(800), "有效期至": sc.days_ago(30)})],
    )
    data, _, _ = _report(client, CLEAN_USCC)
    assert "已过期" in pdf_tools.text(data)
