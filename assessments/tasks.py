"""Background e-mails of rounds: invitations, sign-in links, reminders and notifications."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from cxgov import mail
from organisations.models import Membership, Role
from outbox import services as outbox

from . import estimates, services
from .models import Delegation, Participant, Round, RoundStatus

RETRY = {"autoretry_for": (ConnectionError, OSError), "retry_backoff": True, "max_retries": 5}


def _send(user, template: str, context: dict) -> bool:
    """Renders and sends one e-mail in the recipient's own language (cxgov.mail: plain text, one-line subject)."""
    return mail.send(
        to=user.email,
        subject_template=f"assessments/email/{template}_subject.txt",
        body_template=f"assessments/email/{template}.txt",
        context=context,
        language=user.language,
    )


@shared_task(**RETRY)
@outbox.once
def send_participant_link(participant_id: int, reminder: bool = False) -> None:
    participant = (
        Participant.objects.select_related("round__organisation", "round__framework", "user").filter(pk=participant_id).first()
    )
    if participant is None or participant.withdrawn_at is not None or participant.round.status != RoundStatus.OPEN:
        return
    # The same figures as the home card and the welcome screen (assessments/estimates.py).
    minutes = estimates.questionnaire_minutes(participant.round.framework, participant.round.question_keys)
    minutes_left = estimates.participant_minutes_left(participant)
    never_invited = participant.invited_at is None
    token = services.participant_new_link(participant)
    link = settings.CXGOV_BASE_URL + reverse("assessments:sign_in", args=[token])
    context = {
        "participant": participant,
        "round": participant.round,
        "link": link,
        "minutes": minutes,
        "minutes_left": minutes_left,
    }
    sent = False
    try:
        sent = _send(participant.user, "reminder" if reminder else "invitation", context)
    finally:
        if not sent and never_invited:
            # The round page must not say "invited" for an e-mail that never left.
            Participant.objects.filter(pk=participant.pk).update(invited_at=None)
    if sent and reminder:
        services.reminder_mark_sent(participant)


@shared_task(**RETRY)
@outbox.once
def send_round_invitations(round_id: int) -> None:
    """When a round opens: invites every participant who has not been invited yet."""
    for participant_id in Participant.objects.filter(
        round_id=round_id, withdrawn_at__isnull=True, invited_at__isnull=True
    ).values_list("pk", flat=True):
        services.participant_send_link(participant_id=participant_id)


@shared_task(**RETRY)
def send_due_reminders() -> int:
    """Periodic (Celery beat, or `manage.py send_reminders`): reminds non-submitters before the due date."""
    today = timezone.localdate()
    ids = list(services.participants_due_for_reminder(today=today).values_list("pk", flat=True))
    for participant_id in ids:
        services.participant_send_link(participant_id=participant_id, reminder=True)
    return len(ids)


@shared_task(**RETRY)
@outbox.once
def notify_everyone_submitted(round_id: int) -> None:
    round_ = Round.objects.select_related("organisation").get(pk=round_id)
    link = settings.CXGOV_BASE_URL + reverse("assessments:round", args=[round_.organisation.slug, round_.pk])
    for membership in Membership.objects.filter(organisation=round_.organisation, role=Role.FACILITATOR).select_related("user"):
        _send(membership.user, "everyone_submitted", {"round": round_, "link": link})


@shared_task(**RETRY)
@outbox.once
def notify_results_published(round_id: int) -> None:
    round_ = Round.objects.select_related("organisation").get(pk=round_id)
    if round_.status != RoundStatus.PUBLISHED:
        return
    link = settings.CXGOV_BASE_URL + reverse("assessments:round", args=[round_.organisation.slug, round_.pk])
    for membership in Membership.objects.filter(organisation=round_.organisation).select_related("user"):
        _send(membership.user, "published", {"round": round_, "link": link})


@shared_task(**RETRY)
def send_delegation(delegation_id: int) -> None:
    """E-mails a forwarded question to the colleague, in the participant's language (the colleague has no account).

    Safe to run twice: the row is claimed (sent_at) with a conditional update; released again if sending fails.
    """
    delegation = (
        Delegation.objects.select_related("participant__user", "participant__round__organisation", "question")
        .filter(pk=delegation_id)
        .first()
    )
    if delegation is None or delegation.revoked_at is not None or delegation.participant.withdrawn_at is not None:
        return
    if delegation.participant.round.status != RoundStatus.OPEN:
        return
    if not Delegation.objects.filter(pk=delegation.pk, sent_at__isnull=True).update(sent_at=timezone.now()):
        return
    participant = delegation.participant
    link = settings.CXGOV_BASE_URL + reverse("assessments:delegation_answer", args=[services.delegation_token(delegation)])
    try:
        with translation.override(participant.user.language):
            context = {
                "delegation": delegation,
                "round": participant.round,
                "participant_name": participant.user.display_name,
                "question_text": delegation.question.tr("text"),
                "link": link,
            }
            message = mail.build(
                to=delegation.delegate_email,
                subject_template="assessments/email/delegation_subject.txt",
                body_template="assessments/email/delegation.txt",
                context=context,
            )
        sent = mail.deliver(message)
    except Exception:
        Delegation.objects.filter(pk=delegation.pk).update(sent_at=None)
        raise
    if not sent:
        Delegation.objects.filter(pk=delegation.pk).update(sent_at=None)
