"""Marking the query's words in displayed text, matching the way search folds text."""

from __future__ import annotations

from markupsafe import Markup, escape

from portal.rules.text import fold
from portal.search.query import text_segments


def highlight(text: str | None, query: str) -> Markup:
    """Escape `text` and wrap each occurrence of the query's words in <mark>."""
    if not text:
        return Markup("")
    folded = fold(text)
    words = sorted(set(text_segments(fold(query))), key=len, reverse=True)
    if len(folded) != len(text) or not words:
        return escape(text)
    marked = [False] * len(text)
    for word in words:
        start = folded.find(word)
        while start != -1:
            for i in range(start, start + len(word)):
                marked[i] = True
            start = folded.find(word, start + 1)
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        piece = escape(text[i:j])
        out.append(Markup("<mark>{}</mark>").format(piece) if marked[i] else piece)
        i = j
    return Markup("").join(out)


def matches(text: str | None, query: str) -> bool:
    """Whether `text` holds one of the query's words (what `highlight` marks): the reason a result is shown."""
    folded = fold(text or "")
    return any(word in folded for word in text_segments(fold(query)))
