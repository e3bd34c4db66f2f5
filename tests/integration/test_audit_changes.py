"""The audit log says what changed (before → after, with human labels), not what was posted; it is
paged and filtered in constant queries; a value that cannot be stored never costs a saved change its
line nor turns it into a 500; erasing a person anonymises the lines they made."""

import html
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from assessments.models import Round, RoundStatus
from audit.models import AuditEvent
from privacy.services import person_erase
from roadmaps.models import OrgRole, RaciCell, RoadmapItem
from tests.conftest import require_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    return Round.objects.get(organisation__slug="demo-retail")


@pytest.fixture
def consultant(client_for):
    return client_for(User.objects.get(email="consultant@demo.test"))


def log_page(client, **params):
    response = client.get(reverse("organisations:audit_log", args=["demo-retail"]), params)
    assert response.status_code == 200
    # The text a reader sees: tags removed, spaces collapsed.
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def raci_change(client, round_, extra=None):
    """Changes one letter of the to-be RACI through the page, as the browser posts it (every cell with
    the letter it was drawn with); returns (activity, role, before, after)."""
    client.get(reverse("roadmaps:raci", args=["demo-retail", round_.pk]))  # proposes the to-be RACI
    cells = list(RaciCell.objects.filter(round=round_).order_by("pk"))
    cell = cells[0]
    after = "A" if cell.letter != "A" else "R"
    data = {}
    for other in cells[:40]:
        data[f"cell-{other.activity}-{other.role}"] = other.letter
        data[f"was-{other.activity}-{other.role}"] = other.letter
    data[f"cell-{cell.activity}-{cell.role}"] = after
    data.update(extra or {})
    response = client.post(reverse("roadmaps:raci", args=["demo-retail", round_.pk]), data)
    assert response.status_code == 302
    return cell.activity, cell.role, cell.letter, after


def test_a_raci_change_is_one_line_before_and_after_with_labels(demo, consultant):
    activity, role, before, after = raci_change(consultant, demo)
    event = AuditEvent.objects.get(kind="raci")
    title = demo.framework.raci_activities.get(key=activity).title_fr
    role_title = OrgRole.objects.get(organisation=demo.organisation, key=role).title_fr
    assert event.target == title and event.round == demo and event.actor.email == "consultant@demo.test"
    assert event.changes == [{"field": role, "label": role_title, "before": before, "after": after}]
    page = log_page(consultant)
    assert f"{role_title} {before} → {after}" in page and title in page
    assert "cell-" not in page and "was-" not in page  # not the form that was posted


def test_round_status_and_removed_initiative_read_as_sentences(demo, consultant):
    item = RoadmapItem.objects.filter(round=demo).first()
    remove = reverse("roadmaps:item_remove", args=["demo-retail", demo.pk, item.pk])
    assert consultant.post(remove, {"confirm": "1"}).status_code == 302
    transition = reverse("assessments:round_transition", args=["demo-retail", demo.pk])
    assert consultant.post(transition, {"to": "open", "confirm": "1"}).status_code == 302
    status = AuditEvent.objects.get(kind="round")
    assert status.target == demo.title and status.changes == [{"field": "status", "before": "closed", "after": "open"}]
    removed = AuditEvent.objects.get(kind="initiative")
    assert removed.verb == "removed" and removed.target == item.title_fr
    page = log_page(consultant)
    with translation.override(User.objects.get(email="consultant@demo.test").language):
        assert f"{RoundStatus.CLOSED.label} → {RoundStatus.OPEN.label}" in page
        assert str(translation.gettext("removed")) in page
    assert item.title_fr in page


def _events(organisation, actors, rounds, n):
    kinds = ["raci", "round", "initiative", "target"]
    now = timezone.now()
    events = AuditEvent.objects.bulk_create(
        AuditEvent(
            organisation=organisation,
            actor=actors[i % len(actors)],
            round=rounds[i % len(rounds)],
            kind=kinds[i % len(kinds)],
            verb="changed",
            target=f"evt-{i:04d}",
            changes=[{"field": "status", "before": "open", "after": "closed"}],
        )
        for i in range(n)
    )
    # Spread over n days, the newest first.
    for i, event in enumerate(events):
        AuditEvent.objects.filter(pk=event.pk).update(created_at=now - timedelta(days=i))
    return now


def test_the_log_is_filtered_by_actor_kind_round_and_dates(demo, consultant):
    organisation = demo.organisation
    actors = [User.objects.get(email="consultant@demo.test"), User.objects.get(email="sponsor@demo.test")]
    other_round = Round.objects.create(organisation=organisation, framework=demo.framework, title="Deuxième tour")
    now = _events(organisation, actors, [demo, other_round], 40)
    page = log_page(consultant, actor=actors[1].pk)
    assert "evt-0001" in page and "evt-0000" not in page and "evt-0002" not in page
    page = log_page(consultant, kind="initiative")
    assert "evt-0002" in page and "evt-0006" in page and "evt-0001" not in page
    page = log_page(consultant, round=other_round.pk)
    assert "evt-0001" in page and "evt-0000" not in page
    since, until = (now - timedelta(days=5)).date(), (now - timedelta(days=3)).date()
    page = log_page(consultant, since=since.isoformat(), until=until.isoformat())
    assert {"evt-0003", "evt-0004", "evt-0005"} <= {f"evt-{i:04d}" for i in range(40) if f"evt-{i:04d}" in page}
    assert "evt-0000" not in page and "evt-0008" not in page
    # Nonsense in the filters is a message next to the field, never a 500.
    for params in ({"actor": str(2**63)}, {"round": "x\x00"}, {"since": "2026-13-45"}, {"kind": "🎯" * 1000}):
        response = consultant.get(reverse("organisations:audit_log", args=["demo-retail"]), params)
        assert response.status_code == 200 and "invalid-feedback" in response.content.decode()


