"""Benchmarks: rows written with the snapshot, the peer group and its 5-organisation threshold, the two
computation paths (SQL on PostgreSQL, Python elsewhere) giving the same quartiles, the cache, the chart."""

import random
import statistics
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from assessments import services as round_services
from assessments.models import Answer, Framework, Participant, Round, RoundStatus
from benchmarks import selectors
from benchmarks.charts import peer_boxes
from benchmarks.domain.percentiles import peer_stats, percentile_cont
from benchmarks.models import DimensionResult, OptIn
from benchmarks.services import dimension_results_store, opt_in_set
from tests.factories import OrganisationFactory, UserFactory
from tests.views.test_csp import inline_problems

pytestmark = pytest.mark.django_db

KEYS = [f"D{i}" for i in range(1, 11)]
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path runs on PostgreSQL only")


def close_with_scores(
    organisation, framework, scores, *, status=RoundStatus.PUBLISHED, closed_at=None, title="Peer round", submitted=None
):
    """A published round whose stored results have these dimension scores (a number for all ten, or a dict),
    answered by ``submitted`` people of its own (enough to count as a peer by default)."""
    if not isinstance(scores, dict):
        scores = dict.fromkeys(KEYS, scores)
    round_ = Round.objects.create(
        organisation=organisation, framework=framework, title=title, status=status, closed_at=closed_at or timezone.now()
    )
    now = timezone.now()
    Participant.objects.bulk_create(
        Participant(round=round_, user=UserFactory(), function="other", nonce="n", submitted_at=now)
        for _ in range(selectors.MIN_SUBMITTED if submitted is None else submitted)
    )
    rows = [SimpleNamespace(key=k, score=scores.get(k)) for k in KEYS]
    snapshot = SimpleNamespace(results=SimpleNamespace(dimensions=rows))
    dimension_results_store(round_=round_, snapshot=snapshot)
    return round_


def peer(framework, score, *, sector="retail", size_band="1000-4999", opted_in=True, **kwargs):
    organisation = OrganisationFactory(sector=sector, size_band=size_band)
    if opted_in is not None:
        opt_in_set(organisation=organisation, opted_in=opted_in, user=None)
    close_with_scores(organisation, framework, score, **kwargs)
    return organisation


@pytest.fixture
def closed_round(org, open_round, framework):
    """Acme's round, every question answered at level 2 and closed (all dimensions score 2.00); Acme takes part."""
    questions = list(framework.questions.all())
    Answer.objects.bulk_create(
        Answer(participant=p, question=q, level=2) for p in open_round.participants.all() for q in questions
    )
    round_services.round_transition(round_=open_round, to="closed")
    open_round.refresh_from_db()
    opt_in_set(organisation=org, opted_in=True, user=org.members_by_role["facilitator"])
    return open_round


def summary(client_for, org, round_, role="facilitator"):
    response = client_for(org.members_by_role[role]).get(reverse("assessments:results", args=[org.slug, round_.pk]))
    assert response.status_code == 200
    return response.content.decode()


# ----------------------------------------------------------------------------- rows and opt-in


def test_closing_writes_one_row_per_dimension_and_consensus_rewrites_them(org, closed_round, framework):
    rows = DimensionResult.objects.filter(round=closed_round).order_by("dimension_key")
    assert rows.count() == 10
    first = DimensionResult.objects.get(round=closed_round, dimension_key="D1")
    assert (first.score, first.sector, first.size_band, first.organisation_id, first.framework_id) == (
        Decimal("2.00"),
        org.sector,
        org.size_band,
        org.pk,
        framework.pk,
    )
    assert first.closed_at == closed_round.closed_at
    question = framework.questions.get(key="D1.1")
    round_services.consensus_record(round_=closed_round, question=question, level=5, rationale="", user=None)
    assert DimensionResult.objects.filter(round=closed_round).count() == 10
    assert DimensionResult.objects.get(round=closed_round, dimension_key="D1").score > Decimal("2.00")


