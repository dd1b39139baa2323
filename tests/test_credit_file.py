"""A subject's credit file (/subjects/<ref>) and its JSON twin."""

from __future__ import annotations

import pytest

from tests import public_scenario as sc
from tests.exchange_files import PERSON


@pytest.fixture
def world(runner, app_ctx, tmp_path):
    return sc.build(runner, tmp_path)


def test_organisation_file_by_uscc_holds_every_public_record(client, world):
    response = client.get(f"/subjects/{sc.YINZHOU_USCC}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "宁波恒达建筑工程有限公司" in html and "王建国" in html and "鄞州区" in html
    assert sc.CURRENT in html and sc.LICENSE_CURRENT in html
    assert "失信被执行人" in html and "严重失信主体" in html
    assert "申请建筑工程施工许可容缺受理" in html and "内部承诺事项不公开" not in html
    for doc_no in sc.HIDDEN + (sc.OTHER, sc.LICENSE_OTHER):
        assert doc_no not in html
    for section in ("基本信息", "行政许可", "行政处罚", "红黑名单及经营异常名录", "信用承诺"):
        assert f">{section}</h2>" in html


def test_json_twin_returns_the_same_file(client, world):
    data = client.get(f"/api/v1/subjects/{sc.YINZHOU_USCC.lower()}").get_json()
    assert data["subject"]["uscc"] == sc.YINZHOU_USCC and data["subject"]["region_name"] == "鄞州区"
    assert [p["doc_no"] for p in data["penalties"]] == [sc.CURRENT]
    assert [lic["doc_no"] for lic in data["licenses"]] == [sc.LICENSE_CURRENT]
    assert sorted(e["list_type"] for e in data["list_entries"]) == ["失信被执行人", "拖欠农民工工资黑名单"]
    assert data["counts"] == {"licenses": 1, "penalties": 1, "list_entries": 2, "commitments": 1}
    assert data["tags"] == ["严重失信主体"]
    removed = client.get(f"/api/v1/subjects/{sc.HAISHU_USCC}").get_json()
    assert [e["list_type"] for e in removed["list_entries"]] == ["A级纳税人"]  # the abnormal entry was removed


def test_person_file_by_public_id_is_masked(client, world):
    ref = world.person.public_id
    html = client.get(f"/subjects/{ref}").get_data(as_text=True)
    data = client.get(f"/api/v1/subjects/{ref}").get_json()
    for text in (html, str(data)):
        assert "张三" not in text and PERSON["证件号码"] not in text and "13812345678" not in text
    assert "张*" in html and sc.PERSON_DOC in html
    assert data["subject"]["name"] == "张*" and data["subject"]["id_no"] == "330***********0016"
    assert data["penalties"][0]["facts"].startswith("经查，当事人张*（身份证号330***********0016")


def test_person_file_by_id_number_or_unknown_ref_is_404(client, world):
    for ref in (
        PERSON["证件号码"],
        "330212198001010016".lower(),
        world.person.subject_key,
        "unknown",
        "91110108551385082Q",
    ):
        assert client.get(f"/subjects/{ref}").status_code == 404, ref
        response = client.get(f"/api/v1/subjects/{ref}")
        assert response.status_code == 404 and "error" in response.get_json()


def test_person_with_nothing_public_has_no_file(client, world):
    # 李四's only penalty (一般, decided 2023-01-01) left public view in 2024.
    assert client.get(f"/subjects/{world.lonely_person.public_id}").status_code == 404
    assert client.get(f"/api/v1/subjects/{world.lonely_person.public_id}").status_code == 404


def test_credit_file_marks_records_under_objection_and_repair(client, world):
    objection = sc.open_objection("penalty", world.penalties[sc.CURRENT])
    sc.open_repair(world, world.penalties[sc.CURRENT])
    sc.open_objection("license", world.licenses[sc.LICENSE_CURRENT])
    data = client.get(f"/api/v1/subjects/{sc.YINZHOU_USCC}").get_json()
    assert data["penalties"][0]["markers"] == ["异议处理中", "信用修复中"]
    assert data["licenses"][0]["markers"] == ["异议处理中"]
    assert all(e["markers"] == [] for e in data["list_entries"])
    html = client.get(f"/subjects/{sc.YINZHOU_USCC}").get_data(as_text=True)
    assert html.count('<span class="marker">') == 3
    sc.close(objection)
    data = client.get(f"/api/v1/subjects/{sc.YINZHOU_USCC}").get_json()
    assert data["penalties"][0]["markers"] == ["信用修复中"]
