"""Reads for benchmarks: an organisation's opt-in, and its peers' quartiles per dimension (cached).

Peers of a round = the *other* opted-in organisations whose latest closed (or published) round used
the same framework version, in the same sector and size band. Nothing is shown with fewer than
``MIN_PEERS`` of them. PostgreSQL computes everything in one statement (``DISTINCT ON`` for the
latest round, ``percentile_cont`` for the quartiles); elsewhere (the embedded SQLite) a window
function picks the latest rounds and ``domain.percentiles`` computes the quartiles the same way.
Both read each round through one "marker" row (the framework's first dimension: every stored round
has a row for every dimension), so choosing the latest rounds walks one row per round.
"""

import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Max

from assessments.models import Dimension, Round, RoundStatus

from .domain.percentiles import PeerStats, stats_by_dimension
from .models import DimensionResult, OptIn

MIN_PEERS = 5
CACHE_SECONDS = 600  # also bounds how long a reopened or deleted round can linger in a cached figure
RESULT_STATUSES = (RoundStatus.CLOSED, RoundStatus.PUBLISHED)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Benchmark:
    """What the results page may show. Below the threshold ``dimensions`` is empty: nothing leaks to a template."""

    opted_in: bool
    peers: int = 0
    dimensions: dict[str, PeerStats] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.opted_in and self.peers >= MIN_PEERS

    def for_dimension(self, key: str) -> PeerStats | None:
        stats = self.dimensions.get(key)
        return stats if stats is not None and stats.count >= MIN_PEERS else None


def is_opted_in(*, organisation) -> bool:
    return OptIn.objects.filter(organisation=organisation, opted_in=True).exists()


def opt_in_get(*, organisation) -> OptIn | None:
    return OptIn.objects.filter(organisation=organisation).select_related("changed_by").first()


# ------------------------------------------------------------------------------------ the query


def peer_stats_sql(*, framework_id: int, sector: str, size_band: str, exclude_organisation_id: int) -> tuple[int, dict[str, PeerStats]]:
    """PostgreSQL only: (number of peers, quartiles per dimension) in one statement, parameters bound.

    ``latest`` walks one row per round (the marker dimension) in index order and keeps each
    organisation's most recent closed round; the quartiles then read those rounds' rows.
    """
    dr, opt_in, round_, dimension = DimensionResult._meta.db_table, OptIn._meta.db_table, Round._meta.db_table, Dimension._meta.db_table
    sql = f"""
        WITH latest AS (
            SELECT DISTINCT ON (dr.organisation_id) dr.round_id
            FROM {dr} dr
            JOIN {opt_in} o ON o.organisation_id = dr.organisation_id AND o.opted_in
            JOIN {round_} r ON r.id = dr.round_id
            WHERE dr.framework_id = %s AND dr.sector = %s AND dr.size_band = %s
              AND dr.dimension_key = (SELECT key FROM {dimension} WHERE framework_id = %s ORDER BY position LIMIT 1)
              AND dr.organisation_id <> %s AND r.status IN (%s, %s)
            ORDER BY dr.organisation_id, dr.closed_at DESC, dr.round_id DESC
        )
        SELECT d.dimension_key,
               COUNT(d.score),
               percentile_cont(0.25) WITHIN GROUP (ORDER BY d.score::float8),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY d.score::float8),
               percentile_cont(0.75) WITHIN GROUP (ORDER BY d.score::float8),
               (SELECT COUNT(*) FROM latest)
        FROM {dr} d
        WHERE d.round_id IN (SELECT round_id FROM latest)
        GROUP BY d.dimension_key
    """  # noqa: S608 — only table names from the models are formatted in; every value is a bound parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [framework_id, sector, size_band, framework_id, exclude_organisation_id, *RESULT_STATUSES])
        rows = cursor.fetchall()
    peers = rows[0][5] if rows else 0
    return peers, {key: PeerStats(count=count, q1=q1, median=median, q3=q3) for key, count, q1, median, q3, _peers in rows}


