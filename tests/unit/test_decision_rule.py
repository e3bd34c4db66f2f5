"""Unit tests of governance.domain.decisions (pure): who may decide, and what a decision must hold."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from governance.domain.decisions import (
    DATE_IN_FUTURE,
    DATE_REQUIRED,
    MAX_RATIONALE,
    MAX_TITLE,
    NOT_ACCOUNTABLE,
    RACI_NO_ACCOUNTABLE,
    RACI_SEVERAL_ACCOUNTABLE,
    RATIONALE_TOO_LONG,
    TITLE_REQUIRED,
    TITLE_TOO_LONG,
    UNKNOWN_ACTIVITY,
    UNKNOWN_INITIATIVE,
    UNKNOWN_ROLE,
    DecisionDraft,
    accountable_roles,
    validate_decision,
)

TODAY = date(2027, 3, 15)
ACTIVITIES = ("cx_strategy", "cx_budget", "voc_programme")
ROLES = ("ceo", "cxo", "cfo", "cmo")
CELLS = {
    ("cx_strategy", "ceo"): "A",
    ("cx_strategy", "cxo"): "R",
    ("cx_budget", "cfo"): "A",
    ("cx_budget", "cxo"): "R",
    ("cx_budget", "ceo"): "C",
    # voc_programme: no A at all
    ("voc_programme", "cxo"): "R",
}
INITIATIVES = ("D3-1-a", "D7-2-b")


def draft(**overrides) -> DecisionDraft:
    values = {
        "title": "Fund the complaint-handling overhaul",
        "rationale": "Complaints cost twice what fixing them would.",
        "decided_on": date(2027, 3, 1),
        "activity": "cx_budget",
        "deciding_role": "cfo",
        "initiative_keys": ("D7-2-b",),
    }
    values.update(overrides)
    return DecisionDraft(**values)


def check(d: DecisionDraft, cells=None):
    return validate_decision(
        d, activities=ACTIVITIES, roles=ROLES, cells=CELLS if cells is None else cells, initiatives=INITIATIVES, today=TODAY
    )


def codes(problems):
    return [(p.field, p.code) for p in problems]


def test_the_accountable_role_may_decide():
    assert check(draft()) == ()


def test_another_role_is_refused_naming_the_accountable_one():
    (problem,) = check(draft(deciding_role="cxo"))
    assert (problem.field, problem.code) == ("deciding_role", NOT_ACCOUNTABLE)
    assert problem.params == {"activity": "cx_budget", "role": "cxo", "accountable": "cfo"}


def test_an_activity_without_accountable_asks_to_fix_the_raci_first():
    (problem,) = check(draft(activity="voc_programme", deciding_role="cxo"))
    assert (problem.field, problem.code) == ("activity", RACI_NO_ACCOUNTABLE)


def test_an_activity_with_several_accountable_asks_to_fix_the_raci_first():
    cells = {**CELLS, ("cx_budget", "cmo"): "A"}
    (problem,) = check(draft(deciding_role="cfo"), cells)
    assert (problem.field, problem.code) == ("activity", RACI_SEVERAL_ACCOUNTABLE)
    assert problem.params["roles"] == "cfo,cmo"  # in the roles' order


def test_a_hidden_role_holding_an_a_does_not_count():
    """Roles not passed (hidden) are ignored, as the RACI's own validation ignores them."""
    cells = {**CELLS, ("cx_budget", "product"): "A"}
    assert check(draft(), cells) == ()
    assert accountable_roles(cells, "cx_budget", ROLES) == ("cfo",)


def test_text_rules():
    assert codes(check(draft(title="   "))) == [("title", TITLE_REQUIRED)]
    assert check(draft(title="x" * MAX_TITLE)) == ()
    assert codes(check(draft(title="x" * (MAX_TITLE + 1)))) == [("title", TITLE_TOO_LONG)]
    assert check(draft(title=f"  {'x' * MAX_TITLE}  ")) == ()  # blanks around do not count
    assert check(draft(rationale="")) == ()
    assert check(draft(rationale="y" * MAX_RATIONALE)) == ()
    assert codes(check(draft(rationale="y" * (MAX_RATIONALE + 1)))) == [("rationale", RATIONALE_TOO_LONG)]
    assert check(draft(title="🎯 Décision « prioritaire »")) == ()


def test_date_rules():
    assert codes(check(draft(decided_on=None))) == [("decided_on", DATE_REQUIRED)]
    assert check(draft(decided_on=TODAY)) == ()
    assert codes(check(draft(decided_on=date(2027, 3, 16)))) == [("decided_on", DATE_IN_FUTURE)]


def test_unknown_keys():
    assert codes(check(draft(activity="nope"))) == [("activity", UNKNOWN_ACTIVITY)]
    assert codes(check(draft(deciding_role="nope"))) == [("deciding_role", UNKNOWN_ROLE)]
    (problem,) = check(draft(initiative_keys=("D7-2-b", "zzz", "zzz", "yyy")))
    assert (problem.field, problem.code, problem.params["keys"]) == ("initiative_keys", UNKNOWN_INITIATIVE, "zzz,yyy")
    assert check(draft(initiative_keys=())) == ()


def test_every_problem_is_returned_at_once():
    problems = check(
        draft(title="", rationale="z" * 5000, decided_on=None, activity="cx_budget", deciding_role="ceo", initiative_keys=("?",))
    )
    assert codes(problems) == [
        ("title", TITLE_REQUIRED),
        ("rationale", RATIONALE_TOO_LONG),
        ("decided_on", DATE_REQUIRED),
        ("deciding_role", NOT_ACCOUNTABLE),
        ("initiative_keys", UNKNOWN_INITIATIVE),
    ]


letters = st.sampled_from(["", "R", "A", "C", "I"])
grids = st.fixed_dictionaries({(a, r): letters for a in ACTIVITIES for r in ROLES}).map(
    lambda grid: {key: letter for key, letter in grid.items() if letter}
)


@given(cells=grids, activity=st.sampled_from(ACTIVITIES), role=st.sampled_from(ROLES))
def test_a_decision_is_accepted_exactly_when_its_role_is_the_unique_a_of_its_activity(cells, activity, role):
    holders = [r for r in ROLES if cells.get((activity, r)) == "A"]
    problems = check(draft(activity=activity, deciding_role=role), cells)
    assert (problems == ()) == (holders == [role])
    # A refusal always says why in terms of the RACI: the accountable role, or that the RACI must be fixed.
    if problems:
        (problem,) = problems
        expected = {0: RACI_NO_ACCOUNTABLE, 1: NOT_ACCOUNTABLE}.get(len(holders), RACI_SEVERAL_ACCOUNTABLE)
        assert problem.code == expected
        if expected == NOT_ACCOUNTABLE:
            assert problem.params["accountable"] == holders[0]
