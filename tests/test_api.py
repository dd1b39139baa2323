"""The open-data API: one document for every endpoint, the pages' visibility and masking, stable
cursors, conditional requests and JSON errors in Chinese."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.models import Penalty
from portal.services.opendata import columns
from tests import public_scenario as sc
from tests.exchange_files import import_rows, penalty_row

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def world(runner, app_ctx, tmp_path):
    return sc.build(runner, tmp_path)


def _walk(client, url: str, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        data = client.get(url, query_string=query).get_json()
        items += data["items"]
        cursor = data["next_cursor"]
        if cursor is None:
            return items


def test_document_covers_every_api_route(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "public.api_document"
    }
    assert routes == set(doc["paths"])
    for path, methods in doc["paths"].items():
        for op in methods.values():
            assert CJK.search(op["summary"]), path
            assert {"400", "429"} <= set(op["responses"]), path


def test_reference_page_is_chinese_and_self_contained(client):
    response = client.get("/api/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "开放数据接口文档" in page
    assert "/api/v1/removals" in page and "next_cursor" in page
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)  # nothing loaded from elsewhere


def test_listings_show_what_the_pages_show(client, world):
    penalties = _walk(client, "/api/v1/penalties", limit=2)
    assert {p["doc_no"] for p in penalties} == {sc.CURRENT, sc.OTHER, sc.PERSON_DOC}
    assert {p["id"] for p in penalties} == columns.public_ids("penalties")
    person = next(p for p in penalties if p["doc_no"] == sc.PERSON_DOC)
    assert "330212198001010016" not in str(person) and "13812345678" not in str(person)
    assert person["subject"]["name"] == "张*"
    assert {x["doc_no"] for x in _walk(client, "/api/v1/licenses")} == {sc.LICENSE_CURRENT, sc.LICENSE_OTHER}
    entries = _walk(client, "/api/v1/list-entries")
    assert len(entries) == 3 and all(e["removed_on"] is None for e in entries)  # the exited entry is gone
    assert [c["code"][-6:] for c in _walk(client, "/api/v1/commitments")] == ["000001"]
    assert client.get(f"/api/v1/penalties/{world.penalties[sc.EXPIRED]}").status_code == 404
    assert client.get(f"/api/v1/penalties/{world.penalties[sc.CURRENT]}").get_json()["doc_no"] == sc.CURRENT


def test_filters_as_on_the_pages(client, world):
    other = _walk(client, "/api/v1/penalties", authority=sc.OTHER_AUTHORITY[0])
    assert [p["doc_no"] for p in other] == [sc.OTHER]
    assert [p["doc_no"] for p in _walk(client, "/api/v1/penalties", date_from=sc.days_ago(15))] == [sc.PERSON_DOC]
    assert [e["list_type"] for e in _walk(client, "/api/v1/list-entries", kind="red")] == ["A级纳税人"]
    black = _walk(client, "/api/v1/list-entries", kind="black", list_type="失信被执行人")
    assert [e["list_type"] for e in black] == ["失信被执行人"]
    assert _walk(client, "/api/v1/licenses", category="特许")[0]["doc_no"] == sc.LICENSE_OTHER


def test_cursor_pages_are_stable_under_inserts(client, world, runner, tmp_path):
    first = client.get("/api/v1/penalties", query_string={"limit": 1}).get_json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    # A decision newer than everything, and one dated between the pages, arrive meanwhile.
    import_rows(
        runner,
        tmp_path / "new.csv",
        "penalty",
        [
            penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕90号", "处罚决定日期": sc.days_ago(1)}),
            penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕91号", "处罚决定日期": sc.days_ago(45)}),
        ],
    )
    rest, cursor = [], first["next_cursor"]
    while cursor:
        page = client.get("/api/v1/penalties", query_string={"limit": 1, "cursor": cursor}).get_json()
        rest += [p["doc_no"] for p in page["items"]]
        cursor = page["next_cursor"]
    seen = [first["items"][0]["doc_no"], *rest]
    assert len(seen) == len(set(seen))  # nothing twice
    assert {sc.CURRENT, sc.OTHER, sc.PERSON_DOC} <= set(seen)  # nothing skipped
    assert "甬市监罚〔2026〕90号" not in seen  # newer than the first page: the next walk starts with it


def test_conditional_requests(client, world):
    first = client.get("/api/v1/penalties")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get("/api/v1/penalties", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    since = client.get("/api/v1/penalties", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    penalty = db.session.get(Penalty, world.penalties[sc.CURRENT])
    penalty.remarks = "更正"
    db.session.commit()
    changed = client.get("/api/v1/penalties", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    detail = client.get(f"/api/v1/penalties/{penalty.id}")
    assert (
        client.get(f"/api/v1/penalties/{penalty.id}", headers={"If-None-Match": detail.headers["ETag"]}).status_code
        == 304
    )


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/v1/penalties?cursor=not-ours", 400, "invalid_cursor"),
        ("get", "/api/v1/penalties?limit=1000", 400, "invalid_parameter"),
        ("get", "/api/v1/penalties?date_from=yesterday", 400, "invalid_parameter"),
        ("get", "/api/v1/articles?date_to=2.5e-105", 400, "invalid_parameter"),  # not a Unix time
        ("get", "/api/v1/list-entries?kind=purple", 400, "invalid_parameter"),
        ("get", "/api/v1/removals?since=%25%25", 400, "invalid_cursor"),
        ("get", "/api/v1/penalties/99999", 404, "not_found"),
        ("get", "/api/v1/no-such-thing", 404, "not_found"),
        ("delete", "/api/v1/penalties", 405, "method_not_allowed"),
    ],
)
def test_errors_are_json_with_a_code_and_chinese(client, method, url, status, code):
    response = getattr(client, method)(url)
    body = response.get_json()
    assert response.status_code == status and body["error"]["code"] == code
    assert CJK.search(body["error"]["message"])
    if status == 405:
        assert "GET" in response.headers["Allow"]


def test_a_cursor_of_another_listing_is_refused(client, world):
    cursor = client.get("/api/v1/penalties", query_string={"limit": 1}).get_json()["next_cursor"]
    response = client.get("/api/v1/licenses", query_string={"cursor": cursor})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_cursor"
