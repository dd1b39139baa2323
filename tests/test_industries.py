"""Industries (所属行业) and the eight data categories: reference files, import, admin forms."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import reference
from portal.extensions import db
from portal.models import Penalty
from portal.models.lists import LIST_TYPES
from tests.exchange_files import OTHER_AUTHORITY, authority_columns, penalty_row, write_csv
from tests.forms import page_form
from tests.publishing_helpers import ctx, load, new_record, row_values, set_up_departments, signed_in
from tests.test_importer import last_line, read_errors, run_import


def test_demo_files_cover_every_kind_and_list_type():
    industries = reference.load_industries(reference.INDUSTRIES_FILE)
    assert "燃气经营" in industries.names and "建筑垃圾运输" in industries.names
    assert industries.for_authority("宁波市鄞州区市场监督管理局") == "食品药品"
    assert industries.for_authority("某某协会") is None
    categories = reference.load_categories(reference.CATEGORIES_FILE)
    assert len(categories.names) == 8
    assert categories.of_record("license", "登记") == "登记类"
    assert categories.of_record("license", "普通") == "资质类"
    assert categories.of_record("penalty") == "监管类"
    for types in LIST_TYPES.values():
        for list_type in types:
            assert list_type in categories.list_types, list_type


def test_invalid_reference_files_are_refused(tmp_path):
    dup = tmp_path / "dup.toml"
    dup.write_text('[[industries]]\nname = "燃气经营"\n[[industries]]\nname = "燃气经营"\n', encoding="utf-8")
    with pytest.raises(reference.ReferenceFileError):
        reference.load_industries(dup)
    unknown = tmp_path / "cat.toml"
    unknown.write_text(
        'categories = ["登记类"]\n[kinds]\nlicense = "登记类"\npenalty = "监管类"\ncommitment = "登记类"\n'
        '[list_types]\n"其他" = "登记类"\n',
        encoding="utf-8",
    )
    with pytest.raises(reference.ReferenceFileError):
        reference.load_categories(unknown)


def test_import_takes_the_column_or_the_authority_default_and_refuses_unknown(runner, app_ctx, tmp_path):
    rows = [
        penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕1号", "所属行业": "燃气经营"}),
        penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕2号"}),
        penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕3号", "所属行业": "炼丹"}),
        penalty_row(**{"行政处罚决定书文号": "甬环罚〔2026〕4号", **authority_columns("penalty", OTHER_AUTHORITY)}),
    ]
    path = write_csv(tmp_path / "p.csv", "penalty", rows)
    errors = tmp_path / "errors.csv"
    result = run_import(runner, "penalty", path, "--errors", str(errors))
    assert last_line(result) == "imported=3 rejected=1"
    stored = dict(db.session.execute(select(Penalty.doc_no, Penalty.industry)).all())
    assert stored == {
        "甬市监罚〔2026〕1号": "燃气经营",
        "甬市监罚〔2026〕2号": "食品药品",
        "甬环罚〔2026〕4号": "生态环境",
    }
    problem = next(e for e in read_errors(errors) if e["列名"] == "所属行业")
    assert "炼丹" in problem["错误说明"] and "不在行业目录中" in problem["错误说明"]
    # The subject takes the industry of its earliest record (all three decided the same day: the first seen).
    subject = db.session.scalar(select(Penalty).where(Penalty.doc_no == "甬市监罚〔2026〕1号")).subject
    assert subject.industry in ("燃气经营", "食品药品")


def test_admin_form_offers_the_industries_and_refuses_unknown(app):
    set_up_departments(app)
    clerk = signed_in(app, "clerk")
    page = clerk.get("/admin/records/penalty/new").get_data(as_text=True)
    assert "所属行业" in page and "建筑垃圾运输" in page
    # A forged post (the select offers only known industries) is refused with the field's message.
    form = page_form(clerk, "/admin/records/penalty/new", button="提交审核").fill_labels(row_values("penalty"))
    refused = clerk.post(form.action, data={**form.data(), "industry": "不存在的行业"})
    assert refused.status_code == 400
    assert "不在行业目录中" in refused.get_data(as_text=True)
    entered = new_record(clerk, "penalty", **{"所属行业": "燃气经营", "行政处罚决定书文号": "甬市监罚〔2026〕77号"})
    assert entered.status_code == 302
    record_id = int(entered.headers["Location"].rsplit("/", 1)[1])
    with ctx(app):
        assert load(app, Penalty, record_id).industry == "燃气经营"
