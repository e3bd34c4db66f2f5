"""Unit tests of assessments.domain.alignment (pure; no database, no Django)."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.domain.alignment import (
    MIN_ANONYMOUS_ANSWERS,
    MIN_ANONYMOUS_PARTICIPANTS,
    align_round,
    function_means,
    group_is_shown,
    participant_scores,
    perception_gaps,
)
from assessments.domain.types import (
    Answer,
    DimensionSpec,
    FrameworkSpec,
    FunctionMean,
    QuestionSpec,
)

FW = FrameworkSpec(
    (
        DimensionSpec("D1", questions=(QuestionSpec("D1.1", 1), QuestionSpec("D1.2", 3))),
        DimensionSpec("D2", questions=(QuestionSpec("D2.1"),)),
    )
)


def fm(function: str, dimension: str, mean, participants: int = 3) -> FunctionMean:
    return FunctionMean(function, dimension, Fraction(mean), participants, participants)


def test_thresholds_are_three():
    assert MIN_ANONYMOUS_PARTICIPANTS == 3 and MIN_ANONYMOUS_ANSWERS == 3


# --------------------------------------------------------------------------- worked examples


def test_function_mean_is_the_mean_of_participant_scores():
    answers = [
        Answer(1, "D1.1", 2),
        Answer(1, "D1.2", 4),  # participant 1: (2×1 + 4×3) / 4 = 3.5
        Answer(2, "D1.1", 1),
        Answer(2, "D1.2", None),  # participant 2: 1 (don't-know left out)
        Answer(3, "D1.1", None),
        Answer(3, "D1.2", None),  # participant 3: no score in D1, not counted
        Answer(4, "D1.1", 5),  # participant 4: 5
        Answer(4, "X.1", 1),  # not in the framework: ignored
    ]
    functions = {1: "cfo", 2: "cfo", 3: "ceo", 4: "ceo"}

    scores = participant_scores(FW, answers)
    assert scores == {
        (1, "D1"): (Fraction(7, 2), 2),
        (2, "D1"): (Fraction(1), 1),
        (4, "D1"): (Fraction(5), 1),
    }

    means = function_means(FW, answers, functions, anonymous=False)
    assert means == (
        FunctionMean("ceo", "D1", Fraction(5), participants=1, answers=1),
        # mean of 3.5 and 1, not the pooled weighted mean of the levels (15/5 = 3)
        FunctionMean("cfo", "D1", Fraction(9, 4), participants=2, answers=3),
    )
    result = align_round(FW, answers, functions, anonymous=False)
    assert result.as_export() == {
        "by_function": [
            {"function": "ceo", "dimension": "D1", "mean": 5.0, "participants": 1},
            {"function": "cfo", "dimension": "D1", "mean": 2.25, "participants": 2},
        ],
        "perception_gaps": [
            {"dimension": "D1", "gap": 2.75, "flagged": True},
            {"dimension": "D2", "gap": None, "flagged": False},
        ],
    }


def test_participants_without_a_function_are_not_grouped():
    answers = [Answer(1, "D1.1", 2), Answer(2, "D1.1", 4)]
    means = function_means(FW, answers, {1: "cfo", 2: None}, anonymous=False)
    assert [(m.function, m.participants) for m in means] == [("cfo", 1)]
    assert function_means(FW, answers, {}, anonymous=False) == ()


def test_order_is_framework_dimension_then_function_key():
    answers = [
        Answer(1, "D2.1", 2),
        Answer(2, "D2.1", 3),
        Answer(1, "D1.1", 4),
        Answer(2, "D1.1", 4),
    ]
    means = function_means(FW, answers, {1: "sales", 2: "ceo"}, anonymous=False)
    assert [(m.dimension, m.function) for m in means] == [
        ("D1", "ceo"),
        ("D1", "sales"),
        ("D2", "ceo"),
        ("D2", "sales"),
    ]


def test_duplicate_answers_are_refused():
    with pytest.raises(ValueError):
        function_means(
            FW,
            [Answer(1, "D1.1", 2), Answer(1, "D1.1", 3)],
            {1: "cfo"},
            anonymous=False,
        )


# --------------------------------------------------------------------------- anonymity


def _group(function: str, first_id: int, levels, question: str = "D1.1"):
    answers = [Answer(first_id + i, question, level) for i, level in enumerate(levels)]
    functions = {first_id + i: function for i in range(len(levels))}
    return answers, functions


def test_anonymous_two_participants_hidden_three_shown():
    a2, f2 = _group("cfo", 10, [2, 3])
    a3, f3 = _group("ceo", 20, [4, 4, 5])
    answers, functions = a2 + a3, {**f2, **f3}

    attributed = function_means(FW, answers, functions, anonymous=False)
    assert [m.function for m in attributed] == ["ceo", "cfo"]

    anonymous = function_means(FW, answers, functions, anonymous=True)
    assert [(m.function, m.mean, m.participants) for m in anonymous] == [("ceo", Fraction(13, 3), 3)]
    # only shown groups enter the perception gap
    assert perception_gaps(anonymous, FW)[0].gap is None
    assert perception_gaps(attributed, FW)[0].gap == Fraction(13, 3) - Fraction(5, 2)


def test_anonymous_three_participants_but_two_non_null_answers_hidden():
    answers, functions = _group("cmo", 30, [2, 3, None])
    assert [m.participants for m in function_means(FW, answers, functions, anonymous=False)] == [2]
    assert function_means(FW, answers, functions, anonymous=True) == ()


def test_anonymity_is_judged_per_dimension():
    d1, functions = _group("ceo", 1, [3, 3, 4], "D1.1")
    d2 = [Answer(1, "D2.1", 2), Answer(2, "D2.1", 5), Answer(3, "D2.1", None)]
    means = function_means(FW, d1 + d2, functions, anonymous=True)
    assert [(m.dimension, m.function) for m in means] == [("D1", "ceo")]


def test_group_is_shown_rule():
    assert group_is_shown(1, 1, anonymous=False)
    assert not group_is_shown(0, 0, anonymous=False)
    assert not group_is_shown(2, 10, anonymous=True)
    assert not group_is_shown(3, 2, anonymous=True)
    assert group_is_shown(3, 3, anonymous=True)


# --------------------------------------------------------------------------- perception gaps


def test_gap_flag_boundary_is_one_inclusive():
    gaps = perception_gaps(
        [
            fm("ceo", "D1", 3),
            fm("cfo", "D1", 4),  # gap exactly 1 → flagged
            fm("ceo", "D2", 3),
            fm("cfo", "D2", Fraction(39, 10)),  # 0.9 → not flagged
            fm("cmo", "D2", Fraction(31, 10)),
        ]
    )
    assert [(g.dimension, g.gap, g.flagged) for g in gaps] == [
        ("D1", Fraction(1), True),
        ("D2", Fraction(9, 10), False),
    ]


def test_gap_needs_two_functions():
    assert perception_gaps([fm("ceo", "D1", 5)]) == perception_gaps([fm("ceo", "D1", 5)], None)
    (gap,) = perception_gaps([fm("ceo", "D1", 5)])
    assert (gap.gap, gap.flagged) == (None, False)
    assert [g.dimension for g in perception_gaps([], FW)] == ["D1", "D2"]
    assert perception_gaps([]) == ()


# --------------------------------------------------------------------------- properties


@st.composite
def rounds(draw):
    keys = [q.key for d in FW.dimensions for q in d.questions]
    n = draw(st.integers(min_value=0, max_value=10))
    functions = {p: draw(st.sampled_from(["ceo", "cfo", "cmo", "other"])) for p in range(n)}
    answers = [
        Answer(p, key, draw(st.one_of(st.none(), st.integers(1, 5)))) for p in range(n) for key in keys if draw(st.booleans())
    ]
    return answers, functions


@settings(max_examples=100, deadline=None)
@given(rounds())
def test_property_means_thresholds_and_gaps(data):
    answers, functions = data
    attributed = function_means(FW, answers, functions, anonymous=False)
    anonymous = function_means(FW, answers, functions, anonymous=True)
    for m in attributed:
        assert 1 <= m.mean <= 5
        assert 1 <= m.participants <= m.answers
    assert set(anonymous) <= set(attributed)
    for m in attributed:
        shown = m.participants >= 3 and m.answers >= 3
        assert (m in anonymous) == shown
    for means in (attributed, anonymous):
        for gap in perception_gaps(means, FW):
            values = [m.mean for m in means if m.dimension == gap.dimension]
            if len(values) < 2:
                assert gap.gap is None and not gap.flagged
            else:
                assert gap.gap == max(values) - min(values)
                assert 0 <= gap.gap <= 4
                assert gap.flagged == (gap.gap >= 1)


@settings(max_examples=100, deadline=None)
@given(rounds(), st.randoms(use_true_random=False), st.booleans())
def test_property_permuting_answers_and_participants_changes_nothing(data, rnd: random.Random, anonymous):
    answers, functions = data
    ids = sorted(functions)
    relabel = dict(zip(ids, rnd.sample(range(100, 200), len(ids)), strict=True))
    shuffled = [Answer(relabel[a.participant_id], a.question_key, a.level) for a in answers]
    rnd.shuffle(shuffled)
    relabelled = {relabel[p]: f for p, f in functions.items()}
    assert align_round(FW, shuffled, relabelled, anonymous) == align_round(FW, answers, functions, anonymous)
