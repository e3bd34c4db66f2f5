"""Reads scoped to the requesting user: outsiders get 404, members without the right get 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Firm, Invitation, Membership, Organisation
from .permissions import Action, role_can


def memberships_for_user(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def membership_get(*, user, slug: str, action: Action = Action.VIEW_ORGANISATION) -> Membership:
    """The user's membership of the organisation `slug`, checked for `action`.

    An organisation the user does not belong to does not exist for them (404, never 403), so
    outsiders cannot even learn that a slug is taken.
    """
    if not user.is_authenticated:
        raise Http404
    try:
        membership = Membership.objects.select_related("organisation").get(user=user, organisation__slug=slug)
    except Membership.DoesNotExist:
        raise Http404 from None
    if not role_can(membership.role, action):
        raise PermissionDenied
    return membership


def member_organisation(*, user, slug: str) -> Organisation | None:
    """The organisation `slug` if `user` is a member of it, else None: the audit middleware's finder."""
    membership = Membership.objects.filter(user=user, organisation__slug=slug).select_related("organisation").first()
    return membership.organisation if membership is not None else None


def members_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__email")


def member_get(*, organisation: Organisation, membership_id: int) -> Membership:
    try:
        return organisation.memberships.select_related("user").get(pk=membership_id)
    except Membership.DoesNotExist:
        raise Http404 from None


def invitations_pending(*, organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(accepted_at__isnull=True).order_by("-created_at")


def invitation_get(*, organisation: Organisation, invitation_id: int) -> Invitation:
    try:
        return organisation.invitations.get(pk=invitation_id, accepted_at__isnull=True)
    except Invitation.DoesNotExist:
        raise Http404 from None


# --------------------------------------------------------------------------- firms


def firms_for_user(user) -> QuerySet[Firm]:
    if not user.is_authenticated:
        return Firm.objects.none()
    return Firm.objects.filter(members=user).order_by("name", "pk")


def firm_for_header(user) -> Firm | None:
    """The firm whose name, logo and colour brand the header for this user (the first one, by name)."""
    return firms_for_user(user).first()


def firm_get(*, user, firm_id: int) -> Firm:
    """A firm the user is a member of; any other firm does not exist for them (404).

    Firms have no roles: every member may edit (see permissions.py).
    """
    if not user.is_authenticated:
        raise Http404
    firm = firms_for_user(user).filter(pk=firm_id).first()
    if firm is None:
        raise Http404
    return firm