def test_opt_in_records_who_and_when(org):
    facilitator = org.members_by_role["facilitator"]
    opt_in_set(organisation=org, opted_in=True, user=facilitator)
    opt_in = OptIn.objects.get(organisation=org)
    assert opt_in.opted_in and opt_in.changed_by == facilitator and opt_in.changed_at is not None
    opt_in_set(organisation=org, opted_in=False, user=facilitator)
    assert OptIn.objects.filter(organisation=org).count() == 1 and not selectors.is_opted_in(organisation=org)


def test_opt_in_page_explains_and_toggles(org, client_for):
    client = client_for(org.members_by_role["facilitator"])
    url = reverse("benchmarks:opt_in", args=[org.slug])
    page = client.get(url).content.decode()
    assert 'name="opted_in" value="1"' in page and "anonym" in page.lower()
    assert inline_problems(page) == []
    assert client.post(url, {"opted_in": "1"}).status_code == 302
    assert selectors.is_opted_in(organisation=org)
    assert 'name="opted_in" value="0"' in client.get(url).content.decode()
    client.post(url, {"opted_in": "0"})
    assert not selectors.is_opted_in(organisation=org)
    client.post(url, {"opted_in": "maybe"})
    assert not selectors.is_opted_in(organisation=org)


# ----------------------------------------------------------------------------- the threshold


def test_four_peers_show_nothing_five_show_the_benchmark(org, closed_round, framework, client_for):
    for score in (1.5, 2.0, 2.5, 3.0):
        peer(framework, score)
    benchmark = selectors.benchmark_for_round(round_=closed_round)
    assert benchmark.opted_in and not benchmark.shown and benchmark.dimensions == {}
    page = summary(client_for, org, closed_round)
    assert "cx-benchmark-few" in page and "chart-benchmark" not in page

    peer(framework, 3.5)  # the fifth: a new row, so a new cache version
    benchmark = selectors.benchmark_for_round(round_=closed_round)
    assert benchmark.shown and benchmark.peers == 5
    stats = benchmark.for_dimension("D3")
    assert (stats.count, stats.q1, stats.median, stats.q3) == (5, None, 2.5, None)  # quartiles from 10 peers
    page = summary(client_for, org, closed_round)
    assert "chart-benchmark" in page and "cx-benchmark-peers" in page and "cx-benchmark-few" not in page
    assert "2,50" in page  # the peer median, in French
    assert inline_problems(page) == []


def test_a_dimension_with_fewer_than_five_scored_peers_is_not_compared(org, closed_round, framework):
    for i in range(5):
        peer(framework, {**dict.fromkeys(KEYS, 2.0 + i / 4), "D10": None if i else 4.0})
    benchmark = selectors.benchmark_for_round(round_=closed_round)
    assert benchmark.shown
    assert benchmark.for_dimension("D1") is not None
    assert benchmark.for_dimension("D10") is None  # one peer has a score there


def test_only_opted_in_peers_of_the_same_group_count_with_their_latest_published_round(org, closed_round, framework):
    old = timezone.now() - timedelta(days=400)
    for score in (2.0, 2.5, 3.0, 3.5):
        peer(framework, score)
    # Not peers: not opted in, opted out, no choice at all, another sector, another size band.
    peer(framework, 5.0, opted_in=False)
    peer(framework, 5.0, opted_in=None)
    out = peer(framework, 5.0)
    opt_in_set(organisation=out, opted_in=False, user=None)
    peer(framework, 5.0, sector="banking")
    peer(framework, 5.0, size_band="50-249")
    # Another framework version.
    other_version = Framework.objects.create(
        key=framework.key,
        version="9.9",
        title_fr="x",
        title_en="x",
        levels=framework.levels,
        raci_question_fr="x",
        raci_question_en="x",
    )
    peer(other_version, 5.0)
    # A peer whose round was reopened: it is not published any more, so it does not count; nor does one only closed,
    # nor one published with fewer than MIN_SUBMITTED submitted participants.
    peer(framework, 5.0, status=RoundStatus.OPEN)
    peer(framework, 5.0, status=RoundStatus.CLOSED)
    peer(framework, 5.0, submitted=selectors.MIN_SUBMITTED - 1)
    assert not selectors.benchmark_for_round(round_=closed_round).shown

    # A fifth peer with an old round at 1.0 and a newer one at 4.0: only the newer counts.
    fifth = peer(framework, 1.0, closed_at=old)
    close_with_scores(fifth, framework, 4.0)
    # The organisation itself, with another closed round, is never its own peer.
    close_with_scores(org, framework, 1.0)
    benchmark = selectors.benchmark_for_round(round_=closed_round)
    assert benchmark.shown and benchmark.peers == 5
    assert {(s.count, s.q1, s.median, s.q3) for s in benchmark.dimensions.values()} == {(5, None, 3.0, None)}
    peers, stats = selectors.peer_stats(
        framework_id=framework.pk, sector="retail", size_band="1000-4999", exclude_organisation_id=org.pk
    )
    assert {(s.count, s.q1, s.median, s.q3) for s in stats.values()} == {(5, 2.5, 3.0, 3.5)}  # raw, never shown as such

    # If the fifth's newer round is reopened, its previous published round counts instead.
    Round.objects.filter(organisation=fifth, closed_at__gt=old).update(status=RoundStatus.OPEN)
    peers, stats = selectors.peer_stats(
        framework_id=framework.pk, sector="retail", size_band="1000-4999", exclude_organisation_id=org.pk
    )
    assert peers == 5
    assert {(s.count, s.q1, s.median, s.q3) for s in stats.values()} == {(5, 2.0, 2.5, 3.0)}


