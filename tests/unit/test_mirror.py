"""The executive mirror's domain (assessments/domain/mirror.py): quartiles, outliers, function views, the workshop's list."""

import statistics
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.domain.alignment import participant_scores
from assessments.domain.mirror import (
    MIN_COMMITTEE,
    dispersion,
    executive_mirror,
    is_outlier,
    median,
    quartiles,
)
from assessments.domain.types import Answer, DimensionSpec, FrameworkSpec, QuestionSpec

F = Fraction

FRAMEWORK = FrameworkSpec(
    dimensions=(
        DimensionSpec(key="D1", questions=(QuestionSpec(key="D1.1"), QuestionSpec(key="D1.2", weight=2))),
        DimensionSpec(key="D2", questions=(QuestionSpec(key="D2.1"), QuestionSpec(key="D2.2"))),
    )
)
KEYS = ["D1.1", "D1.2", "D2.1", "D2.2"]


def answers_of(levels: dict[int, dict[str, int | None]]) -> list[Answer]:
    return [
        Answer(participant_id=pid, question_key=key, level=level) for pid, row in levels.items() for key, level in row.items()
    ]


# ------------------------------------------------------------------------------------------ quartiles


def test_quartiles_of_four_values_interpolate_inclusively():
    q = quartiles([4, 1, 3, 2])
    assert (q.q1, q.median, q.q3, q.n) == (F(7, 4), F(5, 2), F(13, 4), 4)
    assert q.iqr == F(3, 2)


def test_quartiles_of_one_and_of_none():
    assert quartiles([]) is None
    assert median([]) is None
    q = quartiles([F(7, 3)])
    assert (q.q1, q.median, q.q3) == (F(7, 3), F(7, 3), F(7, 3))


def test_median_of_two_is_their_mean_and_of_odd_the_middle():
    assert median([1, 5]) == 3
    assert median([5, 1, 2]) == 2


def test_outlier_at_exactly_two_levels_and_not_below():
    assert is_outlier(1, F(3))
    assert is_outlier(5, F(3))
    assert not is_outlier(F(3, 2), F(7, 2) - F(1, 100))
    assert not is_outlier(2, F(7, 2))
    assert not is_outlier(None, F(3))
    assert not is_outlier(1, None)


values = st.lists(st.fractions(min_value=1, max_value=5, max_denominator=12), min_size=1, max_size=25)


@given(values)
def test_quartiles_are_pythons_inclusive_quantiles_exactly(xs):
    q = quartiles(xs)
    expected = statistics.quantiles(xs, n=4, method="inclusive") if len(xs) > 1 else [xs[0]] * 3
    assert [q.q1, q.median, q.q3] == expected
    assert q.median == statistics.median(xs)
    assert all(isinstance(v, Fraction) for v in (q.q1, q.median, q.q3))


@given(values)
def test_median_within_range_and_between_the_quartiles(xs):
    q = quartiles(xs)
    assert min(xs) <= q.q1 <= q.median <= q.q3 <= max(xs)


@given(values, st.randoms(use_true_random=False))
def test_quartiles_ignore_the_order_of_the_values(xs, rng):
    shuffled = list(xs)
    rng.shuffle(shuffled)
    assert quartiles(shuffled) == quartiles(xs)


# ------------------------------------------------------------------------------------------ the mirror


def test_own_dimension_score_is_alignments_participant_score():
    answers = answers_of(
        {
            1: {"D1.1": 1, "D1.2": 4, "D2.1": None, "D2.2": 2},
            2: {"D1.1": 3, "D1.2": 3, "D2.1": 3, "D2.2": 3},
            3: {"D1.1": 5, "D1.2": 5, "D2.1": 4},
        }
    )
    mirror = executive_mirror(FRAMEWORK, answers, 1, {}, anonymous=False)
    d1, d2 = mirror.dimensions
    assert d1.own == participant_scores(FRAMEWORK, answers)[(1, "D1")][0] == F(1 + 4 * 2, 3)
    assert d2.own == 2  # the don't-know is left out
    assert d1.committee.median == 3 and d1.committee.n == 3
    assert d1.distance == 0


def test_committee_needs_three_values_and_a_missing_own_value_is_no_outlier():
    answers = answers_of({1: {"D1.1": 1}, 2: {"D1.1": 5}, 3: {"D2.1": None}})
    mirror = executive_mirror(FRAMEWORK, answers, 1, {}, anonymous=False)
    d1, d2 = mirror.dimensions
    assert d1.own == 1 and d1.committee is None and not d1.outlier  # two values: the other's would show
    assert d2.own is None and d2.committee is None and not d2.outlier
    assert mirror.outliers == ()


