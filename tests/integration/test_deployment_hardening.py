"""Deployment details (issue #21): Permissions-Policy everywhere, proxy trust opt-in, ADMINS, honest 500 page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

DENIED = ("camera=()", "microphone=()", "geolocation=()", "payment=()")


@pytest.mark.parametrize("path", ["/accounts/login/", "/static/css/app.css", "/no-such-page/", "/r/not-a-token/"])
def test_permissions_policy_on_every_response(path):
    response = Client().get(path)
    policy = response.headers.get("Permissions-Policy", "")
    assert all(feature in policy for feature in DENIED), (response.status_code, policy)


def test_permissions_policy_on_signed_in_pages(org, client_for):
    response = client_for(org.members_by_role["facilitator"]).get(f"/o/{org.slug}/")
    assert response.status_code == 200
    assert "camera=()" in response.headers["Permissions-Policy"]
