"""Access matrix for the workspace's organisation pages: anonymous → login, outsider → 404, each role → the rights table.

The firm pages (/firm/…) have their own matrix in test_firm_access.py.
"""

import pytest
from django.urls import reverse

from assessments.models import Round

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
F, S, R, V = "facilitator", "sponsor", "respondent", "viewer"

# (url name, method, POST data, {role: expected status}) on the organisation "acme" and its open round.
MATRIX = [
    ("workspace:detail", "get", None, {F: OK, S: OK, R: OK, V: OK}),
    ("workspace:round_create", "get", None, {F: OK, S: FORBIDDEN, R: FORBIDDEN, V: FORBIDDEN}),
    ("workspace:round_create", "post", {"title": "Round 2"}, {F: FOUND, S: FORBIDDEN, R: FORBIDDEN, V: FORBIDDEN}),
]


@pytest.mark.parametrize(("name", "method", "data", "expected"), MATRIX, ids=[f"{m[0]}-{m[1]}" for m in MATRIX])
@pytest.mark.parametrize("who", ["anonymous", "outsider", F, S, R, V])
def test_access(name, method, data, expected, who, org, outsider, open_round, framework, client_for):
    user = {"anonymous": None, "outsider": outsider}.get(who) or org.members_by_role.get(who)
    if data is not None:
        data = {**data, "framework": framework.pk}
    response = getattr(client_for(user), method)(reverse(name, args=[org.slug]), data)
    if who == "anonymous":
        assert response.status_code == FOUND and response.url.startswith(reverse("accounts:login"))
    elif who == "outsider":
        assert response.status_code == NOT_FOUND
        assert b"Acme" not in response.content and b"Round 1" not in response.content
    else:
        assert response.status_code == expected[who]
    if method == "post":
        assert Round.objects.filter(title="Round 2").exists() == (who == F)


def test_home_lists_only_my_organisations(org, outsider, open_round, client_for):
    response = client_for(outsider).get(reverse("workspace:home"))
    assert response.status_code == 200
    assert b"Other Corp" in response.content
    assert b"Acme" not in response.content and b"Round 1" not in response.content


def test_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("workspace:home"))
    assert response.status_code == FOUND and response.url.startswith(reverse("accounts:login"))


def test_every_workspace_url_is_in_a_matrix():
    """A new workspace URL must be added to the matrix above, or to the firm's (test_firm_access.py)."""
    from workspace import urls

    from .test_firm_access import MATRIX as FIRM_MATRIX

    names = {f"workspace:{p.name}" for p in urls.urlpatterns}
    assert names == {m[0] for m in MATRIX} | {m[0] for m in FIRM_MATRIX} | {"workspace:home"}


def test_the_pages_kept_their_addresses():
    """Moving the pages to workspace (issue #14) changed their names, never their paths: bookmarks still work."""
    assert reverse("workspace:home") == "/"
    assert reverse("workspace:detail", args=["acme"]) == "/o/acme/"
    assert reverse("workspace:round_create", args=["acme"]) == "/o/acme/rounds/new/"
    assert reverse("workspace:firm_home") == "/firm/"
    assert reverse("workspace:firm_settings", args=[3]) == "/firm/3/"
    assert reverse("workspace:firm_brand_css", args=[3]) == "/firm/3/brand.css"
    assert reverse("workspace:firm_logo", args=[3]) == "/firm/3/logo.png"
    assert reverse("workspace:firm_templates", args=[3]) == "/firm/3/templates/"
    assert reverse("workspace:firm_template_create", args=[3]) == "/firm/3/templates/new/"
    assert reverse("workspace:firm_template_edit", args=[3, 7]) == "/firm/3/templates/7/"
    assert reverse("workspace:firm_template_delete", args=[3, 7]) == "/firm/3/templates/7/delete/"
