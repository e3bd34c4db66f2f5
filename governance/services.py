"""Writes of the steering rhythm: role holders, the series, its invitations and the agendas.

Sending is idempotent (issue #17), whoever calls and however often:

* **Invitations** go out once per ``sequence`` of the series: the sender claims the sequence
  (``invited_sequence``) with a conditional update in the transaction that sends, so a second
  run, a redelivered task or a concurrent one finds nothing to claim. Saving a change to the
  series raises ``sequence`` (calendars replace the series they hold) and allows one new sending.
* **Agendas** go out once per meeting: the :class:`~governance.models.AgendaMailing` row of
  (series, meeting day) is inserted in the transaction that sends; the unique constraint makes a
  second run or a concurrent one stop there.

In both, a failed e-mail rolls the claim back (an exception in a worker, ``False`` inside a
request: see cxgov/mail.py), so the next run tries again; people who did receive the first try
receive the same invitation (same UID and SEQUENCE: calendars keep one series) or agenda again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, time, timedelta
from email.mime.text import MIMEText

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import translation

from audit import recording as audit
from cxgov import mail
from organisations.models import Organisation
from outbox import services as outbox

from . import calendar_file, selectors
from .agenda import Agenda, agenda_build
from .models import AgendaMailing, Cadence, RoleHolder, SteeringRhythm

MIN_DURATION, MAX_DURATION = 15, 480
MAX_LOCATION = 200
RHYTHM_FIELDS = ("cadence", "first_meeting", "start_time", "duration_minutes", "location")
INVITE_TASK = "governance.tasks.send_rhythm_invitations"


class GovernanceError(Exception):
    """A refused change; ``code`` says why (``raci_not_validated``, ``not_a_member``, ``bad_duration`` …)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# --------------------------------------------------------------------------- role holders


@transaction.atomic
def role_holders_set(*, organisation: Organisation, chosen: Mapping[str, int | None]) -> int:
    """Gives each role (key) to a member (user id), or to nobody (None); returns how many roles changed.

    Only the organisation's visible roles and its members are accepted; nothing is saved otherwise.
    """
    roles = {role.key: role for role in selectors.visible_roles(organisation=organisation)}
    unknown = sorted(set(chosen) - set(roles))
    if unknown:
        raise GovernanceError("unknown_role", ", ".join(unknown))
    people = {user.pk: user for user in selectors.members(organisation=organisation)}
    strangers = sorted(str(user_id) for user_id in chosen.values() if user_id is not None and user_id not in people)
    if strangers:
        raise GovernanceError("not_a_member", ", ".join(strangers))
    current = selectors.holders(organisation=organisation)
    rows = {row.role: row for row in RoleHolder.objects.select_for_update().filter(organisation=organisation)}
    changed = 0
    for key, user_id in chosen.items():
        before = current.get(key)
        if (before.pk if before is not None else None) == user_id:
            if user_id is None and key in rows:
                rows[key].delete()  # a holder who left the organisation: the stale row goes
            continue
        if user_id is None:
            RoleHolder.objects.filter(organisation=organisation, role=key).delete()
        else:
            RoleHolder.objects.update_or_create(organisation=organisation, role=key, defaults={"user": people[user_id]})
        after = people.get(user_id) if user_id is not None else None
        audit.record(
            organisation=organisation,
            kind="role_holder",
            target=roles[key].tr("title"),
            changes=[audit.change("user", before.email if before else None, after.email if after else None)],
        )
        changed += 1
    return changed


# --------------------------------------------------------------------------- the series


def uid_new() -> str:
    """A series' calendar identity: unique in the world, stable for the life of the series."""
    return f"steering-{uuid.uuid4().hex}@cxgov"


def _checked(*, cadence: str, duration_minutes: int, location: str) -> None:
    if cadence not in Cadence.values:
        raise GovernanceError("bad_cadence", cadence)
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        raise GovernanceError("bad_duration", str(duration_minutes))
    if len(location) > MAX_LOCATION:
        raise GovernanceError("bad_location")


@transaction.atomic
def rhythm_save(
    *,
    round_,
    cadence: str,
    first_meeting: date,
    start_time: time,
    duration_minutes: int,
    location: str,
    user,
    today: date,
) -> SteeringRhythm:
    """Creates the round's series, or changes it: a change raises ``sequence`` (invitations may go again).

    Refused when the round's to-be RACI has errors (``raci_not_validated``), and for a first
    meeting moved before ``today`` (``past_first_meeting``).
    """
    if not selectors.raci_validated(round_):
        raise GovernanceError("raci_not_validated")
    location = " ".join((location or "").split())
    _checked(cadence=cadence, duration_minutes=duration_minutes, location=location)
    values = {
        "cadence": cadence,
        "first_meeting": first_meeting,
        "start_time": start_time,
        "duration_minutes": duration_minutes,
        "location": location,
    }
    rhythm, created = SteeringRhythm.objects.get_or_create(
        round=round_, defaults={**values, "uid": uid_new(), "created_by": user if user and user.is_authenticated else None}
    )
    if created:
        if first_meeting < today:
            raise GovernanceError("past_first_meeting")
        audit.record(organisation=round_.organisation, round=round_, kind="steering", verb=audit.CREATED, target=round_.title)
        return rhythm
    rhythm = SteeringRhythm.objects.select_for_update().get(pk=rhythm.pk)
    before = audit.snapshot(rhythm, RHYTHM_FIELDS)
    if before == values:
        return rhythm
    if first_meeting != rhythm.first_meeting and first_meeting < today:
        raise GovernanceError("past_first_meeting")
    for name, value in values.items():
        setattr(rhythm, name, value)
    rhythm.sequence += 1
    rhythm.save()
    audit.record(
        organisation=round_.organisation,
        round=round_,
        kind="steering",
        target=round_.title,
        changes=audit.diff(before, audit.snapshot(rhythm, RHYTHM_FIELDS)),
    )
    return rhythm


