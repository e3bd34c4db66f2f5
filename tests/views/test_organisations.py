"""Organisation flows: create, settings with logo, invitations (valid, expired, reused), members."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import User
from organisations import services
from organisations.models import Invitation, Membership, Organisation, Role

pytestmark = pytest.mark.django_db


def _link_from_mail():
    body = mail.outbox[-1].body
    return next(line.strip() for line in body.splitlines() if "/invitations/" in line)


def test_creating_an_organisation_makes_me_its_facilitator(client_for, outsider):
    client = client_for(outsider)
    response = client.post(
        reverse("organisations:create"), {"name": "Maison Dupont", "sector": "retail", "size_band": "50-249", "country": "FR"}
    )
    organisation = Organisation.objects.get(name="Maison Dupont")
    assert response.status_code == 302 and response.url == reverse("workspace:detail", args=[organisation.slug])
    assert Membership.objects.get(organisation=organisation, user=outsider).role == Role.FACILITATOR


def test_create_form_with_errors_keeps_what_was_typed(client_for, outsider):
    response = client_for(outsider).post(
        reverse("organisations:create"), {"name": "Maison Dupont", "sector": "nonsense", "size_band": "50-249"}
    )
    assert response.status_code == 200
    assert b'value="Maison Dupont"' in response.content
    assert not Organisation.objects.filter(name="Maison Dupont").exists()


def test_invitation_creates_account_and_membership_once(org, client_for, django_capture_on_commit_callbacks):
    facilitator = client_for(org.members_by_role["facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(
            reverse("organisations:members", args=[org.slug]), {"email": "New.Person@Acme.test", "role": "respondent"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.person@acme.test"]
    link = _link_from_mail()
    anonymous = client_for(None)
    page = anonymous.get(link)
    assert page.status_code == 200
    assert "Avis de confidentialité".encode() in page.content  # the privacy notice, in French by default
    bad = anonymous.post(link, {"full_name": "Nouvelle Personne", "password1": "short", "password2": "short"})
    assert bad.status_code == 200 and b'value="Nouvelle Personne"' in bad.content
    assert not User.objects.filter(email="new.person@acme.test").exists()
    ok = anonymous.post(
        link, {"full_name": "Nouvelle Personne", "password1": "Tr3s-s3cret-pass", "password2": "Tr3s-s3cret-pass"}
    )
    assert ok.status_code == 302
    user = User.objects.get(email="new.person@acme.test")
    assert user.check_password("Tr3s-s3cret-pass")
    assert Membership.objects.get(user=user, organisation=org).role == Role.RESPONDENT
    # Reused link: a clear page, nothing created.
    reused = client_for(None).get(link)
    assert reused.status_code == 410
    assert "déjà été utilisée".encode() in reused.content
    assert Membership.objects.filter(user=user).count() == 1


def test_expired_and_tampered_invitations_create_nothing(org, client_for):
    outcome = services.member_invite(
        organisation=org, invited_by=org.members_by_role["facilitator"], email="late@acme.test", role="viewer"
    )
    token = services.invitation_token(outcome.invitation)
    Invitation.objects.filter(pk=outcome.invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client = client_for(None)
    expired = client.post(
        reverse("organisations:invitation", args=[token]), {"password1": "Tr3s-s3cret-pass", "password2": "Tr3s-s3cret-pass"}
    )
    assert expired.status_code == 410 and "expiré".encode() in expired.content
    tampered = client.get(reverse("organisations:invitation", args=[token[:-2] + "xx"]))
    assert tampered.status_code == 400
    assert not User.objects.filter(email="late@acme.test").exists()


def test_renewed_invitation_invalidates_the_old_link(org):
    first = services.member_invite(organisation=org, invited_by=None, email="twice@acme.test", role="viewer")
    old_token = services.invitation_token(first.invitation)
    second = services.member_invite(organisation=org, invited_by=None, email="twice@acme.test", role="viewer")
    assert second.resent and second.invitation.pk == first.invitation.pk
    with pytest.raises(services.InvitationError):
        services.invitation_from_token(old_token)


def test_inviting_an_existing_member_says_so(org, client_for):
    response = client_for(org.members_by_role["facilitator"]).post(
        reverse("organisations:members", args=[org.slug]), {"email": "viewer@acme.test", "role": "viewer"}
    )
    assert response.status_code == 200
    assert "déjà membre".encode() in response.content
    assert not Invitation.objects.filter(email="viewer@acme.test").exists()


def test_sponsor_cannot_invite_a_facilitator(org, client_for):
    response = client_for(org.members_by_role["sponsor"]).post(
        reverse("organisations:members", args=[org.slug]), {"email": "boss@acme.test", "role": "facilitator"}
    )
    assert response.status_code == 200
    assert not Invitation.objects.filter(email="boss@acme.test").exists()


def test_last_facilitator_cannot_be_removed_or_demoted(org, client_for):
    facilitator = org.members_by_role["facilitator"]
    membership = Membership.objects.get(user=facilitator, organisation=org)
    client = client_for(facilitator)
    client.post(reverse("organisations:member_role", args=[org.slug, membership.pk]), {"role": "viewer"})
    client.post(reverse("organisations:member_remove", args=[org.slug, membership.pk]))
    membership.refresh_from_db()
    assert membership.role == Role.FACILITATOR


def test_logo_is_reencoded_and_svg_refused(org, client_for):
    client = client_for(org.members_by_role["facilitator"])
    data = {"name": org.name, "sector": "retail", "size_band": "1000-4999", "country": "FR", "brand_colour": "#123456"}
    svg = SimpleUploadedFile(
        "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", content_type="image/svg+xml"
    )
    refused = client.post(reverse("organisations:settings", args=[org.slug]), {**data, "logo_upload": svg})
    assert refused.status_code == 200
    org.refresh_from_db()
    assert not org.logo
    buffer = BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, format="JPEG")
    jpeg = SimpleUploadedFile("logo.jpg", buffer.getvalue(), content_type="image/jpeg")
    saved = client.post(reverse("organisations:settings", args=[org.slug]), {**data, "logo_upload": jpeg})
    assert saved.status_code == 302
    org.refresh_from_db()
    assert org.brand_colour == "#123456"
    with org.logo.open("rb") as handle:
        assert Image.open(handle).format == "PNG"
    served = client.get(reverse("organisations:logo", args=[org.slug]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    css = client.get(reverse("organisations:brand_css", args=[org.slug]))
    assert b"#123456" in css.content


def test_brand_colour_must_be_a_hex_colour(org, client_for):
    response = client_for(org.members_by_role["facilitator"]).post(
        reverse("organisations:settings", args=[org.slug]),
        {"name": org.name, "sector": "retail", "size_band": "1000-4999", "country": "FR", "brand_colour": "red;}body{x"},
    )
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.brand_colour != "red;}body{x"
