"""The ownership map (issue #17) on a phone (390 × 844): the results page and the workshop's RACI page fit
the width, with long role titles, and axe finds nothing. Assertions read ids and data, not wording."""

import pytest

from .conftest import login
from .crawl import axe_violations, horizontal_overflow

PASSWORD = "Owner-map-pass-1"  # noqa: S105 — a test account
PHONE = {"width": 390, "height": 844}
PEOPLE = (("cxo", "cxo"), ("ceo", "ceo"), ("cfo", "cfo"), ("cio", "cio"))


@pytest.fixture
def closed_round(transactional_db):
    """A closed 2.0 round whose four executives named different As for the budget."""
    from accounts.models import User
    from assessments import services
    from assessments.models import Framework, RaciAnswer, RaciLetter, RoundStatus
    from organisations.models import Membership, Organisation, Role

    framework = Framework.objects.get(key="cx-governance", version="2.0")
    organisation = Organisation.objects.create(name="Maison Carte", slug="carte")
    facilitator = User.objects.create_user(email="facilitator@carte.test", password=PASSWORD)
    Membership.objects.create(user=facilitator, organisation=organisation, role=Role.FACILITATOR)
    round_ = services.round_create(organisation=organisation, user=facilitator, framework=framework, title="Carte")
    for name, function in PEOPLE:
        services.participant_invite(round_=round_, email=f"{name}@carte.test", function=function)
    round_.status = RoundStatus.OPEN
    round_.save()
    activities = list(framework.raci_activities.order_by("position"))
    roles = [r.key for r in framework.raci_roles.order_by("position")]
    for index, participant in enumerate(round_.participants.order_by("pk")):
        for n, activity in enumerate(activities):
            RaciAnswer.objects.create(participant=participant, activity=activity, choice=roles[(index + n) % len(roles)])
            RaciLetter.objects.create(participant=participant, activity=activity, role=roles[-1 - index], letter="R")
    services.round_transition(round_=round_, to="closed")
    round_.refresh_from_db()
    return round_


@pytest.mark.parametrize("path", ["results/ownership/", "workshop/raci/"])
def test_the_pages_fit_a_phone_and_pass_axe(browser, live_server, closed_round, path, artifacts):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    login(page, live_server, "facilitator@carte.test", PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/o/carte/rounds/{closed_round.pk}/{path}")
    assert page.locator("[data-choice]").count() >= 4
    page.locator("[data-choice]").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"ownership-{path.replace('/', '-')}phone.png"))
    assert horizontal_overflow(page) == 0
    assert axe_violations(page) == []
    context.close()
