"""Framework 2.0's answers in the pure domain: "not applicable", confidence, importance (assessments/domain)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.domain.alignment import align_round
from assessments.domain.answers import (
    committee_importance,
    condition_holds,
    not_applicable_allowed,
    variant_index,
)
from assessments.domain.scoring import score_round
from assessments.domain.types import (
    UNSCORED_DONT_KNOW,
    UNSCORED_NO_ANSWER,
    UNSCORED_NOT_APPLICABLE,
    Answer,
    DimensionSpec,
    FrameworkSpec,
    QuestionSpec,
)

FW = FrameworkSpec(
    (
        DimensionSpec("D1", questions=(QuestionSpec("D1.1"), QuestionSpec("D1.2", weight=2))),
        DimensionSpec("D2", questions=(QuestionSpec("D2.1"),)),
    )
)


def na(participant: int, key: str) -> Answer:
    return Answer(participant, key, None, not_applicable=True)


# --------------------------------------------------------------------------- conditions


def test_a_condition_holds_when_every_key_is_answered_with_a_listed_choice():
    when = {"listed": ["no"], "b2b_b2c": ["b2b", "both"]}
    assert condition_holds(when, {"listed": "no", "b2b_b2c": "both", "sector": "retail"})
    assert not condition_holds(when, {"listed": "no", "b2b_b2c": "b2c"})
    assert not condition_holds(when, {"listed": "no"})  # a key not answered: the condition does not hold
    assert not condition_holds({}, {"listed": "no"})  # an empty condition never holds


def test_not_applicable_is_allowed_only_where_the_rule_matches():
    rule = {"when": {"listed": ["no"]}, "reason": {"fr": "…", "en": "…"}}
    assert not_applicable_allowed(rule, {"listed": "no"})
    assert not not_applicable_allowed(rule, {"listed": "yes"})
    assert not not_applicable_allowed(rule, {})
    assert not not_applicable_allowed(None, {"listed": "no"})  # a question without a rule always applies


def test_the_first_matching_variant_gives_the_wording():
    variants = [{"when": {"listed": ["yes"]}, "text": {}}, {"when": {"listed": ["yes", "no"]}, "text": {}}]
    assert variant_index(variants, {"listed": "yes"}) == 0
    assert variant_index(variants, {"listed": "no"}) == 1
    assert variant_index(variants, {}) is None
    assert variant_index(None, {"listed": "yes"}) is None


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from("abc"), st.lists(st.sampled_from("xyz"), min_size=1, max_size=3), min_size=1),
    st.dictionaries(st.sampled_from("abcd"), st.sampled_from("xyz")),
    st.sampled_from("abc"),
    st.sampled_from("xyz"),
)
def test_property_listing_more_choices_never_withdraws_a_condition(when, context, key, choice):
    wider = {**when, key: [*when.get(key, []), choice]} if key in when else dict(when)
    if condition_holds(when, context):
        assert condition_holds(wider, context)
    # And a condition holds exactly when the context answers each of its keys with a listed choice.
    assert condition_holds(when, context) == all(context.get(k) in v for k, v in when.items())


# --------------------------------------------------------------------------- scoring


def test_not_applicable_is_neither_scored_nor_a_dont_know():
    answers = [Answer(1, "D1.1", 4), Answer(2, "D1.1", None), na(3, "D1.1"), na(4, "D1.1")]
    q = score_round(FW, answers).question("D1.1")
    assert (q.n, q.dont_know, q.answered, q.not_applicable) == (1, 1, 2, 2)
    assert q.dont_know_rate == Fraction(1, 2)  # out of the two answers that are not N/A
    assert q.score == 4


def test_a_dimension_with_only_not_applicable_answers_is_unscored_for_that_reason():
    result = score_round(FW, [na(1, "D1.1"), na(2, "D1.2"), Answer(1, "D2.1", None)])
    d1, d2 = result.dimensions
    assert d1.unscored and d1.unscored_reason == UNSCORED_NOT_APPLICABLE
    assert (d1.answered, d1.dont_know, d1.dont_know_rate, d1.not_applicable, d1.low_evidence) == (0, 0, None, 2, False)
    assert d2.unscored and d2.unscored_reason == UNSCORED_DONT_KNOW
    assert score_round(FW, []).dimension("D1").unscored_reason == UNSCORED_NO_ANSWER
    assert score_round(FW, [na(1, "D1.1"), Answer(2, "D1.1", None)]).dimension("D1").unscored_reason == UNSCORED_DONT_KNOW
    scored = score_round(FW, [na(1, "D1.1"), Answer(2, "D1.2", 3)]).dimension("D1")
    assert not scored.unscored and scored.unscored_reason is None and scored.score == 3


def test_consensus_still_scores_a_question_answered_not_applicable():
    d1 = score_round(FW, [na(1, "D1.1")], {"D1.1": 2}).dimension("D1")
    assert d1.score == 2 and d1.unscored_reason is None


def test_not_applicable_leaves_the_exported_rows_as_they_were():
    """The stored snapshot is read strictly: its rows keep their keys until the results show N/A."""
    plain = score_round(FW, [Answer(1, "D1.1", 4)])
    with_na = score_round(FW, [Answer(1, "D1.1", 4), na(2, "D1.1"), na(2, "D2.1")])
    assert with_na.as_export().keys() == plain.as_export().keys()
    assert with_na.as_export()["questions"][0].keys() == plain.as_export()["questions"][0].keys()
    assert with_na.as_export()["dimensions"][1] == plain.as_export()["dimensions"][1]


def test_a_not_applicable_answer_has_no_level_and_a_confidence_needs_a_level():
    with pytest.raises(ValueError, match="no level"):
        Answer(1, "D1.1", 3, not_applicable=True)
    with pytest.raises(ValueError, match="confidence"):
        Answer(1, "D1.1", 3, confidence="medium")
    assert Answer(1, "D1.1", None, confidence="high").confidence is None
    assert Answer(1, "D1.1", None, not_applicable=True, confidence="low").confidence is None
    assert Answer(1, "D1.1", 3, confidence="low").confidence == "low"


def test_confidence_is_counted_beside_the_levels():
    answers = [Answer(1, "D1.1", 2, confidence="low"), Answer(2, "D1.1", 4, confidence="high"), Answer(3, "D1.1", 3)]
    q = score_round(FW, answers).question("D1.1")
    assert (q.low_confidence, q.high_confidence, q.n) == (1, 1, 3)


def test_not_applicable_is_left_out_of_the_alignment():
    functions = {1: "cfo", 2: "cfo", 3: "cmo"}
    plain = align_round(FW, [Answer(1, "D1.1", 2), Answer(3, "D1.1", 4)], functions, anonymous=False)
    with_na = align_round(FW, [Answer(1, "D1.1", 2), na(2, "D1.1"), Answer(3, "D1.1", 4)], functions, anonymous=False)
    assert with_na == plain


# --------------------------------------------------------------------------- properties

KEYS = [q.key for d in FW.dimensions for q in d.questions]
VALUES = st.one_of(st.none(), st.integers(min_value=1, max_value=5), st.just("na"))
CONFIDENCES = st.sampled_from([None, "low", "high"])


@st.composite
def answer_sets(draw):
    """Answers of up to six participants: a level, don't know or N/A, with or without a confidence."""
    rows = []
    for participant in range(draw(st.integers(min_value=0, max_value=6))):
        for key in KEYS:
            if draw(st.booleans()):
                value = draw(VALUES)
                if value == "na":
                    rows.append(Answer(participant, key, None, not_applicable=True, confidence=draw(CONFIDENCES)))
                else:
                    rows.append(Answer(participant, key, value, confidence=draw(CONFIDENCES)))
    consensus = {key: draw(st.integers(min_value=1, max_value=5)) for key in KEYS if draw(st.integers(0, 4)) == 0}
    return rows, consensus