def invitations_pending(rhythm: SteeringRhythm) -> bool:
    """Whether this version of the series has not been sent yet."""
    return rhythm.invited_sequence != rhythm.sequence


def invitations_request(*, rhythm: SteeringRhythm) -> bool:
    """Queues the invitations of the series' current version; False when there is nothing to send."""
    if not selectors.raci_validated(rhythm.round):
        raise GovernanceError("raci_not_validated")
    if not invitations_pending(rhythm):
        return False
    if not selectors.attendees(round_=rhythm.round).people:
        raise GovernanceError("no_attendee")
    key = f"steering-invitations:{rhythm.pk}:{rhythm.sequence}"
    if outbox.is_waiting(key=key):
        return True
    outbox.enqueue(INVITE_TASK, rhythm.pk, key=key)
    audit.record(
        organisation=rhythm.round.organisation,
        round=rhythm.round,
        kind="steering",
        target=rhythm.round.title,
        changes=[audit.change("invited_sequence", rhythm.invited_sequence, rhythm.sequence)],
    )
    return True


# --------------------------------------------------------------------------- e-mails


def _calendar_part(text: str, name: str) -> MIMEText:
    """The invitation as a calendar part: ``method=REQUEST`` tells mail clients to offer Accept / Decline."""
    part = MIMEText(text, "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename=name)
    return part


def invitation_message(rhythm: SteeringRhythm, user, people: selectors.AttendeeList) -> EmailMessage:
    """One attendee's invitation e-mail, in their language, with the series' calendar file."""
    with translation.override(user.language):
        context = {
            "user": user,
            "rhythm": rhythm,
            "round": rhythm.round,
            "organisation": rhythm.round.organisation,
            "cadence": rhythm.get_cadence_display(),
            "people": people,
            "update": rhythm.sequence > 0,
        }
        message = mail.build(
            to=user.email,
            subject_template="governance/email/invitation_subject.txt",
            body_template="governance/email/invitation.txt",
            context=context,
        )
        message.attach(_calendar_part(calendar_file.calendar_text(rhythm, people), calendar_file.filename(rhythm)))
    return message


def rhythm_invite(*, rhythm_id: int) -> int:
    """Sends the current version of the series to every attendee once; returns how many e-mails went."""
    rhythm = SteeringRhythm.objects.select_related("round__organisation", "created_by").filter(pk=rhythm_id).first()
    if rhythm is None or not invitations_pending(rhythm):
        return 0
    people = selectors.attendees(round_=rhythm.round)
    if not people.people:
        return 0
    sequence = rhythm.sequence
    with transaction.atomic():
        claimed = (
            SteeringRhythm.objects.filter(pk=rhythm.pk, sequence=sequence)
            .exclude(invited_sequence=sequence)
            .update(invited_sequence=sequence)
        )
        if not claimed:
            return 0
        sent = [mail.deliver(invitation_message(rhythm, a.user, people)) for a in people.people]
        if not all(sent):
            transaction.set_rollback(True)
            return 0
    return len(sent)


def agenda_message(rhythm: SteeringRhythm, user, agenda: Agenda) -> EmailMessage:
    with translation.override(user.language):
        context = {
            "user": user,
            "rhythm": rhythm,
            "round": rhythm.round,
            "organisation": rhythm.round.organisation,
            "agenda": agenda,
        }
        return mail.build(
            to=user.email,
            subject_template="governance/email/agenda_subject.txt",
            body_template="governance/email/agenda.txt",
            context=context,
        )


def agenda_send(*, rhythm: SteeringRhythm, meeting: date) -> int:
    """Sends the agenda of the meeting of ``meeting`` to every attendee, once; returns how many e-mails went."""
    people = selectors.attendees(round_=rhythm.round).people
    if not people:
        return 0
    with transaction.atomic():
        try:
            with transaction.atomic():
                AgendaMailing.objects.create(rhythm=rhythm, meeting_date=meeting, recipients=len(people))
        except IntegrityError:
            return 0  # sent already, or being sent by another run
        agendas: dict[str, Agenda] = {}
        sent = []
        for attendee in people:
            language = attendee.user.language
            if language not in agendas:
                with translation.override(language):
                    agendas[language] = agenda_build(rhythm, meeting)
            sent.append(mail.deliver(agenda_message(rhythm, attendee.user, agendas[language])))
        if not all(sent):
            transaction.set_rollback(True)
            return 0
    return len(sent)


def agendas_send_due(*, today: date) -> int:
    """The day before each meeting (Paris): the agenda of every series meeting tomorrow; returns the e-mails sent."""
    tomorrow = today + timedelta(days=1)
    return sum(agenda_send(rhythm=rhythm, meeting=tomorrow) for rhythm in selectors.rhythms_meeting_on(tomorrow))
