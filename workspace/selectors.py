"""Reads of the consultancy features, scoped to the requesting user (tenancy's rules: outsiders get 404)."""

from collections.abc import Sequence

from django.db.models import CharField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from assessments.models import Participant, Round, RoundStatus
from cxgov.numbers import whole_percent
from organisations.models import Firm, Membership, Role
from organisations.permissions import Action, role_can

from .models import EngagementTemplate

# --------------------------------------------------------------------------- engagement templates


def engagement_templates_list(*, firm: Firm) -> QuerySet[EngagementTemplate]:
    return (
        EngagementTemplate.objects.filter(firm=firm)
        .select_related("framework")
        .annotate(round_count=Count("round_origins"))
        .order_by("name")
    )


def engagement_template_get(*, firm: Firm, template_id: int) -> EngagementTemplate:
    """A template of `firm` (itself already checked for the user): any other template is a 404."""
    try:
        return EngagementTemplate.objects.select_related("framework").get(firm=firm, pk=template_id)
    except EngagementTemplate.DoesNotExist:
        raise Http404 from None


def engagement_templates_for_user(user) -> QuerySet[EngagementTemplate]:
    """The templates a facilitator may start a round from: those of their firms."""
    if not user.is_authenticated:
        return EngagementTemplate.objects.none()
    return (
        EngagementTemplate.objects.filter(firm__members=user).select_related("firm", "framework").order_by("firm__name", "name")
    )


def round_template(round_: Round) -> EngagementTemplate | None:
    """The template the round was started from, if it still exists."""
    return EngagementTemplate.objects.select_related("firm").filter(round_origins__round=round_).first()


def round_count(*, template: EngagementTemplate) -> int:
    """How many rounds were started from the template."""
    return template.round_origins.count()


# --------------------------------------------------------------------------- the consultant's home


def _round_visibility(*, prefix: str = "") -> Q:
    """Which rounds a member sees listed, by their role (as rounds_for_member), for a subquery annotated with
    `member_role` (the outer membership's role) and `mine` (the user takes part in the round)."""
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
        # Attributes for the page, not columns: Membership is tenancy's and knows nothing of rounds.
        if round_ is not None:
            round_.completion = whole_percent(round_.submitted_count, round_.participant_count)  # type: ignore[attr-defined]
        membership.latest_round = round_  # type: ignore[attr-defined]
    return memberships
