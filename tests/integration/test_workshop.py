"""Live workshop: live distributions (counts only), contested questions first, flat query counts, consensus when closed."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Consensus, Participant, Question
from bench.fixtures import build_round

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_url(round_, key=None):
    if key is None:
        return reverse("assessments:workshop", args=[round_.organisation.slug, round_.pk])
    return reverse("assessments:workshop_dimension", args=[round_.organisation.slug, round_.pk, key])


def live_url(round_, key, status=None):
    url = reverse("assessments:workshop_live", args=[round_.organisation.slug, round_.pk, key])
    return f"{url}?status={status or round_.status}"


def consensus_url(round_, key):
    return reverse("assessments:workshop_consensus", args=[round_.organisation.slug, round_.pk, key])


def answer(round_, user, key, level):
    participant = round_.participants.get(user=user)
    question = Question.objects.get(framework=round_.framework, key=key)
    services.answer_save(participant=participant, question=question, values={"level": level})


def distributions(html: str) -> dict[str, dict[str, int]]:
    """{question key: {level or "dk": count}} as shown, from the data attributes of each table."""
    result = {}
    for key, body in re.findall(r'data-cx-distribution="([^"]+)">(.*?)</table>', html, flags=re.S):
        result[key] = {level: int(n) for level, n in re.findall(r'data-level="([^"]+)" data-count="(\d+)"', body)}
    return result


def order(html: str) -> list[str]:
    return re.findall(r'data-cx-question="([^"]+)"', html)


@pytest.fixture
def facilitator(org, client_for):
    return client_for(org.members_by_role["facilitator"])


@pytest.fixture
def answered_round(org, open_round):
    """D1: D1.1 agreed (3, 3, 3), D1.2 split (1, 5, 3), D1.3 contested by AD only (2, 4, 4), D1.4 two levels and a don't-know."""
    f, s, r = (org.members_by_role[role] for role in ("facilitator", "sponsor", "respondent"))
    plan = {"D1.1": (3, 3, 3), "D1.2": (1, 5, 3), "D1.3": (2, 4, 4), "D1.4": (1, 4, None)}
    for key, levels in plan.items():
        for user, level in zip((f, s, r), levels, strict=True):
            answer(open_round, user, key, level)
    return open_round


def test_distribution_counts_are_live_and_leave_out_withdrawn_participants(org, answered_round, facilitator):
    late = services.participant_invite(round_=answered_round, email="late@acme.test", function="cio").participant
    services.answer_save(
        participant=late, question=Question.objects.get(framework=answered_round.framework, key="D1.1"), values={"level": 1}
    )
    services.participant_withdraw(participant=late)
    response = facilitator.get(live_url(answered_round, "D1"), **HTMX)
    assert response.status_code == 200
    shown = distributions(response.content.decode())
    assert shown["D1.1"] == {"1": 0, "2": 0, "3": 3, "4": 0, "5": 0, "dk": 0}
    assert shown["D1.4"] == {"1": 1, "2": 0, "3": 0, "4": 1, "5": 0, "dk": 1}
    assert shown["D1.5"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0, "dk": 0}
    # A new answer shows on the next poll: no snapshot involved while the round is open.
    answer(answered_round, org.members_by_role["respondent"], "D1.5", 2)
    assert distributions(facilitator.get(live_url(answered_round, "D1"), **HTMX).content.decode())["D1.5"]["2"] == 1


def test_contested_questions_come_first_by_average_distance(answered_round, facilitator):
    html = facilitator.get(page_url(answered_round)).content.decode()
    # D1.2: AD 4/3 and range 4; D1.3: AD 8/9 > 0.8; then the others in framework order (D1.4 has too few levels).
    assert order(html) == ["D1.2", "D1.3", "D1.1", "D1.4", "D1.5"]
    assert html.count("cx-wq-contested") == 2


def test_the_page_never_shows_names_or_functions(org, answered_round, facilitator):
    for html in (
        facilitator.get(page_url(answered_round, "D1")).content.decode(),
        facilitator.get(live_url(answered_round, "D1")).content.decode(),
    ):
        live = html.split('id="cx-workshop-live"', 1)[-1] if "cx-workshop-live" in html else html
        for user in org.members_by_role.values():
            assert user.email not in live and user.full_name not in live
        assert "data-participant" not in live


def test_page_polls_while_open_and_asks_for_a_reload_when_the_status_changed(answered_round, facilitator):
    html = facilitator.get(page_url(answered_round, "D2")).content.decode()
    assert 'hx-trigger="every 2s"' in html and live_url(answered_round, "D2") in html
    assert "data-cx-consensus-form" not in html  # consensus only once the round is closed
    assert "/static/js/workshop.js" in html
    stale = facilitator.get(live_url(answered_round, "D2", status="draft"), **HTMX)
    assert stale.status_code == 204 and stale["HX-Refresh"] == "true"


