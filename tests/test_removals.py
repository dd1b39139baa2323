"""The removal feed: an aggregator that mirrors the public set and replays the feed ends with exactly
the public set, whatever took records out of view (the calendar, repair, objection, list exit, a
re-import shortening the display); the feed names records by public identifiers only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import ApplicationStatus, ListEntry, ListKind, Penalty, PublicationState, Role
from portal.rules import publicity
from portal.services.credit_lists import list_workflow
from portal.services.online import handling
from portal.services.opendata import columns, removals
from portal.services.publication import publishing
from tests import public_scenario as sc
from tests.admin_helpers import department, staff
from tests.exchange_files import import_rows, penalty_row

IDENTIFIERS = {"doc_no", "authority_uscc", "list_entry_id", "commitment_code"}


class Clock:
    """Moves the portal's clock (portal.clock.now) forward."""

    def __init__(self, monkeypatch):
        self.monkeypatch, self.offset = monkeypatch, dt.timedelta(0)
        real = clock.now
        monkeypatch.setattr(clock, "now", lambda: real() + self.offset)

    def forward(self, **delta) -> None:
        self.offset += dt.timedelta(**delta)


@pytest.fixture
def moving(monkeypatch):
    return Clock(monkeypatch)


def _decided_for(severity: str, display_until: dt.date) -> dt.date:
    """A decision date whose full display window (no 公示截止期) ends on `display_until`."""
    day = display_until - dt.timedelta(days=40 * 31)
    while publicity.penalty_window(severity, day).display_until != display_until:
        day += dt.timedelta(days=1)
    return day


class Mirror:
    """What an aggregator keeps: identifiers of public penalties and list entries, and its cursor."""

    def __init__(self, client):
        self.client, self.cursor = client, None
        self.penalties = {(p["doc_no"], p["authority_uscc"]) for p in self._walk("/api/v1/penalties")}
        self.entries = {e["id"] for e in self._walk("/api/v1/list-entries")}
        self.replay()

    def _walk(self, url: str) -> list[dict]:
        items, cursor = [], None
        while True:
            page = self.client.get(url, query_string={"limit": 100, **({"cursor": cursor} if cursor else {})})
            items += page.get_json()["items"]
            if (cursor := page.get_json()["next_cursor"]) is None:
                return items

    def replay(self) -> list[dict]:
        applied = []
        while True:
            query = {"limit": 2, **({"since": self.cursor} if self.cursor else {})}
            data = self.client.get("/api/v1/removals", query_string=query).get_json()
            self.cursor = data["cursor"]
            if not data["items"]:
                return applied
            for item in data["items"]:
                assert {k for k, v in item.items() if v is not None} <= IDENTIFIERS | {
                    "at",
                    "kind",
                    "kind_label",
                    "record_type",
                }
                if item["record_type"] == "penalty":
                    self.penalties.discard((item["doc_no"], item["authority_uscc"]))
                elif item["record_type"] == "list_entry":
                    self.entries.discard(item["list_entry_id"])
                applied.append(item)

    def add_new(self) -> None:
        """New publications: listed records the mirror does not know yet (never re-adds removed ones)."""
        self.penalties |= {(p["doc_no"], p["authority_uscc"]) for p in self._walk("/api/v1/penalties")}
        self.entries |= {e["id"] for e in self._walk("/api/v1/list-entries")}


def _public_penalties() -> set[tuple[str, str]]:
    ids = columns.public_ids("penalties")
    return set(db.session.execute(select(Penalty.doc_no, Penalty.authority_uscc).where(Penalty.id.in_(ids))).all())


