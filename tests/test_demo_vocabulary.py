"""Tests of the demo-content vocabulary (portal/demo/vocabulary.py): pure, deterministic, realistic."""

import enum
import random
import re
from collections import Counter
from decimal import Decimal

import pytest

from portal.demo import vocabulary as vocab
from portal.rules.categories import LICENSE_CATEGORIES, PENALTY_CATEGORIES
from portal.rules.overreach import forbidden_topic

FORBIDDEN = ("信访", "拆迁", "闯红灯", "养犬", "遛狗", "犬只", "物业费", "垃圾分类", "分类投放")
PENALTY_KEYS = {
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "fine_wan",
    "confiscated_wan",
    "authority",
    "doc_prefix",
    "severity",
}
LICENSE_KEYS = {"行政许可决定文书名称", "许可类别", "许可证书名称", "许可内容", "authority", "doc_prefix"}
COMMITMENT_TYPES = ("审批替代型", "容缺受理型", "证明事项告知承诺", "信用修复型", "行业自律型", "主动型", "其他")
COLUMNS = ("信用动态", "政策法规", "通知公告", "典型案例", "诚信宣传")
REGION_NAMES = [name for _, name in vocab.REGIONS]


def _sample_all(rng):
    """One call of every generator, in a fixed order."""
    out = []
    for region in REGION_NAMES:
        out.append(vocab.org_name(rng, region))
        out.append(vocab.shop_name(rng, region))
    out.append(vocab.person_name(rng))
    out.append(vocab.license_fields(rng))
    out.append(vocab.penalty_fields(rng))
    out.append(vocab.penalty_fields(rng, region_name="余姚市", year=2023))
    for column in COLUMNS:
        out.append(vocab.article(rng, column))
    for ctype in COMMITMENT_TYPES:
        out.append(vocab.commitment_fields(rng, ctype))
    return out


@pytest.fixture(scope="module")
def penalties():
    rng = random.Random(20240614)
    return [vocab.penalty_fields(rng) for _ in range(20_000)]


# --- regions -------------------------------------------------------------------------------------


def test_regions_are_ningbo_divisions():
    assert vocab.CITY == "宁波市"
    assert dict(vocab.REGIONS) == {
        "330203": "海曙区",
        "330205": "江北区",
        "330206": "北仑区",
        "330211": "镇海区",
        "330212": "鄞州区",
        "330213": "奉化区",
        "330225": "象山县",
        "330226": "宁海县",
        "330281": "余姚市",
        "330282": "慈溪市",
    }
    for code, _ in vocab.REGIONS:
        assert re.fullmatch(r"3302\d\d", code)


# --- determinism and purity ----------------------------------------------------------------------


def test_same_seed_same_output():
    assert _sample_all(random.Random(7)) == _sample_all(random.Random(7))
    assert _sample_all(random.Random(7)) != _sample_all(random.Random(8))


def test_global_random_state_untouched():
    random.seed(12345)
    state = random.getstate()
    for i in range(50):
        _sample_all(random.Random(i))
    assert random.getstate() == state


def test_interleaving_independent_rngs():
    # Two generators used alternately give the same streams as used alone.
    a, b = random.Random(1), random.Random(2)
    mixed = [(vocab.penalty_fields(a), vocab.penalty_fields(b)) for _ in range(50)]
    a2, b2 = random.Random(1), random.Random(2)
    alone_a = [vocab.penalty_fields(a2) for _ in range(50)]
    alone_b = [vocab.penalty_fields(b2) for _ in range(50)]
    assert [m[0] for m in mixed] == alone_a
    assert [m[1] for m in mixed] == alone_b


# --- names ---------------------------------------------------------------------------------------


def test_org_names_are_diverse():
    rng = random.Random(99)
    names = {vocab.org_name(rng, "鄞州区") for _ in range(100_000)}
    assert len(names) >= 95_000


def test_vocabulary_sizes():
    assert len(vocab.BRANDS) >= 150
    assert len(set(vocab.BRANDS)) == len(vocab.BRANDS)
    assert all(len(b) == 2 for b in vocab.BRANDS)
    assert {"恒达", "华联", "永盛", "鑫源"} <= set(vocab.BRANDS)
    assert len(set(vocab.INDUSTRIES)) >= 40
    assert len(set(vocab.SURNAMES)) >= 60


def test_org_name_forms():
    rng = random.Random(5)
    names = [vocab.org_name(rng, region) for region in REGION_NAMES for _ in range(3000)]
    for name in names:
        assert name.startswith(("宁波", "浙江", "余姚市", "慈溪市", "象山县", "宁海县")), name
        assert name.endswith(("公司", "合作社", "厂")), name
    joined = "\n".join(names)
    assert "股份有限公司" in joined and "有限责任公司" in joined
    assert re.search(r"^宁波.+有限公司(鄞州|海曙|慈溪)分公司$", joined, re.M)
    assert re.search(r"^宁波..（集团）有限公司$", joined, re.M)
    assert re.search(r"^宁海县.+农民专业合作社$", joined, re.M)
    assert re.search(r"^宁波市鄞州区.+有限公司$", joined, re.M)
    # Counties and county-level cities are never written under 宁波市.
    assert "宁波市余姚市" not in joined and "宁波市宁海县" not in joined


