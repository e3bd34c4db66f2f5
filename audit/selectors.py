"""Reads of the audit log. The page that shows them sits above tenancy (organisations/views_audit.py)."""

from django.db.models import QuerySet

from accounts.models import User

from .models import AuditEvent


def events_list(*, organisation) -> QuerySet[AuditEvent]:
    """The organisation's log, newest first, with what each row shows already joined."""
    return AuditEvent.objects.filter(organisation=organisation).select_related("actor", "round")


def organisation_actors(*, organisation) -> QuerySet[User]:
    """Everyone who appears in the organisation's log (former members too), in one query."""
    return User.objects.filter(pk__in=AuditEvent.objects.filter(organisation=organisation).values("actor_id")).order_by(
        "full_name", "email"
    )
