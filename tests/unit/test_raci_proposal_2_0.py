"""The to-be proposal on the RACI catalogue 2.0 (issue #17): the R participants name today, and the roles an organisation may lack.

Pure domain (roadmaps.domain.raci): the catalogue is read from the shipped 2.0 file as plain JSON, the rules from
roadmaps/rules/raci.toml.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.domain.raci import cells_of, named_responsible, propose_to_be, validate
from roadmaps.domain.types import Reason
from roadmaps.rules.loader import raci_rules

FRAMEWORKS = Path(__file__).resolve().parents[2] / "assessments" / "frameworks"
CATALOGUE = json.loads((FRAMEWORKS / "cx-governance-2.0.json").read_text(encoding="utf-8"))["raci"]
CATALOGUE_1_0 = json.loads((FRAMEWORKS / "cx-governance-1.0.json").read_text(encoding="utf-8"))["raci"]
ACTIVITIES = tuple(a["key"] for a in CATALOGUE["activities"])
ROLES = tuple(r["key"] for r in CATALOGUE["roles"])
OLD_ACTIVITIES = tuple(a["key"] for a in CATALOGUE_1_0["activities"])
ROLES_1_0 = tuple(r["key"] for r in CATALOGUE_1_0["roles"])  # an organisation whose roles were set up before 2.0


def propose(roles=ROLES, cxo_exists=True, reports_to=None, rows=(), stages=None, **letters):
    return propose_to_be(ACTIVITIES, roles, cxo_exists, reports_to, rows, stages or {}, raci_rules(), **letters)


def by_cell(proposal):
    return {(c.activity, c.role): c for c in proposal}


def one_a_and_some_r(proposal, activities=ACTIVITIES) -> bool:
    letters = Counter((cell.activity, cell.letter) for cell in proposal)
    return all(letters[(a, "A")] == 1 and letters[(a, "R")] >= 1 for a in activities)


# --------------------------------------------------------------------------- the majority R


def test_a_role_is_named_r_by_a_strict_majority_of_those_who_answered_the_activity():
    letters = [
        (1, "cx_budget", "cio", "R"),
        (2, "cx_budget", "cio", "r"),  # any case
        (2, "cx_budget", "cio", "R"),  # the same respondent twice counts once
        (3, "cx_budget", "cmo", "C"),  # a C makes respondent 3 one of the activity's
        (1, "voc_programme", "service", "R"),
        (2, "voc_programme", "service", "R"),
        (1, "omnichannel", "sales", "R"),
    ]
    answered = [(4, "voc_programme"), (5, "voc_programme"), (1, "omnichannel")]  # A answers only, or nothing but the A
    assert named_responsible(letters, answered) == {
        "cx_budget": {"cio": (2, 3)},  # 2 of 3
        "omnichannel": {"sales": (1, 1)},
        # voc_programme: 2 of 4 is no majority
    }
    assert named_responsible([], answered) == {}


def test_the_proposal_keeps_as_r_the_role_most_respondents_name_r():
    letters = [(n, "cx_budget", "cio", "R") for n in (1, 2)] + [(3, "cx_budget", "cmo", "I")]
    plain, named = by_cell(propose()), by_cell(propose(letters=letters))
    assert ("cx_budget", "cio") not in plain  # the rule does not name the CIO
    assert named[("cx_budget", "cio")].letter == "R"
    assert named[("cx_budget", "cio")].reason == Reason("named_responsible", {"role": "cio", "count": 2, "respondents": 3})
    assert {k: c for k, c in named.items() if k != ("cx_budget", "cio")} == plain  # nothing else moves


def test_a_consulted_role_is_upgraded_and_the_accountable_is_never_touched():
    letters = [(n, "cx_budget", role, "R") for n in (1, 2, 3) for role in ("cfo", "coo", "ceo")]
    cells = by_cell(propose(letters=letters))
    assert cells[("cx_budget", "cfo")].letter == "A"  # the rule's A, named R by all: still the A
    assert cells[("cx_budget", "coo")].letter == "R"  # was C
    assert cells[("cx_budget", "ceo")].reason.code == "named_responsible"
    assert validate(cells_of(propose(letters=letters)), ACTIVITIES, ROLES, True) == ()


def test_a_hidden_role_or_the_cxo_that_does_not_exist_is_never_named():
    letters = [(n, "cx_budget", role, "R") for n in (1, 2) for role in ("cxo", "brand")]
    assert ("cx_budget", "brand") not in by_cell(propose(letters=letters))
    without = by_cell(propose(cxo_exists=False, letters=letters))
    assert not [key for key in without if key[1] == "cxo"]
    with_cxo = by_cell(propose(letters=letters))
    assert with_cxo[("cx_budget", "cxo")].letter == "R"  # already the rule's R: its reason stays the rule's
    assert with_cxo[("cx_budget", "cxo")].reason.code == "rule"


def test_without_letters_a_round_is_proposed_as_before():
    """1.0 rounds have no letters: the same call, with or without the new arguments, gives the same proposal."""
    for cxo_exists in (True, False):
        assert propose(cxo_exists=cxo_exists) == propose(cxo_exists=cxo_exists, letters=(), answered=((1, "cx_budget"),))


# --------------------------------------------------------------------------- roles an organisation may lack


@pytest.mark.parametrize("cxo_exists", [True, False])
def test_the_2_0_catalogue_is_proposed_without_warning_with_all_roles_or_only_1_0_roles(cxo_exists):
    for roles in (ROLES, ROLES_1_0):
        proposal = propose(roles=roles, cxo_exists=cxo_exists)
        assert validate(cells_of(proposal), ACTIVITIES, roles, cxo_exists) == (), roles
        assert one_a_and_some_r(proposal)
        assert {c.role for c in proposal} <= set(roles)
    full = by_cell(propose(cxo_exists=cxo_exists))
    table = raci_rules().table(cxo_exists)
    assert all(full[(activity, table[activity].a)].letter == "A" for activity in ACTIVITIES)


def test_a_missing_new_role_hands_its_a_to_its_stand_in_not_to_the_ceo():
    cells = by_cell(propose(roles=ROLES_1_0))
    data = cells[("customer_data_consent", "cio")]
    assert data.letter == "A" and data.reason == Reason("fallback", {"intended": "cdo", "taken_by": "cio", "letter": "A"})
    # The CIO was the rule's R: marketing still does the work, and the CEO is not drafted in.
    assert cells[("customer_data_consent", "cmo")].letter == "R"
    assert ("customer_data_consent", "ceo") not in cells
    assert cells[("complaints_mediation", "service")].letter == "A"
    assert cells[("complaints_mediation", "coo")].letter == "R"
    accountable = Counter(c.role for c in cells.values() if c.letter == "A")
    assert accountable["ceo"] <= 4


def test_1_0_activities_are_proposed_alike_with_the_roles_of_1_0_or_of_2_0():
    """The stand-ins only touch rules that name the roles 2.0 added: the 1.0 rows do not change, bar their I."""
    for cxo_exists in (True, False):
        old = propose_to_be(OLD_ACTIVITIES, ROLES_1_0, cxo_exists, None, (), {}, raci_rules())
        new = propose_to_be(OLD_ACTIVITIES, ROLES, cxo_exists, None, (), {}, raci_rules())
        assert [c for c in old if c.letter != "I"] == [c for c in new if c.letter != "I"]


# --------------------------------------------------------------------------- whatever the letters


LETTER = st.sampled_from(("R", "C", "I", "r"))


@settings(max_examples=150, deadline=None)
@given(
    hidden=st.sets(st.sampled_from(ROLES), max_size=len(ROLES) - 2),
    cxo_exists=st.booleans(),
    letters=st.lists(
        st.tuples(st.integers(1, 6), st.sampled_from(ACTIVITIES), st.sampled_from((*ROLES, "brand")), LETTER), max_size=80
    ),
    answered=st.lists(st.tuples(st.integers(1, 6), st.sampled_from(ACTIVITIES)), max_size=40),
)
def test_property_the_proposal_always_has_one_a_and_an_r_per_activity_whatever_the_letters(hidden, cxo_exists, letters, answered):
    roles = tuple(r for r in ROLES if r not in hidden)
    proposal = propose(roles=roles, cxo_exists=cxo_exists, letters=letters, answered=answered)
    assert one_a_and_some_r(proposal)
    assert {c.role for c in proposal} <= set(roles)
    found = validate(cells_of(proposal), ACTIVITIES, roles, cxo_exists)
    assert not [v for v in found if v.severity == "error" or v.code == "too_many_consulted"]
    # Letters never move an A, and every visible majority R that is not the A is an R.
    plain = propose(roles=roles, cxo_exists=cxo_exists)
    assert [c for c in proposal if c.letter == "A"] == [c for c in plain if c.letter == "A"]
    cells = by_cell(proposal)
    accountable = {c.activity: c.role for c in proposal if c.letter == "A"}
    for activity, majority in named_responsible(letters, answered).items():
        for role in majority:
            if role in roles and (cxo_exists or role != "cxo") and role != accountable[activity]:
                assert cells[(activity, role)].letter == "R"