def test_not_opted_in_shows_an_invitation_to_facilitators_only(org, closed_round, framework, client_for):
    for score in (1.5, 2.0, 2.5, 3.0, 3.5):
        peer(framework, score)
    opt_in_set(organisation=org, opted_in=False, user=None)
    assert not selectors.benchmark_for_round(round_=closed_round).shown
    page = summary(client_for, org, closed_round)
    assert "cx-benchmark-off" in page and "chart-benchmark" not in page
    assert reverse("benchmarks:opt_in", args=[org.slug]) in page
    assert reverse("benchmarks:opt_in", args=[org.slug]) not in summary(client_for, org, closed_round, role="sponsor")


# ----------------------------------------------------------------------------- cache


def test_the_figures_are_cached_and_a_change_of_opt_in_refreshes_them(org, closed_round, framework):
    peers = [peer(framework, score) for score in (1.5, 2.0, 2.5, 3.0, 3.5)]
    assert selectors.benchmark_for_round(round_=closed_round).shown
    with CaptureQueriesContext(connection) as queries:
        again = selectors.benchmark_for_round(round_=closed_round)
    assert again.shown and again.peers == 5
    assert not any("dimension_key" in q["sql"] and "GROUP BY" in q["sql"].upper() for q in queries)  # no recomputation
    assert not any("percentile_cont" in q["sql"] or "DENSE_RANK" in q["sql"].upper() for q in queries)
    opt_in_set(organisation=peers[0], opted_in=False, user=None)
    assert not selectors.benchmark_for_round(round_=closed_round).shown


def test_a_cache_outage_does_not_break_the_benchmark(org, closed_round, framework, monkeypatch):
    for score in (1.5, 2.0, 2.5, 3.0, 3.5):
        peer(framework, score)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(selectors.cache, "get", down)
    monkeypatch.setattr(selectors.cache, "set", down)
    assert selectors.benchmark_for_round(round_=closed_round).peers == 5


# ----------------------------------------------------------------------------- the arithmetic


def test_percentiles_interpolate_linearly_like_percentile_cont():
    assert [percentile_cont([5, 1, 4, 2, 3], f) for f in (0.25, 0.5, 0.75)] == [2, 3, 4]
    values = [Decimal("1.5"), Decimal("2"), Decimal("4"), Decimal("4.5")]
    assert [percentile_cont(values, f) for f in (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))] == [
        Fraction(15, 8),
        Fraction(3),
        Fraction(33, 8),
    ]
    assert percentile_cont([], 0.5) is None
    assert percentile_cont([2.5], 0.25) == Fraction(5, 2)
    stats = peer_stats([None, Decimal("3.00"), None])
    assert (stats.count, stats.q1, stats.median, stats.q3) == (1, 3.0, 3.0, 3.0)


