"""Cleaning of imported cell text and normalisation of names for matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_EXCEL_ESCAPE = re.compile(r"_x000[dDaA]_")
_SPACES = re.compile(r"[\s\u00a0\u3000\ufeff]+")
_NAME_DROP = re.compile(r"[\W_]+", re.UNICODE)


def clean_cell(value) -> str:
    """Trim Excel artefacts (_x000D_, NBSP, full-width spaces, stray newlines) from a cell."""
    if value is None:
        return ""
    text = str(value)
    # Fast path for the common clean cell: printable, no Excel escape, no doubled spaces.
    if text.isprintable() and "_x000" not in text and "  " not in text:
        return text.strip()
    text = _EXCEL_ESCAPE.sub("\n", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=1)
def _to_simplified() -> dict[int, str]:
    """Character table traditional -> simplified, from zhconv's maintained dictionary."""
    from zhconv import zhconv

    zhconv.loaddict()
    return str.maketrans({k: v for k, v in zhconv.zhcdicts["zh2Hans"].items() if len(k) == 1 and len(v) == 1})


def fold_char(ch: str) -> str:
    """One character folded like `fold` (width and traditional form; case kept)."""
    return unicodedata.normalize("NFKC", ch).translate(_to_simplified())


def fold(text: str) -> str:
    """Width, case and traditional characters folded; punctuation kept (for free text)."""
    return unicodedata.normalize("NFKC", text or "").casefold().translate(_to_simplified())


def normalise_name(name: str) -> str:
    """Fold width, case, brackets, spaces, punctuation and traditional characters so that variants match."""
    return _NAME_DROP.sub("", fold(name))
