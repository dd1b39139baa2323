"""One rule decides what the public may see; its Python and SQL forms agree on every record."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.extensions import db
from portal.models import License, ListEntry, ListKind, Penalty, PublicationState, Subject
from portal.visibility import effective_state, is_public, public_filter
from tests.exchange_files import license_row, penalty_row, write_csv

DAYS = [dt.date(2023, 1, 1), dt.date(2024, 6, 30), dt.date(2025, 12, 31), dt.date(2026, 5, 6), dt.date(2026, 8, 7)]


def _seed_penalties(runner, tmp_path):
    rows = []
    for i, (severity, decided) in enumerate(
        (s, d) for s in ("轻微", "一般", "严重") for d in ("2023-02-01", "2024-06-30", "2025-07-15", "2026-05-06")
    ):
        rows.append(penalty_row(**{"行政处罚决定书文号": f"罚{i}", "失信严重程度": severity, "处罚决定日期": decided}))
    rows.append(
        penalty_row(**{"行政处罚决定书文号": "罚截止", "处罚决定日期": "2025-01-10", "公示截止期": "2025-03-01"})
    )
    runner.invoke(args=["portal", "import", "penalty", str(write_csv(tmp_path / "p.csv", "penalty", rows))])
    runner.invoke(args=["portal", "import", "license", str(write_csv(tmp_path / "l.csv", "license", [license_row()]))])


def test_python_and_sql_forms_agree(runner, app_ctx, tmp_path):
    _seed_penalties(runner, tmp_path)
    penalties = db.session.scalars(select(Penalty)).all()
    penalties[0].state = PublicationState.WITHDRAWN
    penalties[1].state = PublicationState.REPAIRED
    penalties[2].state = PublicationState.PENDING
    subject = db.session.scalar(select(Subject))
    for listed, removed in ((dt.date(2024, 1, 1), None), (dt.date(2024, 1, 1), dt.date(2025, 12, 31))):
        db.session.add(
            ListEntry(
                subject_id=subject.id,
                kind=ListKind.BLACK,
                list_type="失信被执行人",
                authority="宁波市中级人民法院",
                reason="拒不履行",
                listed_on=listed,
                removed_on=removed,
                state=PublicationState.PUBLISHED,
            )
        )
    db.session.commit()
    for model in (Penalty, License, ListEntry):
        records = db.session.scalars(select(model)).all()
        for day in DAYS:
            in_sql = set(db.session.scalars(select(model.id).where(public_filter(model, day))))
            in_python = {r.id for r in records if is_public(r, day)}
            assert in_sql == in_python, (model.__name__, day)


def test_penalty_windows_by_severity(runner, app_ctx, tmp_path):
    _seed_penalties(runner, tmp_path)
    by_no = {p.doc_no: p for p in db.session.scalars(select(Penalty))}
    serious_2023 = by_no["罚8"]  # 严重, decided 2023-02-01: shown for 3 years
    assert serious_2023.display_until == dt.date(2026, 2, 1)
    assert is_public(serious_2023, dt.date(2026, 2, 1))
    assert not is_public(serious_2023, dt.date(2026, 2, 2))
    assert effective_state(serious_2023, dt.date(2026, 2, 2)) == PublicationState.EXPIRED
    general = by_no["罚7"]  # 一般, decided 2026-05-06
    assert (general.repair_from, general.display_until) == (dt.date(2026, 8, 7), dt.date(2027, 5, 6))
    minor = by_no["罚3"]  # 轻微: at most 3 months
    assert minor.display_until == dt.date(2026, 8, 6)
    own_deadline = by_no["罚截止"]
    assert own_deadline.display_until == dt.date(2025, 3, 1)
    assert not is_public(own_deadline, dt.date(2025, 3, 2))
