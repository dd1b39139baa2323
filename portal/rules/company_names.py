"""Chinese company names reduced to what identifies the company, for matching one written form
against another: 宁波建工股份有限公司, 寧波建工（股份）有限公司 and 浙江省宁波市建工股份公司 share a core.

Pure functions. Region names are passed in (the city file knows its districts); provinces are built in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from portal.rules.text import fold

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古",
    "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)  # fmt: skip
# Legal forms, longest first; the label groups spellings of one form.
LEGAL_FORMS = (
    ("股份有限公司", "股份有限公司"),
    ("有限责任公司", "有限责任公司"),
    ("股份合作公司", "股份合作公司"),
    ("有限公司", "有限责任公司"),  # 有限公司 is the short name of 有限责任公司 (公司法)
    ("股份公司", "股份有限公司"),
    ("合伙企业", "合伙企业"),
    ("个人独资企业", "个人独资企业"),
    ("公司", "公司"),
    ("厂", "厂"),
    ("店", "店"),
    ("经营部", "经营部"),
    ("商行", "商行"),
)
GROUP_MARKS = ("集团",)
BRANCH = re.compile(r"(分公司|分厂|分店|营业部|办事处|分部)$")
# Common shortenings in written names (long form -> short form), applied to both sides.
ABBREVIATIONS = (
    ("科学技术", "科技"),
    ("技术开发", "技术"),
    ("房地产开发", "房地产"),
    ("建筑工程", "建工"),
    ("建设工程", "建工"),
    ("进出口贸易", "进出口"),
    ("国际贸易", "国贸"),
    ("电子商务", "电商"),
    ("信息技术", "信息"),
)
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})
_DROP = re.compile(r"[\s\W_]+")
_IN_BRACKETS = re.compile(r"\(([^()]*)\)")
_LATIN = re.compile(r"^[a-z]+$")
MIN_INITIALS_PREFIX = 3  # an initials query of 3+ letters also finds the forms it begins


@dataclass(frozen=True)
class CompanyName:
    core: str  # what is left: the distinctive words (字号 and 行业)
    regions: tuple[str, ...]  # region names written in the name, outermost first
    legal_form: str | None
    group: bool  # (集团) or 集团
    branch: str | None  # 分公司 and the like: a branch is another subject than its company
    written: str = ""  # the core as written, before common abbreviations (中力国际贸易, not 中力国贸)

    @property
    def key(self) -> str:
        return self.core


def _region_forms(regions: tuple[str, ...]) -> tuple[str, ...]:
    """Each region with and without its level word (宁波市 and 宁波, 鄞州区 and 鄞州), longest first."""
    forms = set()
    for region in (*regions, *PROVINCES, *(f"{p}省" for p in PROVINCES)):
        forms.add(region)
        short = re.sub(r"(省|市|区|县|自治区|自治州|特别行政区)$", "", region)
        if len(short) >= 2:
            forms.add(short)
    return tuple(sorted(forms, key=len, reverse=True))


@lru_cache(maxsize=16)
def _compiled(regions: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, str], re.Pattern[str]]:
    forms = _region_forms(regions)
    canonical = {}
    for form in forms:
        canonical[form] = re.sub(r"(省|市|区|县|自治区|自治州|特别行政区)$", "", form) or form
    # One alternation, longest form first (the regex tries alternatives in order): a leading
    # region is found in one match instead of a startswith per form (parse runs per candidate).
    leading = re.compile("|".join(re.escape(form) for form in forms))
    return forms, canonical, leading


def clean(name: str) -> str:
    """Width, case, traditional characters and brackets folded; spaces and punctuation other than
    brackets dropped."""
    text = fold(unicodedata.normalize("NFKC", name or "")).translate(_BRACKETS)
    return re.sub(r"[^\w()]+", "", text)


def stem(name: str) -> str:
    """The name as written, cleaned, without brackets and its legal form: what a name lookup
    needs (有限公司 is in nearly every name, so searching it costs much and tells nothing)."""
    text = clean(name).replace("(", "").replace(")", "")
    for spelling, _ in LEGAL_FORMS:
        if text.endswith(spelling) and len(text) > len(spelling):
            return text[: -len(spelling)]
    return text


def _abbreviate(text: str) -> str:
    for long, short in ABBREVIATIONS:
        text = text.replace(long, short)
    return text


def parse(name: str, regions: tuple[str, ...] = ()) -> CompanyName:
    """The parts of a company name; `regions` are the local region names (city, districts)."""
    text = clean(name)
    forms, canonical, leading_form = _compiled(tuple(regions))
    found: list[str] = []
    group = False
    branch = None
    # A branch after the company's own name: 宁波建工股份有限公司鄞州分公司.
    match = BRANCH.search(text)
    if match:
        branch = match.group(1)
        text = text[: match.start()]
        # the branch's place (鄞州) is the branch's name, not the company's
        for form in forms:
            if text.endswith(form):
                found.append(canonical[form])
                text = text[: -len(form)]
                break
    # Bracketed words: a region (宁波), the group mark, a legal form, or a part of the name.
    for inner in _IN_BRACKETS.findall(text):
        if inner in canonical:
            found.append(canonical[inner])
        elif inner in GROUP_MARKS:
            group = True
        elif not any(inner == spelling for spelling, _ in LEGAL_FORMS) and inner not in ("中国",):
            continue
        text = text.replace(f"({inner})", "", 1)
    text = text.replace("(", "").replace(")", "")
    legal_form = None
    for spelling, label in LEGAL_FORMS:
        if text.endswith(spelling) and len(text) > len(spelling):
            legal_form, text = label, text[: -len(spelling)]
            break
    if text.endswith("集团") and len(text) > 2:
        group, text = True, text[:-2]
    # Leading regions, as many as are written: 浙江省宁波市鄞州区...
    leading: list[str] = []
    while (found_form := leading_form.match(text)) and len(text) > found_form.end() + 1:
        leading.append(canonical[found_form.group()])
        text = text[found_form.end() :]
    core = _DROP.sub("", _abbreviate(text))
    return CompanyName(core, tuple(dict.fromkeys(leading + found)), legal_form, group, branch, _DROP.sub("", text))


@cache
def _char_initials(ch: str) -> str:
    """One character's initials; cached: pypinyin costs ~80 µs a call, and a few thousand
    characters make up every name (the index worker reads thousands of names a second)."""
    if ch.isascii():
        return ch.upper() if ch.isalnum() else ""
    from pypinyin import Style, lazy_pinyin

    return "".join(letter.upper() for letter in lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore"))


def initials(text: str) -> str:
    """Pinyin initials, upper case: 宁波建工 -> NBJG (Latin letters and digits kept as they are)."""
    return "".join(map(_char_initials, clean(text)))


def short_initials(name: CompanyName) -> set[str]:
    """How a company is written in initials: its core (JG), or a region and its core (NBJG)."""
    found = {initials(name.core)} | {initials(region + name.core) for region in name.regions}
    return found - {""}


def is_initials(text: str) -> bool:
    """A query written as pinyin initials (NBJG), not as a name."""
    return bool(_LATIN.fullmatch(clean(text))) and 2 <= len(clean(text)) <= 12


def query_initials(text: str) -> str | None:
    """The query as initials to look up (NBJG), or None when it is not written as initials."""
    return clean(text).upper() if is_initials(text) else None


def initials_keys(name: str, regions: tuple[str, ...] = ()) -> tuple[str, ...]:
    """What an initials query may equal to find this company: each initials form (JGGC, NBJGGC)
    and each of its beginnings of MIN_INITIALS_PREFIX letters or more (NBJ, NBJG, NBJGG).

    So NBJG finds 宁波建工工程集团有限公司; two letters find only a form of two letters (HD is
    恒达, not every 恒达… or 海达…): a 2-letter prefix would match a large share of all companies.
    """
    keys: set[str] = set()
    for form in short_initials(parse(name, regions)):
        keys.add(form)
        keys.update(form[:n] for n in range(MIN_INITIALS_PREFIX, len(form)))
    return tuple(sorted(keys))


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two cores, 1.0 when equal."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    x, y = bigrams(a), bigrams(b)
    dice = 2 * len(x & y) / (len(x) + len(y))
    short, long = sorted((a, b), key=len)
    if short in long:  # an abbreviation keeps part of the name: 恒达建工 / 恒达
        dice = max(dice, 0.8 * len(short) / len(long) + 0.1)
    elif _in_order(short, long):  # or some of its characters, in order: 远创汽服 / 远创汽车服务
        dice = max(dice, 0.8 * len(short) / len(long))
    return min(dice, 0.99)


def _in_order(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)
