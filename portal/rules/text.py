"""Cleaning of imported cell text and normalisation of names for matching."""
from __future__ import annotations

import re
import unicodedata

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


def normalise_name(name: str) -> str:
    """Fold width, case, brackets, spaces and punctuation so that variants of one name match."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return _NAME_DROP.sub("", folded)
