"""The minimum response rule (assessments/domain/sample.py): pure, exact, with hypothesis (issue #13, item 3)."""

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.domain.sample import SampleRule, check_sample, respondents_by_dimension

rules = st.builds(SampleRule.from_percent, st.integers(min_value=1, max_value=40), st.integers(min_value=0, max_value=100))


@st.composite
def rounds(draw):
    invited = draw(st.integers(min_value=0, max_value=60))
    submitted = draw(st.integers(min_value=0, max_value=invited))
    keys = draw(st.lists(st.sampled_from([f"D{i}" for i in range(1, 11)]), min_size=1, max_size=10, unique=True))
    respondents = {k: draw(st.integers(min_value=0, max_value=invited)) for k in keys}
    return invited, submitted, respondents


def test_the_default_rule_on_the_issue_round_of_nine_with_one_answer():
    check = check_sample(SampleRule(), invited=9, submitted=1, respondents={"D1": 1, "D2": 1})
    assert check.low and check.required == 5  # max(3 people, half of 9 rounded up)
    assert [d.key for d in check.short] == ["D1", "D2"]
    assert check.as_export() == {
        "low": True,
        "invited": 9,
        "submitted": 1,
        "required": 5,
        "min_respondents": 3,
        "min_percent": 50,
        "dimensions": [{"key": "D1", "respondents": 1, "short": True}, {"key": "D2", "respondents": 1, "short": True}],
    }


@pytest.mark.parametrize(
    ("invited", "respondents", "low"),
    [
        (9, 5, False),  # exactly at the threshold: enough
        (9, 4, True),
        (8, 4, False),  # half of 8 is 4, and 4 ≥ 3
        (3, 3, False),
        (4, 2, True),  # half of 4, but fewer than 3 people
        (2, 2, True),  # a round of 2 never reaches 3 people with the default rule
        (40, 19, True),
        (40, 20, False),
    ],
)
def test_the_boundaries_of_the_default_rule(invited, respondents, low):
    assert check_sample(SampleRule(), invited=invited, submitted=0, respondents={"D1": respondents}).low is low


def test_a_round_without_dimensions_is_a_low_sample():
    assert check_sample(SampleRule(), invited=5, submitted=5, respondents={}).low


@pytest.mark.parametrize(
    "bad", [{"min_respondents": 0}, {"min_respondents": True}, {"min_share": Fraction(3, 2)}, {"min_share": -1}]
)
def test_a_nonsense_rule_is_refused(bad):
    with pytest.raises(ValueError):
        SampleRule(**bad)


def test_inconsistent_counts_are_refused():
    with pytest.raises(ValueError):
        check_sample(SampleRule(), invited=2, submitted=3, respondents={"D1": 1})


@given(rule=rules, data=rounds())
def test_a_dimension_is_short_exactly_when_below_either_threshold(rule, data):
    invited, submitted, respondents = data
    check = check_sample(rule, invited=invited, submitted=submitted, respondents=respondents)
    assert check.required == max(rule.min_respondents, math.ceil(rule.min_share * invited))
    for d in check.dimensions:
        below_people = d.respondents < rule.min_respondents
        below_share = Fraction(d.respondents) < rule.min_share * invited  # exact: no float at the boundary
        assert d.short is (below_people or below_share)
    assert check.low is any(d.short for d in check.dimensions)
    assert [d.key for d in check.dimensions] == list(respondents)


@given(rule=rules, data=rounds(), extra=st.integers(min_value=0, max_value=10))
def test_more_respondents_never_make_a_round_weaker(rule, data, extra):
    invited, submitted, respondents = data
    more = {k: min(invited, n + extra) for k, n in respondents.items()}
    before = check_sample(rule, invited=invited, submitted=submitted, respondents=respondents)
    after = check_sample(rule, invited=invited, submitted=submitted, respondents=more)
    assert {d.key for d in after.short} <= {d.key for d in before.short}


@given(data=rounds())
def test_a_stricter_rule_never_passes_what_a_looser_one_fails(data):
    invited, submitted, respondents = data
    loose = check_sample(SampleRule.from_percent(2, 30), invited=invited, submitted=submitted, respondents=respondents)
    strict = check_sample(SampleRule.from_percent(3, 50), invited=invited, submitted=submitted, respondents=respondents)
    assert {d.key for d in loose.short} <= {d.key for d in strict.short}


@given(st.lists(st.tuples(st.integers(min_value=1, max_value=6), st.sampled_from(["D1.1", "D1.2", "D2.1", "X9.9"])), max_size=40))
def test_respondents_are_distinct_people_with_any_answer_in_the_dimension(answers):
    dimension_of = {"D1.1": "D1", "D1.2": "D1", "D2.1": "D2"}
    counts = respondents_by_dimension(dimension_of, ["D1", "D2", "D3"], answers)
    assert counts == {
        "D1": len({p for p, q in answers if q in ("D1.1", "D1.2")}),
        "D2": len({p for p, q in answers if q == "D2.1"}),
        "D3": 0,  # a dimension nobody answered is there, with 0
    }