def test_outlier_dimension_and_contested_question():
    answers = answers_of({pid: {"D2.1": level, "D2.2": level} for pid, level in {1: 1, 2: 3, 3: 3, 4: 4, 5: 5}.items()})
    mirror = executive_mirror(FRAMEWORK, answers, 1, {}, anonymous=False)
    d2 = mirror.dimensions[1]
    assert (d2.own, d2.committee.median, d2.outlier) == (1, 3, True)
    assert [q.key for q in mirror.questions] == ["D2.1", "D2.2"]  # range 4: contested, equal AD: framework order
    assert all(q.outlier and q.own == 1 and q.range == 4 for q in mirror.questions)
    assert [r.key for r in mirror.outliers] == ["D2", "D2.1", "D2.2"]
    assert not executive_mirror(FRAMEWORK, answers, 2, {}, anonymous=False).outliers


def test_contested_questions_most_divided_first():
    answers = answers_of(
        {
            1: {"D1.1": 1, "D2.2": 1, "D2.1": 3},
            2: {"D1.1": 5, "D2.2": 2, "D2.1": 3},
            3: {"D1.1": 5, "D2.2": 4, "D2.1": 3},
            4: {"D1.1": 1, "D2.2": 4, "D2.1": 3},
        }
    )
    mirror = executive_mirror(FRAMEWORK, answers, 1, {}, anonymous=False)
    assert [(q.key, q.ad) for q in mirror.questions] == [("D1.1", 2), ("D2.2", F(5, 4))]


FUNCTIONS = {1: "sales", 2: "sales", 3: "sales", 4: "cfo", 5: "cfo", 6: "cfo", 7: "cxo"}


def committee_of(levels_by_pid):
    return answers_of({pid: dict.fromkeys(KEYS, level) for pid, level in levels_by_pid.items()})


def test_function_view_against_the_rest_of_the_committee():
    answers = committee_of({1: 5, 2: 4, 3: 4, 4: 1, 5: 2, 6: 2, 7: 3})
    mirror = executive_mirror(FRAMEWORK, answers, 1, FUNCTIONS, anonymous=False)
    assert mirror.function == "sales"
    assert [(v.dimension, v.mean, v.participants, v.others_mean, v.others) for v in mirror.functions] == [
        ("D1", F(13, 3), 3, F(2), 4),
        ("D2", F(13, 3), 3, F(2), 4),
    ]
    assert mirror.functions[0].gap == F(7, 3)


def test_function_view_hidden_for_a_group_of_two_or_a_rest_of_two():
    answers = committee_of({1: 5, 2: 4, 4: 1, 5: 2, 6: 2})  # sales: 2 people
    assert executive_mirror(FRAMEWORK, answers, 1, FUNCTIONS, anonymous=False).functions == ()
    answers = committee_of({1: 5, 2: 4, 3: 4, 4: 1, 5: 2})  # the others: 2 people
    assert executive_mirror(FRAMEWORK, answers, 1, FUNCTIONS, anonymous=False).functions == ()
    answers = committee_of({1: 5, 2: 4, 3: 4, 4: 1, 5: 2, 6: 2, 7: 3})
    assert executive_mirror(FRAMEWORK, answers, 7, FUNCTIONS, anonymous=False).functions == ()  # the CXO is alone


def test_anonymous_round_has_no_function_view_and_gaps_only_from_groups_of_three():
    answers = committee_of({1: 5, 2: 4, 3: 4, 4: 1, 5: 2, 6: 2, 7: 5})  # the lone CXO answers 5
    anonymous = executive_mirror(FRAMEWORK, answers, 1, FUNCTIONS, anonymous=True)
    assert anonymous.function is None and anonymous.functions == ()
    assert [(g.dimension, g.gap) for g in anonymous.gaps] == [("D1", F(8, 3)), ("D2", F(8, 3))]  # sales vs cfo; cxo hidden
    attributed = executive_mirror(FRAMEWORK, answers, 1, FUNCTIONS, anonymous=False)
    assert [(g.dimension, g.gap) for g in attributed.gaps] == [
        ("D1", F(10, 3)),
        ("D2", F(10, 3)),
    ]  # the CXO (5) against the CFOs (5/3)


