"""Deployment details (issue #21): Permissions-Policy everywhere, proxy trust opt-in, ADMINS, honest 500 page."""

from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import path

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


# The column holds 7 characters (PostgreSQL enforces it), so these are the bad values that fit.
@pytest.mark.parametrize("stored", ["red;}*{", "#12345g", "", "#1F4E7", "url(x)"])
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


# ------------------------------------------------------------------ production settings


def _production_settings(monkeypatch, **environment):
    """The production settings module evaluated afresh with this environment."""
    import importlib
    import sys

    monkeypatch.setenv("SECRET_KEY", "test-only-" + "x" * 50)
    monkeypatch.delenv("CXGOV_TRUST_PROXY", raising=False)
    monkeypatch.delenv("CXGOV_ADMINS", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    for module in ("cxgov.settings.production", "cxgov.settings.base"):
        sys.modules.pop(module, None)
    try:
        return importlib.import_module("cxgov.settings.production")
    finally:
        for module in ("cxgov.settings.production", "cxgov.settings.base"):
            sys.modules.pop(module, None)


def test_production_ignores_x_forwarded_proto_unless_told_to_trust_a_proxy(monkeypatch):
    assert getattr(_production_settings(monkeypatch), "SECURE_PROXY_SSL_HEADER", None) is None
    trusted = _production_settings(monkeypatch, CXGOV_TRUST_PROXY="true")
    assert trusted.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_admins_come_from_the_environment(monkeypatch):
    assert _production_settings(monkeypatch).ADMINS == []
    configured = _production_settings(monkeypatch, CXGOV_ADMINS="Ops Team <ops@example.com>, dev@example.com")
    assert configured.ADMINS == [("Ops Team", "ops@example.com"), ("", "dev@example.com")]


def test_production_keeps_database_connections_for_a_minute_unless_told_otherwise(monkeypatch):
    """CONN_MAX_AGE only takes effect inside DATABASES (a module-level setting is silently ignored)."""
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)
    production = _production_settings(monkeypatch)
    assert production.DATABASES["default"]["CONN_MAX_AGE"] == 60
    assert not hasattr(production, "CONN_MAX_AGE")
    assert _production_settings(monkeypatch, CONN_MAX_AGE="5").DATABASES["default"]["CONN_MAX_AGE"] == 5


def test_docker_compose_does_not_trust_the_proxy_header_by_default():
    compose = (Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text()
    assert "CXGOV_TRUST_PROXY: ${CXGOV_TRUST_PROXY:-false}" in compose


# ------------------------------------------------------------------ the 500 page


def boom(request):
    raise RuntimeError("kaboom")


urlpatterns = [path("boom/", boom)]
handler500 = "cxgov.errors.server_error"


def test_the_site_uses_the_honest_500_handler():
    import cxgov.urls

    assert cxgov.urls.handler500 == "cxgov.errors.server_error"


@pytest.mark.urls("tests.integration.test_deployment_hardening")
def test_without_admins_the_500_page_promises_no_notification(settings):
    settings.ADMINS = []
    response = Client(raise_request_exception=False).get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "server log" in page and "notified" not in page and "e-mail" not in page and "prévenus" not in page
    assert mail.outbox == []


@pytest.mark.urls("tests.integration.test_deployment_hardening")
def test_with_admins_they_get_the_error_and_the_page_says_so(settings):
    settings.ADMINS = [("Ops", "ops@example.com")]
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "told by e-mail" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["ops@example.com"]]
    assert "kaboom" in mail.outbox[0].body
