"""Browser: the projector view updates while a participant answers on a phone; consensus with the keyboard once closed."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login
from .test_questionnaire import PHONE, axe_serious

PROJECTOR = {"width": 1280, "height": 800}


@pytest.fixture
def pulse_round(open_demo_round):
    return open_demo_round


def csp_watch(page):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None)
    return problems


def test_workshop_view_updates_when_a_participant_answers_elsewhere(browser, live_server, pulse_round, artifacts):
    projector = browser.new_context(viewport=PROJECTOR)
    screen = projector.new_page()
    blocked = csp_watch(screen)
    login(screen, live_server, "consultant@demo.test")
    screen.goto(f"{live_server.url}/o/demo-retail/rounds/{pulse_round.pk}/workshop/")
    expect(screen.get_by_role("heading", name="D1 · Stratégie et vision CX")).to_be_visible()
    count = screen.locator("table[data-cx-distribution='D1.1'] tr[data-level='4'] td.cx-dist-count")
    expect(count).to_have_text("0")

    phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    login(phone, live_server, "respondent1@demo.test")
    phone.goto(f"{live_server.url}/o/demo-retail/rounds/{pulse_round.pk}/answer/D1/")
    phone.click("label[for=q-D1-1-l4]")
    expect(phone.locator("#q-D1-1-status")).to_contain_text("Enregistré")

    # Polling every 2 s: the projector shows the new answer without a reload (generous timeout for slow CI).
    expect(count).to_have_text("1", timeout=15_000)
    screen.screenshot(path=str(artifacts / "workshop-live.png"), full_page=False)
    assert axe_serious(screen) == []
    screen.keyboard.press("ArrowRight")
    expect(screen).to_have_url(re.compile(r"/workshop/D2/$"))
    expect(screen.get_by_role("heading", name=re.compile(r"^D2 · "))).to_be_visible()
    screen.keyboard.press("ArrowLeft")
    expect(screen).to_have_url(re.compile(r"/workshop/D1/$"))
    assert blocked == []
    phone_context.close()
    projector.close()


def test_consensus_with_the_keyboard_once_closed(browser, live_server, pulse_round, artifacts):
    from assessments import services
    from assessments.models import Consensus

    services.round_transition(round_=pulse_round, to="closed")
    context = browser.new_context(viewport=PROJECTOR)
    screen = context.new_page()
    blocked = csp_watch(screen)
    login(screen, live_server, "consultant@demo.test")
    screen.goto(f"{live_server.url}/o/demo-retail/rounds/{pulse_round.pk}/workshop/D1/")
    first = screen.locator("#wq-D1-1")
    expect(first).to_be_focused()  # the first question has the focus: keys apply at once
    screen.keyboard.press("3")
    expect(screen.locator("#wq-D1-1-c3")).to_be_checked()
    screen.keyboard.press("Enter")
    expect(screen.locator("#wq-D1-1 .cx-wq-status")).to_contain_text("✓", timeout=10_000)
    expect(screen.locator("#wq-D1-1")).to_be_focused()
    screen.keyboard.press("ArrowDown")
    expect(screen.locator("#wq-D1-2")).to_be_focused()
    screen.keyboard.press("5")
    screen.locator("#wq-D1-2-rationale").fill("Everyone agrees after the discussion")
    screen.locator("#wq-D1-2-rationale").press("Enter")  # Enter in the rationale submits too
    expect(screen.locator("#wq-D1-2 .cx-wq-consensus")).to_contain_text("Everyone agrees", timeout=10_000)
    levels = dict(Consensus.objects.filter(round=pulse_round).values_list("question__key", "level"))
    assert levels == {"D1.1": 3, "D1.2": 5}
    screen.screenshot(path=str(artifacts / "workshop-consensus.png"), full_page=False)
    assert axe_serious(screen) == []
    assert blocked == []
    context.close()
