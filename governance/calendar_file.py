"""A saved steering rhythm as its calendar file (governance/domain/ics.py writes it). Reads only.

The file is written in the active language (its title and description); the series' identity —
UID and SEQUENCE — is the same in every language, so each attendee's calendar holds one series.
The organiser is the person who set the rhythm up (replies to the invitation go to them), else
the app's sender address.
"""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .domain import ics
from .domain import rhythm as rules
from .models import SteeringRhythm
from .selectors import AttendeeList, attendees, meeting_start

CONTENT_TYPE = "text/calendar; charset=utf-8; method=REQUEST"


def summary(rhythm: SteeringRhythm) -> str:
    return _("Customer-experience steering committee — %(organisation)s") % {"organisation": rhythm.round.organisation.name}


def description(rhythm: SteeringRhythm) -> str:
    return _(
        "Steering of the customer experience after the assessment “%(round)s”: the roadmap's initiatives by accountable "
        "executive, what is still contested, the indicators that moved. The agenda is e-mailed the day before each meeting."
    ) % {"round": rhythm.round.title}


def organizer(rhythm: SteeringRhythm) -> ics.Person:
    user = rhythm.created_by
    if user is not None and user.is_active and user.email:
        return ics.Person(user.email, user.display_name)
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return ics.Person(address or settings.DEFAULT_FROM_EMAIL, name)


def calendar_text(rhythm: SteeringRhythm, people: AttendeeList | None = None) -> str:
    """The invitation file of the series, for every attendee, in the active language."""
    people = people if people is not None else attendees(round_=rhythm.round)
    series = ics.Series(
        uid=rhythm.uid,
        sequence=rhythm.sequence,
        stamp=timezone.now(),
        start=meeting_start(rhythm, rhythm.first_meeting),
        duration_minutes=rhythm.duration_minutes,
        rule=rules.rrule(rhythm.cadence, rhythm.first_meeting),
        summary=summary(rhythm),
        description=description(rhythm),
        location=rhythm.location,
        organizer=organizer(rhythm),
        attendees=tuple(ics.Person(a.user.email, a.user.full_name) for a in people.people),
    )
    return ics.calendar(series)


def filename(rhythm: SteeringRhythm) -> str:
    return f"steering-{rhythm.round.organisation.slug}.ics"
