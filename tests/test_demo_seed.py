"""Demo data: realistic, deterministic, and loaded through the real importer."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from portal import clock
from portal.demo.generator import Universe, generate_rows
from portal.extensions import db
from portal.models import (
    ApplicationStatus,
    Article,
    Commitment,
    CommitmentType,
    License,
    ListEntry,
    ListKind,
    Penalty,
    PublicationState,
    SearchOutbox,
    Subject,
    SubjectKind,
)
from portal.rules import idcard, uscc


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_rows_are_deterministic_for_a_seed():
    today = dt.date(2026, 11, 22)
    first = list(generate_rows(Universe(300, 11), "penalty", 500, today, 11))
    again = list(generate_rows(Universe(300, 11), "penalty", 500, today, 11))
    other = list(generate_rows(Universe(300, 12), "penalty", 500, today, 12))
    assert first == again
    assert first != other


def test_subjects_look_real():
    universe = Universe(2000, 3)
    kinds = {s.kind for s in universe.subjects}
    assert kinds == set(SubjectKind)
    for s in universe.subjects:
        if s.kind == SubjectKind.PERSON:
            assert idcard.validate(s.person_id) == [] and not s.uscc
        else:
            check = uscc.validate(s.uscc)
            assert check.ok and not check.warnings
            assert uscc.region_code(s.uscc) == s.region and s.region.startswith("3302")
    assert len({s.name for s in universe.subjects if s.kind == SubjectKind.ORGANISATION}) > 1300


def test_seed_command_fills_every_part_of_the_portal(runner, app_ctx):
    result = runner.invoke(args=["portal", "seed", "--subjects", "300", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "被拒" in result.output and "0 条被拒" in result.output
    today = clock.today()
    assert 250 <= count(Subject) <= 300
    assert count(Subject, Subject.kind == SubjectKind.PERSON) > 0
    assert count(License) + count(Penalty) == 900
    assert count(Penalty, Penalty.display_until < today, Penalty.state == PublicationState.PUBLISHED) > 0
    assert count(Penalty, Penalty.state == PublicationState.REPAIRED) > 0
    assert count(Penalty, Penalty.state == PublicationState.PENDING) > 0
    assert {s for (s,) in db.session.execute(select(Penalty.severity).distinct())} == {"轻微", "一般", "严重"}
    first, last = db.session.execute(select(func.min(Penalty.decided_on), func.max(Penalty.decided_on))).one()
    assert (today - first).days > 365 * 3 and (today - last).days < 60
    assert count(Penalty, Penalty.department_id.is_(None)) == 0
    in_time = count(Penalty, Penalty.timeliness_workdays <= 7)
    assert 0 < in_time < count(Penalty, Penalty.timeliness_workdays.is_not(None))
    assert {k for (k,) in db.session.execute(select(ListEntry.kind).distinct())} == set(ListKind)
    assert count(Commitment) > 0
    # One rule for 承诺编码: every accepted commitment, repair ones too, has a code under the city's region.
    accepted = db.session.scalars(select(Commitment).where(Commitment.status == ApplicationStatus.ACCEPTED)).all()
    assert any(c.type == CommitmentType.REPAIR for c in accepted)
    assert all(c.code and re.fullmatch(r"330200\d{14}", c.code) for c in accepted), [c.code for c in accepted]
    assert len({c.code for c in accepted}) == len(accepted)
    assert count(Article) == 20
    assert count(SearchOutbox) >= count(License) + count(Penalty)

    again = runner.invoke(args=["portal", "seed", "--subjects", "300", "--seed", "5", "--if-empty"])
    assert again.exit_code == 0 and "未写入" in again.output
    assert count(License) + count(Penalty) == 900


def test_seeded_submissions_show_overdue_first_in_the_handlers_queue(app_ctx):
    from portal.demo.accounts import busiest_department
    from portal.models import ApplicationEvent, Objection, RepairApplication
    from portal.rules.time_limits import deadline
    from portal.services.online.applications import time_limits
    from portal.services.staff import worklist

    runner = app_ctx.test_cli_runner()
    assert runner.invoke(args=["portal", "seed", "--subjects", "600", "--seed", "5"]).exit_code == 0
    today = clock.today()
    filed = db.session.scalars(select(Objection)).all() + db.session.scalars(select(RepairApplication)).all()
    assert len(filed) >= 10 and count(ApplicationEvent) >= len(filed)
    for a in filed:  # deadlines are working days from the step's start, as the handlers' rules say
        kind = "objection" if isinstance(a, Objection) else "repair"
        started = db.session.scalars(
            select(ApplicationEvent.at)
            .where(ApplicationEvent.application_id == a.id, ApplicationEvent.kind == kind)
            .order_by(ApplicationEvent.id)
        ).all()
        day = started[-1].replace(tzinfo=dt.timezone.utc) if started[-1].tzinfo is None else started[-1]
        assert a.deadline == deadline(kind, a.status.value, day.astimezone(clock.CHINA).date(), time_limits())
    queue = worklist.applications(busiest_department().id, today=today)
    flags = [i.overdue for i in queue.items]
    assert any(flags) and not all(flags), "the demo should have overdue and current submissions"
    assert flags == sorted(flags, reverse=True)  # every overdue item comes before every current one
    assert all(i.overdue == (i.deadline is not None and i.deadline < today) for i in queue.items)


def test_demo_gives_a_believable_quarter_of_figures(runner, app_ctx):
    from portal.demo.seed import LIST_FACTS
    from portal.services.statistics import indicators as ind
    from portal.services.statistics.period import parse

    assert runner.invoke(args=["portal", "seed", "--subjects", "600", "--seed", "5"]).exit_code == 0
    year = parse("12m", clock.today())
    industries = {row[0] for row in db.session.execute(select(Penalty.industry).distinct())}
    assert {"建筑垃圾运输", "燃气经营", "食品药品"} <= industries
    rates = [
        p.value for p in ind.compute("timeliness", year).parts if p.label.startswith("行业：") and p.denominator >= 20
    ]
    assert len(rates) >= 4 and max(rates) - min(rates) > 0.1, "timeliness should differ between industries"
    objections = {p.label: p for p in ind.compute("objections", year).parts}
    assert objections["平均处理工作日"].denominator > 0 and objections["最长处理工作日"].value > 0
    assert ind.compute("repairs", year).value > 0
    assert ind.compute("list_changes", year).parts[1].value + ind.compute("list_changes", year).parts[3].value > 0
    for entry in db.session.scalars(select(ListEntry).where(ListEntry.kind == ListKind.BLACK)):
        assert entry.authority == LIST_FACTS[entry.list_type][0]
