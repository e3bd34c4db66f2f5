"""Reads of roadmap items and RACI roles, scoped to a round or an organisation the caller already reached
through organisations.selectors (outsiders got their 404 there): an id from elsewhere is a 404 here too."""

from django.db.models import QuerySet
from django.http import Http404

from .models import OrgRole, RoadmapItem


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
