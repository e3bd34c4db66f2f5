"""Claims against evidence, the pure comparison (measurement/domain/claims.py; issue #18)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measurement.domain.claims import (
    FLAG_OPTIMISM,
    FLAG_OVER_CLAIMED,
    ClaimedQuestion,
    EvidenceRules,
    FinancialLinkRequirement,
    MetricFacts,
    MetricRequirement,
    Observation,
    QuestionRule,
    assess,
    caps,
    facts_from,
    in_window,
    level_of,
    missing,
    supported_level,
)
from measurement.domain.metrics import ALL_METRICS, CX_METRICS, Period, parse_period

RELATIONSHIP = MetricRequirement("relationship", ("nps",))
TRANSACTIONAL = MetricRequirement("transactional", ("csat", "ces", "fcr"))
RELATIONSHIP_TREND = MetricRequirement("relationship_trend", ("nps",), periods=2)
TRANSACTIONAL_TREND = MetricRequirement("transactional_trend", ("csat", "ces", "fcr"), periods=2)
LINK = FinancialLinkRequirement("link")

# The example: Measurement ≥ 3 needs a relationship and a transactional metric with their
# sample sizes; ≥ 4 two periods of each and a financial link.
D7_3 = QuestionRule("D7.3", "D7", {3: (RELATIONSHIP, TRANSACTIONAL), 4: (RELATIONSHIP_TREND, TRANSACTIONAL_TREND, LINK)})
RULES = EvidenceRules((D7_3,), {"D7": ("nps", "csat")})


def facts(**metrics: tuple[int, int] | tuple[int, int, bool]) -> dict[str, MetricFacts]:
    return {m: MetricFacts(*value) for m, value in metrics.items()}


def claim(score, rules=RULES, known=None, key="D7.3", dimension="D7"):
    report = assess([ClaimedQuestion(key, dimension, None if score is None else Fraction(score))], rules, known or {})
    return report.for_question(key)


# --------------------------------------------------------------------------- levels


@pytest.mark.parametrize(("score", "level"), [("3.5", 4), ("3.49", 3), ("1", 1), ("4.5", 5), ("5", 5), ("2.5", 3), ("1.49", 1)])
def test_a_score_rounds_half_up_to_a_level(score, level):
    assert level_of(Fraction(score)) == level


def test_nothing_in_the_register_supports_level_2_only():
    assert supported_level(D7_3, {}) == 2


def test_an_nps_without_its_sample_size_does_not_count():
    assert supported_level(D7_3, facts(nps=(2, 0), csat=(2, 2))) == 2


def test_each_level_needs_the_ones_below():
    rule = QuestionRule("Q", "D", {3: (RELATIONSHIP,), 5: (TRANSACTIONAL,)})
    assert supported_level(rule, facts(csat=(1, 1))) == 2  # level 5's requirement holds, level 3's does not
    assert supported_level(rule, facts(nps=(1, 1))) == 4  # level 4 has no requirement: supported with 3
    assert supported_level(rule, facts(nps=(1, 1), csat=(1, 1))) == 5


def test_the_full_evidence_supports_everything():
    known = facts(nps=(2, 2), ces=(3, 2), retention_rate=(1, 0))
    assert supported_level(D7_3, known) == 5
    assert missing(D7_3, known, up_to=5) == ()


def test_missing_lists_what_the_claim_needs_in_level_order():
    known = facts(nps=(1, 1))
    assert missing(D7_3, known, up_to=4) == ("transactional", "relationship_trend", "transactional_trend", "link")
    assert missing(D7_3, known, up_to=3) == ("transactional",)
    assert missing(D7_3, known, up_to=2) == ()


def test_a_question_without_requirements_is_not_a_claim():
    rules = EvidenceRules((D7_3, QuestionRule("D7.6", "D7", {})), {})
    report = assess([ClaimedQuestion("D7.6", "D7", Fraction(5)), ClaimedQuestion("D1.1", "D1", Fraction(5))], rules, {})
    assert report.claims == ()
    assert caps(rules, {}) == {"D7.3": 2}


def test_requirements_only_above_the_floor():
    with pytest.raises(ValueError, match="2–5"):
        QuestionRule("Q", "D", {1: (RELATIONSHIP,)})
    with pytest.raises(ValueError, match="2–5"):
        QuestionRule("Q", "D", {6: (RELATIONSHIP,)})


# --------------------------------------------------------------------------- flags


def test_claimed_four_with_an_nps_lacking_its_sample_size_is_flagged():
    c = claim("4", known=facts(nps=(2, 0), csat=(2, 2), retention_rate=(2, 0)))
    assert (c.claimed, c.supported, c.over_claimed) == (4, 2, True)
    assert c.flags == (FLAG_OVER_CLAIMED,)
    assert c.missing == ("relationship", "relationship_trend")


def test_claimed_four_with_sample_sizes_two_periods_and_a_link_is_not_flagged():
    c = claim("4", known=facts(nps=(2, 2), csat=(2, 2), retention_rate=(1, 0)))
    assert (c.claimed, c.supported, c.flags, c.missing) == (4, 5, (), ())


def test_a_claim_one_level_above_is_flagged_and_the_same_level_is_not():
    known = facts(nps=(1, 1), csat=(1, 1))  # supports 3
    assert claim("3.49", known=known).flags == ()
    assert claim("3.5", known=known).over_claimed  # rounds to 4


def test_an_unscored_question_claims_nothing():
    assert claim(None) is None


def test_the_agreed_score_is_compared_not_anything_else():
    assert claim("2", known={}).flags == ()


def test_optimism_when_a_kpi_fell_beyond_noise_and_the_dimension_is_rated_four():
    known = facts(nps=(2, 2, True), csat=(2, 2), retention_rate=(1, 0))
    c = claim("4", known=known)
    assert c.flags == (FLAG_OPTIMISM,) and c.falling == ("nps",)
    assert claim("3.4", known=known).flags == ()  # the dimension is rated 3


def test_a_kpi_outside_the_dimension_makes_no_optimism():
    known = facts(nps=(2, 2), csat=(2, 2), fcr=(2, 2, True), retention_rate=(1, 0))
    assert claim("5", known=known).flags == ()


def test_the_dimension_rating_weighs_all_its_questions():
    rules = EvidenceRules((D7_3,), {"D7": ("nps",)})
    known = facts(nps=(2, 2, True), csat=(2, 2), retention_rate=(1, 0))
    questions = [
        ClaimedQuestion("D7.3", "D7", Fraction(4)),
        ClaimedQuestion("D7.1", "D7", Fraction(2), weight=Fraction(3)),  # (4 + 3 × 2) / 4 = 2.5 → 3
    ]
    report = assess(questions, rules, known)
    assert report.dimensions[0].rating == 3 and not report.dimensions[0].optimistic
    assert report.claims[0].flags == ()


# --------------------------------------------------------------------------- facts


def obs(metric, period, sample=True, delta=None, noise=None):
    return Observation(metric, parse_period(period), sample, None if delta is None else Fraction(delta), noise)


def test_the_window_is_the_twelve_months_ending_with_the_close():
    def inside(p):
        return in_window(parse_period(p), year=2026, month=3, months=12)

    assert inside("2026-03") and inside("2025-04") and inside("2025-Q2") and inside("2026-Q1")
    assert not inside("2025-03") and not inside("2025-Q1") and not inside("2026-04") and not inside("2026-Q2")


def test_periods_are_counted_per_kind_with_and_without_a_sample_size():
    known = facts_from(
        [obs("nps", "2026-Q1"), obs("nps", "2026-01"), obs("csat", "2026-01"), obs("csat", "2026-02", sample=False)],
        year=2026,
        month=3,
        months=12,
    )
    assert known["nps"] == MetricFacts(1, 1)  # a quarter and one of its months: no trend
    assert known["csat"] == MetricFacts(2, 1)


def test_values_outside_the_window_are_not_facts():
    assert facts_from([obs("nps", "2024-12")], year=2026, month=3, months=12) == {}


def test_fell_beyond_noise_reads_the_latest_change_only():
    def fell(*rows):
        return facts_from(rows, year=2026, month=3, months=12)["nps"].fell_beyond_noise

    assert fell(obs("nps", "2026-01"), obs("nps", "2026-02", delta="-9", noise=False))
    assert not fell(obs("nps", "2026-02", delta="-9", noise=True))  # within noise
    assert not fell(obs("nps", "2026-02", delta="9", noise=False))  # rose
    assert not fell(obs("nps", "2026-02", delta="-9", noise=None))  # unknown error
    assert not fell(obs("nps", "2026-01", delta="-9", noise=False), obs("nps", "2026-02", delta="1", noise=True))


def test_a_financial_link_needs_both_ends_of_a_branch_of_the_tree():
    revenue = FinancialLinkRequirement("revenue", drivers=("nps",), financial=("retention_rate",))
    assert revenue.links() == (("nps", "retention_rate"),)
    assert not revenue.holds(facts(retention_rate=(1, 0)))
    assert not revenue.holds(facts(csat=(1, 1), retention_rate=(1, 0)))  # csat does not drive retention
    assert revenue.holds(facts(nps=(1, 0), retention_rate=(1, 0)))
    assert not FinancialLinkRequirement("two", periods=2).holds(facts(nps=(1, 0), retention_rate=(1, 0)))


def test_inconsistent_facts_are_refused():
    with pytest.raises(ValueError):
        MetricFacts(1, 2)


# --------------------------------------------------------------------------- properties

metric_facts = st.builds(
    lambda periods, sampled, fell: MetricFacts(periods, min(sampled, periods), fell),
    st.integers(0, 4),
    st.integers(0, 4),
    st.booleans(),
)
register_facts = st.dictionaries(st.sampled_from(ALL_METRICS), metric_facts)
requirement = st.one_of(
    st.builds(
        MetricRequirement,
        key=st.sampled_from(["a", "b", "c"]),
        metrics=st.lists(st.sampled_from(CX_METRICS), min_size=1, max_size=3, unique=True).map(tuple),
        periods=st.integers(1, 3),
        sample_size=st.booleans(),
    ),
    st.builds(FinancialLinkRequirement, key=st.just("link"), periods=st.integers(1, 3)),
)
rule = st.builds(
    lambda levels: QuestionRule("Q", "D", levels),
    st.dictionaries(st.sampled_from([2, 3, 4, 5]), st.lists(requirement, min_size=1, max_size=3).map(tuple)),
)
scores = st.fractions(min_value=1, max_value=5)


@given(rule, register_facts, scores)
def test_supported_is_a_level_and_the_flag_means_claimed_above_supported(r, known, score):
    report = assess([ClaimedQuestion("Q", "D", score)], EvidenceRules((r,), {"D": ("nps",)}), known)
    c = report.for_question("Q")
    if not r.has_requirements:
        assert c is None
        return
    assert 1 <= c.supported <= 5
    assert (FLAG_OVER_CLAIMED in c.flags) == (c.claimed - c.supported >= 1)
    assert bool(c.missing) == (c.claimed > c.supported)


@given(rule, register_facts, st.sampled_from(ALL_METRICS), metric_facts)
def test_adding_a_fact_never_lowers_the_supported_level(r, known, metric, extra):
    before = supported_level(r, known)
    now = known.get(metric, MetricFacts())
    more = MetricFacts(
        max(now.periods, extra.periods),
        max(now.periods_with_sample, extra.periods_with_sample),
        now.fell_beyond_noise or extra.fell_beyond_noise,
    )
    assert supported_level(r, {**known, metric: more}) >= before


@given(st.lists(st.tuples(st.sampled_from(["nps", "csat"]), st.integers(2024, 2026), st.integers(1, 12), st.booleans())))
def test_a_new_observation_never_lowers_a_count(rows):
    def count(items):
        return facts_from(items, year=2026, month=6, months=12)

    items = [Observation(m, Period(y, "month", n), s) for m, y, n, s in rows]
    extra = Observation("nps", Period(2026, "month", 6), True)
    before, after = count(items), count([*items, extra])
    for metric, known in before.items():
        assert after[metric].periods >= known.periods
        assert after[metric].periods_with_sample >= known.periods_with_sample
