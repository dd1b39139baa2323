"""The rules of projects and facilities: dates, naming a record's project, and the 应录未录 check."""

from __future__ import annotations

import datetime as dt

from portal.rules import projects as rules

D = dt.date
Q3 = (D(2026, 7, 1), D(2026, 9, 30))
NEW_YEAR = D(2026, 1, 1)


def test_end_before_start_is_refused_and_open_end_is_fine():
    assert rules.date_problem(D(2026, 5, 1), D(2026, 4, 30)) == "结束日期不能早于开始日期"
    assert rules.date_problem(D(2026, 5, 1), D(2026, 5, 1)) is None
    assert rules.date_problem(D(2026, 5, 1), None) is None
    assert rules.date_problem(None, None) == "请填写开始日期"


CANDIDATES = [
    rules.Candidate(1, "XM2026000001", "东湖住宅小区工程"),
    rules.Candidate(2, "XM2026000002", "滨江安置房工程"),
    rules.Candidate(3, "XM2026000003", "滨江安置房工程"),
]


def test_a_reference_names_a_project_by_code_or_unique_name():
    assert rules.match_reference("", CANDIDATES) == (None, None)
    assert rules.match_reference("xm2026000002", CANDIDATES) == (2, None)
    assert rules.match_reference(" 东湖住宅小区工程 ", CANDIDATES) == (1, None)


def test_an_unknown_or_ambiguous_reference_is_refused_in_chinese():
    found, problem = rules.match_reference("滨江安置房工程", CANDIDATES)
    assert found is None and "多个" in problem and "项目编号" in problem
    found, problem = rules.match_reference("不存在的项目", CANDIDATES)
    assert found is None and "不是该行政相对人已审核的项目" in problem
    assert rules.match_reference("XM2026000001", [])[0] is None


def _project(pid, subject, industry="建筑施工", start=NEW_YEAR, end=None, days=(), district="330212"):
    return rules.ProjectFacts(pid, subject, f"企业{subject}", f"项目{pid}", industry, district, start, end, days)


def _licence(subject, industry="建筑施工", district="330212"):
    return rules.Licence(subject, f"企业{subject}", industry, district)


def test_a_licensed_enterprise_without_a_project_in_that_industry_is_one_gap():
    gaps = rules.find_gaps(
        [_licence(1), _licence(1), _licence(2), _licence(3, "税务"), _licence(4, "燃气经营")],
        [_project(10, 2, days=(D(2026, 8, 1),)), _project(11, 4, industry="建筑施工", days=(D(2026, 8, 1),))],
        ["建筑施工", "燃气经营"],
        *Q3,
    )
    found = {(g.kind, g.subject_id, g.industry) for g in gaps}
    # 1: twice licensed, no project (one gap); 3: 税务 needs no project; 4: its project is in another industry.
    assert found == {
        (rules.LICENSED_WITHOUT_PROJECT, 1, "建筑施工"),
        (rules.LICENSED_WITHOUT_PROJECT, 4, "燃气经营"),
    }


def test_a_running_project_without_a_record_in_the_period_is_a_gap():
    projects = [
        _project(1, 1, days=(D(2026, 8, 1),)),  # a record in the period
        _project(2, 1, days=(D(2026, 6, 30), D(2026, 10, 1))),  # records only outside it
        _project(3, 1, end=D(2026, 6, 30)),  # ended before the period: not expected
        _project(4, 1, start=D(2026, 10, 1)),  # starts after it
        _project(5, 1, start=D(2026, 9, 30), end=D(2026, 9, 30)),  # one day in it, nothing entered
    ]
    gaps = rules.find_gaps([], projects, ["建筑施工"], *Q3)
    assert [(g.kind, g.project_id) for g in gaps] == [
        (rules.PROJECT_WITHOUT_RECORD, 2),
        (rules.PROJECT_WITHOUT_RECORD, 5),
    ]
    assert gaps[0].label == "项目无信用记录"


def test_gaps_are_counted_per_industry_and_district():
    gaps = rules.find_gaps(
        [_licence(1), _licence(2, "燃气经营", "330203"), _licence(3, district=None)],
        [_project(9, 5, district="330203")],
        ["建筑施工", "燃气经营"],
        *Q3,
    )
    assert rules.count_by(gaps, "industry") == {"建筑施工": 3, "燃气经营": 1}
    assert rules.count_by(gaps, "district") == {"330212": 1, "330203": 2, None: 1}
