"""The steering rhythm (issue #17): who is invited, the .ics series, invitations and agendas sent once,
the agenda's due items, and the scheduler run twice a day for 30 days."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.models import Round
from audit.labels import describe_changes, kind_label
from audit.models import AuditEvent
from governance import selectors, services
from governance.agenda import agenda_build
from governance.calendar_file import calendar_text
from governance.models import AgendaMailing, RoleHolder, SteeringRhythm
from governance.tasks import send_due_agendas, send_rhythm_invitations
from measurement.models import Measurement
from organisations.models import Role
from roadmaps.models import ItemStatus, RaciCell, RoadmapItem
from roadmaps.services import raci_accountable, raci_set_cell
from tests.factories import MembershipFactory, UserFactory
from tests.governance_world import FIRST_TUESDAY, close_with_raci, give_roles, rhythm_for
from tests.unit.ical_strict import parse, unescape

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org, open_round, framework):
    round_ = close_with_raci(open_round, framework)
    return {"round": round_, "people": give_roles(org), "org": org}


def invitation_files(outbox) -> dict[str, bytes]:
    """Each recipient's attached calendar file."""
    files = {}
    for message in outbox:
        parts = [p for p in message.attachments if getattr(p, "get_content_type", lambda: "")() == "text/calendar"]
        assert len(parts) == 1, message.subject
        files[message.to[0]] = parts[0].get_payload(decode=True)
    return files


# --------------------------------------------------------------------------- who is invited


def test_attendees_are_the_a_holders_the_cxo_and_the_sponsors(world, org):
    round_ = world["round"]
    a_roles = set(RaciCell.objects.filter(round=round_, letter="A").values_list("role", flat=True))
    assert a_roles == {"ceo", "cfo", "chro", "cio", "coo"}
    listed = selectors.attendees(round_=round_)
    people = world["people"]
    # The A holders (cio has none), the CXO's holder, the sponsor: each person once.
    assert sorted(listed.emails) == sorted(
        {people["ceo"].email, people["finance"].email, people["chro"].email, people["cxo"].email}
    )
    by_email = {a.user.email: a for a in listed.people}
    assert [r.key for r in by_email[people["finance"].email].roles] == ["cfo", "coo"]
    assert by_email[people["sponsor"].email].sponsor and [r.key for r in by_email[people["sponsor"].email].roles] == ["ceo"]
    assert [r.key for r in listed.unheld] == ["cio"]
    assert {r.key for r in listed.accountable} == a_roles


def test_a_holder_who_left_or_has_no_account_is_not_invited(world, org):
    round_ = world["round"]
    finance = world["people"]["finance"]
    finance.memberships.all().delete()
    listed = selectors.attendees(round_=round_)
    assert finance.email not in listed.emails
    assert {r.key for r in listed.unheld} == {"cio", "cfo", "coo"}
    cxo = world["people"]["cxo"]
    cxo.is_active = False
    cxo.save()
    assert cxo.email not in selectors.attendees(round_=round_).emails


def test_a_second_sponsor_is_invited_and_a_role_can_only_go_to_a_member(world, org, outsider):
    second = MembershipFactory(organisation=org, role=Role.SPONSOR, user=UserFactory(email="sponsor2@acme.test")).user
    assert second.email in selectors.attendees(round_=world["round"]).emails
    with pytest.raises(services.GovernanceError) as refused:
        services.role_holders_set(organisation=org, chosen={"cio": outsider.pk})
    assert refused.value.code == "not_a_member"
    with pytest.raises(services.GovernanceError):
        services.role_holders_set(organisation=org, chosen={"nobody_role": second.pk})
    assert not RoleHolder.objects.filter(role="cio").exists()


# --------------------------------------------------------------------------- the series and its file