def test_shop_names():
    rng = random.Random(6)
    for region in REGION_NAMES:
        for _ in range(300):
            name = vocab.shop_name(rng, region)
            assert region in name, name
            assert 6 <= len(name) <= 24, name
            assert "公司" not in name


def test_person_names():
    rng = random.Random(11)
    names = [vocab.person_name(rng) for _ in range(100_000)]
    assert all(2 <= len(n) <= 4 for n in names)
    compound = [n for n in names if n[:2] in vocab.COMPOUND_SURNAMES]
    assert 0 < len(compound) < 0.02 * len(names)
    surnames = Counter(n[0] for n in names if n[:2] not in vocab.COMPOUND_SURNAMES)
    top = {s for s, _ in surnames.most_common(6)}
    assert top <= {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"}
    assert len(surnames) >= 60
    lengths = Counter(len(n) for n in names)
    assert lengths[2] > 0 and lengths[3] > lengths[2]


# --- licences ------------------------------------------------------------------------------------


def test_license_fields():
    rng = random.Random(21)
    seen_certs = set()
    for _ in range(5000):
        f = vocab.license_fields(rng)
        assert set(f) == LICENSE_KEYS
        assert f["许可类别"] in LICENSE_CATEGORIES
        assert all(f[k] for k in ("行政许可决定文书名称", "许可内容", "authority", "doc_prefix")), f
        assert f["doc_prefix"].endswith("许")
        assert f["authority"].startswith(("宁波市", "国家税务总局", "余姚市", "慈溪市", "象山县", "宁海县")), f
        seen_certs.add(f["许可证书名称"])
        cert, authority, prefix = f["许可证书名称"], f["authority"], f["doc_prefix"]
        if cert in ("食品经营许可证", "营业执照", "食品生产许可证"):
            assert "市场监督管理局" in authority and "市监" in prefix
        elif cert == "排污许可证":
            assert "生态环境局" in authority and "环" in prefix
        elif cert == "建筑工程施工许可证":
            assert "住房和城乡建设局" in authority and "建" in prefix
        elif cert == "道路运输经营许可证":
            assert "交通运输局" in authority and "交" in prefix
        elif cert == "医疗机构执业许可证":
            assert "卫生健康" in authority and "卫" in prefix
        elif cert == "危险化学品经营许可证":
            assert "应急管理局" in authority and "应急" in prefix
    assert len(seen_certs) >= 15
    assert {"营业执照", "食品经营许可证", "排污许可证", "建筑工程施工许可证"} <= seen_certs


def test_license_region_argument():
    rng = random.Random(22)
    for _ in range(500):
        f = vocab.license_fields(rng, region_name="慈溪市")
        assert "慈溪" in f["authority"] or f["authority"].startswith(("宁波市", "国家税务总局宁波市")), f


# --- penalties -----------------------------------------------------------------------------------


def test_penalty_keys_and_categories(penalties):
    for p in penalties:
        assert set(p) == PENALTY_KEYS
        for key in ("违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容", "authority", "doc_prefix"):
            assert p[key], (key, p)
        cats = p["处罚类别"].split(";")
        assert all(c in PENALTY_CATEGORIES for c in cats), p
        assert len(cats) == len(set(cats))
        order = [PENALTY_CATEGORIES.index(c) for c in cats]
        assert order == sorted(order), p
        assert p["doc_prefix"].endswith("罚")
        assert p["处罚依据"].startswith("《")
        assert p["severity"] in {"轻微", "一般", "严重"}


def test_penalty_amounts_consistent(penalties):
    for p in penalties:
        cats = p["处罚类别"].split(";")
        content, facts = p["处罚内容"], p["违法事实"]
        fines = re.findall(r"(?:罚款|计)人民币(\d+)元", content)
        if "罚款" in cats:
            assert len(fines) == 1, p
            assert Decimal(p["fine_wan"]) == Decimal(fines[0]) / 10000, p
            assert re.fullmatch(r"\d+(\.\d{1,6})?", p["fine_wan"]), p
        else:
            assert p["fine_wan"] == "" and not fines, p
        gains = re.findall(r"没收违法所得人民币(\d+)元", content)
        goods = re.findall(r"（价值人民币(\d+)元）", content)
        assert len(gains) == ("没收违法所得" in cats), p
        assert len(goods) == ("没收非法财物" in cats), p
        if gains:
            assert f"人民币{gains[0]}元" in facts, p
        if gains or goods:
            # The importer requires the amount whenever anything is confiscated.
            total = sum(int(x) for x in gains + goods)
            assert Decimal(p["confiscated_wan"]) == Decimal(total) / 10000, p
        else:
            assert p["confiscated_wan"] == "", p
        if "吊销许可证件" in cats:
            assert "吊销《" in content
        if "警告" in cats:
            assert "警告" in content


def test_penalty_severity(penalties):
    counts = Counter(p["severity"] for p in penalties)
    n = len(penalties)
    assert abs(counts["轻微"] / n - 0.15) < 0.02
    assert abs(counts["一般"] / n - 0.65) < 0.03
    assert abs(counts["严重"] / n - 0.20) < 0.02
    # Harsh outcomes only for serious cases; serious cases carry the larger fines.
    harsh = {"吊销许可证件", "降低资质等级", "责令关闭", "限制从业"}
    for p in penalties:
        if harsh & set(p["处罚类别"].split(";")):
            assert p["severity"] == "严重", p
    by_type = {}
    for p in penalties:
        if p["fine_wan"]:
            by_type.setdefault(p["违法行为类型"], {}).setdefault(p["severity"], []).append(Decimal(p["fine_wan"]))
    higher = 0
    for sev in by_type.values():
        if "一般" in sev and "严重" in sev:
            avg = {k: sum(v) / len(v) for k, v in sev.items()}
            higher += avg["严重"] > avg["一般"]
    assert higher >= 15


def test_penalty_variety(penalties):
    types = {p["违法行为类型"] for p in penalties}
    assert len(types) >= 25
    assert len({p["违法事实"] for p in penalties}) > 0.95 * len(penalties)
    authorities = "\n".join(p["authority"] for p in penalties)
    for dept in ("市场监督管理局", "生态环境局", "应急管理局", "住房和城乡建设局", "交通运输局", "税务局", "消防救援"):
        assert dept in authorities
    used = {c for p in penalties for c in p["处罚类别"].split(";")}
    assert {"警告", "罚款", "没收违法所得", "没收非法财物", "吊销许可证件", "责令停产停业"} <= used


def test_penalty_never_touches_forbidden_topics(penalties):
    for p in penalties:
        for key in ("违法行为类型", "违法事实"):
            assert not any(word in p[key] for word in FORBIDDEN), p
        # The importer's own guard, over every text field.
        assert forbidden_topic(*(v for v in p.values() if isinstance(v, str))) is None, p


def test_penalty_region_and_year():
    rng = random.Random(31)
    for _ in range(2000):
        p = vocab.penalty_fields(rng, region_name="鄞州区", year=2022)
        assert set(re.findall(r"(\d{4})年", p["违法事实"])) <= {"2021", "2022"}, p
        if "鄞州" in p["authority"]:
            assert "鄞" in p["doc_prefix"], p
        else:  # city-level authority
            assert p["authority"].startswith(("宁波市", "国家税务总局宁波市")), p
            assert p["doc_prefix"].startswith("甬") and "鄞" not in p["doc_prefix"], p
        for other in ("海曙区", "余姚市", "慈溪市", "象山县"):
            assert other not in p["违法事实"], p


# --- articles and commitments --------------------------------------------------------------------


@pytest.mark.parametrize("column", COLUMNS)
def test_article(column):
    rng = random.Random(41)
    titles = set()
    for _ in range(300):
        title, body = vocab.article(rng, column)
        titles.add(title)
        assert 4 <= len(title) <= 60
        assert "<script" not in body.lower()
        assert 3 <= body.count("<p>") <= 5
        assert body.count("<p>") == body.count("</p>")
        assert set(re.findall(r"</?([a-zA-Z]+)", body)) <= {"p", "strong", "ul", "li"}
        assert forbidden_topic(title, body) is None
    assert len(titles) >= 5


def test_article_accepts_slugs_and_rejects_unknown():
    assert vocab.article(random.Random(1), "news") == vocab.article(random.Random(1), "信用动态")
    with pytest.raises(ValueError):
        vocab.article(random.Random(1), "不存在的栏目")


class _CommitmentType(str, enum.Enum):
    REPAIR = "信用修复型"


@pytest.mark.parametrize("ctype", COMMITMENT_TYPES)
def test_commitment_fields(ctype):
    rng = random.Random(51)
    for _ in range(200):
        f = vocab.commitment_fields(rng, ctype)
        assert set(f) == {"承诺事由", "承诺内容", "违诺责任"}
        assert all(f.values())
        assert "真实" in f["承诺内容"] and "监督" in f["承诺内容"]
        assert forbidden_topic(*f.values()) is None
    if ctype == "信用修复型":
        assert "最长公示期限" in f["违诺责任"]


def test_commitment_accepts_enum_and_rejects_unknown():
    a = vocab.commitment_fields(random.Random(3), _CommitmentType.REPAIR)
    b = vocab.commitment_fields(random.Random(3), "信用修复型")
    assert a == b
    with pytest.raises(ValueError):
        vocab.commitment_fields(random.Random(3), "不存在的类型")