def peer_stats_python(*, framework_id: int, sector: str, size_band: str, exclude_organisation_id: int) -> tuple[int, dict[str, PeerStats]]:
    """Any database (the embedded SQLite has no ``percentile_cont``): a window function picks each organisation's
    latest closed round, and ``domain.percentiles`` computes the quartiles of their scores as ``percentile_cont`` does.
    """
    dr, opt_in, round_, dimension = DimensionResult._meta.db_table, OptIn._meta.db_table, Round._meta.db_table, Dimension._meta.db_table
    sql = f"""
        SELECT d.round_id, d.dimension_key, d.score
        FROM {dr} d
        WHERE d.round_id IN (
            SELECT round_id FROM (
                SELECT dr.round_id,
                       ROW_NUMBER() OVER (PARTITION BY dr.organisation_id ORDER BY dr.closed_at DESC, dr.round_id DESC) AS rn
                FROM {dr} dr
                JOIN {opt_in} o ON o.organisation_id = dr.organisation_id AND o.opted_in
                JOIN {round_} r ON r.id = dr.round_id
                WHERE dr.framework_id = %s AND dr.sector = %s AND dr.size_band = %s
                  AND dr.dimension_key = (SELECT key FROM {dimension} WHERE framework_id = %s ORDER BY position LIMIT 1)
                  AND dr.organisation_id <> %s AND r.status IN (%s, %s)
            ) AS by_organisation
            WHERE rn = 1
        )
    """  # noqa: S608 — only table names from the models are formatted in; every value is a bound parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [framework_id, sector, size_band, framework_id, exclude_organisation_id, *RESULT_STATUSES])
        rows = cursor.fetchall()
    rounds: set[int] = set()
    scores: dict[str, list] = {}
    for round_id, key, score in rows:
        rounds.add(round_id)
        scores.setdefault(key, []).append(score)
    return len(rounds), stats_by_dimension(scores)


def peer_stats(*, framework_id: int, sector: str, size_band: str, exclude_organisation_id: int) -> tuple[int, dict[str, PeerStats]]:
    """The benchmark query, uncached: SQL on PostgreSQL, the Python path elsewhere."""
    compute = peer_stats_sql if connection.vendor == "postgresql" else peer_stats_python
    return compute(framework_id=framework_id, sector=sector, size_band=size_band, exclude_organisation_id=exclude_organisation_id)


# ------------------------------------------------------------------------------------ the cache


def cache_version() -> str:
    """Changes whenever a benchmark row is written or an opt-in changes (two indexed MAX lookups)."""
    written = DimensionResult.objects.aggregate(v=Max("written_at"))["v"]
    changed = OptIn.objects.aggregate(v=Max("changed_at"))["v"]
    return f"{written.timestamp() if written else 0}-{changed.timestamp() if changed else 0}"


def _cache_get(key):
    try:
        return cache.get(key)
    except Exception:  # a cache outage must not break the results page
        logger.warning("benchmark cache unavailable", exc_info=True)
        return None


def _cache_set(key, value) -> None:
    try:
        cache.set(key, value, CACHE_SECONDS)
    except Exception:
        logger.warning("benchmark cache unavailable", exc_info=True)


def benchmark_for_round(*, round_) -> Benchmark:
    """The peer benchmark of a round's organisation (the caller has checked the viewer may see the round)."""
    organisation = round_.organisation
    if not is_opted_in(organisation=organisation):
        return Benchmark(opted_in=False)
    group = (round_.framework_id, organisation.sector, organisation.size_band, organisation.pk)
    key = "benchmarks:{}:{}:{}:{}:{}".format(cache_version(), *group)
    cached = _cache_get(key)
    if cached is None:
        peers, dimensions = peer_stats(framework_id=group[0], sector=group[1], size_band=group[2], exclude_organisation_id=group[3])
        cached = {"peers": peers, "dimensions": {k: (s.count, s.q1, s.median, s.q3) for k, s in dimensions.items()}}
        _cache_set(key, cached)
    if cached["peers"] < MIN_PEERS:
        return Benchmark(opted_in=True, peers=cached["peers"])
    return Benchmark(opted_in=True, peers=cached["peers"], dimensions={k: PeerStats(*v) for k, v in cached["dimensions"].items()})
