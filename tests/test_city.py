"""The city file: loaded once per app, validated, and the source of the district names."""

from __future__ import annotations

import pytest

from portal import city


def test_demo_city_has_its_districts():
    demo = city.load(city.DEFAULT_FILE)
    assert demo.region_code == "330200"
    assert demo.district_name("330212") == "鄞州区"
    assert demo.district_code("鄞州区") == "330212"
    assert demo.district_name("999999") == "999999"
    assert demo.district_code("不存在区") is None


def test_invalid_city_files_are_refused(tmp_path):
    missing = tmp_path / "missing.toml"
    missing.write_text('name = "信用某市"\n', encoding="utf-8")
    with pytest.raises(city.CityFileError):
        city.load(missing)
    bad_code = tmp_path / "bad.toml"
    bad_code.write_text(
        'name = "信用某市"\nplatform = "某市平台"\nprovince = "某省"\ncity = "某市"\nregion_code = "33"\n'
        'districts = [{ code = "330203", name = "某区" }]\n',
        encoding="utf-8",
    )
    with pytest.raises(city.CityFileError):
        city.load(bad_code)


@pytest.fixture
def other_city_app(migrated, tmp_path):
    from tests.conftest import _fresh_app

    other = tmp_path / "other.toml"
    other.write_text(
        'name = "信用示例"\nplatform = "示例市公共信用信息平台"\nprovince = "示例省"\ncity = "示例市"\n'
        'region_code = "110100"\n'
        'districts = [{ code = "110101", name = "东城区" }, { code = "110102", name = "西城区" }]\n',
        encoding="utf-8",
    )
    yield from _fresh_app(migrated, tmp_path, PORTAL_CITY_FILE=str(other))


def test_listing_filter_offers_the_configured_city_districts(other_city_app):
    page = other_city_app.test_client().get("/penalties").get_data(as_text=True)
    assert "东城区" in page and "西城区" in page
    assert "鄞州区" not in page
