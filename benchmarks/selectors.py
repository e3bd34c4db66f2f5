"""Reads for benchmarks: an organisation's opt-in, and its peers' figures per dimension (cached).

Peers of a round = the *other* opted-in organisations, in the same sector and size band, whose
latest **published** round on the same framework version has at least ``MIN_SUBMITTED``
submitted participants, and that are **independent**: sharing no person (member, participant or
round creator) and no consulting firm with the viewer or with another counted peer. Figures are
then disclosed by ``domain.disclosure`` (at least 5 peers, quartiles from 10, everything rounded
to half a point), so that peers made up for the purpose cannot print a victim's scores.

One query picks each organisation's latest eligible round (a window function, on PostgreSQL and
the embedded SQLite alike) through one "marker" row per round (the framework's first dimension:
every stored round has a row for every dimension); the independence check reads the people of
those organisations in three queries; the quartiles are computed by PostgreSQL
(``percentile_cont``) or, elsewhere, by ``domain.percentiles`` the same way.
"""

import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Max

from assessments.models import Dimension, Participant, Round, RoundStatus
from organisations.models import Firm, Membership

from .domain.disclosure import MIN_PEERS, MIN_PEERS_FOR_QUARTILES, disclosed
from .domain.percentiles import PeerStats, stats_by_dimension
from .models import DimensionResult, OptIn

__all__ = ["MIN_PEERS", "MIN_PEERS_FOR_QUARTILES", "MIN_SUBMITTED", "Benchmark", "benchmark_for_round", "peer_stats"]

MIN_SUBMITTED = 3  # a peer's round counts only with this many submitted answers: one person is not an organisation
CACHE_SECONDS = 600  # also bounds how long a reopened or deleted round can linger in a cached figure
RESULT_STATUSES = (RoundStatus.PUBLISHED,)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Benchmark:
    """What the results page may show. Below the threshold ``dimensions`` is empty: nothing leaks to a template.

    ``dimensions`` holds only disclosed figures (``domain.disclosure``): coarsened, quartiles only from 10 peers.
    """

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


# ------------------------------------------------------------------------------------ the peer group


def _candidates(
    *, framework_id: int, sector: str, size_band: str, exclude_organisation_id: int
) -> tuple[dict[int, int], dict[int, set]]:
    """One query: each candidate organisation's latest eligible round (opted in, same group, published, enough
    submitted participants), and who stands behind it — ("user", id) for its members, its rounds' creators and
    that round's participants, ("firm", id) for their consulting firms."""
    dr, opt_in, round_, dimension = (
        DimensionResult._meta.db_table,
        OptIn._meta.db_table,
        Round._meta.db_table,
        Dimension._meta.db_table,
    )
    participant, membership, firm_member = (
        Participant._meta.db_table,
        Membership._meta.db_table,
        Firm.members.through._meta.db_table,
    )
    sql = f"""
        WITH ranked AS MATERIALIZED (
            SELECT dr.organisation_id, dr.round_id,
                   ROW_NUMBER() OVER (PARTITION BY dr.organisation_id ORDER BY dr.closed_at DESC, dr.round_id DESC) AS rn
            FROM {dr} dr
            JOIN {opt_in} o ON o.organisation_id = dr.organisation_id AND o.opted_in
            JOIN {round_} r ON r.id = dr.round_id
            WHERE dr.framework_id = %s AND dr.sector = %s AND dr.size_band = %s
              AND dr.dimension_key = (SELECT key FROM {dimension} WHERE framework_id = %s ORDER BY position LIMIT 1)
              AND dr.organisation_id <> %s AND r.status = %s
              AND (SELECT COUNT(*) FROM {participant} p
                   WHERE p.round_id = dr.round_id AND p.submitted_at IS NOT NULL AND p.withdrawn_at IS NULL) >= %s
        ),
        candidate AS MATERIALIZED (SELECT organisation_id, round_id FROM ranked WHERE rn = 1),
        person AS (
            SELECT c.organisation_id, m.user_id FROM candidate c JOIN {membership} m ON m.organisation_id = c.organisation_id
            UNION ALL
            SELECT c.organisation_id, r.created_by_id FROM candidate c JOIN {round_} r ON r.organisation_id = c.organisation_id
            WHERE r.created_by_id IS NOT NULL
            UNION ALL
            SELECT c.organisation_id, p.user_id FROM candidate c JOIN {participant} p ON p.round_id = c.round_id
        )
        SELECT organisation_id, round_id, NULL, NULL FROM candidate
        UNION ALL
        SELECT pe.organisation_id, NULL, pe.user_id, fm.firm_id FROM person pe LEFT JOIN {firm_member} fm ON fm.user_id = pe.user_id
    """  # noqa: S608 — only table names from the models are formatted in; every value is a bound parameter
    params: list[int | str] = [
        framework_id,
        sector,
        size_band,
        framework_id,
        exclude_organisation_id,
        RoundStatus.PUBLISHED,
        MIN_SUBMITTED,
    ]
    rounds: dict[int, int] = {}
    people: dict[int, set] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for organisation, round_id, user, firm in cursor.fetchall():
            if round_id is not None:
                rounds[organisation] = round_id
            keys = people.setdefault(organisation, set())
            if user is not None:
                keys.add(("user", user))
            if firm is not None:
                keys.add(("firm", firm))
    return rounds, people


