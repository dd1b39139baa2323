"""Screenshots of the pages people judge a portal by, at desktop and phone widths, kept in test-artifacts/.

Each page is also checked for what must hold at that width: nothing wider than the screen, and at
phone width a navigation that is folded (the first screen shows the page, not the menu).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import License, Subject, SubjectKind
from portal.visibility import public_filter
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import sign_in

WIDTHS = (1366, 390)


def _subject_ref(live_server) -> str:
    with live_server.app.app_context():
        return db.session.scalar(
            select(Subject.uscc)
            .join(License, License.subject_id == Subject.id)
            .where(Subject.kind == SubjectKind.ORGANISATION, public_filter(License, clock.today()))
            .limit(1)
        )


def _shoot(page, name: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} at {width}px is {overflow}px wider than the screen"


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_public_pages(new_page, live_server, width):
    page = new_page(width=width)
    ref = _subject_ref(live_server)
    for name, path in (
        ("home", "/"),
        ("search", f"/search?q={ref[:8]}"),
        ("credit-file", f"/subjects/{ref}"),
        ("commitment-form", "/commitments/new"),
    ):
        page.goto(path)
        if width < 600:
            # The folded menu leaves the page's heading on the first screen.
            expect(page.locator(".nav-bar")).to_be_hidden()
            expect(page.locator(".nav-menu summary")).to_be_visible()
            assert page.locator("main").bounding_box()["y"] < 200, name
        _shoot(page, name, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshot_of_the_back_office(new_page, width):
    page = sign_in(new_page(width=width), "admin")
    _shoot(page, "admin", width)
    page.goto("/admin/accounts")
    if width < 600:
        expect(page.locator("nav.admin-bar")).to_be_hidden()
        expect(page.locator("details.admin-menu summary")).to_be_visible()
        assert page.get_by_role("heading", level=1).bounding_box()["y"] < 350
    _shoot(page, "admin-accounts", width)
