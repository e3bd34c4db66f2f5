"""The audit log records who changed what; answering is not recorded; facilitators only can read it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from assessments.models import Round
from audit import recording
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    return Round.objects.get(organisation__slug="demo-retail")


def test_changes_are_recorded_with_who_and_what(demo, client_for):
    sponsor = User.objects.get(email="sponsor@demo.test")
    data = {f"target-D{i}": "4" for i in range(1, 11)} | {f"importance-D{i}": "2" for i in range(1, 11)}
    client_for(sponsor).post(reverse("roadmaps:targets", args=["demo-retail", demo.pk]), data)
    events = AuditEvent.objects.filter(action="roadmaps:targets", kind="target")
    assert events.exists() and all(e.actor == sponsor and e.round == demo for e in events)
    # What changed, not what was posted: the form's fields and its CSRF token are not stored.
    assert all({c["field"] for c in e.changes} <= {"target", "importance"} and e.changes for e in events)
    assert not any("csrfmiddlewaretoken" in str(e.changes) for e in events)
    consultant = client_for(User.objects.get(email="consultant@demo.test"))
    consultant.post(reverse("roadmaps:raci", args=["demo-retail", demo.pk]), {"cell-cx_budget-ceo": "I", "was-cx_budget-ceo": ""})
    assert AuditEvent.objects.filter(action="roadmaps:raci", kind="raci", actor__email="consultant@demo.test").exists()


def test_refused_changes_and_answers_are_not_recorded(demo, client_for, open_round, org):
    respondent = client_for(User.objects.get(email="respondent1@demo.test"))
    respondent.post(reverse("roadmaps:targets", args=["demo-retail", demo.pk]), {"target-D1": "5"})  # 403
    client_for(org.members_by_role["respondent"]).post(
        reverse("assessments:answer_save", args=[org.slug, open_round.pk, "D1.1"]), {"q-D1.1-level": "3"}
    )
    assert AuditEvent.objects.count() == 0


def test_only_facilitators_read_the_log(demo, client_for, outsider):
    url = reverse("organisations:audit_log", args=["demo-retail"])
    consultant = client_for(User.objects.get(email="consultant@demo.test"))
    consultant.post(reverse("assessments:round_transition", args=["demo-retail", demo.pk]), {"to": "open", "confirm": "1"})
    page = consultant.get(url)
    assert page.status_code == 200 and "Diagnostic CX 2026" in page.content.decode()
    assert AuditEvent.objects.filter(kind="round", action="assessments:round_transition").exists()
    assert client_for(User.objects.get(email="sponsor@demo.test")).get(url).status_code == 403
    assert client_for(User.objects.get(email="respondent1@demo.test")).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_the_log_shows_its_lines_to_facilitators_and_nothing_to_anyone_else(org, client_for, outsider):
    """PRODUCT.md: managing members is the facilitator's; the log lives at the same path under tenancy."""
    facilitator = org.members_by_role["facilitator"]
    recording.record(
        organisation=org,
        kind="organisation",
        target="Acme Retail",
        actor=facilitator,
        changes=[recording.change("name", "Acme", "Acme Retail")],
    )
    url = reverse("organisations:audit_log", args=[org.slug])
    assert url == f"/o/{org.slug}/audit/"
    page = client_for(facilitator).get(url)
    assert page.status_code == 200 and "Acme → Acme Retail" in page.content.decode()
    for role in ("sponsor", "respondent", "viewer"):
        refused = client_for(org.members_by_role[role]).get(url)
        assert refused.status_code == 403 and "Acme → Acme Retail" not in refused.content.decode(), role
    hidden = client_for(outsider).get(url)
    assert hidden.status_code == 404 and "Acme" not in hidden.content.decode()