def test_only_flagged_gaps_widest_first_at_most_three():
    framework = FrameworkSpec(
        dimensions=tuple(DimensionSpec(key=f"D{i}", questions=(QuestionSpec(key=f"D{i}.1"),)) for i in range(1, 6))
    )
    # Function a answers 5 everywhere; b answers 5, 4, 3, 2, 1: gaps 0, 1, 2, 3, 4.
    answers = [Answer(participant_id=1, question_key=f"D{i}.1", level=5) for i in range(1, 6)]
    answers += [Answer(participant_id=2, question_key=f"D{i}.1", level=6 - i) for i in range(1, 6)]
    mirror = executive_mirror(framework, answers, 1, {1: "a", 2: "b"}, anonymous=False)
    assert [(g.dimension, g.gap) for g in mirror.gaps] == [("D5", 4), ("D4", 3), ("D3", 2)]


def test_dispersion_per_dimension_and_question_none_below_three():
    answers = committee_of({1: 5, 2: 4, 3: 4, 4: 1}) + [Answer(participant_id=5, question_key="D1.1", level=None)]
    d = dispersion(FRAMEWORK, answers).as_export()
    assert d["dimensions"][0] == {"key": "D1", "n": 4, "median": 4.0, "q1": 3.25, "q3": 4.25}
    assert d["questions"][0] == {"key": "D1.1", "n": 4, "median": 4.0, "q1": 3.25, "q3": 4.25}
    few = dispersion(FRAMEWORK, committee_of({1: 5, 2: 4})).as_export()
    assert few["dimensions"][1] == {"key": "D2", "n": 2, "median": None, "q1": None, "q3": None}
    assert MIN_COMMITTEE == 3


# ------------------------------------------------------------------------------------------ properties

levels = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
committees = st.dictionaries(
    st.integers(min_value=1, max_value=9),
    st.tuples(st.sampled_from(["sales", "cfo", "cxo", None]), st.fixed_dictionaries(dict.fromkeys(KEYS, levels))),
    min_size=1,
    max_size=9,
)


def _answers(committee):
    return [Answer(participant_id=pid, question_key=k, level=lv) for pid, (_f, row) in committee.items() for k, lv in row.items()]


@given(committees, st.booleans())
def test_outlier_flag_iff_two_levels_from_the_median(committee, anonymous):
    functions = {pid: f for pid, (f, _row) in committee.items()}
    for pid in committee:
        mirror = executive_mirror(FRAMEWORK, _answers(committee), pid, functions, anonymous)
        for row in (*mirror.dimensions, *mirror.questions):
            distance = None if row.own is None or row.committee is None else abs(row.own - row.committee.median)
            assert row.outlier == (distance is not None and distance >= 2)
            if row.committee is not None:
                assert row.committee.n >= MIN_COMMITTEE
                assert row.committee.q1 <= row.committee.median <= row.committee.q3


@given(committees, st.booleans(), st.randoms(use_true_random=False))
def test_mirror_ignores_the_order_of_the_answers(committee, anonymous, rng):
    functions = {pid: f for pid, (f, _row) in committee.items()}
    answers = _answers(committee)
    shuffled = list(answers)
    rng.shuffle(shuffled)
    pid = rng.choice(sorted(committee))
    assert executive_mirror(FRAMEWORK, shuffled, pid, functions, anonymous) == executive_mirror(
        FRAMEWORK, answers, pid, functions, anonymous
    )
    assert dispersion(FRAMEWORK, shuffled) == dispersion(FRAMEWORK, answers)


@given(committees)
def test_function_views_only_for_groups_of_three_and_never_when_anonymous(committee):
    functions = {pid: f for pid, (f, _row) in committee.items()}
    for pid in committee:
        assert executive_mirror(FRAMEWORK, _answers(committee), pid, functions, True).functions == ()
        for view in executive_mirror(FRAMEWORK, _answers(committee), pid, functions, False).functions:
            assert view.function == functions[pid]
            assert view.participants >= 3 and view.others >= 3


def test_duplicates_are_refused_as_in_scoring():
    answers = [Answer(participant_id=1, question_key="D1.1", level=1)] * 2
    with pytest.raises(ValueError, match="more than once"):
        executive_mirror(FRAMEWORK, answers, 1, {}, anonymous=False)


def test_questions_outside_the_framework_are_ignored():
    answers = committee_of({1: 1, 2: 3, 3: 5}) + [Answer(participant_id=1, question_key="X9.9", level=1)]
    assert executive_mirror(FRAMEWORK, answers, 1, {}, False) == executive_mirror(
        FRAMEWORK, committee_of({1: 1, 2: 3, 3: 5}), 1, {}, False
    )
