"""The ownership map of the as-is RACI (assessments/domain/ownership.py): counts, ambiguity, flags, gaps."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.domain.ownership import (
    CONTESTED_AMBIGUITY,
    DONT_KNOW,
    NOBODY,
    FunctionView,
    Respondent,
    RoleCount,
    ambiguity_index,
    contested_first,
    ownership_map,
)
from assessments.domain.snapshot import OwnershipResult, Results, SnapshotError

ROLES = ("ceo", "cxo", "cmo", "cfo")
ACTIVITIES = ("cx_strategy", "cx_budget")


def one(choices, *, functions=None, anonymous=False, letters=None):
    """The row of ``cx_budget`` for respondents who chose ``choices`` in order."""
    functions = functions or [None] * len(choices)
    people = [
        Respondent(function=f, accountable={"cx_budget": c}, letters=(letters[i] if letters else {}))
        for i, (f, c) in enumerate(zip(functions, choices, strict=True))
    ]
    rows = ownership_map(people, ACTIVITIES, ROLES, anonymous)
    assert [r.activity for r in rows] == list(ACTIVITIES)
    return rows[1]


# ------------------------------------------------------------------------------ worked examples


def test_counts_plurality_and_index_of_a_worked_example():
    # 3 CFO, 2 CXO, 1 nobody, 1 don't know: N = 6 (don't know left out).
    row = one(["cfo", "cxo", "cfo", NOBODY, "cfo", DONT_KNOW, "cxo"])
    assert row.accountable == (RoleCount("cfo", 3), RoleCount("cxo", 2))
    assert (row.nobody, row.dont_know, row.counted, row.answered) == (1, 1, 6, 7)
    assert row.plurality == "cfo"
    # 1 − (3·2 + 2·1 + 1·0) / (6·5) = 1 − 8/30 = 11/15
    assert row.ambiguity == Fraction(11, 15)
    assert row.contested and row.several_a and not row.no_a


def test_the_index_is_the_chance_two_respondents_disagree():
    assert ambiguity_index([4]) == 0
    assert ambiguity_index([1, 1, 1]) == 1
    assert ambiguity_index([2, 1]) == Fraction(2, 3)  # 3 pairs, 2 of them disagree
    assert ambiguity_index([5, 5]) == Fraction(5, 9)
    assert ambiguity_index([1]) is None and ambiguity_index([]) is None and ambiguity_index([0, 0]) is None
    with pytest.raises(ValueError, match="negative"):
        ambiguity_index([3, -1])


def test_contested_from_one_half():
    assert Fraction(1, 2) == CONTESTED_AMBIGUITY
    # 3 vs 1: 1 − 6/12 = 1/2, contested (at the threshold).
    row = one(["ceo", "ceo", "ceo", "cxo"])
    assert row.ambiguity == Fraction(1, 2) and row.contested
    # 4 vs 1: 1 − 12/20 = 2/5, not contested, but two roles are named.
    row = one(["ceo"] * 4 + ["cxo"])
    assert row.ambiguity == Fraction(2, 5) and not row.contested and row.several_a


def test_one_answer_has_no_index_and_is_not_contested():
    row = one(["ceo", DONT_KNOW, DONT_KNOW])
    assert row.ambiguity is None and not row.contested
    assert row.plurality == "ceo" and not row.no_a and not row.several_a


def test_no_a_when_nobody_is_named_as_often_as_any_role():
    assert one([NOBODY, NOBODY, "ceo"]).no_a
    assert one([NOBODY, "ceo"]).no_a  # a tie with "nobody": half the room sees no A
    assert one([DONT_KNOW, DONT_KNOW]).no_a  # nobody knows who
    assert not one(["ceo", "ceo", NOBODY]).no_a
    assert one([NOBODY, NOBODY, "ceo"]).plurality == NOBODY


def test_a_tie_between_roles_is_several_as_not_no_a():
    row = one(["ceo", "cxo"])
    assert row.plurality is None and row.several_a and not row.no_a and row.ambiguity == 1


def test_an_activity_nobody_answered():
    row = ownership_map([], ACTIVITIES, ROLES, False)[0]
    assert row.accountable == () and row.answered == 0 and row.ambiguity is None
    assert not (row.no_a or row.several_a or row.contested) and row.plurality is None


def test_ties_follow_the_catalogue_and_unknown_roles_come_last():
    row = one(["custom_role", "cfo", "ceo", "cmo"])
    assert [c.role for c in row.accountable] == ["ceo", "cmo", "cfo", "custom_role"]


def test_r_counts_per_role_ignore_c_and_i_and_allow_the_a_to_be_r():
    letters = [
        {"cx_budget": {"cfo": "R", "cxo": "C", "ceo": "I"}},
        {"cx_budget": {"cfo": "R", "cxo": "R"}},
        {"cx_strategy": {"ceo": "R"}},
    ]
    row = one(["cfo", "cfo", "ceo"], letters=letters)
    assert row.responsible == (RoleCount("cfo", 2), RoleCount("cxo", 1))


def test_a_letter_other_than_r_c_i_is_refused():
    with pytest.raises(ValueError, match="not an R, C or I"):
        one(["cfo"], letters=[{"cx_budget": {"cfo": "A"}}])


def test_answers_about_activities_outside_the_catalogue_are_ignored():
    people = [Respondent("cfo", {"cx_budget": "cfo", "gone": "ceo"}, {"gone": {"ceo": "R"}})]
    rows = ownership_map(people, ACTIVITIES, ROLES, False)
    assert [r.activity for r in rows] == list(ACTIVITIES)


# ------------------------------------------------------------------------------ perception gaps


def test_functions_whose_a_differs_from_the_plurality():
    row = one(["ceo", "ceo", "cfo", NOBODY, DONT_KNOW], functions=["ceo", "cxo", "cfo", "cmo", "coo"])
    assert row.plurality == "ceo"
    assert row.function_gaps == (FunctionView("cfo", "cfo", 1), FunctionView("cmo", NOBODY, 1))


def test_on_a_tie_every_function_s_view_is_a_gap():
    # "The CFO thinks Finance owns the CX budget; the CXO thinks the CXO does."
    row = one(["cfo", "cxo"], functions=["cfo", "cxo"])
    assert row.function_gaps == (FunctionView("cfo", "cfo", 1), FunctionView("cxo", "cxo", 1))


def test_no_gap_when_everyone_agrees_or_without_a_function():
    assert one(["ceo", "ceo"], functions=["ceo", "cfo"]).function_gaps == ()
    assert one(["ceo", "cfo", "ceo"], functions=["ceo", None, "cxo"]).function_gaps == ()


def test_a_function_with_several_respondents_lists_each_differing_answer():
    row = one(["ceo", "ceo", "ceo", "cxo", "cfo", "cxo"], functions=["ceo", "cfo", "cmo", "other", "other", "other"])
    assert row.function_gaps == (FunctionView("other", "cxo", 2), FunctionView("other", "cfo", 1))


def test_anonymous_rounds_show_no_function():
    row = one(["cfo", "cxo", "cxo"], functions=["cfo", "cxo", "cmo"], anonymous=True)
    assert row.function_gaps == () and row.accountable == (RoleCount("cxo", 2), RoleCount("cfo", 1))


# ------------------------------------------------------------------------------ order and storage


def test_contested_first_most_ambiguous_first_then_catalogue_order():
    people = [
        Respondent(None, {"a": "ceo", "b": "ceo", "c": "ceo", "d": "ceo"}),
        Respondent(None, {"a": "ceo", "b": "cxo", "c": "cxo", "d": "ceo"}),
        Respondent(None, {"a": "ceo", "b": "cfo", "c": "cxo", "d": "ceo"}),
    ]
    rows = ownership_map(people, ["a", "b", "c", "d"], ROLES, False)
    assert [r.activity for r in contested_first(rows)] == ["b", "c", "a", "d"]  # b: 1, c: 2/3


def test_the_stored_row_rounds_the_index_and_reads_back():
    row = one(
        ["cfo", "cxo", "cfo", NOBODY, "cfo", DONT_KNOW, "cxo"], functions=["cfo", "cxo", "ceo", "cmo", "coo", "cio", "sales"]
    )
    data = row.as_export()
    assert data["ambiguity"] == 0.73 and data["plurality"] == "cfo" and data["answered"] == 7
    assert data["accountable"] == [{"role": "cfo", "count": 3}, {"role": "cxo", "count": 2}]
    assert data["function_gaps"][0] == {"function": "cmo", "choice": NOBODY, "count": 1}
    assert list(data) == [
        "activity",
        "answered",
        "accountable",
        "nobody",
        "dont_know",
        "plurality",
        "ambiguity",
        "contested",
        "no_a",
        "several_a",
        "responsible",
        "function_gaps",
    ]
    document = {
        "scores": {
            "overall": {"score": None, "index": None, "stage": None, "constraint": None},
            "dimensions": [],
            "questions": [],
        },
        "alignment": {"by_function": [], "perception_gaps": []},
        "ownership": {"activities": [data]},
        "distributions": {},
        "participants": {"counted": 7, "submitted": 7},
        "computed_at": "2026-12-01T10:00:00+00:00",
    }
    results = Results.from_data(document)
    assert isinstance(results.ownership, OwnershipResult)
    assert results.to_data() == document and list(results.to_data()) == list(document)
    assert [a.activity for a in results.ownership.contested()] == ["cx_budget"]


def test_the_stored_map_is_read_strictly():
    row = one(["cfo", "cxo"]).as_export()
    base = {
        "scores": {
            "overall": {"score": None, "index": None, "stage": None, "constraint": None},
            "dimensions": [],
            "questions": [],
        },
        "alignment": {"by_function": [], "perception_gaps": []},
        "distributions": {},
        "participants": {"counted": 2, "submitted": 2},
        "computed_at": "2026-12-01T10:00:00+00:00",
    }
    assert Results.from_data(base).ownership is None  # a 1.0 snapshot, or a 2.0 one stored before the map
    missing = {**row}
    del missing["ambiguity"]
    with pytest.raises(SnapshotError, match=re.escape("ownership.activities[0].ambiguity: missing key")):
        Results.from_data({**base, "ownership": {"activities": [missing]}})
    with pytest.raises(SnapshotError, match=re.escape("ownership.activities[0].extra: unknown key")):
        Results.from_data({**base, "ownership": {"activities": [{**row, "extra": 1}]}})
    wrong = {**row, "accountable": [{"role": "cfo", "count": "1"}]}
    with pytest.raises(SnapshotError, match=re.escape("ownership.activities[0].accountable[0].count: expected an integer")):
        Results.from_data({**base, "ownership": {"activities": [wrong]}})


# ------------------------------------------------------------------------------ properties

choice = st.sampled_from((*ROLES, NOBODY, DONT_KNOW))
function = st.sampled_from(("ceo", "cfo", "cxo", "other", None))
respondent = st.builds(
    Respondent,
    function=function,
    accountable=st.fixed_dictionaries({}, optional=dict.fromkeys(ACTIVITIES, choice)),
    letters=st.fixed_dictionaries(
        {}, optional={a: st.dictionaries(st.sampled_from(ROLES), st.sampled_from(("R", "C", "I"))) for a in ACTIVITIES}
    ),
)


@given(st.lists(st.integers(min_value=0, max_value=30), max_size=8))
def test_the_index_is_between_0_and_1(counts):
    index = ambiguity_index(counts)
    assert index is None if sum(counts) < 2 else 0 <= index <= 1


@given(st.lists(st.integers(min_value=0, max_value=30), max_size=8))
def test_the_index_is_0_exactly_when_all_agree(counts):
    index = ambiguity_index(counts)
    if index is not None:
        assert (index == 0) == (sum(1 for n in counts if n) == 1)


@given(st.lists(st.integers(min_value=0, max_value=30), max_size=8))
def test_the_index_is_1_exactly_when_no_two_agree(counts):
    index = ambiguity_index(counts)
    if index is not None:
        assert (index == 1) == all(n <= 1 for n in counts)


@given(st.lists(respondent, max_size=12), st.booleans(), st.randoms(use_true_random=False))
def test_the_map_does_not_depend_on_the_order_of_respondents(people, anonymous, rnd):
    shuffled = list(people)
    rnd.shuffle(shuffled)
    assert ownership_map(people, ACTIVITIES, ROLES, anonymous) == ownership_map(shuffled, ACTIVITIES, ROLES, anonymous)


@given(st.lists(respondent, max_size=12), st.booleans())
def test_the_map_s_rows_are_consistent(people, anonymous):
    for row in ownership_map(people, ACTIVITIES, ROLES, anonymous):
        answers = [p.accountable[row.activity] for p in people if row.activity in p.accountable]
        named = [a for a in answers if a not in (NOBODY, DONT_KNOW)]
        assert row.answered == len(answers) and row.dont_know == answers.count(DONT_KNOW)
        assert sum(c.count for c in row.accountable) == len(named)
        assert row.several_a == (len(set(named)) >= 2)
        assert row.contested == (row.ambiguity is not None and row.ambiguity >= CONTESTED_AMBIGUITY)
        if row.ambiguity is not None:
            assert (row.ambiguity == 0) == (len({a for a in answers if a != DONT_KNOW}) == 1)
        if len({a for a in answers if a != DONT_KNOW}) <= 1:
            assert row.function_gaps == ()
        assert all(g.choice != row.plurality and g.choice != DONT_KNOW for g in row.function_gaps)
        if anonymous:
            assert row.function_gaps == ()
        r_given = sum(1 for p in people for letter in p.letters.get(row.activity, {}).values() if letter == "R")
        assert sum(c.count for c in row.responsible) == r_given
