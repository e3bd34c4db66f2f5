"""Access matrix for every steering rhythm URL: anonymous → login, outsider → 404, each role → the rights table,
and what each allowed response shows.

Rights: facilitators and sponsors read the role holders, the series, its calendar file and the agenda
(VIEW_STEERING); the facilitator edits and sends (EDIT_CONSENSUS_ROADMAP_RACI); respondents and viewers
get 403, as on the RACI pages before publication.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from governance import selectors, urls_rhythm
from governance.models import RoleHolder, SteeringRhythm
from tests.governance_world import close_with_raci, give_roles, rhythm_for

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN = 200, 302, 403
F, S, R, V = "facilitator", "sponsor", "respondent", "viewer"


def allow(status, *roles):
    return {role: (status if role in roles else FORBIDDEN) for role in (F, S, R, V)}


@pytest.fixture
def world(org, open_round, framework):
    round_ = close_with_raci(open_round, framework)
    people = give_roles(org)
    rhythm = rhythm_for(round_, user=org.members_by_role[F])
    return {"round": round_, "people": people, "rhythm": rhythm}


def _rhythm_data():
    first = selectors.paris_today() + timedelta(days=30)
    return {
        "cadence": "weekly",
        "first_meeting": first.isoformat(),
        "start_time": "08:30",
        "duration_minutes": "60",
        "location": "Visio",
    }


def _holders_data(world):
    return {"holder-ceo": str(world["people"]["finance"].pk), "holder-cio": str(world["people"]["cxo"].pk)}


def _shows_rhythm(response, world):
    body = response.content.decode()
    assert world["people"]["finance"].email in body and world["people"]["cxo"].email in body  # the attendees
    assert 'id="unheld"' in body  # cio has no holder yet
    assert "2027-01-05" in body  # the first meeting


def _shows_holders(response, world):
    body = response.content.decode()
    assert world["people"]["finance"].full_name in body and world["people"]["cxo"].full_name in body


def _shows_calendar(response, world):
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in body and f"UID:{world['rhythm'].uid}" in body
    assert "mailto:finance@acme.test" in body


def _shows_agenda(response, world):
    body = response.content.decode()
    assert 'id="agenda-due"' in body and 'id="agenda-kpis"' in body and 'id="agenda-raci"' in body


# (url name, method, POST data or a function of the world, expected per role, what a 200 shows)
MATRIX = [
    ("role_holders", "get", None, allow(OK, F, S), _shows_holders),
    ("role_holders", "post", _holders_data, allow(FOUND, F), None),
    ("rhythm", "get", None, allow(OK, F, S), _shows_rhythm),
    ("rhythm", "post", lambda world: _rhythm_data(), allow(FOUND, F), None),
    ("rhythm_calendar", "get", None, allow(OK, F, S), _shows_calendar),
    ("rhythm_invite", "post", {}, allow(FOUND, F), None),
    ("agenda", "get", None, allow(OK, F, S), _shows_agenda),
]
ROUND_LESS = {"role_holders"}


def _url(name, world, org):
    kwargs = {"slug": org.slug}
    if name not in ROUND_LESS:
        kwargs["round_id"] = world["round"].pk
    return reverse(f"governance:{name}", kwargs=kwargs)


def _ids(matrix):
    return [f"{m[0]}-{m[1]}" for m in matrix]


def _footprint(world):
    rhythm = SteeringRhythm.objects.get(pk=world["rhythm"].pk)
    return (
        sorted(RoleHolder.objects.values_list("role", "user_id")),
        (rhythm.cadence, rhythm.first_meeting, rhythm.sequence, rhythm.invited_sequence),
    )


@pytest.mark.parametrize(("name", "method", "data", "expected", "shows"), MATRIX, ids=_ids(MATRIX))
@pytest.mark.parametrize("who", ["anonymous", "outsider", F, S, R, V])
def test_access(name, method, data, expected, shows, who, org, outsider, world, client_for, mailoutbox):
    user = {"anonymous": None, "outsider": outsider}.get(who) or org.members_by_role.get(who)
    payload = data(world) if callable(data) else data
    before = _footprint(world)
    response = getattr(client_for(user), method)(_url(name, world, org), payload)
    if who == "anonymous":
        assert response.status_code == FOUND and response.url.startswith(reverse("accounts:login"))
    elif who == "outsider":
        assert response.status_code == 404
        assert b"Round 1" not in response.content and b"Acme" not in response.content
        assert b"acme.test" not in response.content
    else:
        assert response.status_code == expected[who]
        if response.status_code == OK and shows is not None:
            shows(response, world)
    if method == "post" and (who not in (F,)):
        assert _footprint(world) == before  # a refused change changes nothing
        assert mailoutbox == []


def test_every_rhythm_url_is_in_the_matrix():
    assert {p.name for p in urls_rhythm.urlpatterns} == {m[0] for m in MATRIX}


def test_the_sponsor_reads_without_forms(org, world, client_for):
    sponsor = client_for(org.members_by_role[S])
    for name in ("role_holders", "rhythm"):
        body = sponsor.get(_url(name, world, org)).content.decode()
        assert "<select" not in body and 'name="cadence"' not in body
        assert reverse("governance:rhythm_invite", args=[org.slug, world["round"].pk]) not in body
    facilitator = client_for(org.members_by_role[F]).get(_url("rhythm", world, org)).content.decode()
    assert (
        'name="cadence"' in facilitator and reverse("governance:rhythm_invite", args=[org.slug, world["round"].pk]) in facilitator
    )


def test_the_results_navigation_shows_steering_to_who_may_open_it(org, world, client_for):
    results = reverse("assessments:results", args=[org.slug, world["round"].pk])
    link = _url("rhythm", world, org).encode()
    assert link in client_for(org.members_by_role[F]).get(results).content
    assert link in client_for(org.members_by_role[S]).get(results).content


def test_the_facilitators_changes_are_saved(org, world, client_for, mailoutbox):
    facilitator = client_for(org.members_by_role[F])
    facilitator.post(_url("role_holders", world, org), _holders_data(world))
    assert dict(RoleHolder.objects.values_list("role", "user__email")) == {"ceo": "finance@acme.test", "cio": "cxo@acme.test"}
    facilitator.post(_url("rhythm", world, org), _rhythm_data())
    rhythm = SteeringRhythm.objects.get(pk=world["rhythm"].pk)
    assert (rhythm.cadence, rhythm.duration_minutes, rhythm.location, rhythm.sequence) == ("weekly", 60, "Visio", 1)
    response = facilitator.post(_url("rhythm_invite", world, org))
    assert response.status_code == FOUND
    assert sorted(m.to[0] for m in mailoutbox) == sorted(selectors.attendees(round_=world["round"]).emails)
