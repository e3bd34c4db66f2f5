"""Reads for rounds, participants and answers, always scoped through the user's membership."""

from django.db.models import Count, Q, QuerySet

from organisations.models import Membership
from organisations.permissions import Action, role_can

from .models import Round, RoundStatus


def rounds_for_member(*, membership: Membership) -> QuerySet[Round]:
    """The rounds a member may see listed: all of them for managers, else open/published ones they can use."""
    rounds = Round.objects.filter(organisation=membership.organisation).select_related("framework")
    if not role_can(membership.role, Action.MANAGE_ROUNDS):
        visible = Q(participants__user=membership.user, participants__withdrawn_at__isnull=True)
        if role_can(membership.role, Action.VIEW_RESULTS_UNPUBLISHED):
            visible |= ~Q(status=RoundStatus.DRAFT)
        else:
            visible |= Q(status=RoundStatus.PUBLISHED)
        rounds = rounds.filter(visible).distinct()
    return rounds.annotate(
        participant_count=Count("participants", filter=Q(participants__withdrawn_at__isnull=True), distinct=True),
        submitted_count=Count(
            "participants", filter=Q(participants__withdrawn_at__isnull=True, participants__submitted_at__isnull=False), distinct=True
        ),
    ).order_by("-created_at")
