"""Writes on targets."""

from django.db import transaction

from .models import Target


def default_target(stage: int) -> int:
    return min(5, stage + 1)


@transaction.atomic
def targets_ensure(*, round_, dimension_scores: list[dict]) -> dict[str, Target]:
    """Stores the default target of each scored dimension the first time results are shown.

    Default: min(5, stage + 1) and importance 2 — or, for a round started from a previous one,
    that round's targets as starting values.
    """
    existing = {t.dimension.key: t for t in Target.objects.filter(round=round_).select_related("dimension")}
    dimensions = {d.key: d for d in round_.framework.dimensions.all()}
    previous = {}
    if round_.previous_id:
        previous = {t.dimension.key: t for t in Target.objects.filter(round_id=round_.previous_id).select_related("dimension")}
    missing = [row for row in dimension_scores if not row["unscored"] and row["key"] not in existing and row["key"] in dimensions]
    created = Target.objects.bulk_create(
        [
            Target(
                round=round_,
                dimension=dimensions[row["key"]],
                target=max(previous[row["key"]].target, 1) if row["key"] in previous else default_target(row["stage"]),
                importance=previous[row["key"]].importance if row["key"] in previous else 2,
            )
            for row in missing
        ],
        ignore_conflicts=True,  # two first views at once: the first one wins
    )
    if created:
        existing = {t.dimension.key: t for t in Target.objects.filter(round=round_).select_related("dimension")}
    return existing


def target_set(*, target: Target, value: int, importance: int, user) -> Target:
    target.target, target.importance, target.updated_by = value, importance, user
    target.full_clean(exclude=["round", "dimension", "updated_by"])
    target.save(update_fields=["target", "importance", "updated_by", "updated_at"])
    return target
