"""Caps in the scoring domain ("cap by evidence", issue #18): a capped question scores min(score, cap)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.domain.scoring import score_round
from assessments.domain.types import Answer, DimensionSpec, FrameworkSpec, QuestionSpec

SPEC = FrameworkSpec(
    dimensions=(
        DimensionSpec("D7", questions=(QuestionSpec("D7.2"), QuestionSpec("D7.3"))),
        DimensionSpec("D8", questions=(QuestionSpec("D8.1"),)),
    )
)


def answers(levels: dict[str, list[int | None]]) -> list[Answer]:
    return [
        Answer(participant_id=i, question_key=key, level=level) for key, given in levels.items() for i, level in enumerate(given)
    ]


ANSWERS = answers({"D7.2": [4, 4, 5], "D7.3": [2, 3, 4], "D8.1": [5, 5, 4]})


def by_key(scores):
    return {q.key: q for q in scores.questions}


def test_no_caps_change_nothing():
    assert score_round(SPEC, ANSWERS) == score_round(SPEC, ANSWERS, caps={}) == score_round(SPEC, ANSWERS, caps=None)


def test_a_cap_lowers_the_score_only_and_the_dimension_follows():
    plain, capped = score_round(SPEC, ANSWERS), score_round(SPEC, ANSWERS, caps={"D7.2": 2, "D7.3": 5})
    q = by_key(capped)
    assert q["D7.2"].score == 2 and q["D7.2"].mean == Fraction(13, 3)  # the mean stays what the committee said
    assert q["D7.3"].score == by_key(plain)["D7.3"].score == 3  # a cap above the score changes nothing
    assert capped.dimensions[0].score == Fraction(5, 2)
    assert capped.dimensions[1] == plain.dimensions[1]


def test_a_cap_applies_to_the_agreed_level_too():
    q = by_key(score_round(SPEC, ANSWERS, {"D7.2": 5}, {"D7.2": 3}))["D7.2"]
    assert (q.score, q.consensus_level) == (3, 5)


def test_caps_outside_the_framework_are_ignored_and_bad_ones_refused():
    assert score_round(SPEC, ANSWERS, caps={"D1.1": 1}) == score_round(SPEC, ANSWERS)
    with pytest.raises(ValueError, match="cap"):
        score_round(SPEC, ANSWERS, caps={"D7.2": 0})
    with pytest.raises(TypeError, match="cap"):
        score_round(SPEC, ANSWERS, caps={"D7.2": "3"})  # type: ignore[dict-item]


def test_an_unscored_question_stays_unscored():
    spec = FrameworkSpec(dimensions=(DimensionSpec("D7", questions=(QuestionSpec("D7.2"),)),))
    q = by_key(score_round(spec, answers({"D7.2": [None]}), caps={"D7.2": 2}))["D7.2"]
    assert q.score is None


@given(st.dictionaries(st.sampled_from(["D7.2", "D7.3", "D8.1"]), st.integers(1, 5)))
def test_a_capped_score_is_never_above_its_cap_nor_above_the_uncapped_one(caps):
    plain, capped = by_key(score_round(SPEC, ANSWERS)), by_key(score_round(SPEC, ANSWERS, caps=caps))
    for key, q in capped.items():
        assert q.score == min(plain[key].score, caps.get(key, 5))
