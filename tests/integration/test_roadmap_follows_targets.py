"""The roadmap proposed at closing follows the targets until somebody works on it.

Closing a round generates its roadmap (roadmaps/handlers.py) so that pages only read. The usual
workshop then sets the targets: while no initiative has been locked, added, re-owned or moved on
from "planned", saving targets regenerates the plan, so the facilitator never meets an "out of
date" banner on a plan nobody touched. Once the plan is worked on, it waits for Regenerate.
"""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Answer
from roadmaps.models import ItemStatus, Roadmap, RoadmapItem, Target

pytestmark = pytest.mark.django_db
STALE = "régénérez-la pour en tenir compte"  # the banner, in the French the page speaks


@pytest.fixture
def closed_round(org, open_round):
    questions = list(open_round.framework.questions.all())
    for role, level in (("facilitator", 1), ("sponsor", 2), ("respondent", 2)):
        participant = open_round.participants.get(user=org.members_by_role[role])
        Answer.objects.bulk_create(Answer(participant=participant, question=q, level=level) for q in questions)
    services.round_transition(round_=open_round, to="closed")
    return open_round


def raise_targets(client, org, round_):
    stored = {t.dimension.key: t for t in Target.objects.filter(round=round_).select_related("dimension")}
    data = {f"target-{k}": "5" for k in stored} | {f"importance-{k}": "3" for k in stored}
    response = client.post(reverse("roadmaps:targets", args=[org.slug, round_.pk]), data)
    assert response.status_code == 302
    return stored


def roadmap_page(client, org, round_) -> str:
    return client.get(reverse("roadmaps:roadmap", args=[org.slug, round_.pk])).content.decode()


def test_saving_targets_regenerates_a_roadmap_nobody_worked_on(org, closed_round, client_for):
    facilitator = client_for(org.members_by_role["facilitator"])
    before = set(RoadmapItem.objects.filter(round=closed_round).values_list("key", flat=True))
    generated = Roadmap.objects.get(round=closed_round).generated_at
    raise_targets(facilitator, org, closed_round)
    assert Roadmap.objects.get(round=closed_round).generated_at > generated
    after = set(RoadmapItem.objects.filter(round=closed_round).values_list("key", flat=True))
    assert after > before  # level 5 everywhere asks for the steps above the old targets too
    assert STALE not in roadmap_page(facilitator, org, closed_round)


def test_a_roadmap_being_worked_on_waits_for_regenerate(org, closed_round, client_for):
    facilitator = client_for(org.members_by_role["facilitator"])
    item = RoadmapItem.objects.filter(round=closed_round).first()
    item.status = ItemStatus.IN_PROGRESS
    item.save(update_fields=["status"])
    before = set(RoadmapItem.objects.filter(round=closed_round).values_list("key", flat=True))
    generated = Roadmap.objects.get(round=closed_round).generated_at
    raise_targets(facilitator, org, closed_round)
    assert Roadmap.objects.get(round=closed_round).generated_at == generated
    assert set(RoadmapItem.objects.filter(round=closed_round).values_list("key", flat=True)) == before
    assert STALE in roadmap_page(facilitator, org, closed_round)
