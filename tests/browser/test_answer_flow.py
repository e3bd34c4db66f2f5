"""Browser journeys of issue #15 on a phone (390 × 844) and a desktop (1440 × 900): a respondent answers a
whole round one question per screen with the keyboard only, then with taps only, goes back without
losing anything, reviews and submits; a refused answer puts the focus on the error summary.

A small framework (two dimensions of two questions, two RACI activities, one context question) keeps
a whole round short. Assertions read ids and data attributes, not interface wording, so they hold in
French and in English. Screenshots go to test-artifacts/screens/ (SCREENS_SHOTS overrides it).
"""

import copy
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import login

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
PASSWORD = "Small-round-pass-1"  # noqa: S105 — a test account
KEYS = ["S1.1", "S1.2", "S2.1", "S2.2"]


@pytest.fixture
def shots(artifacts):
    folder = Path(os.environ.get("SCREENS_SHOTS") or artifacts / "screens")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def small_round(transactional_db):
    """An open round of a four-question framework, with one respondent."""
    from accounts.models import User
    from assessments import services
    from assessments.frameworks.loader import export_document, import_document
    from assessments.models import Framework, RoundStatus
    from organisations.models import Membership, Organisation, Role

    doc = copy.deepcopy(export_document(Framework.objects.get(key="cx-governance", version="1.0")))
    doc["key"], doc["version"] = "cx-small", "1.0"
    doc["dimensions"] = doc["dimensions"][:2]
    for i, dimension in enumerate(doc["dimensions"], start=1):
        dimension["key"] = f"S{i}"
        dimension["questions"] = [{**q, "key": f"S{i}.{j}"} for j, q in enumerate(dimension["questions"][:2], start=1)]
    doc["raci"]["activities"] = doc["raci"]["activities"][:2]
    doc["context"] = (doc.get("context") or [])[:1]
    framework = import_document(doc)
    organisation = Organisation.objects.create(name="Petite Maison", slug="petite")
    facilitator = User.objects.create_user(email="facilitator@petite.test", password=PASSWORD)
    Membership.objects.create(user=facilitator, organisation=organisation, role=Role.FACILITATOR)
    user = User.objects.create_user(email="exec@petite.test", password=PASSWORD, full_name="Claire Exec")
    Membership.objects.create(user=user, organisation=organisation, role=Role.RESPONDENT)
    round_ = services.round_create(organisation=organisation, user=facilitator, framework=framework, title="Pulse 2026")
    services.participant_invite(round_=round_, email=user.email, function="cmo")
    round_.status = RoundStatus.OPEN
    round_.save()
    return round_


def answers_of(round_):
    from assessments.models import Answer

    return {
        a.question.key: (a.level, a.comment) for a in Answer.objects.filter(participant__round=round_).select_related("question")
    }


def start(browser, live_server, viewport, *, touch=False):
    context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone", has_touch=touch)
    page = context.new_page()
    login(page, live_server, "exec@petite.test", PASSWORD)
    return context, page


def base(live_server, round_):
    return f"{live_server.url}/o/petite/rounds/{round_.pk}/answer/"


def axe_violations(page):
    # evaluate() runs through the DevTools protocol, so the page's strict CSP does not block axe.
    page.evaluate(AXE)
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result]


def assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def tab_until(page, selector, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the keyboard")


def on_question(page, key):
    expect(page).to_have_url(re.compile(rf"/answer/q/{re.escape(key)}/"))
    expect(page.locator("[data-cx-question-flow]")).to_be_visible()
    page.wait_for_load_state()  # the keys are handled by a deferred script


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_keyboard_only_round(browser, live_server, small_round, viewport, shots):
    context, page = start(browser, live_server, viewport)
    page.goto(base(live_server, small_round))
    # The welcome: the organisation, the round and the privacy notice, then Start.
    expect(page.locator("[data-cx-welcome]")).to_contain_text("Petite Maison")
    expect(page.locator("#privacy-title")).to_be_visible()
    page.screenshot(path=str(shots / f"welcome-{viewport}.png"), full_page=True)
    assert axe_violations(page) == []
    tab_until(page, "[data-cx-start]")
    page.keyboard.press("Enter")

    # S1.1: a level by its number, Enter for the next question.
    on_question(page, "S1.1")
    page.keyboard.press("3")
    expect(page.locator("#q-S1-1-l3")).to_be_checked()
    expect(page.locator("#q-S1-1-status")).to_contain_text("✓")
    expect(page.locator("[data-cx-progress]")).to_have_attribute("aria-valuenow", "1")
    page.screenshot(path=str(shots / f"question-{viewport}.png"), full_page=False)
    assert axe_violations(page) == []
    assert_fits(page)
    page.keyboard.press("Enter")

    # S1.2: don't know with D, and a comment reached with Tab (typing digits there chooses nothing).
    on_question(page, "S1.2")
    page.keyboard.press("d")
    expect(page.locator("#q-S1-2-dk")).to_be_checked()
    tab_until(page, ".cx-flow-note summary")
    page.keyboard.press("Enter")  # opens "add a comment"
    tab_until(page, "#q-S1-2-comment")
    page.keyboard.type("Budget 2 fois revu")
    expect(page.locator("#q-S1-2-dk")).to_be_checked()  # the 2 went into the comment
    page.keyboard.press("Tab")  # to the evidence link; Enter there goes to the next question
    page.keyboard.press("Enter")

    # S2.1, then back: S1.2 kept its answer and its comment.
    on_question(page, "S2.1")
    page.keyboard.press("5")
    tab_until(page, "button[value=previous]")
    page.keyboard.press("Enter")
    on_question(page, "S1.2")
    expect(page.locator("#q-S1-2-dk")).to_be_checked()
    expect(page.locator("#q-S1-2-comment")).to_have_value("Budget 2 fois revu")
    page.keyboard.press("Enter")
    on_question(page, "S2.1")
    expect(page.locator("#q-S2-1-l5")).to_be_checked()
    page.keyboard.press("Enter")

    # S2.2: a refused link puts the focus on the summary at the top, whose link leads to the field.
    on_question(page, "S2.2")
    page.keyboard.press("1")
    tab_until(page, ".cx-flow-note summary")
    page.keyboard.press("Enter")
    tab_until(page, "#q-S2-2-evidence")
    page.keyboard.type("intranet/charte")
    page.keyboard.press("Enter")
    summary = page.locator("[data-cx-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    page.screenshot(path=str(shots / f"question-error-{viewport}.png"), full_page=False)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#q-S2-2-evidence")).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("https://intranet.example/charte")
    page.keyboard.press("Enter")

    # Governance with the keyboard: each select by its arrow keys, then Save and continue.
    expect(page).to_have_url(re.compile(r"/answer/governance/"))
    for select in page.locator("main form select").all():
        name = select.get_attribute("name")
        tab_until(page, f"select[name='{name}']")
        page.keyboard.press("ArrowDown")
        expect(page.locator(f"#{name}-status")).to_contain_text("✓")
    tab_until(page, "main form[novalidate] button[type=submit]")
    page.keyboard.press("Enter")

    # Review: every answer with its level and comment; submit with the keyboard; the end screen.
    expect(page).to_have_url(re.compile(r"/answer/review/"))
    expect(page.locator(".cx-review-item[id^=rv-q-]")).to_have_count(4)
    expect(page.locator("#rv-q-S1-1")).to_contain_text("3 ·")
    expect(page.locator("#rv-q-S1-2")).to_contain_text("Budget 2 fois revu")
    expect(page.locator("#rv-q-S2-2")).to_contain_text("https://intranet.example/charte")
    expect(page.locator("[data-cx-missing]")).to_have_count(0)
    page.screenshot(path=str(shots / f"review-{viewport}.png"), full_page=True)
    assert axe_violations(page) == []
    assert_fits(page)
    tab_until(page, "form[data-cx-once] button[type=submit]", limit=120)
    page.keyboard.press("Enter")
    expect(page.locator("[data-cx-done]")).to_be_visible()
    page.screenshot(path=str(shots / f"done-{viewport}.png"), full_page=True)
    assert axe_violations(page) == []

    assert answers_of(small_round) == {
        "S1.1": (3, ""),
        "S1.2": (None, "Budget 2 fois revu"),
        "S2.1": (5, ""),
        "S2.2": (1, ""),
    }
    assert small_round.participants.get().submitted_at is not None
    context.close()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_taps_only_round(browser, live_server, small_round, viewport, shots):
    context, page = start(browser, live_server, viewport, touch=True)
    page.goto(base(live_server, small_round))
    page.locator("[data-cx-start]").tap()
    levels = {"S1.1": "2", "S1.2": "4", "S2.1": "dk", "S2.2": "3"}
    for key, value in levels.items():
        on_question(page, key)
        domid = key.replace(".", "-")
        suffix = "dk" if value == "dk" else f"l{value}"
        if key == "S1.1" and viewport == "phone":
            # A short title expands to the whole description on tap.
            more = page.locator(".cx-flow-more").first
            expect(more.locator("p")).to_be_hidden()
            more.locator("summary").tap()
            expect(more.locator("p")).to_be_visible()
            page.screenshot(path=str(shots / f"question-expanded-{viewport}.png"), full_page=False)
        elif key == "S1.1":
            # A wide screen shows the whole descriptions at once.
            expect(page.locator(".cx-flow-full").first).to_be_visible()
            expect(page.locator(".cx-flow-more").first).to_be_hidden()
        page.locator(f"label[for=q-{domid}-{suffix}]").tap()
        expect(page.locator(f"#q-{domid}-status")).to_contain_text("✓")
        if key == "S1.2":
            page.locator(".cx-flow-note summary").tap()
            page.locator("#q-S1-2-comment").tap()
            page.locator("#q-S1-2-comment").fill("Vu au comité")
            # Back without waiting for the autosave: the comment goes with the button.
            page.locator("button[value=previous]").tap()
            on_question(page, "S1.1")
            expect(page.locator("#q-S1-1-l2")).to_be_checked()
            page.locator("[data-cx-next]").tap()
            on_question(page, "S1.2")
            expect(page.locator("#q-S1-2-l4")).to_be_checked()
            expect(page.locator("#q-S1-2-comment")).to_have_value("Vu au comité")
        assert_fits(page)
        page.locator("[data-cx-next]").tap()
    expect(page).to_have_url(re.compile(r"/answer/governance/"))
    for select in page.locator("main form select").all():
        select.select_option(index=1)
    page.screenshot(path=str(shots / f"governance-{viewport}.png"), full_page=True)
    page.locator("main form[novalidate] button[type=submit]").tap()

    # From the review, change one answer and come back to it.
    expect(page).to_have_url(re.compile(r"/answer/review/"))
    page.locator("#rv-q-S2-1 .cx-review-change").tap()
    on_question(page, "S2.1")
    page.locator("label[for=q-S2-1-l1]").tap()
    page.locator("button[value=review]").tap()
    expect(page).to_have_url(re.compile(r"/answer/review/"))
    expect(page.locator("#rv-q-S2-1")).to_contain_text("1 ·")
    page.locator("form[data-cx-once] button[type=submit]").tap()
    expect(page.locator("[data-cx-done]")).to_be_visible()
    assert answers_of(small_round) == {"S1.1": (2, ""), "S1.2": (4, "Vu au comité"), "S2.1": (1, ""), "S2.2": (3, "")}
    context.close()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_dimension_page_error_summary_takes_the_focus(browser, live_server, small_round, viewport, shots):
    """Bug 2 of the walkthrough: the error after "Save and continue" was 2,500 px down with nothing at the top."""
    context, page = start(browser, live_server, viewport)
    page.goto(base(live_server, small_round))
    # The respondent prefers a whole dimension per page: the choice sticks on this device.
    page.locator("form[action$='/answer/mode/'] button").click()
    expect(page).to_have_url(re.compile(r"/answer/S1/$"))
    page.goto(base(live_server, small_round))
    expect(page).to_have_url(re.compile(r"/answer/S1/$"))
    page.locator("#q-S1-2-title").scroll_into_view_if_needed()
    page.locator("label[for=q-S1-2-l2]").click()
    page.locator("#q-S1-2-fieldset ~ details summary").first.click()
    page.fill("#q-S1-2-evidence", "pas-un-lien")
    page.locator("form.cx-questionnaire button.btn-primary[type=submit]").click()
    summary = page.locator("[data-cx-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert page.evaluate("window.scrollY") < 400
    page.screenshot(path=str(shots / f"dimension-error-{viewport}.png"), full_page=False)
    summary.locator("a").first.click()
    expect(page.locator("#q-S1-2-evidence")).to_be_focused()
    expect(page.locator("#q-S1-2-evidence")).to_be_in_viewport()
    # Back to one question per screen from the dimension page.
    page.locator("form[action$='/answer/mode/'] button").click()
    on_question(page, "S1.1")
    context.close()
