"""Browser journey: log in as the consultant, see Demo Retail, switch to English and back."""

from playwright.sync_api import expect

from .conftest import login
from .test_questionnaire import axe_serious


def test_consultant_sees_demo_retail_and_switches_language(page, live_server, demo, artifacts):
    login(page, live_server, "consultant@demo.test")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Mes organisations")).to_be_visible()
    page.get_by_role("link", name="Demo Retail").first.click()
    expect(page.get_by_role("heading", name="Demo Retail")).to_be_visible()
    page.screenshot(path=str(artifacts / "foundation-fr.png"), full_page=True)
    assert axe_serious(page) == []
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Demo Retail")).to_be_visible()
    expect(page.get_by_role("link", name="Rounds")).to_be_visible()
    page.screenshot(path=str(artifacts / "foundation-en.png"), full_page=True)
    page.goto(f"{live_server.url}/o/demo-retail/members/")
    assert axe_serious(page) == []
    page.get_by_role("button", name="FR").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_outsider_sees_nothing_of_demo_retail(page, live_server, demo):
    login(page, live_server, "outsider@demo.test")
    expect(page.get_by_role("heading", name="Mes organisations")).to_be_visible()
    assert "Demo Retail" not in page.content()
    response = page.goto(f"{live_server.url}/o/demo-retail/")
    assert response.status == 404
    assert "Demo Retail" not in page.content()
