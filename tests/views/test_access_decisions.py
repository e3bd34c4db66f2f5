"""Access matrix of the decision log: anonymous → login, outsider → 404, each role → the rights table.

The log is read like the RACI it rests on (facilitator and sponsor before publication, every member
after); facilitators and sponsors record decisions (Action.RECORD_DECISIONS), as they update
initiative statuses.
"""

import pytest
from django.urls import reverse

from assessments import services as round_services
from assessments.models import Answer
from governance import urls_decisions
from governance.models import Decision
from roadmaps import services
from tests.conftest import publish

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN = 200, 302, 403
F, S, R, V = "facilitator", "sponsor", "respondent", "viewer"


def allow(status, *roles):
    return {role: (status if role in roles else FORBIDDEN) for role in (F, S, R, V)}


@pytest.fixture
def closed_round(open_round, framework):
    Answer.objects.bulk_create(
        Answer(participant=p, question=q, level=2) for p in open_round.participants.all() for q in framework.questions.all()
    )
    round_services.round_transition(round_=open_round, to="closed")
    open_round.refresh_from_db()
    services.roadmap_ensure(round_=open_round)
    return open_round


def accountable_for(round_, activity):
    return services.raci_accountable(round_)[activity]


def valid_decision(round_):
    return {
        "title": "Fund the complaints overhaul",
        "decided_on": "2026-01-15",
        "activity": "cx_budget",
        "deciding_role": accountable_for(round_, "cx_budget"),
    }


MATRIX = [
    ("decisions", "get", False, allow(OK, F, S)),
    ("decision_record", "post", True, allow(FOUND, F, S)),
]
PUBLISHED_MATRIX = [
    ("decisions", "get", False, allow(OK, F, S, R, V)),
    ("decision_record", "post", True, allow(FOUND, F, S)),
]


def _check(who, name, method, post, expected, round_, org, outsider, client_for):
    user = {"anonymous": None, "outsider": outsider}.get(who) or org.members_by_role.get(who)
    url = reverse(f"governance:{name}", args=[org.slug, round_.pk])
    response = getattr(client_for(user), method)(url, valid_decision(round_) if post else None)
    if who == "anonymous":
        assert response.status_code == FOUND and response.url.startswith(reverse("accounts:login"))
    elif who == "outsider":
        assert response.status_code == 404
        assert b"Round 1" not in response.content and b"Acme" not in response.content
    else:
        assert response.status_code == expected[who]


@pytest.mark.parametrize(("name", "method", "post", "expected"), MATRIX, ids=[f"{m[0]}-{m[1]}" for m in MATRIX])
@pytest.mark.parametrize("who", ["anonymous", "outsider", F, S, R, V])
def test_access_closed_round(name, method, post, expected, who, org, outsider, closed_round, client_for):
    _check(who, name, method, post, expected, closed_round, org, outsider, client_for)


@pytest.mark.parametrize(
    ("name", "method", "post", "expected"), PUBLISHED_MATRIX, ids=[f"{m[0]}-{m[1]}" for m in PUBLISHED_MATRIX]
)
@pytest.mark.parametrize("who", ["anonymous", "outsider", F, S, R, V])
def test_access_published_round(name, method, post, expected, who, org, outsider, closed_round, client_for):
    publish(closed_round)
    closed_round.refresh_from_db()
    _check(who, name, method, post, expected, closed_round, org, outsider, client_for)


def test_every_decision_url_is_in_the_matrix():
    assert {p.name for p in urls_decisions.urlpatterns} == {m[0] for m in MATRIX} == {m[0] for m in PUBLISHED_MATRIX}


def test_forbidden_posts_record_nothing(org, closed_round, client_for):
    url = reverse("governance:decision_record", args=[org.slug, closed_round.pk])
    for role in (R, V):
        assert client_for(org.members_by_role[role]).post(url, valid_decision(closed_round)).status_code == FORBIDDEN
    assert not Decision.objects.exists()


def test_another_organisations_round_is_404_even_for_a_facilitator(org, outsider, closed_round, client_for):
    """The outsider's own organisation slug with this round's id: the round is not theirs."""
    other_slug = outsider.memberships.get().organisation.slug
    client = client_for(outsider)
    assert client.get(reverse("governance:decisions", args=[other_slug, closed_round.pk])).status_code == 404
    response = client.post(
        reverse("governance:decision_record", args=[other_slug, closed_round.pk]), valid_decision(closed_round)
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()
