"""What a search query means: checked, normalised, split into bigrams."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.rules import company_names, uscc
from portal.rules.text import fold, normalise_name

MIN_LENGTH = 2
MAX_LENGTH = 60
_ONLY_WILDCARDS = re.compile(r"^[\s*?%_.\-+~^!\"'`|\\/()\[\]{}<>]*$")
# 文书号 as people type them: 〔2024〕, [2024], (2024) all mean the same.
_DOC_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")", "﹝": "(", "﹞": ")"})


class QueryError(ValueError):
    """The query is refused; the message is shown to the user."""


_SEGMENTS = re.compile(r"[\W_]+")


def bigrams(text: str) -> list[str]:
    """Overlapping character bigrams: 恒达建筑 -> 恒达, 达建, 建筑."""
    return [text[i : i + 2] for i in range(len(text) - 1)] if len(text) > 1 else ([text] if text else [])


def text_segments(folded: str) -> list[str]:
    """Runs of word characters of 2 or more: what a full-text query must contain."""
    return [segment for segment in _SEGMENTS.split(folded) if len(segment) > 1]


def text_bigrams(folded: str) -> list[str]:
    """Bigrams of free text, segment by segment: none across punctuation or spaces."""
    return [bg for segment in text_segments(folded) for bg in bigrams(segment)]


def index_tokens(folded: str) -> list[str]:
    """Positional tokens of text: each segment's bigrams, then its last character alone.

    The trailing single character keeps a phrase of bigrams from running across two segments:
    bigrams of one query word are adjacent in the index only where the word occurs in one segment.
    """
    return [segment[i : i + 2] for segment in text_segments(folded) for i in range(len(segment))]


def phrase(word: str) -> str:
    """An FTS5 phrase of the word's bigrams: matches exactly where the word occurs."""
    return '"' + " ".join(bigrams(word)) + '"'


def normalise_doc_no(doc_no: str) -> str:
    return "".join(fold(doc_no).translate(_DOC_BRACKETS).split())


@dataclass(frozen=True)
class SearchQuery:
    raw: str
    name: str  # normalised as names are
    doc_no: str
    code: str | None  # an 18-character USCC when the query is one

    text: str  # folded as record text is
    initials: str | None = None  # upper-case pinyin initials when the query is written as them (NBJG)

    @property
    def name_bigrams(self) -> list[str]:
        return list(dict.fromkeys(bigrams(self.name)))

    @property
    def text_bigrams(self) -> list[str]:
        return list(dict.fromkeys(text_bigrams(self.text)))

    @property
    def text_segments(self) -> list[str]:
        return text_segments(self.text)


def parse(raw: str | None) -> SearchQuery:
    text = (raw or "").strip()
    if not text or _ONLY_WILDCARDS.match(text):
        raise QueryError("请输入企业名称、统一社会信用代码、决定书文号或关键词进行查询")
    if len(text) > MAX_LENGTH:
        raise QueryError(f"查询词过长，请不超过{MAX_LENGTH}个字符")
    name = normalise_name(text)
    if len(name) < MIN_LENGTH:
        raise QueryError(f"查询词至少需要{MIN_LENGTH}个字符（标点、空格和通配符不计）")
    code = uscc.normalise(text)
    return SearchQuery(
        raw=text,
        name=name,
        doc_no=normalise_doc_no(text),
        text=fold(text),
        code=code if len(code) == 18 and uscc.is_valid(code) else None,
        initials=company_names.query_initials(text),
    )
