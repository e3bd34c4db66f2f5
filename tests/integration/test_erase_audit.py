"""erase_person and the audit log (issue #21): no e-mail or name of the erased person survives in
recorded lines, whether they made the change, were its subject, or appear inside a value."""

import json

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from assessments.models import RoundInvitation
from audit import recording as audit
from audit.models import AuditEvent
from organisations.models import Invitation, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(org):
    return MembershipFactory(
        organisation=org, role=Role.SPONSOR, user=UserFactory(email="erin.erased@acme.test", full_name="Erin Ezrasure")
    ).user


def _everything_recorded():
    return json.dumps([model_to_dict(event) for event in AuditEvent.objects.all()], default=str, ensure_ascii=False).lower()


def test_erasure_leaves_no_email_or_name_in_the_audit_log(org, erin, client_for, open_round):
    facilitator = org.members_by_role["facilitator"]
    audit.record(
        organisation=org, kind="round", target="Round 1", changes=[audit.change("title", "Draft", "Round 1")], actor=erin
    )
    audit.record(
        organisation=org,
        kind="member",
        target="Erin Ezrasure",
        person=erin,
        changes=[audit.change("role", "viewer", "sponsor")],
        actor=facilitator,
    )
    audit.record(organisation=org, kind="invitation", verb=audit.CREATED, target="ERIN.ERASED@acme.test", actor=facilitator)
    audit.record(
        organisation=org,
        kind="raci",
        target="Define the CX strategy",
        changes=[audit.change("owner", "erin.erased@acme.test", "Erin Ezrasure (CFO)")],
        actor=facilitator,
    )
    invitation = Invitation.objects.create(
        organisation=org, email="erin.erased@acme.test", role=Role.RESPONDENT, nonce="n" * 32, expires_at="2030-01-01T00:00Z"
    )
    RoundInvitation.objects.create(invitation=invitation, round=open_round, function="cfo", full_name="Erin E.")
    assert "erin.erased@acme.test" in _everything_recorded()

    call_command("erase_person", "erin.erased@acme.test")

    recorded = _everything_recorded()
    assert "erin.erased" not in recorded and "ezrasure" not in recorded
    assert AuditEvent.objects.count() == 4  # the lines stay, without the person
    assert not Invitation.objects.filter(email__iexact="erin.erased@acme.test").exists()
    assert not RoundInvitation.objects.filter(full_name="Erin E.").exists()  # the typed name goes with it
    page = client_for(facilitator).get(f"/o/{org.slug}/audit/").content.decode().lower()
    assert "erin.erased" not in page and "ezrasure" not in page
    assert "define the cx strategy" in page  # other people's records are kept


def test_a_short_name_is_not_scrubbed_from_unrelated_words(org, client_for):
    al = MembershipFactory(organisation=org, role=Role.VIEWER, user=UserFactory(email="al@acme.test", full_name="Al")).user
    audit.record(
        organisation=org,
        kind="round",
        target="Annual review",
        changes=[audit.change("title", "Sales", "Annual review")],
        actor=org.members_by_role["facilitator"],
    )
    call_command("erase_person", al.email)
    assert AuditEvent.objects.get().target == "Annual review"


def test_erasure_removes_the_login_records_that_name_the_address(client, erin):
    from axes.models import AccessAttempt, AccessLog

    client.post("/accounts/login/", {"username": "Erin.Erased@acme.test", "password": "wrong"})
    client.post("/accounts/login/", {"username": "erin.erased@acme.test", "password": "pass-1234-word"})
    assert (
        AccessAttempt.objects.filter(username="erin.erased@acme.test").exists()
        or AccessLog.objects.filter(username="erin.erased@acme.test").exists()
    )
    call_command("erase_person", "erin.erased@acme.test")
    assert not AccessAttempt.objects.filter(username__icontains="erin.erased").exists()
    assert not AccessLog.objects.filter(username__icontains="erin.erased").exists()
