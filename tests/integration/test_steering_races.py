"""Steering e-mails sent by two workers at once, on PostgreSQL: each invitation and each agenda goes once.

Two threads released together by a barrier (tests/integration/test_races.py), repeated: the claim on
the series' sequence and the agenda's unique row are what keep the second worker from sending.
"""

from datetime import date, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from assessments.models import Round
from governance import selectors, services
from governance.models import AgendaMailing, SteeringRhythm
from roadmaps.services import raci_letters
from tests.conftest import require_service
from tests.integration.test_races import at_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REPEAT = 4


@pytest.fixture(autouse=True)
def _postgresql():
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")


@pytest.fixture
def demo_rhythm(framework):
    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    organisation = round_.organisation
    sponsor = organisation.memberships.get(user__email="sponsor@demo.test").user
    a_roles = {role for (_activity, role), letter in raci_letters(round_).items() if letter == "A"}
    services.role_holders_set(organisation=organisation, chosen=dict.fromkeys(a_roles, sponsor.pk))
    return services.rhythm_save(
        round_=round_,
        cadence="weekly",
        first_meeting=date(2027, 1, 5),
        start_time=time(9, 0),
        duration_minutes=90,
        location="",
        user=None,
        today=date(2026, 12, 1),
    )


def test_invitations_sent_by_two_workers_at_once_go_once(demo_rhythm, mailoutbox):
    people = len(selectors.attendees(round_=demo_rhythm.round).people)
    assert people >= 1
    for n in range(REPEAT):
        before = len(mailoutbox)
        results = at_once(*(lambda: services.rhythm_invite(rhythm_id=demo_rhythm.pk) for _ in range(2)))
        assert sorted(results) == [0, people], results
        assert len(mailoutbox) == before + people
        # The next version: one more sending allowed.
        SteeringRhythm.objects.filter(pk=demo_rhythm.pk).update(sequence=n + 1)


def test_an_agenda_sent_by_two_workers_at_once_goes_once(demo_rhythm, mailoutbox):
    SteeringRhythm.objects.filter(pk=demo_rhythm.pk).update(invited_sequence=0)
    people = len(selectors.attendees(round_=demo_rhythm.round).people)
    for week in range(REPEAT):
        today = date(2027, 1, 11) + timedelta(weeks=week)  # the Monday before each Tuesday meeting
        before = len(mailoutbox)
        results = at_once(*(lambda t=today: services.agendas_send_due(today=t) for _ in range(2)))
        assert sorted(results) == [0, people], results
        assert len(mailoutbox) == before + people
    assert AgendaMailing.objects.filter(rhythm_id=demo_rhythm.pk).count() == REPEAT
