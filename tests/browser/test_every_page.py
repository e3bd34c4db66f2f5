"""Every page a facilitator, a respondent and a visitor can reach fits a phone and passes axe-core.

The demo is seeded, its round published (so the respondent reaches the results, the roadmap and the
RACI), a second round is opened with the respondent invited (so the questionnaire's pages are
reached too) and a share link is made (the public results page). Then, for each person, the crawl
(crawl.py) follows every same-origin link from their home page:

- at 390 × 844, no page is wider than the window (WCAG 1.4.10, reflow): the offenders are listed
  with their width;
- axe-core finds no violation of any impact, at 390 × 844 and again at 1440 × 900.
"""

import pytest

from .conftest import login
from .crawl import axe_violations, horizontal_overflow, walk

pytestmark = pytest.mark.timeout(600)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
PEOPLE = {"facilitator": "consultant@demo.test", "respondent": "respondent1@demo.test", "visitor": None}

# Pages each walk must have reached, or the crawl proves nothing (a login that failed, a broken link).
MUST_REACH = {
    "facilitator": ("/results/alignment/", "/roadmap/", "/raci/", "/workshop/D3/", "/measurement/metrics/nps/", "/share/"),
    "respondent": ("/results/", "/roadmap/", "/raci/", "/answer/"),
    "visitor": ("/accounts/login/", "/accessibility/", "/s/"),
}


@pytest.fixture
def crawl_starts(demo):
    """The demo, published, with an open round for the respondent and a share link; the walks' first pages."""
    from accounts.models import User
    from assessments import services
    from assessments.models import Round
    from organisations.models import Organisation
    from sharing.services import share_link_create, share_token
    from tests.conftest import publish

    organisation = Organisation.objects.get(slug="demo-retail")
    consultant = User.objects.get(email="consultant@demo.test")
    demo_round = Round.objects.get(organisation=organisation)
    publish(demo_round)
    pulse = services.round_create(organisation=organisation, user=consultant, framework=demo_round.framework, title="Pulse CX")
    services.participant_invite(round_=pulse, email="respondent1@demo.test", function="cxo")
    pulse.status = "open"
    pulse.save()
    link = share_link_create(round_=demo_round, user=consultant, label="Board")
    return {
        "facilitator": ["/"],
        "respondent": ["/"],
        "visitor": ["/accounts/login/", "/accessibility/", f"/s/{share_token(link)}/"],
    }


def walk_as(browser, live_server, person, starts, visit):
    context = browser.new_context(viewport=PHONE)  # not is_mobile: the window stays 390 px wide, however wide the page
    page = context.new_page()
    if PEOPLE[person]:
        login(page, live_server, PEOPLE[person])
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    try:
        walked = walk(page, live_server.url, starts, visit)
    finally:
        context.close()
    missing = [part for part in MUST_REACH[person] if not any(part in path for path in walked)]
    assert not missing, f"the {person}'s walk never reached {missing} ({len(walked)} pages walked)"
    return walked


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, crawl_starts):
    offenders, walked = [], 0
    for person, starts in crawl_starts.items():

        def visit(page, path, person=person):
            assert page.evaluate("window.innerWidth") == PHONE["width"]
            overflow = horizontal_overflow(page)
            if overflow:
                offenders.append((person, path, PHONE["width"] + overflow))

        walked += len(walk_as(browser, live_server, person, starts, visit))
    assert walked > 100
    assert offenders == [], "pages wider than 390 px (person, page, width):\n" + "\n".join(map(str, offenders))


def test_axe_finds_no_violation_on_any_page(browser, live_server, crawl_starts):
    violations = {}
    for person, starts in crawl_starts.items():

        def visit(page, path, person=person):
            found = axe_violations(page)
            page.set_viewport_size(DESKTOP)
            page.wait_for_timeout(200)  # app.js re-marks the scrolling tables after a resize (150 ms)
            found += [(rule, impact, targets, "1440") for rule, impact, targets in axe_violations(page)]
            page.set_viewport_size(PHONE)
            if found:
                violations[f"{person} {path}"] = found

        walk_as(browser, live_server, person, starts, visit)
    assert violations == {}, "axe-core violations:\n" + "\n".join(f"{page}: {found}" for page, found in violations.items())
