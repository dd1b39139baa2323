"""The labelled sentences of tests/data/person_names.txt and the measure of name masking on them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data" / "person_names.txt"
_MARK = re.compile(r"【([^】]+)】")


@dataclass
class Sentence:
    text: str
    names: list[tuple[int, int]]  # spans in text


@dataclass
class Measure:
    names: int = 0
    hidden: int = 0  # every given-name character masked
    missed: list[str] = field(default_factory=list)
    sentences_with_false_masks: list[str] = field(default_factory=list)
    negative_sentences: int = 0
    negative_mangled: int = 0

    @property
    def recall(self) -> float:
        return self.hidden / self.names


def load(holdout: bool = False) -> tuple[list[Sentence], list[str]]:
    """The development set, or the held-out one (written after tuning, never tuned on)."""
    prefix = "holdout-" if holdout else ""
    positive, negative, section = [], [], None
    for line in DATA.read_text("utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif line and not line.startswith("#"):
            if section == prefix + "positive":
                names, text, cursor = [], "", 0
                for m in _MARK.finditer(line):
                    text += line[cursor : m.start()]
                    names.append((len(text), len(text) + len(m[1])))
                    text += m[1]
                    cursor = m.end()
                positive.append(Sentence(text + line[cursor:], names))
            elif section == prefix + "negative":
                negative.append(line)
    return positive, negative


def measure(mask, holdout: bool = False) -> Measure:
    positive, negative = load(holdout)
    result = Measure()
    for s in positive:
        out = mask(s.text)
        assert len(out) == len(s.text), (s.text, out)
        inside = set()
        for start, end in s.names:
            result.names += 1
            chars = [i for i in range(start + 1, end) if not s.text[i].isspace()]
            # a compound surname may stay: the name's last character must be hidden, and all but 2 of it
            if all(out[i] == "*" for i in chars[-(len(chars) - 1) :] if chars) and out[chars[-1]] == "*":
                result.hidden += 1
            else:
                result.missed.append(f"{s.text[start:end]} → {out[start:end]}")
            inside.update(range(start, end))
        if any(c == "*" and i not in inside for i, c in enumerate(out)):
            result.sentences_with_false_masks.append(out)
    for text in negative:
        result.negative_sentences += 1
        if mask(text) != text:
            result.negative_mangled += 1
            result.sentences_with_false_masks.append(mask(text))
    return result
