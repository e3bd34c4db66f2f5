"""The personal link on a phone: answer in one browser, open the same link in another, resume (issue #15)."""

import re
import time

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}


def _wait_for_answer(participant, key, level, timeout=10.0):
    """The autosave is asynchronous (htmx): wait until the answer is stored."""
    from assessments.models import Answer

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = Answer.objects.filter(participant=participant, question__key=key).first()
        if answer is not None and answer.level == level:
            return
        time.sleep(0.1)
    raise AssertionError(f"{key} was not saved as {level}")


def test_the_same_link_resumes_in_another_browser(browser, live_server, open_demo_round, artifacts):
    from assessments import services
    from assessments.models import Participant

    participant = Participant.objects.get(round=open_demo_round, user__email="respondent1@demo.test")
    link = f"{live_server.url}/r/{services.participant_new_link(participant)}/"

    first = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = first.new_page()
    phone.goto(link)
    phone.get_by_role("button", name=re.compile("^(Commencer|Start)$")).click()
    phone.wait_for_url(re.compile(rf"/rounds/{open_demo_round.pk}/answer/"))
    phone.goto(f"{live_server.url}/o/demo-retail/rounds/{open_demo_round.pk}/answer/D1/")
    phone.click("label[for=q-D1-1-l3]")
    _wait_for_answer(participant, "D1.1", 3)
    first.close()

    second = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    other = second.new_page()
    other.goto(link)  # the same link, a browser with no session at all
    resume = other.get_by_role("button", name=re.compile("^(Reprendre|Resume)$"))
    expect(resume).to_be_visible()
    expect(other.locator(".cx-questionnaire-card")).to_contain_text(re.compile(r"\b1\b\D+\b50\b"))
    assert other.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    other.screenshot(path=str(artifacts / "link-resume-phone.png"), full_page=True)
    resume.click()
    other.wait_for_url(re.compile(rf"/rounds/{open_demo_round.pk}/answer/"))
    other.goto(f"{live_server.url}/o/demo-retail/rounds/{open_demo_round.pk}/answer/D1/")
    expect(other.locator("#q-D1-1-l3")).to_be_checked()  # the answer given in the first browser is kept
    second.close()
