"""Finding natural persons' names in free text (drivers, employees, operators named in 违法事实...).

Three cues, each measured on tests/data/person_names.txt (recall and false positives are printed
by tests/test_rules_person_names.py):
- a role word before the name (驾驶员、员工、法定代表人、经营者、当事人...), and names listed after
  it with 、/和/及;
- what follows a name in a statement of facts (（男 / ，身份证号 / 住...);
- the person-name tags of jieba-rs (rjieba, maintained Rust port of jieba), kept only when the
  word starts with a known surname and is not a place or an organisation.
Input is text already folded by masking (simplified characters, no spaces between Chinese
characters); results are (start, end, surname length) spans in it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import rjieba

from portal.rules.surnames import COMPOUND_SURNAMES, SURNAMES

HAN = r"\u4e00-\u9fff"
_SURNAME = "(?:" + "|".join(sorted(COMPOUND_SURNAMES, key=len, reverse=True)) + f"|[{''.join(sorted(SURNAMES))}])"

# Words after which a person's name follows.
_ROLE_WORDS = """驾驶员 驾驶人 司机 随车人员 押运员 乘务员 员工 职工 雇员 工人 工作人员 从业人员 营业员 收银员 销售员
    业务员 服务员 保安员 保安 保洁员 厨师 帮厨 配菜员 操作工 操作员 电工 焊工 技术员 安全员 质检员 检验员 仓管员
    施工员 项目经理 技术负责人 安全管理人员 主要负责人 负责人 法定代表人 法人代表 经营者 业主 店主 摊主 户主
    当事人 实际控制人 控股股东 股东 监事 董事长 董事 总经理 副总经理 经理 厂长 会计 出纳 财务人员 医师 医生 护士
    药师 执业药师 教师 教练员 委托代理人 代理人 联系人 投诉人 举报人 证人 车主 承租人 出租人 房东 租户 患者 消费者
    顾客 学徒 外卖员 骑手 快递员 配送员 直接责任人员 直接责任人 责任人 主管人员 违法行为人 行为人 被处罚人 签收人
    法定代理人 监护人 配偶 妻子 丈夫 儿子 女儿 父亲 母亲 其妻 其夫 其子 其女 同事 合伙人 投资人 申请人 被申请人
    受害人 伤者 死者 遇难者 船长 船员 机长 导游 领队 讲解员 乘客 旅客 租客 住客 访客 人员 名叫 姓名 店长 领班 主管
    经办人 办理人 承办人 签字人 填报人 报告人 申报人 收货人 发货人 寄件人 持证人 持有人
    登记人 所有人 使用人 借款人 担保人 债务人
    被执行人 户名 本人"""
# Longest first, so that 法定代表人 wins over 代表人.
ROLES = sorted(_ROLE_WORDS.split(), key=len, reverse=True)
_ROLE = "(?:" + "|".join(ROLES) + ")"
# Between a role word and the name: 员工（甲方）, 驾驶员：, 负责人为, 员工有...
_GAP = r"(?:[（(][^）)]{0,8}[）)])?[:：]?\s?(?:为|是|系|有|即)?"
_AFTER_ROLE = re.compile(f"{_ROLE}{_GAP}(?={_SURNAME}[{HAN}])")
# Cues after a name: （男, ，女, 身份证号, 住..., 33岁
_CUE_AFTER = re.compile(
    f"(?={_SURNAME}[{HAN}]{{1,2}}(?:[（(，,\\s]?(?:男|女)[，,）)\\s]|[（(，,]?\\s?"
    r"(?:公民身份号码|身份证|证件号|住址|住所|户籍|出生于|\d{1,2}岁)))"
)
_LIST_SEPARATORS = ("、", "和", "及", "与", "，", ",")

# A given name's second character is rarely one of these; they usually start the next word.
_STOP = set("未在于等将已与和及系为是被把对的了均都也又还并即曾无因向到从称持驾擅私违不没所经承签负担作涉拒")
# Words ending a place or an organisation: a "name" followed by one of these is not a person.
_PLACE_OR_ORG_TAIL = set("省市区县镇乡村街路道巷弄桥山湖江河港湾岛园店厂局所站处科队院校部行社会司馆楼庄屯堡坊")
_NAME_TAGS = ("nr", "nrfg", "nrt")
# Parts of speech of a word that a name never is (verbs, adverbs, prepositions, conjunctions...);
# nouns stay possible: 陆金宝 is cut 陆金|宝, 龙海 and 万里 are dictionary words too.
_NOT_NAME_TAGS = ("v", "d", "p", "c", "u", "f", "an", "ad", "e", "y", "o")


@lru_cache(maxsize=1)
def _surname_lengths() -> dict[str, int]:
    return {**{s: 1 for s in SURNAMES}, **{s: 2 for s in COMPOUND_SURNAMES}}


def _surname_at(text: str, i: int) -> int:
    """Length of the surname starting at text[i] (2 for 欧阳...), or 0."""
    if text[i : i + 2] in COMPOUND_SURNAMES:
        return 2
    return 1 if text[i : i + 1] in SURNAMES else 0


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class _Words:
    """jieba-rs segmentation of the text: word boundaries and person-name tags by position."""

    def __init__(self, text: str):
        self.starts: dict[int, tuple[str, str]] = {}
        pos = 0
        for word, tag in rjieba.tag(text):
            self.starts[pos] = (word, tag)
            pos += len(word)

    def word_at(self, i: int) -> tuple[str, str] | None:
        return self.starts.get(i)


def _given_length(text: str, start: int, words: _Words) -> int:
    """How many characters of given name follow the surname at `start` (1 or 2)."""
    if start >= len(text) or not _is_han(text[start]) or text[start] in "某":
        return 1 if start < len(text) and text[start] == "某" else 0
    second = start + 1
    if second >= len(text) or not _is_han(text[second]):
        return 1
    if text[second] == "某":
        return 2
    if text[second] in _STOP or text[second] in _PLACE_OR_ORG_TAIL and second + 1 < len(text):
        return 1
    word = words.word_at(second)
    if word is not None and len(word[0]) > 1 and not word[1].startswith("nr") and rjieba.has_word(word[0]):
        return 1  # the second character begins a dictionary word: 王五驾驶 -> 王五
    return 2


def _name_at(text: str, i: int, words: _Words) -> tuple[int, int, int] | None:
    surname = _surname_at(text, i)
    if not surname:
        return None
    here, given_word = words.word_at(i), words.word_at(i + surname)
    if here is not None and not here[1].startswith("nr"):
        if len(here[0]) > surname and rjieba.has_word(here[0]) and here[1].startswith(_NOT_NAME_TAGS):
            return None  # the "surname" starts a verb or an adverb: 安排, 高度重视
        if here[1] in ("p", "c") and given_word is not None and len(given_word[0]) > 1:
            return None  # a preposition or conjunction before a word: 向消费者, 和保安
    given = _given_length(text, i + surname, words)
    if not given:
        return None
    return i, i + surname + given, surname


def _list_after(text: str, span: tuple[int, int, int], words: _Words) -> list[tuple[int, int, int]]:
    """Names listed after a found name: 员工李晓明、赵丽和王五."""
    found = []
    end = span[1]
    while end < len(text) and text[end] in _LIST_SEPARATORS:
        nxt = _name_at(text, end + 1, words)
        if nxt is None or (text[end] in "，," and not _looks_listed(text, nxt)):
            break
        found.append(nxt)
        end = nxt[1]
    return found


def _looks_listed(text: str, span: tuple[int, int, int]) -> bool:
    """After a comma a name continues the list only when another separator or 等 follows it."""
    return span[1] < len(text) and text[span[1]] in "、和及与等"


def _quoted(text: str) -> set[int]:
    """Positions inside “”, 《》 or 「」: names of products, shops and laws, not of persons."""
    inside, depth = set(), 0
    for i, ch in enumerate(text):
        if ch in "“《「『":
            depth += 1
        elif ch in "”》」』":
            depth = max(0, depth - 1)
        elif depth:
            inside.add(i)
    return inside


def _common_word(word: str) -> bool:
    """A dictionary word frequent enough to be an ordinary noun that jieba happens to tag as a name."""
    if not rjieba.has_word(word):
        return False
    return rjieba.suggest_freq(word) > (40 if len(word) > 2 else 200)


def _tagged(text: str, words: _Words) -> list[tuple[int, int, int]]:
    found = []
    positions = sorted(words.starts)
    quoted = _quoted(text)
    for index, pos in enumerate(positions):
        word, tag = words.starts[pos]
        if tag not in _NAME_TAGS or not all(_is_han(c) for c in word) or pos in quoted or _common_word(word):
            continue
        if len(word) > 2 and word[-1] in _STOP and not rjieba.has_word(word):
            word = word[:-1]  # jieba joined the next word's first character: 钟秀兰系
        surname = _surname_at(text, pos)
        end = pos + len(word)
        if surname and len(word) == surname and index + 1 < len(positions):
            # jieba split the surname from the given name: 王|小明, 欧阳|娜娜
            nxt_word, nxt_tag = words.starts[positions[index + 1]]
            if nxt_tag in _NAME_TAGS and len(nxt_word) <= 2 and all(_is_han(c) for c in nxt_word):
                end += len(nxt_word)
        if not surname or not 2 <= end - pos <= 4 or end - pos == surname:
            continue
        following = words.word_at(end)
        if (
            text[end - 1] in _PLACE_OR_ORG_TAIL
            or (end < len(text) and text[end] in _PLACE_OR_ORG_TAIL)
            or (following is not None and (following[1] == "ns" or following[0][-1] in _PLACE_OR_ORG_TAIL))
        ):
            continue
        found.append((pos, end, surname))
    return found


def find(text: str) -> list[tuple[int, int, int]]:
    """(start, end, surname length) of every person's name recognised in folded text."""
    if not text or not any(_is_han(c) for c in text):
        return []
    words = _Words(text)
    spans: list[tuple[int, int, int]] = []
    for m in _AFTER_ROLE.finditer(text):
        span = _name_at(text, m.end(), words)
        if span:
            spans += [span, *_list_after(text, span, words)]
    for m in _CUE_AFTER.finditer(text):
        span = _name_at(text, m.start(), words)
        if span:
            spans.append(span)
    for span in _tagged(text, words):
        spans += [span, *_list_after(text, span, words)]
    return spans
