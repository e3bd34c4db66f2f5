"""Benchmark rows for the rounds closed before benchmarks existed (from their stored snapshots)."""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    ResultSnapshot = apps.get_model("assessments", "ResultSnapshot")
    DimensionResult = apps.get_model("benchmarks", "DimensionResult")
    now = timezone.now()
    rows = []
    snapshots = ResultSnapshot.objects.filter(round__status__in=("closed", "published")).select_related("round__organisation")
    for snapshot in snapshots.iterator():
        round_ = snapshot.round
        for row in snapshot.data.get("scores", {}).get("dimensions", []):
            rows.append(
                DimensionResult(
                    round_id=round_.pk,
                    organisation_id=round_.organisation_id,
                    framework_id=round_.framework_id,
                    sector=round_.organisation.sector,
                    size_band=round_.organisation.size_band,
                    dimension_key=row["key"],
                    score=None if row.get("score") is None else Decimal(str(row["score"])),
                    closed_at=round_.closed_at or snapshot.computed_at,
                    written_at=now,
                )
            )
    DimensionResult.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("benchmarks", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
