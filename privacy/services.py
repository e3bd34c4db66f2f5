"""Erasing a person (answers stay, anonymised) and deleting an organisation entirely."""

import re

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Q

from accounts.identity import normalise_email
from accounts.models import User
from assessments.models import Answer, Delegation
from audit.models import AuditEvent
from organisations.models import Invitation
from reports.models import Report


@transaction.atomic
def person_erase(*, user: User) -> User:
    """Removes what identifies the person; their answers stay and keep counting, linked to no one.

    The account is kept as an empty shell (so answers keep their participant row), cannot log in,
    and loses every membership.
    """
    email, full_name = user.email, user.full_name
    organisation_ids = set(user.memberships.values_list("organisation_id", flat=True))
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.memberships.all().delete()
    user.firms.clear()
    # Colleagues the person forwarded questions to are named on their answers: remove that too.
    Answer.objects.filter(participant__user=user).exclude(delegate_email="").update(delegated_by_name="", delegate_email="")
    Delegation.objects.filter(participant__user=user).update(delegate_name="", delegate_email="erased@erased.invalid")
    # Invitations hold the address (and the name an inviter typed) whether accepted or not.
    Invitation.objects.filter(email__iexact=email).delete()
    _audit_erase(user=user, email=email, full_name=full_name, organisation_ids=organisation_ids)
    # The login records of django-axes name the address too (as the lockout normalised it).
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in={email, normalise_email(email)}).delete()
    return user


ERASED = "—"


def _scrub(value, needles):
    """`value` (a JSON value) with every occurrence of the needles (case-insensitive) replaced."""
    if isinstance(value, str):
        for needle in needles:
            value = re.sub(re.escape(needle), ERASED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_scrub(item, needles) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, needles) for key, item in value.items()}
    return value


def _audit_erase(*, user, email: str, full_name: str, organisation_ids: set) -> None:
    """Takes the person's e-mail and name out of the audit log: as the member a line is about, and
    inside any recorded value (a target, a before → after) of the organisations they were part of.

    Their own lines keep pointing at the account, which now reads as an erased address.
    """
    AuditEvent.objects.filter(person=user).update(target=ERASED)
    # A name of one or two letters would also match inside unrelated words: only the e-mail then.
    needles = [email] + ([full_name] if len(full_name.strip()) >= 3 else [])
    organisation_ids |= set(AuditEvent.objects.filter(Q(actor=user) | Q(person=user)).values_list("organisation_id", flat=True))
    for event in AuditEvent.objects.filter(organisation_id__in=organisation_ids).only("pk", "target", "changes").iterator():
        target, changes = _scrub(event.target, needles), _scrub(event.changes, needles)
        if target != event.target or changes != event.changes:
            AuditEvent.objects.filter(pk=event.pk).update(target=target, changes=changes)


@transaction.atomic
def organisation_delete(*, organisation) -> None:
    """Deletes the organisation and everything in it, stored files included (logo, PDFs)."""
    for report in Report.objects.filter(round__organisation=organisation).exclude(file=""):
        report.file.delete(save=False)
    if organisation.logo:
        organisation.logo.delete(save=False)
    organisation.delete()