def test_the_proposal_is_monthly_on_a_first_tuesday_and_reading_it_stores_nothing(world, org, client_for):
    url = reverse("governance:rhythm", args=[org.slug, world["round"].pk])
    client = client_for(org.members_by_role["facilitator"])
    pages = [
        url,
        reverse("governance:agenda", args=[org.slug, world["round"].pk]),
        reverse("governance:role_holders", args=[org.slug]),
    ]
    with CaptureQueriesContext(connection) as queries:
        responses = [client.get(page) for page in pages]
    assert [r.status_code for r in responses] == [200, 200, 200]
    response = responses[0]
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].split(" ", 1)[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert not SteeringRhythm.objects.exists()
    first = selectors.rhythm_proposal(round_=world["round"], today=selectors.paris_today()).first_meeting
    body = response.content.decode()
    assert f'datetime="{first.isoformat()}"' in body and 'value="monthly" selected' in body
    assert 'value="09:00"' in body and 'value="90"' in body
    assert first.weekday() == 1 and first.day <= 7


def test_no_rhythm_while_the_raci_has_errors(world, org, client_for):
    round_ = world["round"]
    cell = RaciCell.objects.filter(round=round_, letter="A").first()
    raci_set_cell(round_=round_, activity=cell.activity, role=cell.role, letter="")
    with pytest.raises(services.GovernanceError) as refused:
        rhythm_for(round_)
    assert refused.value.code == "raci_not_validated"
    body = client_for(org.members_by_role["facilitator"]).get(reverse("governance:rhythm", args=[org.slug, round_.pk])).content
    assert b'name="cadence"' not in body and b'id="attendees"' not in body
    assert reverse("roadmaps:raci", args=[org.slug, round_.pk]).encode() in body
    response = client_for(org.members_by_role["facilitator"]).post(
        reverse("governance:rhythm", args=[org.slug, round_.pk]),
        {"cadence": "monthly", "first_meeting": "2099-01-06", "start_time": "09:00", "duration_minutes": "90"},
    )
    assert response.status_code == 302 and not SteeringRhythm.objects.exists()


@pytest.mark.parametrize(
    ("cadence", "rule"),
    [
        ("weekly", "FREQ=WEEKLY;BYDAY=TU"),
        ("fortnightly", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("monthly", "FREQ=MONTHLY;BYDAY=1TU"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3;BYDAY=1TU"),
    ],
)
def test_the_downloaded_file_parses_and_says_the_right_things(cadence, rule, world, org, client_for):
    rhythm = rhythm_for(world["round"], cadence=cadence, user=org.members_by_role["facilitator"])
    response = client_for(org.members_by_role["sponsor"]).get(
        reverse("governance:rhythm_calendar", args=[org.slug, world["round"].pk])
    )
    assert response["Content-Type"].startswith("text/calendar") and "attachment" in response["Content-Disposition"]
    root = parse(response.content)
    assert root.one("METHOD").value == "REQUEST" and root.child("VTIMEZONE").one("TZID").value == "Europe/Paris"
    event = root.child("VEVENT")
    assert event.one("UID").value == rhythm.uid and event.one("SEQUENCE").value == "0"
    assert event.one("DTSTART").params["TZID"] == "Europe/Paris" and event.one("DTSTART").value == "20270105T090000"
    assert event.one("DTSTAMP").value.endswith("Z")
    assert event.one("RRULE").value == rule
    assert event.one("DURATION").value == "PT1H30M"
    assert "Acme Retail" in unescape(event.one("SUMMARY").value)
    assert unescape(event.one("LOCATION").value) == "Salle du conseil"
    assert event.one("ORGANIZER").value == "mailto:facilitator@acme.test"
    attendees = {line.value.removeprefix("mailto:") for line in event.all("ATTENDEE")}
    assert attendees == set(selectors.attendees(round_=world["round"]).emails)
    assert all(line.params["ROLE"] == "REQ-PARTICIPANT" and line.params["RSVP"] == "TRUE" for line in event.all("ATTENDEE"))


def test_the_summary_in_english_and_in_french(world):
    rhythm = rhythm_for(world["round"])
    with translation.override("en"):
        event = parse(calendar_text(rhythm).encode()).child("VEVENT")
    assert unescape(event.one("SUMMARY").value) == "Customer-experience steering committee — Acme Retail"


def test_a_place_typed_with_line_breaks_cannot_add_a_property(world):
    rhythm = rhythm_for(world["round"])
    SteeringRhythm.objects.filter(pk=rhythm.pk).update(location="Salle 1\r\nATTENDEE:mailto:intruder@evil.test")
    rhythm.refresh_from_db()
    event = parse(calendar_text(rhythm).encode()).child("VEVENT")
    assert "mailto:intruder@evil.test" not in [line.value for line in event.all("ATTENDEE")]
    assert unescape(event.one("LOCATION").value) == "Salle 1\nATTENDEE:mailto:intruder@evil.test"


# --------------------------------------------------------------------------- invitations, once per version


def test_invitations_go_once_per_version_in_each_language(world, org, mailoutbox):
    rhythm = rhythm_for(world["round"], user=org.members_by_role["facilitator"])
    emails = set(selectors.attendees(round_=world["round"]).emails)
    assert services.invitations_request(rhythm=rhythm) is True  # the outbox relays it inline (no broker)
    assert {m.to[0] for m in mailoutbox} == emails and len(mailoutbox) == len(emails)
    files = invitation_files(mailoutbox)
    for data in files.values():
        event = parse(data).child("VEVENT")
        assert event.one("SEQUENCE").value == "0" and event.one("UID").value == rhythm.uid
    # In each person's language: the finance holder reads English, the others French (Django's own date names).
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "Tuesday 5 January 2027" in by_address["finance@acme.test"].body
    assert "mardi 5 janvier 2027" in by_address["sponsor@acme.test"].body
    rhythm.refresh_from_db()
    assert rhythm.invited_sequence == rhythm.sequence == 0
    # Again, by the task or the page: nothing.
    assert send_rhythm_invitations(rhythm.pk) == 0
    assert services.invitations_request(rhythm=rhythm) is False
    assert len(mailoutbox) == len(emails)
    # Saving the same values is no change; a real change raises the sequence and allows one more sending.
    assert rhythm_for(world["round"]).sequence == 0
    changed = rhythm_for(world["round"], cadence="fortnightly")
    assert changed.sequence == 1 and services.invitations_pending(changed)
    assert send_rhythm_invitations(changed.pk) == len(emails)
    assert send_rhythm_invitations(changed.pk) == 0
    assert len(mailoutbox) == 2 * len(emails)
    update = parse(invitation_files(mailoutbox[len(emails) :])["sponsor@acme.test"]).child("VEVENT")
    assert (update.one("UID").value, update.one("SEQUENCE").value) == (rhythm.uid, "1")
    assert update.one("RRULE").value == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"


def test_a_failed_sending_can_be_tried_again(world, org, mailoutbox, monkeypatch):
    rhythm = rhythm_for(world["round"])
    from cxgov import mail  # noqa: PLC0415 — the module whose deliver the test breaks

    def refuse(message):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(mail, "deliver", refuse)
    with pytest.raises(ConnectionError):
        services.rhythm_invite(rhythm_id=rhythm.pk)
    rhythm.refresh_from_db()
    assert rhythm.invited_sequence is None  # the claim went with the failure
    monkeypatch.undo()
    assert services.rhythm_invite(rhythm_id=rhythm.pk) == len(selectors.attendees(round_=world["round"]).people)


# --------------------------------------------------------------------------- the agenda


def test_the_agenda_holds_exactly_the_due_items(world, org):
    """Meeting of 2 March 2027 (the following one: 6 April): due before 6 April or overdue, not done nor dropped."""
    round_ = world["round"]
    items = {i.key: i for i in RoadmapItem.objects.filter(round=round_)}
    RoadmapItem.objects.filter(pk=items["D1-2-a"].pk).update(status=ItemStatus.DONE)
    RoadmapItem.objects.filter(pk=items["D2-2-b"].pk).update(status=ItemStatus.DROPPED)
    RoadmapItem.objects.filter(pk=items["D3-2-a"].pk).update(status=ItemStatus.IN_PROGRESS)
    # A custom initiative owned by the CIO (nobody holds the role), planned for January: overdue.
    RoadmapItem.objects.create(
        round=round_, key="custom-1", title_fr="Cartographier les données", start_month=0, duration_months=1,
        selected_by="custom", custom=True, owner_role="cio", owner_overridden=True,
    )  # fmt: skip
    rhythm = rhythm_for(round_)
    with translation.override("en"):
        agenda = agenda_build(rhythm, date(2027, 3, 2))
    assert agenda.following == date(2027, 4, 6)
    lines = {line.key: line for group in agenda.groups for line in group.lines}
    # Started at month 0 for 3 months: due 31 March 2027; the custom one was due 31 January.
    assert set(lines) == {"D1-2-b", "D2-2-a", "D3-2-a", "D3-2-b", "custom-1"}
    assert lines["custom-1"].overdue and lines["custom-1"].due_on == date(2027, 1, 31)
    assert not lines["D3-2-b"].overdue and lines["D3-2-b"].due_on == date(2027, 3, 31)
    people = world["people"]
    groups = [(g.holder.email if g.holder else None, g.roles, [line.key for line in g.lines]) for g in agenda.groups]
    assert groups == [
        (people["ceo"].email, ("CEO",), ["D1-2-b", "D2-2-a", "D3-2-a"]),
        (people["finance"].email, ("COO",), ["D3-2-b"]),
        (None, ("CIO",), ["custom-1"]),
    ]
    # A month later the same items are overdue, and those due by the May meeting join them.
    later = agenda_build(rhythm, date(2027, 4, 6))
    overdue = {line.key for group in later.groups for line in group.lines if line.overdue}
    assert overdue == {"D1-2-b", "D2-2-a", "D3-2-a", "D3-2-b", "custom-1"}


def test_the_agenda_page_previews_the_next_meeting(world, org, client_for):
    rhythm_for(world["round"], first=selectors.paris_today() + timedelta(days=9))
    response = client_for(org.members_by_role["sponsor"]).get(reverse("governance:agenda", args=[org.slug, world["round"].pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert (selectors.paris_today() + timedelta(days=9)).strftime("%Y") in body and 'id="agenda-contested"' in body


# --------------------------------------------------------------------------- the scheduler


def run_scheduler(start: date, days: int) -> None:
    """Twice a day (07:00 and 19:00, say) for ``days`` days from ``start``, as Celery beat would."""
    for n in range(days):
        for _run in range(2):
            send_due_agendas((start + timedelta(days=n)).isoformat())


@pytest.mark.parametrize(
    ("cadence", "meetings"),
    [
        # From 15 February to 16 March 2027 the tomorrows run from 16 February to 17 March.
        ("monthly", [date(2027, 3, 2)]),
        ("weekly", [date(2027, 2, 16), date(2027, 2, 23), date(2027, 3, 2), date(2027, 3, 9), date(2027, 3, 16)]),
        ("fortnightly", [date(2027, 2, 16), date(2027, 3, 2), date(2027, 3, 16)]),
        ("quarterly", []),  # 5 January, then 6 April
    ],
)
def test_thirty_days_of_the_scheduler_send_each_agenda_once(cadence, meetings, world, org, mailoutbox):
    rhythm = rhythm_for(world["round"], cadence=cadence, first=FIRST_TUESDAY)
    attendees = len(selectors.attendees(round_=world["round"]).people)
    assert attendees == 4
    send_rhythm_invitations(rhythm.pk)
    invitations = len(mailoutbox)
    assert invitations == attendees
    run_scheduler(date(2027, 2, 15), 30)
    for _again in range(2):
        send_rhythm_invitations(rhythm.pk)  # a redelivered invitation task sends nothing
    agendas = mailoutbox[invitations:]
    assert len(agendas) == attendees * len(meetings)
    assert sorted(AgendaMailing.objects.filter(rhythm=rhythm).values_list("meeting_date", flat=True)) == meetings
    assert all(m.recipients == attendees for m in AgendaMailing.objects.filter(rhythm=rhythm))
    for meeting in meetings:
        day = meeting.strftime("%d").lstrip("0")
        assert sum(1 for m in agendas if f" {day} " in m.subject) >= attendees
    assert len([m for m in mailoutbox if m.attachments]) == invitations


def test_no_agenda_for_a_series_never_sent(world, mailoutbox):
    rhythm_for(world["round"], cadence="weekly")
    run_scheduler(date(2027, 2, 15), 30)
    assert mailoutbox == []


def test_an_agenda_being_sent_elsewhere_is_not_sent_again(world, mailoutbox):
    rhythm = rhythm_for(world["round"])
    send_rhythm_invitations(rhythm.pk)
    mailoutbox.clear()
    AgendaMailing.objects.create(rhythm=rhythm, meeting_date=date(2027, 3, 2), recipients=4)  # another run's row
    assert services.agendas_send_due(today=date(2027, 3, 1)) == 0
    assert mailoutbox == []


def test_the_agenda_e_mail(world, mailoutbox):
    rhythm = rhythm_for(world["round"])
    send_rhythm_invitations(rhythm.pk)
    mailoutbox.clear()
    assert services.agendas_send_due(today=date(2027, 3, 1)) == 4
    english = next(m for m in mailoutbox if m.to == ["finance@acme.test"])
    assert "Acme Retail" in english.subject and "\n" not in english.subject
    assert "Tuesday 2 March 2027 at 09:00" in english.body
    assert "Fanny Roux (CFO, COO)" in english.body
    assert "- Approve a CX RACI and name journey owners — due March 31, 2027 (Planned)" in english.body
    french = next(m for m in mailoutbox if m.to == ["sponsor@acme.test"])
    assert "mardi 2 mars 2027" in french.body and not french.attachments


def test_the_command(world, mailoutbox):
    rhythm = rhythm_for(world["round"])
    send_rhythm_invitations(rhythm.pk)
    out = StringIO()
    call_command("send_agendas", "--today", "2027-03-01", stdout=out)
    call_command("send_agendas", "--today", "2027-03-01", stdout=out)
    assert out.getvalue().splitlines() == ["4 agenda e-mail(s) sent.", "0 agenda e-mail(s) sent."]


def test_the_beat_runs_the_scheduler_twice_a_day(settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "governance.tasks.send_due_agendas"]
    assert len(entries) == 1 and entries[0]["schedule"] == 12 * 3600


def _measure(org, metric, period, value, **counts):
    year, rest = period.split("-")
    number = int(rest[1:])
    Measurement.objects.create(
        organisation=org, metric=metric, period=period, period_year=int(year), period_kind="quarter",
        period_number=number, period_first_month=3 * number - 2, value=Decimal(value), **counts,
    )  # fmt: skip


def test_the_agenda_lists_the_kpi_moves_beyond_noise_only(world, org):
    _measure(org, "nps", "2026-Q4", "0", n=1000, promoters=300, passives=400, detractors=300)
    _measure(org, "nps", "2027-Q1", "30", n=1000, promoters=500, passives=300, detractors=200)
    _measure(org, "fcr", "2026-Q4", "80", n=1000, resolved=800)
    _measure(org, "fcr", "2027-Q1", "80.5", n=1000, resolved=805)  # within the sampling error
    _measure(org, "cost_per_contact", "2026-Q4", "4.10")
    _measure(org, "cost_per_contact", "2027-Q1", "9.80")  # no known error: not called a move
    with translation.override("en"):
        agenda = agenda_build(rhythm_for(world["round"]), date(2027, 3, 2))
    assert [(m.metric, m.period, m.previous_period, m.up) for m in agenda.kpi_moves] == [("nps", "2027-Q1", "2026-Q4", True)]
    assert agenda.kpi_moves[0].value.startswith("30")


def test_the_agenda_of_the_demo_brings_what_is_still_contested(framework):
    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    results = round_.snapshot.results
    rhythm = selectors.rhythm_proposal(round_=round_, today=date(2026, 12, 1))
    with translation.override("en"):
        agenda = agenda_build(rhythm, date(2027, 3, 2))
    open_questions = [q.key for q in results.contested() if q.consensus_level is None]
    assert open_questions and [q.key for q in agenda.contested_questions] == open_questions
    assert all(q.key not in [c.key for c in agenda.contested_questions] for q in results.contested() if q.consensus_level)
    contested = [a.activity for a in results.ownership.contested()]
    assert contested and [a.key for a in agenda.contested_activities] == contested
    settled = raci_accountable(round_)
    first = agenda.contested_activities[0]
    assert "accountable in the to-be RACI" in first.detail and settled[first.key] is not None


def test_the_facilitators_changes_are_in_the_audit_log(world, org, client_for):
    facilitator = client_for(org.members_by_role["facilitator"])
    facilitator.post(reverse("governance:role_holders", args=[org.slug]), {"holder-cio": str(world["people"]["cxo"].pk)})
    url = reverse("governance:rhythm", args=[org.slug, world["round"].pk])
    data = {"cadence": "monthly", "first_meeting": "2099-01-06", "start_time": "09:00", "duration_minutes": "90"}
    facilitator.post(url, data)
    facilitator.post(url, {**data, "duration_minutes": "120"})
    events = list(AuditEvent.objects.filter(organisation=org, kind__in=("role_holder", "steering")).order_by("pk"))
    assert [(e.kind, e.verb) for e in events][-3:] == [
        ("role_holder", "changed"),
        ("steering", "created"),
        ("steering", "changed"),
    ]
    assert events[-1].changes == [{"field": "duration_minutes", "before": 90, "after": 120}]
    with translation.override("en"):
        assert (kind_label("steering"), kind_label("role_holder")) == ("Steering rhythm", "Role holder")
        assert describe_changes("steering", events[-1].changes)[0]["label"] == "duration (minutes)"
