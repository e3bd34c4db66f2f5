"""Reads of targets, roadmap items and RACI roles, scoped to a round or an organisation the caller already reached
through organisations.selectors (outsiders got their 404 there): an id from elsewhere is a 404 here too.

Reads never write. What is stored on first use (a round's starting targets, an organisation's RACI
roles) is stored by services when the results are stored (roadmaps/handlers.py) or by the edit that
needs it; until then these return the values that would be stored, unsaved (``pk`` is None). Those
starting values are computed in services, beside the writes that store them and the defaults they
read, so this module imports services and never the other way round.
"""

from collections.abc import Sequence

from django.db.models import QuerySet
from django.http import Http404

from assessments.domain.snapshot import DimensionResult

from . import services
from .models import OrgRole, Roadmap, RoadmapItem, Target


def targets_for(*, round_, dimension_scores: Sequence[DimensionResult]) -> dict[str, Target]:
    """Each scored dimension's target by dimension key: the stored one, else its starting value, unsaved.

    The starting values (default, engagement template, previous round) are worked out beside the
    writes that store them: services.targets_starting.
    """
    return services.targets_starting(round_=round_, dimension_scores=dimension_scores)


def org_roles(*, organisation, framework=None) -> list[OrgRole]:
    """The organisation's RACI roles in order; before any is stored, the framework's defaults, unsaved."""
    return services.org_roles_starting(organisation=organisation, framework=framework)


def roadmap_settings_row(*, round_) -> Roadmap | None:
    """The round's roadmap settings (start date, capacity, when generated), None before the roadmap is generated."""
    return Roadmap.objects.filter(round=round_).first()


def roadmap_items(*, round_) -> QuerySet[RoadmapItem]:
    return RoadmapItem.objects.filter(round=round_).order_by("position", "id")


def roadmap_item_get(*, round_, item_id: int) -> RoadmapItem:
    item = RoadmapItem.objects.filter(round=round_, pk=item_id).first()
    if item is None:
        raise Http404
    item.round = round_  # the caller's round: already scoped, and carries its snapshot
    return item


def org_role_get(*, organisation, role_id: int) -> OrgRole:
    role = OrgRole.objects.filter(organisation=organisation, pk=role_id).first()
    if role is None:
        raise Http404
    return role


def org_role_by_key(*, organisation, key: str) -> OrgRole:
    role = OrgRole.objects.filter(organisation=organisation, key=key).first()
    if role is None:
        raise Http404
    return role