def test_mirror_replaying_the_feed_ends_with_the_public_set(client, runner, app_ctx, tmp_path, moving):
    world = sc.build(runner, tmp_path)
    today = clock.today()
    import_rows(
        runner,
        tmp_path / "expiring.csv",
        "penalty",
        [
            # Expires by the legal period the day after tomorrow; ends early by its own 公示截止期 tomorrow.
            penalty_row(
                **{
                    "行政处罚决定书文号": "甬市监罚〔2026〕70号",
                    "失信严重程度": "轻微",
                    "处罚决定日期": _decided_for("轻微", today + dt.timedelta(days=2)).isoformat(),
                }
            ),
            penalty_row(
                **{
                    "行政处罚决定书文号": "甬市监罚〔2026〕71号",
                    "处罚决定日期": sc.days_ago(5),
                    "公示截止期": (today + dt.timedelta(days=1)).isoformat(),
                }
            ),
            penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕72号", "处罚决定日期": sc.days_ago(3)}),
        ],
    )
    exit_ahead = db.session.scalar(select(ListEntry).where(ListEntry.list_type == "A级纳税人"))
    exit_ahead.removed_on, exit_ahead.removal_reason = today + dt.timedelta(days=2), "信用等级调整"
    db.session.commit()
    moving.forward(minutes=2)

    mirror = Mirror(client)  # T0
    assert ("甬市监罚〔2026〕70号", sc.penalty_row()["处罚机关统一社会信用代码"]) in mirror.penalties
    assert exit_ahead.id in mirror.entries

    # Three days on: the calendar ends three displays and one listing; staff (through the workflow
    # services the back office calls) and an import end others.
    moving.forward(days=3)
    dept = department()
    handler, clerk, reviewer = (
        staff(n, r, dept=dept) for n, r in (("shouli", Role.HANDLER), ("luru", Role.CLERK), ("shenhe", Role.REVIEWER))
    )
    repair = sc.open_repair(world, world.penalties[sc.CURRENT])
    objection = sc.open_objection("penalty", world.penalties[sc.PERSON_DOC])
    for application in (repair, objection):
        application.department_id, application.status = dept.id, ApplicationStatus.ACCEPTED
    db.session.commit()
    handling.decide_repair(repair, handler, True, "已缴清罚款并完成整改")
    handling.decide_objection(objection, handler, handling.UPHOLD_WITHDRAW, "当事人认定错误")
    exited = db.session.scalar(select(ListEntry).where(ListEntry.list_type == "失信被执行人"))
    exited.department_id = dept.id
    db.session.commit()
    revision = list_workflow.request_removal(
        exited, {"removed_on": clock.today().isoformat(), "removal_reason": "已履行义务"}, clerk
    )
    db.session.commit()
    publishing.approve_revision(revision, reviewer)
    import_rows(
        runner,
        tmp_path / "reimport.csv",
        "penalty",
        [
            # The exchange sends 72 again with a 公示截止期 already past, before T0 even: display
            # ends now, and the mirror, past that day already, still hears of it.
            penalty_row(
                **{
                    "行政处罚决定书文号": "甬市监罚〔2026〕72号",
                    "处罚决定日期": sc.days_ago(6),
                    "公示截止期": sc.days_ago(5),
                }
            ),
            penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕80号", "处罚决定日期": sc.days_ago(1)}),
        ],
    )
    moving.forward(minutes=2)

    applied = mirror.replay()
    mirror.add_new()
    assert mirror.penalties == _public_penalties()
    assert mirror.entries == columns.public_ids("list_entries", columns.Query())
    kinds = {(item["doc_no"] or item["list_entry_id"]): item["kind"] for item in applied}
    assert len(kinds) == len(applied)  # each removal once, whether a change or the calendar ended it
    assert kinds == {
        "甬市监罚〔2026〕70号": "expired",
        "甬市监罚〔2026〕71号": "display_ended",
        "甬市监罚〔2026〕72号": "display_ended",
        sc.CURRENT: "repaired",
        sc.PERSON_DOC: "objection_upheld",
        exited.id: "list_exit",
        exit_ahead.id: "list_exit",
    }
    assert mirror.replay() == []  # nothing twice


def test_expiry_appears_on_its_day_without_anyone_acting(client, runner, app_ctx, tmp_path, moving):
    today = clock.today()
    decided = _decided_for("轻微", today)
    import_rows(
        runner,
        tmp_path / "p.csv",
        "penalty",
        [
            penalty_row(
                **{
                    "行政处罚决定书文号": "甬市监罚〔2026〕60号",
                    "失信严重程度": "轻微",
                    "处罚决定日期": decided.isoformat(),
                }
            )
        ],
    )
    moving.forward(minutes=2)
    cursor = client.get("/api/v1/removals").get_json()["cursor"]
    assert client.get("/api/v1/removals", query_string={"since": cursor}).get_json()["items"] == []
    midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=clock.CHINA)
    moving.forward(seconds=(midnight - clock.now()).total_seconds() + removals.SETTLE.total_seconds() + 1)
    items = client.get("/api/v1/removals", query_string={"since": cursor}).get_json()["items"]
    assert [(i["doc_no"], i["kind"], i["at"]) for i in items] == [
        ("甬市监罚〔2026〕60号", "expired", midnight.isoformat())
    ]


def test_a_record_taken_out_before_its_window_ends_is_removed_once(client, runner, app_ctx, tmp_path, moving):
    world = sc.build(runner, tmp_path)
    penalty = db.session.get(Penalty, world.penalties[sc.OTHER])
    penalty.state = PublicationState.REPAIRED
    db.session.commit()
    moving.forward(days=3 * 366 + 1)  # long past the end of its window
    items = client.get("/api/v1/removals").get_json()["items"]
    assert [(i["doc_no"], i["kind"]) for i in items if i["doc_no"] == sc.OTHER] == [(sc.OTHER, "repaired")]


def test_removal_kind_rule(app_ctx):
    on = dt.date(2026, 6, 1)
    penalty = Penalty(
        state=PublicationState.PUBLISHED,
        severity="一般",
        decided_on=dt.date(2025, 1, 1),
        display_until=dt.date(2026, 1, 1),
    )
    assert removals.removal_kind(penalty, on) == "expired"
    penalty.display_until = dt.date(2025, 6, 1)
    assert removals.removal_kind(penalty, on) == "display_ended"
    penalty.state, penalty.withdrawn_reason = PublicationState.WITHDRAWN, "异议成立：金额有误"
    assert removals.removal_kind(penalty, on) == "objection_upheld"
    penalty.withdrawn_reason = "录入错误"
    assert removals.removal_kind(penalty, on) == "withdrawn"
    penalty.state = PublicationState.REPAIRED
    assert removals.removal_kind(penalty, on) == "repaired"
    entry = ListEntry(state=PublicationState.PUBLISHED, kind=ListKind.BLACK, removed_on=on)
    assert removals.removal_kind(entry, on) == "list_exit"
