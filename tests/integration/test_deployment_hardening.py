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


# ------------------------------------------------------------------ brand colour: one validator


@pytest.mark.parametrize("stored", ["red; } body { display: none", "#12345g", "", "#1F4E79FF", "expression(alert(1))"])
def test_a_bad_stored_organisation_colour_never_reaches_the_stylesheet(org, client_for, stored):
    from organisations.models import Organisation

    Organisation.objects.filter(pk=org.pk).update(brand_colour=stored)  # e.g. from an import or the admin
    css = client_for(org.members_by_role["viewer"]).get(f"/o/{org.slug}/brand.css").content.decode()
    assert css == ":root { --cx-brand: #1f4e79; }\n"


def test_organisation_and_firm_colours_share_one_validator():
    from assessments import charts
    from organisations import colours, models

    assert charts.valid_brand is colours.valid_brand
    org_validators = models.Organisation._meta.get_field("brand_colour").validators
    firm_validators = models.Firm._meta.get_field("brand_colour").validators
    assert colours.colour_validator in org_validators and colours.colour_validator in firm_validators


@pytest.mark.parametrize("typed", ["#12345g", "red", "#1f4e79; x", "1f4e79"])
def test_the_settings_form_refuses_a_bad_colour_and_keeps_it(org, client_for, typed):
    facilitator = client_for(org.members_by_role["facilitator"])
    data = {"name": org.name, "sector": org.sector, "size_band": org.size_band, "country": org.country, "brand_colour": typed}
    response = facilitator.post(f"/o/{org.slug}/settings/", data)
    assert response.status_code in (200, 400)
    org.refresh_from_db()
    assert org.brand_colour != typed
