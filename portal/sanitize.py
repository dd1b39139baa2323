"""The one sanitising function for rich text (article bodies): an explicit allow-list, through nh3.

nh3 binds ammonia, a maintained Rust HTML sanitiser that parses like a browser does. bleach, the
usual Python choice, is deprecated: its maintainers no longer release it, security fixes included.

Everything not listed here is removed: <script>, <style>, <iframe>, <object>, forms and their
content; every on* handler, style and class attribute; links other than http, https and mailto
(and relative ones); images other than the portal's own media URL (/media/...), so no data: or
remote images. Links get rel="noopener noreferrer".
"""

from __future__ import annotations

import re

import nh3

MEDIA_PREFIX = "/media/"

TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "small",
        "blockquote",
        "pre",
        "code",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "a",
        "img",
        "figure",
        "figcaption",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "span",
        "div",
    }
)

ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}

URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Removed together with everything inside them (not just the tags).
DROP_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select", "svg", "math"}
)

# Our own stored images: /media/<random name>.<png|jpg>, nothing else.
OWN_IMAGE = re.compile(r"/media/[0-9a-f]{32}\.(?:png|jpg)")
_NUMBER = re.compile(r"^\d{1,4}$")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if OWN_IMAGE.fullmatch(value.strip()) else None
    if attribute in ("width", "height", "colspan", "rowspan", "start"):
        return value if _NUMBER.match(value.strip()) else None
    return value


def clean_html(html: str | None) -> str:
    """Rich text safe to render unescaped: call it on every body before storing it."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
