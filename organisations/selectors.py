"""Reads scoped to the requesting user: outsiders get 404, members without the right get 403."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from cxgov.numbers import whole_percent

from .models import EngagementTemplate, Firm, Invitation, Membership, Organisation, Role
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


def engagement_templates_list(*, firm: Firm) -> QuerySet[EngagementTemplate]:
    return firm.engagement_templates.select_related("framework").annotate(round_count=Count("rounds")).order_by("name")


def engagement_template_get(*, firm: Firm, template_id: int) -> EngagementTemplate:
    try:
        return firm.engagement_templates.select_related("framework").get(pk=template_id)
    except EngagementTemplate.DoesNotExist:
        raise Http404 from None


def engagement_templates_for_user(user) -> QuerySet[EngagementTemplate]:
    """The templates a facilitator may start a round from: those of their firms."""
    if not user.is_authenticated:
        return EngagementTemplate.objects.none()
    return (
        EngagementTemplate.objects.filter(firm__members=user).select_related("firm", "framework").order_by("firm__name", "name")
    )


# --------------------------------------------------------------------------- the consultant's home


def _round_visibility(*, prefix: str = "") -> Q:
    """Which rounds a member sees listed, by their role (as rounds_for_member), for a subquery annotated with
    `member_role` (the outer membership's role) and `mine` (the user takes part in the round)."""
    from assessments.models import RoundStatus

    visible = Q(pk__in=[])
    for role in Role:
        if role_can(role, Action.MANAGE_ROUNDS):
            condition = Q()
        elif role_can(role, Action.VIEW_RESULTS_UNPUBLISHED):
            condition = Q(mine=True) | ~Q(**{f"{prefix}status": RoundStatus.DRAFT})
        else:
            condition = Q(mine=True) | Q(**{f"{prefix}status": RoundStatus.PUBLISHED})
        visible |= Q(member_role=role) & condition
    return visible


def organisations_overview(*, user, q: str = "", sort: str = "name") -> Sequence[Membership]:
    """The user's memberships, each with the state of its organisation's rounds, in two queries.

    On each membership: `latest_round` (the newest round the member may see, with `participant_count`,
    `submitted_count` and `completion` in %, or None) and `last_activity` (the latest activity of a
    participant in a round the member may see, or None). `q` filters by name; `sort` is "name" or
    "activity" (most recent first, never-active last).
    """
    from assessments.models import Participant, Round

    if not user.is_authenticated:
        return []
    visible_rounds = (
        Round.objects.filter(organisation=OuterRef("organisation"))
        .annotate(
            member_role=ExpressionWrapper(OuterRef("role"), output_field=CharField()),
            mine=Exists(Participant.objects.filter(round=OuterRef("pk"), user=user, withdrawn_at__isnull=True)),
        )
        .filter(_round_visibility())
    )
    visible_activity = (
        Participant.objects.filter(
            round__organisation=OuterRef("organisation"), withdrawn_at__isnull=True, last_activity_at__isnull=False
        )
        .annotate(
            member_role=ExpressionWrapper(OuterRef("role"), output_field=CharField()),
            mine=Exists(Participant.objects.filter(round=OuterRef("round"), user=user, withdrawn_at__isnull=True)),
        )
        .filter(_round_visibility(prefix="round__"))
    )
    annotated = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .annotate(
            latest_round_id=Subquery(visible_rounds.order_by("-created_at", "-pk").values("pk")[:1]),
            last_activity=Subquery(visible_activity.order_by("-last_activity_at").values("last_activity_at")[:1]),
        )
    )
    q = (q or "").strip()
    if q:
        annotated = annotated.filter(organisation__name__icontains=q)
    if sort == "activity":
        memberships = list(annotated.order_by(F("last_activity").desc(nulls_last=True), "organisation__name"))
    else:
        memberships = list(annotated.order_by("organisation__name"))

    round_ids = [m.latest_round_id for m in memberships if m.latest_round_id]
    rounds = {}
    if round_ids:
        rounds = {
            r.pk: r
            for r in Round.objects.filter(pk__in=round_ids).annotate(
                participant_count=Count("participants", filter=Q(participants__withdrawn_at__isnull=True), distinct=True),
                submitted_count=Count(
                    "participants",
                    filter=Q(participants__withdrawn_at__isnull=True, participants__submitted_at__isnull=False),
                    distinct=True,
                ),
            )
        }
    for membership in memberships:
        round_ = rounds.get(membership.latest_round_id)
        # Attributes for the page, not columns. Membership cannot declare latest_round: organisations
        # may not name assessments' Round (tests/unit/test_tenancy_layer.py), hence the two ignores.
        if round_ is not None:
            round_.completion = whole_percent(round_.submitted_count, round_.participant_count)  # type: ignore[attr-defined]
        membership.latest_round = round_  # type: ignore[attr-defined]
    return memberships
