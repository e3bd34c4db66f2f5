"""Access matrix for every benchmark URL: anonymous → login, outsider → 404, each role → the rights table.

Only facilitators (who edit the organisation) choose whether it takes part in benchmarks. The
benchmark block itself lives on the results summary page and follows that page's access rules.
"""

import pytest
from django.urls import reverse

from benchmarks import selectors, urls

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN = 200, 302, 403
F, S, R, V = "facilitator", "sponsor", "respondent", "viewer"


def allow(status, *roles):
    return {role: (status if role in roles else FORBIDDEN) for role in (F, S, R, V)}


MATRIX = [
    ("opt_in", "get", None, allow(OK, F)),
    ("opt_in", "post", {"opted_in": "1"}, allow(FOUND, F)),
]


@pytest.mark.parametrize(("name", "method", "data", "expected"), MATRIX, ids=[f"{m[0]}-{m[1]}" for m in MATRIX])
@pytest.mark.parametrize("who", ["anonymous", "outsider", F, S, R, V])
def test_access(name, method, data, expected, who, org, outsider, client_for):
    user = {"anonymous": None, "outsider": outsider}.get(who) or org.members_by_role.get(who)
    response = getattr(client_for(user), method)(reverse(f"benchmarks:{name}", args=[org.slug]), data)
    if who == "anonymous":
        assert response.status_code == FOUND and response.url.startswith(reverse("accounts:login"))
    elif who == "outsider":
        assert response.status_code == 404
        assert b"Acme" not in response.content
    else:
        assert response.status_code == expected[who]
    if method == "post":
        assert selectors.is_opted_in(organisation=org) == (who == F)


def test_every_benchmark_url_is_in_the_matrix():
    assert {p.name for p in urls.urlpatterns} == {m[0] for m in MATRIX}


def test_outsider_cannot_opt_another_organisation_in(org, outsider, client_for):
    client_for(outsider).post(reverse("benchmarks:opt_in", args=[org.slug]), {"opted_in": "1"})
    assert not selectors.is_opted_in(organisation=org)
