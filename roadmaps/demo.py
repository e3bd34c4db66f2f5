"""The demo round's targets, roadmap and to-be RACI (called by `seed_demo` once the round is closed and scored)."""

from django.db import transaction

from .exports import raci_errors
from .models import ItemStatus, Roadmap, RoadmapItem, Target
from .services import roadmap_ensure, targets_ensure

# The targets the committee set in the workshop: dimension → (target, importance).
TARGETS = {"D3": (4, 3), "D7": (3, 3), "D10": (3, 2), "D2": (3, 3)}


@transaction.atomic
def seed_demo_targets(round_) -> None:
    """Stores the round's default targets from its results, then the workshop's (on the round's creation only)."""
    targets_ensure(round_=round_, dimension_scores=round_.snapshot.results.dimensions)
    # Saved by the facilitator in the workshop: these importances, not the committee's, rank the roadmap.
    for key, (target, importance) in TARGETS.items():
        Target.objects.filter(round=round_, dimension__key=key).update(
            target=target, importance=importance, updated_by=round_.created_by
        )


@transaction.atomic
def seed_demo_roadmap(round_) -> Roadmap | None:
    """Proposes the to-be RACI and generates the roadmap of the (closed) demo round.

    Idempotent: a round that already has its RACI and roadmap is left as it is (edits made in the
    interface survive a new `seed_demo`). The proposal has no error, so the round can be published.
    """
    fresh = not Roadmap.objects.filter(round=round_, generated_at__isnull=False).exists()
    roadmap = roadmap_ensure(round_=round_)
    if roadmap is None:
        return None
    if fresh:
        # The workshop already started the quick wins.
        first = RoadmapItem.objects.filter(round=round_, quick_win=True, start_month=0).order_by("position")[:2]
        RoadmapItem.objects.filter(pk__in=[i.pk for i in first]).update(status=ItemStatus.IN_PROGRESS)
    errors = raci_errors(round_)
    if errors:  # pragma: no cover - the proposal rules guarantee a valid RACI
        raise AssertionError(f"demo RACI has errors: {errors}")
    return roadmap
