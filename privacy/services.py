"""Erasing a person (answers stay, anonymised) and deleting an organisation entirely."""

from django.db import transaction

from accounts.models import User


@transaction.atomic
def person_erase(*, user: User) -> User:
    """Removes what identifies the person; their answers stay and keep counting, linked to no one.

    The account is kept as an empty shell (so answers keep their participant row), cannot log in,
    and loses every membership.
    """
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.memberships.all().delete()
    user.firms.clear()
    # Colleagues the person forwarded questions to are named on their answers: remove that too.
    from assessments.models import Answer, Delegation

    Answer.objects.filter(participant__user=user).exclude(delegate_email="").update(delegated_by_name="", delegate_email="")
    Delegation.objects.filter(participant__user=user).update(delegate_name="", delegate_email="erased@erased.invalid")
    return user


@transaction.atomic
def organisation_delete(*, organisation) -> None:
    """Deletes the organisation and everything in it, stored files included (logo, PDFs)."""
    from reports.models import Report

    for report in Report.objects.filter(round__organisation=organisation).exclude(file=""):
        report.file.delete(save=False)
    if organisation.logo:
        organisation.logo.delete(save=False)
    organisation.delete()
