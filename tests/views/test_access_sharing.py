"""Access matrix for every share-link URL: anonymous → login, outsider → 404, each role → the rights table.

Facilitators and sponsors create and revoke links (PRODUCT.md: they read results before publication
and download reports); respondents and viewers may not. The public pages under /s/ need no login:
tests/integration/test_sharing.py covers them.
"""

import pytest
from django.urls import reverse

from assessments import services as round_services
from assessments.models import Answer
from sharing import urls
from sharing.models import ShareLink
from sharing.services import share_link_create
from tests.conftest import publish

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN = 200, 302, 403
F, S, R, V = "facilitator", "sponsor", "respondent", "viewer"


def allow(status, *roles):
    return {role: (status if role in roles else FORBIDDEN) for role in (F, S, R, V)}


@pytest.fixture
def published_round(org, open_round, framework):
    questions = list(framework.questions.all())
    Answer.objects.bulk_create(
        Answer(participant=p, question=q, level=3) for p in open_round.participants.all() for q in questions
    )
    publish(open_round)
    open_round.refresh_from_db()
    share_link_create(round_=open_round, user=org.members_by_role[F], label="Board")
    return open_round


MATRIX = [
    ("links", "get", None, allow(OK, F, S)),
    ("create", "post", {"label": "Auditors", "days": "30"}, allow(FOUND, F, S)),
    ("revoke", "post", {}, allow(FOUND, F, S)),
]
PUBLIC = {"public", "public_pdf"}  # reached with a token, no login: tested in tests/integration/test_sharing.py


def _url(name, round_, org):
    args = [org.slug, round_.pk]
    if name == "revoke":
        args.append(ShareLink.objects.filter(round=round_).first().pk)
    return reverse(f"sharing:{name}", args=args)


@pytest.mark.parametrize(("name", "method", "data", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
@pytest.mark.parametrize("who", ["anonymous", "outsider", F, S, R, V])
def test_access(name, method, data, expected, who, org, outsider, published_round, client_for):
    user = {"anonymous": None, "outsider": outsider}.get(who) or org.members_by_role.get(who)
    response = getattr(client_for(user), method)(_url(name, published_round, org), data)
    if who == "anonymous":
        assert response.status_code == FOUND and response.url.startswith(reverse("accounts:login"))
    elif who == "outsider":
        assert response.status_code == 404
        assert b"Round 1" not in response.content and b"Acme" not in response.content
    else:
        assert response.status_code == expected[who]
    allowed = who in (F, S)
    if name == "create":
        assert ShareLink.objects.filter(round=published_round, label="Auditors").exists() == allowed
    if name == "revoke":
        assert (
            ShareLink.objects.get(round=published_round).revoked_at is not None
            if allowed
            else ShareLink.objects.get(round=published_round).revoked_at is None
        )


def test_every_sharing_url_is_in_the_matrix():
    assert {p.name for p in urls.urlpatterns} == {m[0] for m in MATRIX} | PUBLIC


@pytest.mark.parametrize("who", [F, S])
def test_share_nav_item_for_facilitator_and_sponsor_only(who, org, published_round, client_for):
    url = reverse("assessments:results", args=[org.slug, published_round.pk])
    share = reverse("sharing:links", args=[org.slug, published_round.pk]).encode()
    assert share in client_for(org.members_by_role[who]).get(url).content
    for other in (R, V):
        assert share not in client_for(org.members_by_role[other]).get(url).content


def test_a_link_of_another_round_cannot_be_revoked_through_this_one(org, published_round, framework, client_for):
    other = round_services.round_create(organisation=org, user=org.members_by_role[F], framework=framework, title="Round 2")
    link = ShareLink.objects.get(round=published_round)
    response = client_for(org.members_by_role[F]).post(reverse("sharing:revoke", args=[org.slug, other.pk, link.pk]))
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_links_are_listed_only_for_their_own_organisation(org, outsider, published_round, client_for):
    """Another organisation's facilitator gets 404 for this round even through their own slug."""
    response = client_for(outsider).get(reverse("sharing:links", args=["other-corp", published_round.pk]))
    assert response.status_code == 404
