"""Every picture in an article says what it shows (WCAG 1.1.1, GB/T 37668): an image with a source
needs a non-blank alt text."""

from __future__ import annotations

from html.parser import HTMLParser


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.undescribed = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        # An <img> whose source the cleaner removed shows nothing and needs no description.
        if tag == "img" and values.get("src") and not (values.get("alt") or "").strip():
            self.undescribed += 1


def undescribed_images(html: str | None) -> int:
    """How many images of the body have no description."""
    parser = _Images()
    parser.feed(html or "")
    parser.close()
    return parser.undescribed
