"""适老化 mode, safe redirects and the markup that keyboards, screen readers and phones rely on."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests import public_scenario as sc

CSS = Path(__file__).resolve().parents[1] / "static" / "portal.css"
ONE_YEAR = 365 * 24 * 3600


@pytest.fixture
def world(runner, app_ctx, tmp_path):
    return sc.build(runner, tmp_path)


def body_class(client, url: str = "/") -> str | None:
    match = re.search(r"<body([^>]*)>", client.get(url).get_data(as_text=True))
    found = re.search(r'class="([^"]*)"', match[1])
    return found[1] if found else None


def test_elder_mode_cookie_roundtrip(client, app_ctx):
    assert body_class(client) is None
    response = client.get("/accessibility?mode=elder&next=/licenses?category=%E6%99%AE%E9%80%9A")
    assert response.status_code == 302
    assert response.headers["Location"] == "/licenses?category=%E6%99%AE%E9%80%9A"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("a11y=elder;") and f"Max-Age={ONE_YEAR}" in cookie and "SameSite=Lax" in cookie
    assert client.get_cookie("a11y").value == "elder"
    assert body_class(client, "/licenses") == "elder"
    assert "切换到标准版" in client.get("/repair").get_data(as_text=True)

    response = client.get("/accessibility?mode=standard&next=/repair")
    assert response.headers["Location"] == "/repair"
    assert client.get_cookie("a11y") is None
    assert body_class(client, "/repair") is None


def test_switch_link_returns_to_the_current_page(client, app_ctx):
    html = client.get("/penalties?category=罚款").get_data(as_text=True)
    link = re.search(r'<a class="a11y-switch" href="([^"]+)"', html)[1].replace("&amp;", "&")
    response = client.get(link)
    assert response.headers["Location"] == "/penalties?category=%E7%BD%9A%E6%AC%BE"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "http:/evil.example",
        "",
    ],
)
def test_redirect_stays_on_this_site(client, app_ctx, target):
    response = client.get("/accessibility", query_string={"mode": "elder", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_css_has_focus_styles_large_type_and_a_phone_layout():
    css = CSS.read_text(encoding="utf-8")
    assert ":focus-visible" in css and "outline" in css
    sizes = [int(px) for px in re.findall(r"body\.elder[^{]*\{[^}]*font-size:\s*(\d+)px", css)]
    assert sizes and min(sizes) >= 20
    assert "@media (max-width" in css


class Markup(HTMLParser):
    """Collects what the checks below need from one page."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.fields: list[str | None] = []
        self.labels: set[str] = set()
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.fields.append(attrs.get("id"))
        elif tag == "label":
            self.labels.add(attrs.get("for"))
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th" and "scope" not in attrs:
            self.th_without_scope += 1


def test_pages_have_landmarks_labels_and_accessible_tables(client, world):
    urls = [
        "/",
        "/licenses",
        "/penalties",
        "/lists/black",
        "/lists/red",
        "/commitments",
        "/repair",
        "/objection",
        "/articles",
        f"/penalties/{world.penalties[sc.CURRENT]}",
        f"/licenses/{world.licenses[sc.LICENSE_OTHER]}",
        f"/subjects/{sc.YINZHOU_USCC}",
        f"/subjects/{world.person.public_id}",
    ]
    for url in urls:
        markup = Markup()
        markup.feed(client.get(url).get_data(as_text=True))
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in markup.tags, (url, landmark)
        assert all(field and field in markup.labels for field in markup.fields), (url, markup.fields)
        assert markup.tables == markup.captions, url
        assert markup.th_without_scope == 0, url
