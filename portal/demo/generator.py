"""Demo subjects and national-format rows, deterministic for a seed.

Rows are produced in the exchange format itself and loaded through the importer, so demo data
passes exactly the validation that real files do.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from portal.demo import vocabulary as vocab
from portal.importer.headers import HEADERS, LICENSE
from portal.models.subject import SubjectKind
from portal.rules import idcard, uscc
from portal.rules.publicity import add_months
from portal.rules.workdays import add_workdays

YEARS_OF_DATA = 4


@dataclass(frozen=True)
class DemoSubject:
    kind: SubjectKind
    name: str
    uscc: str
    region: str
    legal_rep: str
    legal_rep_id: str
    person_id: str = ""


@dataclass(frozen=True)
class Authority:
    name: str
    uscc: str
    prefix: str


class Universe:
    """Subjects and deciding authorities of one demo city, built from a seed."""

    def __init__(self, subjects: int, seed: int):
        self.seed = seed
        rng = random.Random(f"subjects:{seed}")
        self.subjects = [self._subject(rng) for _ in range(subjects)]
        self.authorities: dict[str, Authority] = {}
        self._doc_serial: dict[tuple[str, int], int] = {}

    @staticmethod
    def _subject(rng: random.Random) -> DemoSubject:
        region, region_name = rng.choice(vocab.REGIONS)
        roll = rng.random()
        rep = vocab.person_name(rng)
        if roll < 0.72:
            name = vocab.org_name(rng, region_name)
            entity = "3" if name.endswith("合作社") else "1"
            return DemoSubject(
                SubjectKind.ORGANISATION,
                name,
                uscc.generate(rng, region, "9", entity),
                region,
                rep,
                idcard.generate(rng, region),
            )
        if roll < 0.92:
            return DemoSubject(
                SubjectKind.INDIVIDUAL_BUSINESS,
                vocab.shop_name(rng, region_name),
                uscc.generate(rng, region, "9", "2"),
                region,
                rep,
                idcard.generate(rng, region),
            )
        return DemoSubject(SubjectKind.PERSON, rep, "", region, "", "", idcard.generate(rng, region))

    def authority(self, name: str, prefix: str) -> Authority:
        found = self.authorities.get(name)
        if found is None:
            rng = random.Random(f"authority:{self.seed}:{name}")
            # A city-level department keeps the code its city file gives it (init-db created it).
            listed = vocab.CITY_DEPARTMENT_CODES.get(name)
            found = Authority(name, listed or uscc.generate(rng, "330200", "1", "1"), prefix)
            self.authorities[name] = found
        return found

    def doc_no(self, authority: Authority, kind: str, year: int) -> str:
        key = (authority.prefix + kind, year)
        self._doc_serial[key] = serial = self._doc_serial.get(key, 0) + 1
        return f"{authority.prefix}〔{year}〕{serial}号"


_REGION_NAMES = dict(vocab.REGIONS)


def _region_name(code: str) -> str:
    return _REGION_NAMES[code]


def _subject_cells(s: DemoSubject) -> dict[str, str]:
    if s.kind == SubjectKind.PERSON:
        return {
            "行政相对人名称": s.name,
            "行政相对人类别": s.kind.value,
            "证件类型": idcard.ID_CARD,
            "证件号码": s.person_id,
        }
    return {
        "行政相对人名称": s.name,
        "行政相对人类别": s.kind.value,
        "统一社会信用代码": s.uscc,
        "法定代表人": s.legal_rep,
        "法定代表人证件类型": idcard.ID_CARD,
        "法定代表人证件号码": s.legal_rep_id,
    }


def _decision_day(rng: random.Random, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=int(rng.random() ** 1.3 * 365 * YEARS_OF_DATA))


def generate_rows(universe: Universe, kind: str, count: int, today: dt.date, seed: int) -> Iterator[list[str]]:
    """`count` rows of `kind` as cell lists in the national header order."""
    rng = random.Random(f"{kind}:{seed}")
    headers = HEADERS[kind]
    people = universe.subjects
    for _ in range(count):
        # Skewed choice: a minority of subjects carries most records, as in real data.
        subject = people[int(len(people) * rng.random() ** 1.6)]
        decided = _decision_day(rng, today)
        cells = _subject_cells(subject)
        if kind == LICENSE:
            f = vocab.license_fields(rng, _region_name(subject.region))
            auth = universe.authority(f["authority"], f["doc_prefix"])
            years = rng.choice((1, 3, 5))
            valid_to = "长期" if rng.random() < 0.15 else add_months(decided, 12 * years).isoformat()
            cells.update(
                {
                    "行政许可决定文书名称": f["行政许可决定文书名称"],
                    "行政许可决定文书号": universe.doc_no(auth, "许", decided.year),
                    "许可类别": f["许可类别"],
                    "许可证书名称": f["许可证书名称"],
                    "许可编号": f"{auth.prefix}{decided.year}{rng.randrange(10**6):06d}",
                    "许可内容": f["许可内容"],
                    "许可决定日期": decided.isoformat(),
                    "有效期自": decided.isoformat(),
                    "有效期至": valid_to,
                    "许可机关": auth.name,
                    "许可机关统一社会信用代码": auth.uscc,
                    "当前状态": "有效",
                    "数据来源单位": auth.name,
                    "数据来源单位统一社会信用代码": auth.uscc,
                }
            )
            cells["所属行业"] = demo_industry(auth.name, cells["行政许可决定文书号"], seed)
        else:
            # The conduct happened before the decision: the year before it.
            f = vocab.penalty_fields(rng, _region_name(subject.region), decided.year - 1)
            auth = universe.authority(f["authority"], f["doc_prefix"])
            cells.update(
                {
                    "行政处罚决定书文号": universe.doc_no(auth, "罚", decided.year),
                    "违法行为类型": f["违法行为类型"],
                    "违法事实": f["违法事实"],
                    "处罚依据": f["处罚依据"],
                    "处罚类别": f["处罚类别"],
                    "处罚内容": f["处罚内容"],
                    "罚款金额(万元)": f["fine_wan"],
                    "没收违法所得、没收非法财物的金额(万元)": f["confiscated_wan"],
                    "暂扣或吊销证照名称及编号": _affected_license(rng, f["处罚类别"], auth),
                    "处罚决定日期": decided.isoformat(),
                    "处罚机关": auth.name,
                    "处罚机关统一社会信用代码": auth.uscc,
                    "数据来源单位": auth.name,
                    "数据来源单位统一社会信用代码": auth.uscc,
                    "失信严重程度": f["severity"],
                }
            )
            cells["所属行业"] = demo_industry(auth.name, cells["行政处罚决定书文号"], seed)
        yield [cells.get(h, "") for h in headers]


def _affected_license(rng: random.Random, categories: str, auth: Authority) -> str:
    if "暂扣许可证件" in categories or "吊销许可证件" in categories:
        return f"许可证（编号{auth.prefix}{rng.randrange(2015, 2026)}{rng.randrange(10**6):06d}）"
    return ""


def write_csv(path: Path, kind: str, rows, encoding: str = "utf-8-sig") -> int:
    n = 0
    with Path(path).open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS[kind])
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


# Industries the demo spreads an authority's records over (others take the authority's default).
_DEMO_INDUSTRIES = {
    "综合行政执法局": ("建筑垃圾运输", "户外广告设置", "生活垃圾分类收运", "公共停车场经营", "城市园林绿化"),
    "住房和城乡建设局": ("建筑施工", "建筑施工", "燃气经营"),
}


def demo_industry(authority: str, doc_no: str, seed: int) -> str:
    """The 所属行业 cell of a demo row: empty (the authority's default) or one of its professions."""
    for part, names in _DEMO_INDUSTRIES.items():
        if part in authority:
            return random.Random(f"industry:{seed}:{doc_no}").choice(names)
    return ""


def _late_share(seed: int, key: str, low: float, high: float) -> float:
    return random.Random(f"late:{seed}:{key}").uniform(low, high)


def publication_day(seed: int, today: dt.date):
    """Publication a few working days after the decision. The share published late differs by
    industry (3% to 45%) and by the district of the deciding authority, as in real bulletins; late
    ones come 8 to 25 working days after the decision (end-of-quarter catch-up)."""
    rng = random.Random(f"published:{seed}")
    districts = [name for _, name in vocab.REGIONS]

    def published_on(record: dict) -> dt.date:
        late = _late_share(seed, record.get("industry") or "", 0.03, 0.45)
        district = next((d for d in districts if d in record.get("authority", "")), "")
        late = min(max(late + (_late_share(seed, district, -0.05, 0.12) if district else 0), 0.01), 0.8)
        delay = rng.randint(8, 25) if rng.random() < late else rng.randint(1, 7)
        return min(add_workdays(record["decided_on"], delay), today)

    return published_on
