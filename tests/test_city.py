"""The city file: loaded once per app, validated, the source of names, districts, footer and region code."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal import city

OTHER_CITY = Path(__file__).parent / "data" / "other_city.toml"


def test_demo_city_has_its_districts():
    demo = city.load(city.DEFAULT_FILE)
    assert demo.region_code == "330200"
    assert demo.district_name("330212") == "鄞州区"
    assert demo.district_code("鄞州区") == "330212"
    assert demo.district_name("999999") == "999999"
    assert demo.district_code("不存在区") is None
    assert demo.department("sc").name == "宁波市市场监督管理局"
    assert len(demo.departments) == 14


def test_init_db_creates_the_city_s_departments_once(other_city_app):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Department
    from portal.services.core.setup import init_db

    with other_city_app.app_context():
        init_db()
        renamed = db.session.scalar(select(Department).where(Department.uscc == "11110100HUT2UNE89E"))
        renamed.name = "示例市城市管理局"  # an administrator's edit stands
        db.session.commit()
        init_db()
        found = db.session.execute(select(Department.name, Department.uscc, Department.region_code)).all()
    assert sorted(found) == [
        ("示例市城市管理局", "11110100HUT2UNE89E", "110100"),
        ("示例市市场监督管理局", "11110100W13HN64649", "110100"),
    ]


def test_invalid_city_files_are_refused(tmp_path):
    missing = tmp_path / "missing.toml"
    missing.write_text('name = "信用某市"\n', encoding="utf-8")
    with pytest.raises(city.CityFileError):
        city.load(missing)
    text = OTHER_CITY.read_text(encoding="utf-8")
    for good, bad in (
        ('region_code = "110100"', 'region_code = "11"'),
        ('primary = "#1d4f91"', 'primary = "red;}body{display:none"'),
        ('emblem = "示"', 'emblem = "示例市政府"'),
        ('site_code = "1101000001"\n', ""),
        ('uscc = "11110100W13HN64649"', 'uscc = "11110100W13HN64640"'),  # wrong check character
        ('name = "示例市综合行政执法局"', 'name = "示例市市场监督管理局"'),
    ):
        broken = tmp_path / "broken.toml"
        broken.write_text(text.replace(good, bad), encoding="utf-8")
        with pytest.raises(city.CityFileError):
            city.load(broken)


@pytest.fixture
def other_city_app(migrated, tmp_path):
    from tests.conftest import _fresh_app

    yield from _fresh_app(migrated, tmp_path, PORTAL_CITY_FILE=str(OTHER_CITY))


def public_pages(app) -> list[str]:
    """Every public page reached by GET without path values."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("public.") and "GET" in rule.methods and not rule.arguments
    )


def test_listing_filter_offers_the_configured_city_districts(other_city_app):
    page = other_city_app.test_client().get("/penalties").get_data(as_text=True)
    assert "东城区" in page and "西城区" in page
    assert "鄞州区" not in page


def test_a_second_city_shows_its_own_name_and_footer_and_nothing_of_the_demo_city(other_city_app):
    client = other_city_app.test_client()
    pages = public_pages(other_city_app)
    assert {"/", "/search", "/commitments", "/commitments/new", "/track"} <= set(pages)
    for path in pages:
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code < 500, path
        assert "宁波" not in body and "330200" not in body, path
        if response.mimetype == "text/html" and response.status_code != 302:
            assert "信用示例" in body and "示例市公共信用信息平台" in body, path
            for line in (
                "主办单位：示例市发展和改革委员会",
                "网站标识码：1101000001",
                "示ICP备00000001号",
                "示公网安备",
            ):
                assert line in body, (path, line)
    assert "#1d4f91" in client.get("/city.css").get_data(as_text=True)


def test_commitment_codes_start_with_the_city_region_code(other_city_app):
    from portal.extensions import db
    from portal.models import Commitment
    from portal.services.online import commitment_codes

    with other_city_app.app_context():
        first, second = Commitment(code=None), Commitment(code=None)
        commitment_codes.assign(first)
        commitment_codes.assign(second)
        assert first.code.startswith("110100") and len(first.code) == 20
        assert int(second.code[-6:]) == int(first.code[-6:]) + 1
        db.session.rollback()