@given(st.lists(st.integers(min_value=100, max_value=500), min_size=2, max_size=60))
def test_quartiles_match_the_inclusive_method(hundredths):
    values = [Fraction(h, 100) for h in hundredths]
    expected = statistics.quantiles(values, n=4, method="inclusive")
    assert [percentile_cont(values, f) for f in (0.25, 0.5, 0.75)] == expected


def random_peer_groups(framework, rng):
    """Sixty organisations over two sectors, with several rounds, null scores, reopened rounds and opt-outs."""
    for i in range(60):
        organisation = OrganisationFactory(sector=rng.choice(["retail", "retail", "banking"]), size_band="1000-4999")
        if rng.random() < 0.85:
            opt_in_set(organisation=organisation, opted_in=rng.random() < 0.9, user=None)
        for j in range(rng.randint(1, 3)):
            scores = {k: (None if rng.random() < 0.1 else rng.randint(100, 500) / 100) for k in KEYS}
            status = rng.choice([RoundStatus.CLOSED, RoundStatus.PUBLISHED, RoundStatus.PUBLISHED, RoundStatus.OPEN])
            closed_at = timezone.now() - timedelta(days=rng.randint(0, 3) * 30, minutes=i + j)
            close_with_scores(organisation, framework, scores, status=status, closed_at=closed_at)


@on_postgresql
def test_sql_and_python_paths_agree(org, framework):
    random_peer_groups(framework, random.Random(8))
    for sector in ("retail", "banking"):
        args = {"framework_id": framework.pk, "sector": sector, "size_band": "1000-4999", "exclude_organisation_id": org.pk}
        sql_peers, sql = selectors.peer_stats_sql(**args)
        py_peers, py = selectors.peer_stats_python(**args)
        assert sql_peers == py_peers > 5
        assert sql.keys() == py.keys() == set(KEYS)
        for key in KEYS:
            assert sql[key].count == py[key].count
            for name in ("q1", "median", "q3"):
                assert getattr(sql[key], name) == pytest.approx(getattr(py[key], name), abs=1e-9)


def test_the_python_path_matches_a_plain_recomputation(org, framework):
    random_peer_groups(framework, random.Random(3))
    peers, stats = selectors.peer_stats_python(
        framework_id=framework.pk, sector="retail", size_band="1000-4999", exclude_organisation_id=org.pk
    )
    latest = {}
    for r in Round.objects.filter(
        organisation__sector="retail", status="published", organisation__benchmark_opt_in__opted_in=True
    ).exclude(organisation=org):
        if r.organisation_id not in latest or (r.closed_at, r.pk) > (
            latest[r.organisation_id].closed_at,
            latest[r.organisation_id].pk,
        ):
            latest[r.organisation_id] = r
    assert peers == len(latest)
    for key in KEYS:
        scores = [
            float(s)
            for s in DimensionResult.objects.filter(
                round__in=latest.values(), dimension_key=key, score__isnull=False
            ).values_list("score", flat=True)
        ]
        assert stats[key].count == len(scores)
        assert [stats[key].q1, stats[key].median, stats[key].q3] == pytest.approx(
            statistics.quantiles(scores, n=4, method="inclusive")
        )


# ----------------------------------------------------------------------------- the chart


@translation.override("en")  # the default formatter writes the active language
def test_chart_escapes_labels_and_carries_its_data_table():
    chart = peer_boxes(
        [("D1 <script>alert(1)</script>", 2.0, (5, 1.5, 2.5, 3.0)), ("D2 & co", 3.0, None), ("D3", None, (6, 2.0, 2.0, 4.0))],
        title="Scores <b>",
        description="d",
    )
    svg = str(chart.svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "D2 &amp; co" in svg and "<b>" not in svg
    assert "style=" not in svg and "chart-box" in svg and "chart-median" in svg and "chart-ours" in svg
    headers, rows = chart.table
    assert len(headers) == 6
    assert rows[0] == ("D1 <script>alert(1)</script>", "2.00", "1.50", "2.50", "3.00", "5")  # plain text: the template escapes it
    assert rows[1][2:] == ("—", "—", "—", "—")
    assert rows[2][1] == "—"