def test_the_log_is_paged_in_constant_queries(demo, consultant):
    organisation = demo.organisation
    actors = [User.objects.get(email="consultant@demo.test"), User.objects.get(email="sponsor@demo.test")]
    _events(organisation, actors, [demo], 12)
    url = reverse("organisations:audit_log", args=["demo-retail"])
    with CaptureQueriesContext(connection) as few:
        consultant.get(url)
    _events(organisation, actors, [demo], 200)
    with CaptureQueriesContext(connection) as many:
        page = consultant.get(url)
    assert len(many) == len(few)
    assert page.context["page"].paginator.num_pages == 5 and len(page.context["rows"]) == 50
    # 106 lines by the consultant: page 2 of 3 links to page 3 and keeps the filter.
    second = consultant.get(url, {"page": 2, "actor": actors[0].pk}).content.decode()
    assert f"actor={actors[0].pk}&amp;page=3" in second and f"actor={actors[0].pk}&amp;page=1" in second


def _nul_in_a_posted_value(demo, consultant):
    raci_change(consultant, demo, extra={"comment": "a\x00b", "was-comment": "\x00"})
    event = AuditEvent.objects.get(kind="raci")
    assert event.changes and "\x00" not in str(event.changes) and "\x00" not in event.target


def test_a_nul_byte_posted_beside_a_saved_change_still_leaves_its_line(demo, consultant):
    _nul_in_a_posted_value(demo, consultant)


@pytest.mark.services
def test_a_nul_byte_posted_beside_a_saved_change_on_postgresql(demo, consultant):
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    _nul_in_a_posted_value(demo, consultant)


def test_erasing_a_person_anonymises_the_lines_they_made(demo, client_for, consultant):
    sponsor = User.objects.get(email="sponsor@demo.test")
    name = sponsor.display_name
    data = {f"target-D{i}": "5" for i in range(1, 11)} | {f"importance-D{i}": "3" for i in range(1, 11)}
    client_for(sponsor).post(reverse("roadmaps:targets", args=["demo-retail", demo.pk]), data)
    assert name in log_page(consultant)
    person_erase(user=sponsor)
    page = log_page(consultant)
    assert name not in page and "sponsor@demo.test" not in page
    assert AuditEvent.objects.filter(kind="target", actor=sponsor).exists()  # the lines stay, anonymised


def test_consensus_and_withdrawn_participant_are_recorded(demo, consultant):
    question = demo.framework.questions.order_by("pk").first()
    url = reverse("assessments:results_consensus", args=["demo-retail", demo.pk, question.key])
    assert consultant.post(url, {"level": "4", "rationale": "Accord en atelier"}).status_code == 302
    event = AuditEvent.objects.get(kind="consensus")
    assert event.target == question.key and event.changes == [{"field": "level", "before": None, "after": 4}]
    participant = demo.participants.filter(withdrawn_at__isnull=True).select_related("user").first()
    withdraw = reverse("assessments:participant_withdraw", args=["demo-retail", demo.pk, participant.pk])
    assert consultant.post(withdraw, {"confirm": "1"}).status_code == 302
    removed = AuditEvent.objects.get(kind="participant")
    assert removed.verb == "removed" and removed.person == participant.user and removed.target == participant.user.display_name
    page = log_page(consultant)
    assert f"{question.key}" in page and participant.user.display_name in page


def test_a_page_without_its_own_record_leaves_one_named_line_and_a_refused_form_none(demo, consultant):
    url = reverse("measurement:create", args=["demo-retail"])
    refused = consultant.post(url, {"metric": "nps", "period": "not a period"})
    assert refused.status_code == 200 and not AuditEvent.objects.exists()
    saved = consultant.post(url, {"metric": "retention_rate", "period": "2026-03", "value": "80", "source": "finance"})
    assert saved.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.kind, event.action, event.changes) == ("page", "measurement:create", [])
    with translation.override(User.objects.get(email="consultant@demo.test").language):
        assert str(translation.gettext("KPI value added")) in log_page(consultant)


def test_settings_and_member_roles_say_before_and_after(demo, consultant):
    organisation = demo.organisation
    url = reverse("organisations:settings", args=["demo-retail"])
    data = {"name": "Demo Retail Europe", "sector": organisation.sector, "size_band": organisation.size_band}
    data |= {"country": organisation.country, "brand_colour": organisation.brand_colour}
    assert consultant.post(url, data).status_code == 302
    event = AuditEvent.objects.get(kind="organisation")
    assert event.changes == [{"field": "name", "before": "Demo Retail", "after": "Demo Retail Europe"}]
    sponsor = organisation.memberships.select_related("user").get(user__email="sponsor@demo.test")
    role = reverse("organisations:member_role", args=["demo-retail", sponsor.pk])
    assert consultant.post(role, {"role": "viewer"}).status_code == 302
    member = AuditEvent.objects.get(kind="member")
    assert member.person == sponsor.user and member.target == sponsor.user.display_name
    assert member.changes == [{"field": "role", "before": "sponsor", "after": "viewer"}]
    page = log_page(consultant)
    assert "Demo Retail → Demo Retail Europe" in page
    with translation.override(User.objects.get(email="consultant@demo.test").language):
        from organisations.models import Role

        assert f"{Role.SPONSOR.label} → {Role.VIEWER.label}" in page
