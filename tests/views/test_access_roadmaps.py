"""Access matrix for every roadmap, RACI and role URL: anonymous → login, outsider → 404, each role → the rights table.

PRODUCT.md: roadmap and RACI are seen like results (facilitator and sponsor before publication,
every member after); the facilitator edits roadmap, RACI and roles; facilitator and sponsor update
initiative statuses.
"""

import pytest
from django.urls import reverse

from assessments import services as round_services
from assessments.models import Answer
from roadmaps import services, urls
from roadmaps.models import OrgRole, RaciCell, RoadmapItem

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN = 200, 302, 403
F, S, R, V = "facilitator", "sponsor", "respondent", "viewer"


def allow(status, *roles):
    return {role: (status if role in roles else FORBIDDEN) for role in (F, S, R, V)}


@pytest.fixture
def closed_round(open_round, framework):
    """The open round of conftest, answered (every question at level 2) and closed: results, roadmap and RACI exist."""
    questions = list(framework.questions.all())
    Answer.objects.bulk_create(
        Answer(participant=p, question=q, level=2) for p in open_round.participants.all() for q in questions
    )
    round_services.round_transition(round_=open_round, to="closed")
    open_round.refresh_from_db()
    services.roadmap_ensure(round_=open_round)
    services.org_role_add(organisation=open_round.organisation, key="extra", title_fr="Extra", title_en="Extra")
    return open_round


# (url name, method, extra kwargs, POST data, expected per role) on a closed attributed round.
MATRIX = [
    ("targets", "get", {}, None, allow(OK, F, S)),
    ("targets", "post", {}, {f"{f}-D{i}": "3" for f in ("target", "importance") for i in range(1, 11)}, allow(FOUND, F, S)),
    ("roadmap", "get", {}, None, allow(OK, F, S)),
    ("export_roadmap", "get", {"fmt": "csv"}, None, allow(OK, F, S)),
    ("export_raci", "get", {"fmt": "xlsx"}, None, allow(OK, F, S)),
    ("roadmap_regenerate", "post", {}, {}, allow(OK, F)),  # asks first (issue #13)
    ("roadmap_regenerate", "post", {}, {"confirm": "1"}, allow(FOUND, F)),
    ("roadmap_settings", "post", {}, {"start_date": "2027-01-01", "capacity": "5"}, allow(OK, F)),  # regenerates: asks first
    ("roadmap_settings", "post", {}, {"start_date": "2027-01-01", "capacity": "5", "confirm": "1"}, allow(FOUND, F)),
    ("item_add", "post", {}, {"title_fr": "Former les managers", "start_month": "1", "duration_months": "2"}, allow(FOUND, F)),
    ("item_move", "post", {"item_id": "first"}, {"start_month": "4"}, allow(FOUND, F)),
    ("item_lock", "post", {"item_id": "first"}, {"locked": "1"}, allow(FOUND, F)),
    ("item_owner", "post", {"item_id": "first"}, {"owner": "cfo"}, allow(FOUND, F)),
    ("item_status", "post", {"item_id": "first"}, {"status": "in_progress"}, allow(FOUND, F, S)),
    ("item_remove", "post", {"item_id": "first"}, {}, allow(OK, F)),  # asks first (issue #13)
    ("item_remove", "post", {"item_id": "first"}, {"confirm": "1"}, allow(FOUND, F)),
    ("raci", "get", {}, None, allow(OK, F, S)),
    ("raci", "post", {}, {"cell-cx_budget-ceo": "I", "was-cx_budget-ceo": ""}, allow(FOUND, F)),
    ("raci_propose", "post", {}, {}, allow(OK, F)),  # asks first (issue #13)
    ("raci_propose", "post", {}, {"confirm": "1"}, allow(FOUND, F)),
    ("roles", "get", {}, None, allow(OK, F)),
    ("roles", "post", {}, {"key": "legal", "title_fr": "Juridique"}, allow(FOUND, F)),
    ("role_edit", "post", {"role_id": "extra"}, {"title_fr": "Autre", "title_en": "Other", "hidden": "on"}, allow(FOUND, F)),
    ("role_remove", "post", {"role_id": "extra"}, {}, allow(FOUND, F)),
]
ROUND_LESS = {"roles", "role_edit", "role_remove"}


def _url(name, extra, round_, org):
    kwargs = {"slug": org.slug}
    if name not in ROUND_LESS:
        kwargs["round_id"] = round_.pk
    for key, value in extra.items():
        if key == "item_id":
            value = RoadmapItem.objects.filter(round=round_).order_by("position").first().pk
        elif key == "role_id":
            value = OrgRole.objects.get(organisation=org, key=value).pk
        kwargs[key] = value
    return reverse(f"roadmaps:{name}", kwargs=kwargs)