def _viewer_people(organisation_id: int) -> set:
    """Who stands behind the viewer: members, round creators and participants of any of its rounds, and their firms."""
    users = set(Membership.objects.filter(organisation_id=organisation_id).values_list("user_id", flat=True))
    users |= set(
        Round.objects.filter(organisation_id=organisation_id, created_by__isnull=False).values_list("created_by_id", flat=True)
    )
    users |= set(Participant.objects.filter(round__organisation_id=organisation_id).values_list("user_id", flat=True))
    firms = set(Firm.members.through.objects.filter(user_id__in=users).values_list("firm_id", flat=True))
    return {("user", user) for user in users} | {("firm", firm) for firm in firms}


def independent_rounds(*, viewer: set, candidates: dict[int, int], people: dict[int, set]) -> list[int]:
    """The candidates' rounds that count: a candidate sharing anyone with the viewer is left out, and of candidates
    sharing someone with each other only the first (oldest organisation) counts, so a person or a firm is one voice."""
    taken = set(viewer)
    kept = []
    for organisation in sorted(candidates):
        if people[organisation] & taken:
            continue
        taken |= people[organisation]
        kept.append(candidates[organisation])
    return kept


def peer_rounds(*, framework_id: int, sector: str, size_band: str, exclude_organisation_id: int) -> list[int]:
    candidates, people = _candidates(
        framework_id=framework_id, sector=sector, size_band=size_band, exclude_organisation_id=exclude_organisation_id
    )
    return independent_rounds(viewer=_viewer_people(exclude_organisation_id), candidates=candidates, people=people)


# ------------------------------------------------------------------------------------ the figures


def peer_stats_sql(
    *, framework_id: int, sector: str, size_band: str, exclude_organisation_id: int
) -> tuple[int, dict[str, PeerStats]]:
    """PostgreSQL only: (number of peers, raw quartiles per dimension), the quartiles by ``percentile_cont``."""
    rounds = peer_rounds(
        framework_id=framework_id, sector=sector, size_band=size_band, exclude_organisation_id=exclude_organisation_id
    )
    if not rounds:
        return 0, {}
    sql = f"""
        SELECT d.dimension_key,
               COUNT(d.score),
               percentile_cont(0.25) WITHIN GROUP (ORDER BY d.score::float8),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY d.score::float8),
               percentile_cont(0.75) WITHIN GROUP (ORDER BY d.score::float8)
        FROM {DimensionResult._meta.db_table} d
        WHERE d.round_id = ANY(%s)
        GROUP BY d.dimension_key
    """  # noqa: S608 — only a table name from the models is formatted in; every value is a bound parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [rounds])
        rows = cursor.fetchall()
    return len(rounds), {key: PeerStats(count=count, q1=q1, median=median, q3=q3) for key, count, q1, median, q3 in rows}


def peer_stats_python(
    *, framework_id: int, sector: str, size_band: str, exclude_organisation_id: int
) -> tuple[int, dict[str, PeerStats]]:
    """Any database (the embedded SQLite has no ``percentile_cont``): ``domain.percentiles`` computes the
    quartiles of the peers' scores as ``percentile_cont`` does."""
    rounds = peer_rounds(
        framework_id=framework_id, sector=sector, size_band=size_band, exclude_organisation_id=exclude_organisation_id
    )
    wanted = set(rounds)
    scores: dict[str, list] = {}
    # All the group's rows in one indexed pass, kept when their round counts: cheaper than an IN list of thousands of ids.
    sql = f"SELECT round_id, dimension_key, score FROM {DimensionResult._meta.db_table} WHERE framework_id = %s AND sector = %s AND size_band = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [framework_id, sector, size_band])
        for round_id, key, score in cursor.fetchall():
            if round_id in wanted:
                scores.setdefault(key, []).append(score)
    return len(rounds), stats_by_dimension(scores)


def peer_stats(
    *, framework_id: int, sector: str, size_band: str, exclude_organisation_id: int
) -> tuple[int, dict[str, PeerStats]]:
    """The benchmark query, uncached and undisclosed (raw quartiles): SQL on PostgreSQL, the Python path elsewhere."""
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
        peers, dimensions = peer_stats(
            framework_id=group[0], sector=group[1], size_band=group[2], exclude_organisation_id=group[3]
        )
        cached = {"peers": peers, "dimensions": {k: (s.count, s.q1, s.median, s.q3) for k, s in dimensions.items()}}
        _cache_set(key, cached)
    if cached["peers"] < MIN_PEERS:
        return Benchmark(opted_in=True, peers=cached["peers"])
    # Only disclosed figures leave this function (domain.disclosure): the raw quartiles stay in the cache.
    shown = {key: disclosed(PeerStats(*values)) for key, values in cached["dimensions"].items()}
    return Benchmark(
        opted_in=True, peers=cached["peers"], dimensions={key: stats for key, stats in shown.items() if stats is not None}
    )
