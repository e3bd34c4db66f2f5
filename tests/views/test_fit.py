"""The accessibility statement (public, bilingual, linked from every page) and the workshop's projector mode."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

STATEMENT = "/accessibility/"


def in_language(client, language):
    """The client, having chosen ``language`` with the header's switch (a cookie, or their account's setting)."""
    client.post(reverse("accounts:set_language"), {"language": language, "next": STATEMENT})
    return client


def workshop_url(round_, key=None):
    if key is None:
        return reverse("assessments:workshop", args=[round_.organisation.slug, round_.pk])
    return reverse("assessments:workshop_dimension", args=[round_.organisation.slug, round_.pk, key])


# ------------------------------------------------------------------ accessibility statement


def test_the_statement_is_public_and_says_what_does_not_conform():
    response = in_language(Client(), "en").get(STATEMENT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Accessibility statement</h1>" in html
    # RGAA: the status, what does not conform yet, how to report a problem, and the remedies.
    for heading in ("Compliance status", "What is not accessible yet", "Report a problem", "Remedies"):
        assert f">{heading}</h2>" in html
    assert "is not compliant" in html and "PDF reports are not tagged" in html
    assert "Défenseur des droits" in html


def test_the_statement_is_in_french_too():
    html = in_language(Client(), "fr").get(STATEMENT).content.decode()
    assert '<html lang="fr">' in html
    assert "<h1>Déclaration d’accessibilité</h1>" in html
    assert "Ce qui n’est pas encore accessible" in html


def test_the_contact_comes_from_the_settings(settings):
    settings.CXGOV_ACCESSIBILITY_CONTACT = ""
    assert "the consultant who invited you" in in_language(Client(), "en").get(STATEMENT).content.decode()
    settings.CXGOV_ACCESSIBILITY_CONTACT = "accessibilite@conseil.example"
    html = in_language(Client(), "en").get(STATEMENT).content.decode()
    assert '<a href="mailto:accessibilite@conseil.example">' in html
    settings.CXGOV_ACCESSIBILITY_CONTACT = "https://conseil.example/accessibilite"
    html = in_language(Client(), "en").get(STATEMENT).content.decode()
    assert '<a href="https://conseil.example/accessibilite">' in html and "mailto:" not in html


def test_every_page_links_to_the_statement_from_its_footer(org, client_for):
    pages = [
        Client().get(reverse("accounts:login")),
        client_for(org.members_by_role["respondent"]).get("/"),
        client_for(org.members_by_role["facilitator"]).get(reverse("workspace:detail", args=[org.slug])),
    ]
    for response in pages:
        assert response.status_code == 200
        footer = re.search(r"<footer.*?</footer>", response.content.decode(), flags=re.S).group(0)
        assert f'href="{STATEMENT}"' in footer


# ------------------------------------------------------------------ projector mode


def test_the_workshop_offers_a_projector_mode_without_the_app_chrome(org, open_round, client_for):
    facilitator = in_language(client_for(org.members_by_role["facilitator"]), "en")
    normal = facilitator.get(workshop_url(open_round, "D2")).content.decode()
    assert "<header" in normal and "<footer" in normal
    assert f'href="{workshop_url(open_round, "D2")}?chrome=0">Projector mode</a>' in normal

    projector = facilitator.get(workshop_url(open_round, "D2") + "?chrome=0").content.decode()
    assert "<header" not in projector and "<footer" not in projector and "cx-projector" in projector
    assert f'href="{workshop_url(open_round, "D2")}">Leave projector mode</a>' in projector
    # Moving to another dimension stays in projector mode.
    assert f'href="{workshop_url(open_round, "D1")}?chrome=0"' in projector
    assert f'href="{workshop_url(open_round, "D3")}?chrome=0"' in projector


def test_projector_mode_is_only_the_workshops(org, client_for):
    html = client_for(org.members_by_role["facilitator"]).get("/?chrome=0").content.decode()
    assert "<header" in html and "<footer" in html
