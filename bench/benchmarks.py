"""The peer-benchmark query over 5,000 opted-in organisations with a published round each, answered by
three people of their own (uncached), independence check included.

Worst case: every organisation is in the same peer group (framework version, sector, size band), so
the query reads all 50,000 dimension rows. PostgreSQL runs the SQL path (percentile_cont), SQLite the
Python path (Python quartiles); both pick the rounds with a window function and check independence
over the 15,000 participants.
"""

if __package__ in (None, ""):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import random
from datetime import timedelta
from decimal import Decimal

from bench.harness import median_ms, setup_django

ORGANISATIONS = 5_000


def build(organisations: int = ORGANISATIONS):
    from django.utils import timezone

    from accounts.models import User
    from assessments.models import Framework, Participant, Round, RoundStatus
    from benchmarks.models import DimensionResult, OptIn
    from organisations.models import Organisation

    rng = random.Random(5)
    framework = Framework.objects.get(key="cx-governance", version="1.0")
    keys = list(framework.dimensions.order_by("position").values_list("key", flat=True))
    now = timezone.now()
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Peer {i}", slug=f"bench-peer-{i}", sector="retail", size_band="1000-4999")
            for i in range(organisations)
        ],
        batch_size=1000,
    )
    OptIn.objects.bulk_create([OptIn(organisation=o, opted_in=True, changed_at=now) for o in orgs], batch_size=1000)
    rounds = Round.objects.bulk_create(
        [
            Round(
                organisation=o,
                framework=framework,
                title="Round",
                status=RoundStatus.PUBLISHED,
                closed_at=now - timedelta(days=i % 300),
            )
            for i, o in enumerate(orgs)
        ],
        batch_size=1000,
    )
    users = User.objects.bulk_create(
        [User(email=f"bench-peer-{i}-{j}@bench.test", password="!") for i in range(organisations) for j in range(3)],
        batch_size=2000,
    )
    Participant.objects.bulk_create(
        [
            Participant(round=r, user=users[3 * i + j], function="other", nonce="n", submitted_at=now)
            for i, r in enumerate(rounds)
            for j in range(3)
        ],
        batch_size=2000,
    )
    DimensionResult.objects.bulk_create(
        [
            DimensionResult(
                round=r,
                organisation_id=r.organisation_id,
                framework=framework,
                sector="retail",
                size_band="1000-4999",
                dimension_key=k,
                score=Decimal(rng.randint(100, 500)) / 100,
                closed_at=r.closed_at,
                written_at=now,
            )
            for r in rounds
            for k in keys
        ],
        batch_size=2000,
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have: fresh statistics, index-only scans
    return framework, orgs[0]


def run() -> dict:
    from benchmarks import selectors

    framework, viewer = build()
    args = {"framework_id": framework.pk, "sector": "retail", "size_band": "1000-4999", "exclude_organisation_id": viewer.pk}
    peers, stats = selectors.peer_stats(**args)
    assert peers == ORGANISATIONS - 1 and len(stats) == 10
    query_ms = median_ms(lambda: selectors.peer_stats(**args))
    return {"benchmark_query": {"value": query_ms, "unit": "ms", "target": 100, "better": "lower"}}


if __name__ == "__main__":
    teardown = setup_django()
    try:
        for name, figure in run().items():
            print(f"{name}: {figure['value']} {figure['unit']} (target {figure['target']})")
    finally:
        teardown()
