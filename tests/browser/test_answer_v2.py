"""A framework 2.0 round on a phone (390 × 844), by taps: the first question of a dimension with its
introduction, level titles, a confidence and the dimension's importance (each autosaved); a question
whose rule holds offers « Sans objet », autosaved at once; the review reads the confidence and the
importance back. Nothing scrolls sideways and axe finds nothing.

Assertions read ids, not interface wording, so they hold in French and in English.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login
from .test_answer_flow import assert_fits, axe_violations

PASSWORD = "Bank-two-pass-1"  # noqa: S105 — a test account
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def round_v2(transactional_db):
    """An open 2.0 round with one respondent whose company has no partner serving its customers."""
    from accounts.models import User
    from assessments import services
    from assessments.models import ContextQuestion, Framework, RoundStatus
    from organisations.models import Membership, Organisation, Role

    framework = Framework.objects.get(key="cx-governance", version="2.0")
    organisation = Organisation.objects.create(name="Maison Deux", slug="deux")
    facilitator = User.objects.create_user(email="facilitator@deux.test", password=PASSWORD)
    Membership.objects.create(user=facilitator, organisation=organisation, role=Role.FACILITATOR)
    user = User.objects.create_user(email="exec@deux.test", password=PASSWORD, full_name="Claire Exec")
    Membership.objects.create(user=user, organisation=organisation, role=Role.RESPONDENT)
    round_ = services.round_create(organisation=organisation, user=facilitator, framework=framework, title="Bilan 2.0")
    services.participant_invite(round_=round_, email=user.email, function="cmo")
    round_.status = RoundStatus.OPEN
    round_.save()
    participant = round_.participants.get(user=user)
    question = ContextQuestion.objects.get(framework=framework, key="networks_outsourcing")
    services.context_answer_save(participant=participant, question=question, choice="none")
    return round_


def test_a_2_0_round_on_a_phone(browser, live_server, round_v2, artifacts):
    from assessments.models import Answer, DimensionImportance

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, live_server, "exec@deux.test", PASSWORD)
    base = f"{live_server.url}/o/deux/rounds/{round_v2.pk}/answer/"
    page.goto(base + "welcome/")
    page.goto(base + "q/D1.1/")
    expect(page.locator("#dimension-intro")).to_be_visible()
    page.locator("label[for=q-D1-1-l3]").tap()
    expect(page.locator("#q-D1-1-status")).to_contain_text("✓")
    page.select_option("#q-D1-1-confidence", "high")
    expect(page.locator("#q-D1-1-confidence-loaded")).to_have_value("high")
    page.select_option("#importance-D1", "3")
    # Autosaved alone, before any Next: the page's "as loaded" value follows.
    expect(page.locator("#importance-D1-status")).to_contain_text("✓")
    expect(page.locator("#importance-D1-loaded")).to_have_value("3")
    assert DimensionImportance.objects.get(participant__round=round_v2, dimension__key="D1").importance == 3
    assert_fits(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "answer-v2-first-question-phone.png"), full_page=True)
    page.locator("button[data-cx-next]").tap()
    expect(page).to_have_url(re.compile(r"/answer/q/D1\.2/"))
    answer = Answer.objects.get(participant__round=round_v2, question__key="D1.1")
    assert (answer.level, answer.confidence) == (3, "high")
    assert DimensionImportance.objects.get(participant__round=round_v2, dimension__key="D1").importance == 3

    page.goto(base + "q/D3.6/")
    page.locator("label[for=q-D3-6-na]").tap()
    expect(page.locator("#q-D3-6-status")).to_contain_text("✓")
    assert Answer.objects.get(participant__round=round_v2, question__key="D3.6").not_applicable
    assert_fits(page)
    assert axe_violations(page) == []

    # The review reads back the confidence and the importance, on the phone's width.
    page.goto(base + "review/")
    expect(page.locator("#rv-importance-D1 strong")).to_contain_text("3")
    expect(page.locator("#rv-q-D1-1 .cx-review-confidence")).to_be_visible()
    assert_fits(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "answer-v2-review-phone.png"), full_page=True)
    context.close()
