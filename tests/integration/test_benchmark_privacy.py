"""Benchmarks cannot be reverse-engineered (issue #21): four self-made peers scoring 1, 1, 5 and 5 used to make
the peers' median print a victim's exact score in every dimension (10 of 10 recovered)."""

import re
from fractions import Fraction

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments.models import Round
from benchmarks import selectors
from benchmarks.domain.disclosure import MIN_PEERS, MIN_PEERS_FOR_QUARTILES, STEP, coarsen, disclosed
from benchmarks.domain.percentiles import peer_stats
from benchmarks.services import opt_in_set
from organisations.models import Firm, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.integration.test_benchmarks import KEYS, close_with_scores
from tests.integration.test_benchmarks import closed_round as closed_round  # a fixture, used by attacker

pytestmark = pytest.mark.django_db

# The victim's scores: stored with two decimals, none of them on the half-point grid.
VICTIM = dict(zip(KEYS, (3.37, 2.81, 4.12, 1.64, 3.93, 2.22, 4.71, 1.38, 2.57, 3.06), strict=True))
CRAFTED = (1.0, 1.0, 5.0, 5.0)


@pytest.fixture
def victim(framework):
    organisation = OrganisationFactory(name="Victim")
    opt_in_set(organisation=organisation, opted_in=True, user=None)
    close_with_scores(organisation, framework, VICTIM)
    return organisation


@pytest.fixture
def attacker(org, closed_round):
    """The viewer: acme's facilitator, looking at acme's closed round (acme takes part in benchmarks)."""
    return org.members_by_role["facilitator"], closed_round


def crafted_peer(framework, score, *, by=None, firm=None):
    """A made-up organisation; ``by`` is who created it and its round (the attacker, or a fresh account)."""
    user = by or UserFactory()
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, user=user, role=Role.FACILITATOR)
    if firm is not None:
        firm.members.add(user)
    opt_in_set(organisation=organisation, opted_in=True, user=user)
    round_ = close_with_scores(organisation, framework, score)
    Round.objects.filter(pk=round_.pk).update(created_by=user)
    return organisation


def recovered(benchmark) -> int:
    """How many of the victim's exact scores the page's figures give away."""
    figures = [
        value for stats in benchmark.dimensions.values() for value in (stats.q1, stats.median, stats.q3) if value is not None
    ]
    return sum(1 for key, score in VICTIM.items() if any(abs(f - score) < 0.005 for f in figures)) if figures else 0


def test_the_reported_attack_with_the_attackers_own_peers_shows_nothing(framework, victim, attacker):
    user, round_ = attacker
    for score in CRAFTED:
        crafted_peer(framework, score, by=user)
    benchmark = selectors.benchmark_for_round(round_=round_)
    assert benchmark.peers == 1 and not benchmark.shown and benchmark.dimensions == {}  # only the victim counts
    assert recovered(benchmark) == 0


def test_crafted_peers_sharing_a_firm_or_a_person_count_once(framework, victim, attacker):
    _user, round_ = attacker
    firm = Firm.objects.create(name="Sock puppets")
    for score in CRAFTED:
        crafted_peer(framework, score, firm=firm)
    assert selectors.benchmark_for_round(round_=round_).peers == 2  # the victim and one of the four
    puppet = UserFactory()
    for score in CRAFTED:
        crafted_peer(framework, score, by=puppet)
    assert selectors.benchmark_for_round(round_=round_).peers == 3


def test_crafted_peers_that_evade_every_check_still_recover_none_of_the_victims_scores(framework, victim, attacker, client_for):
    """Four independent-looking accounts: the median is the victim's score, but only to the half point."""
    user, round_ = attacker
    for score in CRAFTED:
        crafted_peer(framework, score)
    benchmark = selectors.benchmark_for_round(round_=round_)
    assert benchmark.shown and benchmark.peers == 5
    assert recovered(benchmark) == 0
    for key, score in VICTIM.items():
        stats = benchmark.for_dimension(key)
        assert stats.q1 is None and stats.q3 is None  # fewer than 10 peers: no quartiles
        assert stats.median == coarsen(score) and abs(stats.median - score) <= float(STEP) / 2
    page = client_for(user).get(reverse("assessments:results", args=[round_.organisation.slug, round_.pk])).content.decode()
    assert "chart-benchmark" in page
    # What the benchmark block writes (its data table and texts; the drawing's coordinates left aside).
    block = page[page.index('class="cx-benchmark') : page.index("</section>", page.index('class="cx-benchmark'))]
    block = re.sub(r"<svg.*?</svg>", "", block, flags=re.S)
    assert "3,50" in block  # D1's peer median: the victim's 3.37, to the half point
    for score in VICTIM.values():
        assert f"{score:.2f}".replace(".", ",") not in block


def test_quartiles_appear_from_ten_independent_peers_rounded(framework, victim, attacker):
    _user, round_ = attacker
    for i in range(9):
        crafted_peer(framework, 1.0 + i * 0.47)
    benchmark = selectors.benchmark_for_round(round_=round_)
    assert benchmark.peers == 10
    stats = benchmark.for_dimension("D1")
    assert stats.q1 is not None and stats.q3 is not None
    assert all(Fraction(repr(v)) % STEP == 0 for v in (stats.q1, stats.median, stats.q3))


# ----------------------------------------------------------------------------- the rule itself

hundredths = st.integers(min_value=100, max_value=500).map(lambda h: Fraction(h, 100))


@given(victim=hundredths, crafted=st.lists(hundredths, min_size=MIN_PEERS - 1, max_size=3 * MIN_PEERS_FOR_QUARTILES))
def test_printed_figures_never_give_a_victims_score_beyond_the_coarsening(victim, crafted):
    raw = peer_stats([victim, *crafted])
    shown = disclosed(raw)
    assert shown is not None and shown.count == len(crafted) + 1
    figures = [shown.q1, shown.median, shown.q3]
    if shown.count < MIN_PEERS_FOR_QUARTILES:
        assert shown.q1 is None and shown.q3 is None
    for value in figures:
        if value is None:
            continue
        assert Fraction(repr(value)) % STEP == 0  # on the half-point grid
        if value == float(victim):
            assert victim % STEP == 0  # the exact score shows only when it is itself a half point
    # And the figure is the raw one within half a step: the benchmark stays truthful.
    assert abs(Fraction(repr(shown.median)) - Fraction(repr(raw.median))) <= STEP / 2


@given(st.lists(hundredths, max_size=MIN_PEERS - 1))
def test_fewer_than_five_peers_disclose_nothing(values):
    assert disclosed(peer_stats(values)) is None


def test_coarsening_rounds_half_up_to_half_points():
    assert [coarsen(v) for v in (1.0, 1.24, 1.25, 1.74, 1.75, 3.37, 4.99, 5.0)] == [1.0, 1.0, 1.5, 1.5, 2.0, 3.5, 5.0, 5.0]
    assert coarsen(None) is None
