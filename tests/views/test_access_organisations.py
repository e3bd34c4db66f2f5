"""Access matrix for the organisation pages: anonymous → login, outsider → 404, each role → the rights table."""

import pytest
from django.urls import reverse

from cxgov.tokens import new_nonce
from organisations.models import Invitation

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, NOT_FOUND, REDIRECT = 200, 403, 404, 302

# (url name, method, {role: expected status}); kwargs are filled from the organisation "acme".
MATRIX = [
    ("organisations:settings", "get", {"facilitator": OK, "sponsor": FORBIDDEN, "respondent": FORBIDDEN, "viewer": FORBIDDEN}),
    ("organisations:members", "get", {"facilitator": OK, "sponsor": OK, "respondent": FORBIDDEN, "viewer": FORBIDDEN}),
    ("organisations:audit_log", "get", {"facilitator": OK, "sponsor": FORBIDDEN, "respondent": FORBIDDEN, "viewer": FORBIDDEN}),
    ("organisations:brand_css", "get", {"facilitator": OK, "sponsor": OK, "respondent": OK, "viewer": OK}),
    ("organisations:logo", "get", {"facilitator": NOT_FOUND, "sponsor": NOT_FOUND, "respondent": NOT_FOUND, "viewer": NOT_FOUND}),
    (
        "organisations:member_role",
        "post",
        {"facilitator": REDIRECT, "sponsor": FORBIDDEN, "respondent": FORBIDDEN, "viewer": FORBIDDEN},
    ),
    (
        "organisations:member_remove",
        "post",
        {"facilitator": REDIRECT, "sponsor": FORBIDDEN, "respondent": FORBIDDEN, "viewer": FORBIDDEN},
    ),
    (
        "organisations:invitation_withdraw",
        "post",
        {"facilitator": REDIRECT, "sponsor": REDIRECT, "respondent": FORBIDDEN, "viewer": FORBIDDEN},
    ),
    # No undo offer in these sessions: nothing to restore for anyone (offers are tested in test_confirm_undo.py).
    (
        "organisations:undo",
        "post",
        {"facilitator": NOT_FOUND, "sponsor": NOT_FOUND, "respondent": NOT_FOUND, "viewer": NOT_FOUND},
    ),
]


def _kwargs(name, org):
    kwargs = {"slug": org.slug}
    if "member_" in name:
        # The viewer's membership: removing or re-roling it is harmless to the other rows.
        kwargs["membership_id"] = org.memberships.get(role="viewer").pk
    if name.endswith("invitation_withdraw"):
        invitation = Invitation.objects.create(
            organisation=org, email="x@acme.test", role="viewer", nonce=new_nonce(), expires_at="2099-01-01T00:00:00Z"
        )
        kwargs["invitation_id"] = invitation.pk
    return kwargs


@pytest.mark.parametrize(("name", "method", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
@pytest.mark.parametrize("role", ["anonymous", "outsider", "facilitator", "sponsor", "respondent", "viewer"])
def test_access(name, method, expected, role, org, outsider, client_for):
    user = {"anonymous": None, "outsider": outsider}.get(role) or org.members_by_role.get(role)
    client = client_for(user)
    url = reverse(name, kwargs=_kwargs(name, org))
    # confirm=1: the destructive POSTs (member removal) act at once instead of asking (issue #13).
    response = getattr(client, method)(url, {"role": "sponsor", "confirm": "1", "token": "none"} if method == "post" else None)
    if role == "anonymous":
        assert response.status_code == REDIRECT
        assert response.url.startswith(reverse("accounts:login"))
    elif role == "outsider":
        assert response.status_code == NOT_FOUND
        assert b"Acme" not in response.content
    else:
        assert response.status_code == expected[role]


def test_every_organisation_url_is_in_the_matrix():
    """A new organisation-scoped URL must be added to the matrix above (or to its own app's matrix)."""
    from organisations import urls

    scoped = {f"organisations:{p.name}" for p in urls.urlpatterns if "<slug:slug>" in str(p.pattern)}
    assert scoped == {m[0] for m in MATRIX}
