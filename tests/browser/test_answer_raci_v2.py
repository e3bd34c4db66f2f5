"""The as-is RACI of a 2.0 round on a phone (390 × 844), by taps (issue #17): two activities answered,
each tap autosaved (the A, then a role's letter), Next to the second; a role named A and also consulted
is refused next to it; the review reads the A and letters back. Nothing scrolls sideways and axe finds
nothing.

Assertions read ids, not interface wording, so they hold in French and in English.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import login
from .test_answer_flow import assert_fits, axe_violations

PASSWORD = "Raci-two-pass-1"  # noqa: S105 — a test account
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def round_v2(transactional_db):
    """An open 2.0 round with one respondent."""
    from accounts.models import User
    from assessments import services
    from assessments.models import Framework, RoundStatus
    from organisations.models import Membership, Organisation, Role

    framework = Framework.objects.get(key="cx-governance", version="2.0")
    organisation = Organisation.objects.create(name="Maison Raci", slug="raci")
    facilitator = User.objects.create_user(email="facilitator@raci.test", password=PASSWORD)
    Membership.objects.create(user=facilitator, organisation=organisation, role=Role.FACILITATOR)
    user = User.objects.create_user(email="exec@raci.test", password=PASSWORD, full_name="Claire Exec")
    Membership.objects.create(user=user, organisation=organisation, role=Role.RESPONDENT)
    round_ = services.round_create(organisation=organisation, user=facilitator, framework=framework, title="Bilan RACI")
    services.participant_invite(round_=round_, email=user.email, function="cmo")
    round_.status = RoundStatus.OPEN
    round_.save()
    return round_


def stored(round_, key):
    from assessments.models import RaciAnswer, RaciLetter

    a = RaciAnswer.objects.filter(participant__round=round_, activity__key=key).values_list("choice", flat=True).first()
    letters = dict(RaciLetter.objects.filter(participant__round=round_, activity__key=key).values_list("role", "letter"))
    return a, letters


def wait_stored(page, round_, key, expected):
    """The autosaves are queued (the last state wins): wait until the database holds what was tapped."""
    for _ in range(50):
        if stored(round_, key) == expected:
            return
        page.wait_for_timeout(100)
    assert stored(round_, key) == expected


def test_two_activities_answered_by_taps_on_a_phone(browser, live_server, round_v2, artifacts):
    from assessments import raci_catalogue

    first, second = (a.key for a in raci_catalogue.catalogue_for(round_v2).activities[:2])
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, live_server, "exec@raci.test", PASSWORD)
    base = f"{live_server.url}/o/raci/rounds/{round_v2.pk}/answer/"
    # The governance page lists the activities; the first one opens its screen.
    page.goto(base + "governance/")
    page.locator(f"#raci-row-{first} a").tap()
    expect(page).to_have_url(re.compile(rf"/answer/raci/{first}/"))
    expect(page.locator("#raci-a-def")).to_be_visible()
    expect(page.locator("#raci-rci-def")).to_be_visible()
    assert_fits(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "answer-raci-phone.png"), full_page=True)

    # The A, then two roles' letters: each tap saves the screen.
    page.locator("label[for=raci-a-cmo]").tap()
    expect(page.locator("#raci-status")).to_contain_text("✓")
    page.locator("label[for=raci-cmo-R]").tap()
    page.locator("label[for=raci-cfo-C]").tap()
    expect(page.locator("#raci-status")).to_contain_text("✓")
    wait_stored(page, round_v2, first, ("cmo", {"cmo": "R", "cfo": "C"}))
    # The A also consulted: refused next to the role, nothing changed.
    page.locator("label[for=raci-cmo-C]").tap()
    expect(page.locator("#raci-role-cmo-error")).not_to_be_empty()
    assert stored(round_v2, first) == ("cmo", {"cmo": "R", "cfo": "C"})
    page.locator("label[for=raci-cmo-R]").tap()
    expect(page.locator("#raci-role-cmo-error")).to_be_empty()
    expect(page.locator("#raci-status")).to_contain_text("✓")
    assert_fits(page)

    page.locator("button[data-cx-next]").tap()
    expect(page).to_have_url(re.compile(rf"/answer/raci/{second}/"))
    page.locator("label[for=raci-a-nobody]").tap()
    expect(page.locator("#raci-status")).to_contain_text("✓")
    page.locator("label[for=raci-service-R]").tap()
    expect(page.locator("#raci-status")).to_contain_text("✓")
    wait_stored(page, round_v2, second, ("nobody", {"service": "R"}))
    assert_fits(page)
    assert axe_violations(page) == []

    # The review reads both back, on the phone's width.
    page.goto(base + "review/")
    expect(page.locator(f"#rv-raci-{first} [data-letter=R]")).to_be_visible()
    expect(page.locator(f"#rv-raci-{first} [data-letter=C]")).to_be_visible()
    expect(page.locator(f"#rv-raci-{second} [data-letter=R]")).to_be_visible()
    assert_fits(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "answer-raci-review-phone.png"), full_page=True)
    context.close()
