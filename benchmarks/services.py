"""Writes on benchmarks: the rows of a round's stored results, and an organisation's opt-in."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import DimensionResult, OptIn


@transaction.atomic
def dimension_results_store(*, round_, snapshot) -> list[DimensionResult]:
    """Rewrites the round's benchmark rows from its snapshot (called at the end of ``results_store``).

    The peer-group keys (framework, sector, size band) are copied as they are now, when the
    results are stored; the row's ``written_at`` moves the benchmark cache to a new version.
    """
    organisation = round_.organisation
    now = timezone.now()
    rows = [
        DimensionResult(
            round_id=round_.pk,
            organisation_id=organisation.pk,
            framework_id=round_.framework_id,
            sector=organisation.sector,
            size_band=organisation.size_band,
            dimension_key=row.key,
            score=None if row.score is None else Decimal(str(row.score)),
            closed_at=round_.closed_at or now,
            written_at=now,
        )
        for row in snapshot.results.dimensions
    ]
    DimensionResult.objects.filter(round_id=round_.pk).delete()
    return DimensionResult.objects.bulk_create(rows)


def opt_in_set(*, organisation, opted_in: bool, user) -> OptIn:
    """Records the organisation's choice (who, when); the change moves the benchmark cache to a new version."""
    opt_in, _created = OptIn.objects.update_or_create(
        organisation=organisation, defaults={"opted_in": opted_in, "changed_by": user, "changed_at": timezone.now()}
    )
    return opt_in