def _ids(matrix):
    return [f"{m[0]}-{m[1]}" for m in matrix]


@pytest.mark.parametrize(("name", "method", "extra", "data", "expected"), MATRIX, ids=_ids(MATRIX))
@pytest.mark.parametrize("who", ["anonymous", "outsider", F, S, R, V])
def test_access(name, method, extra, data, expected, who, org, outsider, closed_round, client_for):
    user = {"anonymous": None, "outsider": outsider}.get(who) or org.members_by_role.get(who)
    response = getattr(client_for(user), method)(_url(name, extra, closed_round, org), data)
    if who == "anonymous":
        assert response.status_code == FOUND and response.url.startswith(reverse("accounts:login"))
    elif who == "outsider":
        assert response.status_code == 404
        assert b"Round 1" not in response.content and b"Acme" not in response.content
    else:
        assert response.status_code == expected[who]


def test_every_roadmap_url_is_in_the_matrix():
    assert {p.name for p in urls.urlpatterns} == {m[0] for m in MATRIX}


def test_forbidden_edits_change_nothing(org, closed_round, client_for):
    item = RoadmapItem.objects.filter(round=closed_round).order_by("position").first()
    sponsor = client_for(org.members_by_role[S])
    sponsor.post(_url("item_move", {"item_id": "first"}, closed_round, org), {"start_month": "9"})
    sponsor.post(_url("raci", {}, closed_round, org), {"cell-cx_budget-cfo": "", "was-cx_budget-cfo": "A"})
    client_for(org.members_by_role[R]).post(_url("item_status", {"item_id": "first"}, closed_round, org), {"status": "done"})
    item.refresh_from_db()
    assert (item.start_month, item.locked, item.status) != (9, True, "done")
    assert item.status == "planned" and not item.locked
    assert RaciCell.objects.filter(round=closed_round, activity="cx_budget", role="cfo", letter="A").exists()


def test_other_organisations_items_and_roles_are_404(org, outsider, closed_round, client_for):
    """An id of another organisation's item or role in this organisation's URL is a 404."""
    from organisations.models import Organisation

    other = Organisation.objects.get(slug="other-corp")
    foreign_role = services.org_roles_ensure(organisation=other, framework=closed_round.framework)[0]
    facilitator = client_for(org.members_by_role[F])
    assert facilitator.post(reverse("roadmaps:role_edit", args=[org.slug, foreign_role.pk]), {"title_fr": "x"}).status_code == 404
    assert (
        facilitator.post(
            reverse("roadmaps:item_status", args=[org.slug, closed_round.pk, 999999]), {"status": "done"}
        ).status_code
        == 404
    )


# After publication: everyone reads; every edit is refused (the round is frozen) but rights still apply —
# except initiative statuses, which facilitator and sponsor keep updating to track delivery.
PUBLISHED = [
    ("roadmap", "get", {}, None, allow(OK, F, S, R, V)),
    ("raci", "get", {}, None, allow(OK, F, S, R, V)),
    ("item_status", "post", {"item_id": "first"}, {"status": "done"}, allow(FOUND, F, S)),
    ("item_move", "post", {"item_id": "first"}, {"start_month": "7"}, allow(FOUND, F)),
    ("raci", "post", {}, {"cell-cx_budget-ceo": "I", "was-cx_budget-ceo": ""}, allow(FOUND, F)),
    ("roadmap_regenerate", "post", {}, {}, allow(FOUND, F)),
]


@pytest.mark.parametrize(("name", "method", "extra", "data", "expected"), PUBLISHED, ids=_ids(PUBLISHED))
@pytest.mark.parametrize("who", ["outsider", F, S, R, V])
def test_access_after_publication(name, method, extra, data, expected, who, org, outsider, closed_round, client_for):
    round_services.round_transition(round_=closed_round, to="published")
    closed_round.refresh_from_db()
    before = sorted(RoadmapItem.objects.filter(round=closed_round).values_list("key", "start_month", "status", "locked"))
    cells = sorted(RaciCell.objects.filter(round=closed_round).values_list("activity", "role", "letter"))
    user = outsider if who == "outsider" else org.members_by_role[who]
    response = getattr(client_for(user), method)(_url(name, extra, closed_round, org), data)
    assert response.status_code == (404 if who == "outsider" else expected[who])
    after = sorted(RoadmapItem.objects.filter(round=closed_round).values_list("key", "start_month", "status", "locked"))
    if name == "item_status" and who in (F, S):
        assert [row[2] for row in after].count("done") == [row[2] for row in before].count("done") + 1
        return
    assert after == before
    assert sorted(RaciCell.objects.filter(round=closed_round).values_list("activity", "role", "letter")) == cells
