"""The executive mirror on a phone (390 × 844, issue #18): a participant of the demo round reads their own
figures, with no sideways scroll and no accessibility violation; the facilitator opens one from the round page."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login
from .crawl import axe_violations

PHONE = {"width": 390, "height": 844}


def test_a_participant_reads_their_mirror_on_a_phone(browser, live_server, demo, artifacts):
    from assessments.models import Round

    round_ = Round.objects.get(organisation__slug="demo-retail")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    # Sales: the most optimistic function of the demo, 2 levels or more above the committee somewhere.
    login(page, live_server, "respondent7@demo.test")
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/")
    page.locator(f"a[href='/o/demo-retail/rounds/{round_.pk}/mirror/']").click()
    expect(page).to_have_url(re.compile(r"/mirror/$"))
    mirror = page.locator("[data-cx-mirror]")
    expect(mirror.locator("#mirror-D1")).to_be_visible()
    expect(mirror.locator("#mirror-outliers-title + ul li").first).to_be_visible()
    expect(mirror.locator(".badge").first).to_be_visible()  # the outlier is said in words, not by colour alone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "mirror-phone.png"), full_page=True)
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1440, "height": 900}], ids=["phone", "desktop"])
def test_the_facilitator_opens_a_participants_mirror(browser, live_server, demo, viewport):
    from assessments.models import Round

    round_ = Round.objects.get(organisation__slug="demo-retail")
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    login(page, live_server, "consultant@demo.test")
    page.goto(f"{live_server.url}/o/demo-retail/rounds/{round_.pk}/")
    page.locator("a[href*='/mirror/']").first.click()
    expect(page).to_have_url(re.compile(r"/mirror/\d+/$"))
    expect(page.locator("[data-cx-mirror] h2")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert axe_violations(page) == []
    context.close()
