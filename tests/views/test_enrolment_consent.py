"""Adding a participant (issue #21): nobody outside the organisation is enrolled without accepting an
invitation, and the inviter learns nothing about whether an account exists for the address."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments.models import Participant, RoundInvitation
from organisations.models import Invitation, Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings, org):
    # New messages are checked in English: their French arrives with the lead's translation merge.
    settings.LANGUAGE_CODE = "en"
    User.objects.update(language="en")


@pytest.fixture
def victim(db):
    """An account that exists elsewhere, with a name the inviter must never see."""
    other = OrganisationFactory(name="Elsewhere", slug="elsewhere")
    return MembershipFactory(
        organisation=other, role=Role.FACILITATOR, user=UserFactory(email="victor@rival.test", full_name="Victor Secretname")
    ).user


def _add(client, round_, email, full_name="V. Typed", function="cfo"):
    url = reverse("assessments:participant_add", args=[round_.organisation.slug, round_.pk])
    return client.post(url, {"email": email, "full_name": full_name, "function": function}, follow=True)


def _what_the_inviter_sees(response, email):
    """The page's messages and its pending invitations, with the address masked."""
    page = response.content.decode().replace(email, "EMAIL")
    messages = re.findall(r'<div class="alert[^>]*>(.*?)</div>', page, re.S)
    pending = re.findall(r"<li>([^<]*EMAIL[^<]*)<span", page)
    return messages, pending


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.SPONSOR])
def test_an_existing_account_outside_the_organisation_is_not_enrolled(
    org, open_round, victim, client_for, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client_for(org.members_by_role[role]), open_round, "Victor@Rival.test")
    page = response.content.decode()
    assert response.status_code == 200
    assert not Membership.objects.filter(organisation=org, user=victim).exists()
    assert not Participant.objects.filter(round=open_round, user=victim).exists()
    assert "Victor Secretname" not in page
    assert "V. Typed" in page and "An invitation to join Acme Retail" in page
    assert [m.to for m in mail.outbox] == [["victor@rival.test"]]
    assert "/invitations/" in mail.outbox[0].body and "Round 1" in mail.outbox[0].body


def test_the_inviter_cannot_tell_whether_an_account_exists(
    org, open_round, victim, client_for, django_capture_on_commit_callbacks
):
    facilitator = client_for(org.members_by_role["facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        known = _add(facilitator, open_round, "victor@rival.test", full_name="Same Name")
    Invitation.objects.all().delete()  # so that each page lists its own invitation only
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _add(facilitator, open_round, "nobody@rival.test", full_name="Same Name")
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    seen_known, seen_unknown = (
        _what_the_inviter_sees(known, "victor@rival.test"),
        _what_the_inviter_sees(unknown, "nobody@rival.test"),
    )
    assert seen_known == seen_unknown
    assert seen_known[1] == ["Same Name · EMAIL "]
    assert len(mail.outbox) == 2


def test_accepting_the_invitation_makes_the_person_a_participant(
    org, open_round, victim, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _add(client_for(org.members_by_role["sponsor"]), open_round, "victor@rival.test", function="coo")
    link = re.search(r"http://[^\s]+/invitations/[^\s]+/", mail.outbox[0].body).group(0).replace("http://127.0.0.1:8000", "")
    invitee = client_for(victim)
    landing = invitee.get(link)
    assert landing.status_code == 200 and "Round 1" in landing.content.decode()
    accepted = invitee.post(link, {"full_name": ""})
    assert accepted.status_code == 302
    assert accepted.url == reverse("assessments:answer_start", args=[org.slug, open_round.pk])
    assert Membership.objects.get(organisation=org, user=victim).role == Role.RESPONDENT
    assert Participant.objects.get(round=open_round, user=victim).function == "coo"
    victim.refresh_from_db()
    assert victim.full_name == "Victor Secretname"  # the inviter's typed name never overwrites an account's


def test_a_new_address_gets_its_account_and_participation_on_acceptance(
    org, open_round, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _add(client_for(org.members_by_role["facilitator"]), open_round, "newcomer@acme.test", full_name="Nina Newcomer")
    assert not Participant.objects.filter(round=open_round, user__email="newcomer@acme.test").exists()
    link = re.search(r"http://[^\s]+/invitations/[^\s]+/", mail.outbox[0].body).group(0).replace("http://127.0.0.1:8000", "")
    visitor = Client()
    form = visitor.get(link)
    assert 'value="Nina Newcomer"' in form.content.decode()
    accepted = visitor.post(
        link, {"full_name": "Nina Newcomer", "password1": "Tr3s-s3cret-pass", "password2": "Tr3s-s3cret-pass"}
    )
    assert accepted.status_code == 302
    assert Participant.objects.get(round=open_round, user__email="newcomer@acme.test").function == "cfo"


def test_members_are_still_added_at_once(org, open_round, client_for, django_capture_on_commit_callbacks):
    viewer = org.members_by_role["viewer"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client_for(org.members_by_role["facilitator"]), open_round, viewer.email)
    assert Participant.objects.filter(round=open_round, user=viewer).exists()
    assert not RoundInvitation.objects.filter(round=open_round).exists()
    assert f"{viewer.email} has been invited" in response.content.decode()