def test_navigation_between_dimensions(answered_round, facilitator):
    first = facilitator.get(page_url(answered_round)).content.decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first and page_url(answered_round, "D2") in first
    last = facilitator.get(page_url(answered_round, "D10")).content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert facilitator.get(page_url(answered_round, "D99")).status_code == 404
    assert facilitator.get(live_url(answered_round, "D99")).status_code == 404


def test_consensus_is_refused_while_the_round_is_open(answered_round, facilitator):
    response = facilitator.post(
        consensus_url(answered_round, "D1"), {"question": "D1.2", "level": "3", "rationale": "Too early"}, **HTMX
    )
    assert response.status_code == 409
    assert not Consensus.objects.exists()
    plain = facilitator.post(consensus_url(answered_round, "D1"), {"question": "D1.2", "level": "3"})
    assert plain.status_code == 302 and not Consensus.objects.exists()


def test_consensus_is_recorded_from_the_workshop_once_closed(answered_round, facilitator):
    services.round_transition(round_=answered_round, to="closed")
    page = facilitator.get(page_url(answered_round, "D1")).content.decode()
    assert "data-cx-consensus-form" in page and "every 2s" not in page
    response = facilitator.post(
        consensus_url(answered_round, "D1"), {"question": "D1.2", "level": "4", "rationale": "Sales & ops <agree>"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="cx-wq') and 'id="wq-D1-2"' in html
    assert "Sales &amp; ops &lt;agree&gt;" in html and "<agree>" not in html
    consensus = Consensus.objects.get(round=answered_round, question__key="D1.2")
    assert (consensus.level, consensus.rationale) == (4, "Sales & ops <agree>")
    answered_round.snapshot.refresh_from_db()
    row = next(q for q in answered_round.snapshot.data["scores"]["questions"] if q["key"] == "D1.2")
    assert row["consensus_level"] == 4
    # Without JavaScript: a redirect back to the question; level "" clears the consensus.
    plain = facilitator.post(consensus_url(answered_round, "D1"), {"question": "D1.2", "level": ""})
    assert plain.status_code == 302 and plain.url.endswith(page_url(answered_round, "D1") + "#wq-D1-2")
    assert not Consensus.objects.exists()


def test_consensus_input_is_validated_and_scoped_to_the_dimension(answered_round, facilitator):
    services.round_transition(round_=answered_round, to="closed")
    assert facilitator.post(consensus_url(answered_round, "D1"), {"question": "D1.2", "level": "9"}, **HTMX).status_code == 400
    assert (
        facilitator.post(
            consensus_url(answered_round, "D1"), {"question": "D1.2", "level": "3", "rationale": "x" * 2001}, **HTMX
        ).status_code
        == 400
    )
    assert facilitator.post(consensus_url(answered_round, "D1"), {"question": "D2.1", "level": "3"}, **HTMX).status_code == 404
    assert not Consensus.objects.exists()


@pytest.mark.parametrize("role", ["sponsor", "respondent", "viewer"])
def test_only_facilitators_run_the_workshop(role, org, answered_round, client_for):
    client = client_for(org.members_by_role[role])
    assert client.get(page_url(answered_round)).status_code == 403
    assert client.get(live_url(answered_round, "D1")).status_code == 403
    assert client.post(consensus_url(answered_round, "D1"), {"question": "D1.1", "level": "3"}).status_code == 403


def test_outsiders_find_nothing(answered_round, outsider, client_for):
    client = client_for(outsider)
    for response in (client.get(page_url(answered_round)), client.get(live_url(answered_round, "D1"))):
        assert response.status_code == 404 and b"Round 1" not in response.content
    anonymous = Client().get(page_url(answered_round))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("accounts:login"))


# ---------------------------------------------------------------------------- query counts


def workshop_queries(respondents, slug):
    from accounts.models import User
    from organisations.models import Membership

    round_, _user = build_round(respondents=respondents, questions_per_dimension=5, slug=slug)
    facilitator = User.objects.create_user(email=f"f@{slug}.test", password="x-pass-12345")
    Membership.objects.create(user=facilitator, organisation=round_.organisation, role="facilitator")
    Participant.objects.filter(round=round_).first().answers.update(level=None)  # some don't-knows
    client = Client()
    client.force_login(facilitator)
    client.get(page_url(round_, "D3"))  # warm the session
    with CaptureQueriesContext(connection) as page:
        assert client.get(page_url(round_, "D3")).status_code == 200
    with CaptureQueriesContext(connection) as live:
        assert client.get(live_url(round_, "D3"), **HTMX).status_code == 200
    return len(page), len(live)


def test_workshop_queries_do_not_grow_with_respondents(framework):
    few = workshop_queries(3, "ws-few")
    many = workshop_queries(40, "ws-many")
    assert few == many
    assert few[1] <= 10, few
