"""Guard against things that are not credit information (spec section 9).

Without a law that says so, petitions, demolition disputes, running red lights, uncivilised
dog-keeping, unpaid property fees and not sorting garbage must not enter a credit record.

The rule is about what the conduct is and who did it, not about a word appearing: each category of
overreach.toml lists the phrasings of the conduct, the phrases in which such a word only names the
source of a case (经信访举报), and the contexts that make a case lawful (selling dogs without a
quarantine certificate; a property-management company's charges). Every way information enters
(import rows, the back office's record and list forms, 违诺 records of commitments) asks `classify`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from portal.rules.text import fold

VOCABULARY = Path(__file__).with_name("overreach.toml")
# "*" in a phrase: up to 12 characters of the same clause (欠缴2023年至2024年物业管理费).
_GAP = r"[^，。；;,.！？!?、\n]{0,12}?"


@dataclass(frozen=True)
class Category:
    name: str
    conduct: tuple[re.Pattern, ...]
    source: tuple[re.Pattern, ...]
    lawful: tuple[re.Pattern, ...]
    lawful_for_organisations: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Finding:
    categories: tuple[str, ...]
    words: tuple[str, ...]  # the phrases of the text that triggered it

    @property
    def category(self) -> str:
        return "、".join(self.categories)

    @property
    def message(self) -> str:
        return refusal_message(self.category, self.words)


def _pattern(phrase: str) -> re.Pattern:
    return re.compile(_GAP.join(re.escape(fold(part)) for part in phrase.split("*")))


@lru_cache(maxsize=4)
def load(path: Path = VOCABULARY) -> tuple[Category, ...]:
    with path.open("rb") as f:
        data = tomllib.load(f)
    return tuple(
        Category(
            name=c["name"],
            **{
                key: tuple(_pattern(p) for p in c.get(key, ()))
                for key in ("conduct", "source", "lawful", "lawful_for_organisations")
            },
        )
        for c in data["category"]
    )


def _spans(patterns, text: str) -> list[tuple[int, int]]:
    return [m.span() for p in patterns for m in p.finditer(text)]


def classify(*texts: str | None, organisation: bool = False) -> Finding | None:
    """The forbidden category the texts describe and the words that show it, or None.

    `organisation`: the subject is an organisation or a business (not a natural person).
    """
    text = "\n".join(fold(t) for t in texts if t)
    if not text:
        return None
    found: list[tuple[str, tuple[str, ...]]] = []
    for category in load():
        sources = _spans(category.source, text)
        hits = [
            (s, e)
            for s, e in _spans(category.conduct, text)
            if not any(ss <= s and e <= se for ss, se in sources)  # the source of the case, not its conduct
        ]
        if not hits:
            continue
        if _spans(category.lawful, text):
            continue
        if organisation and _spans(category.lawful_for_organisations, text):
            continue
        words = tuple(dict.fromkeys(text[s:e] for s, e in sorted(hits)))
        # A shorter phrase inside a longer one that also matched says nothing more.
        found.append((category.name, tuple(w for w in words if not any(w != o and w in o for o in words))))
    if not found:
        return None
    return Finding(tuple(name for name, _ in found), tuple(w for _, words in found for w in words))


def forbidden_topic(*texts: str | None, organisation: bool = False) -> str | None:
    """The name of the (first) forbidden category the texts describe, or None."""
    finding = classify(*texts, organisation=organisation)
    return finding.categories[0] if finding else None


def refusal_message(topic: str, words: tuple[str, ...] = ()) -> str:
    trigger = f"（触发词：{'、'.join(words)}）" if words else ""
    return f"该记录涉及“{topic}”{trigger}，依据有关规定不属于公共信用信息，不得纳入信用记录"
