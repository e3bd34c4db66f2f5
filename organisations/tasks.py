"""Background e-mails of the organisations app."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from cxgov import mail
from outbox import services as outbox

from . import invitation_extras
from .models import Invitation
from .services import invitation_token


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
@outbox.once
def send_member_invitation(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at is not None:
        return
    existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    inviter = invitation.invited_by
    person = existing or inviter  # the recipient if they have an account, else whoever invited them
    language = person.language if person else settings.LANGUAGE_CODE
    link = settings.CXGOV_BASE_URL + reverse("organisations:invitation", args=[invitation_token(invitation)])
    with translation.override(language or translation.get_language()):  # the notes of the apps above, in the recipient's language
        notes = [extra.email_note for extra in invitation_extras.extras(invitation=invitation) if extra.email_note]
    mail.send(
        to=invitation.email,
        subject_template="organisations/email/invitation_subject.txt",
        body_template="organisations/email/invitation.txt",
        context={"invitation": invitation, "link": link, "inviter": inviter, "notes": notes},
        language=language,
    )