def _without_extras(scores):
    """The figures N/A and confidence must not move: everything but their own counts and the unscored reason."""
    questions = [
        (q.key, q.score, q.mean, q.n, q.dont_know, q.answered, q.dont_know_rate, q.range, q.variance, q.ad, q.contested)
        for q in scores.questions
    ]
    dimensions = [
        (d.key, d.score, d.index, d.stage, d.answered, d.dont_know, d.dont_know_rate, d.low_evidence, d.agreement, d.unscored)
        for d in scores.dimensions
    ]
    return questions, dimensions, scores.overall, scores.as_export()


@settings(max_examples=150, deadline=None)
@given(answer_sets())
def test_property_not_applicable_answers_change_no_figure(data):
    rows, consensus = data
    kept = [a for a in rows if not a.not_applicable]
    assert _without_extras(score_round(FW, rows, consensus)) == _without_extras(score_round(FW, kept, consensus))


@settings(max_examples=150, deadline=None)
@given(answer_sets())
def test_property_confidence_changes_no_figure(data):
    rows, consensus = data
    plain = [Answer(a.participant_id, a.question_key, a.level, not_applicable=a.not_applicable) for a in rows]
    assert _without_extras(score_round(FW, rows, consensus)) == _without_extras(score_round(FW, plain, consensus))


@settings(max_examples=150, deadline=None)
@given(answer_sets())
def test_property_counts_add_up(data):
    rows, consensus = data
    result = score_round(FW, rows, consensus)
    for q in result.questions:
        mine = [a for a in rows if a.question_key == q.key]
        assert q.answered + q.not_applicable == len(mine)
        assert q.low_confidence + q.high_confidence <= q.n
    for d in result.dimensions:
        assert d.unscored == (d.unscored_reason is not None)
        if d.unscored_reason == UNSCORED_NOT_APPLICABLE:
            assert d.answered == 0 and d.not_applicable > 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=3), max_size=12))
def test_property_committee_importance_lies_between_the_importances_given(values):
    result = committee_importance(values)
    if not values:
        assert result is None
    else:
        assert min(values) <= result <= max(values)
        assert result * len(values) == sum(values)


@pytest.mark.parametrize("bad", [0, 4, True, 2.5, "2"])
def test_an_importance_outside_one_to_three_is_refused(bad):
    with pytest.raises((TypeError, ValueError)):
        committee_importance([2, bad])
