"""Unit tests of roadmaps.domain.raci (pure; no database, no Django): codes and parameters, no words.

The shipped rules file feeds the proposal; how the codes read is tests/unit/test_raci_messages.py's.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.domain.raci import REASON_CODES, VIOLATION_CODES, as_is, cells_of, propose_to_be, validate
from roadmaps.domain.types import AsIsRow, RaciRule, RaciRules, Reason, StageRule, Violation
from roadmaps.rules.loader import raci_rules

ACTIVITIES = (
    "cx_strategy",
    "cx_governance",
    "journey_ownership",
    "voc_programme",
    "cx_metrics",
    "cx_dashboard",
    "close_the_loop",
    "cx_finance_link",
    "shared_objectives",
    "ex_programme",
    "cx_culture",
    "cx_tools_data",
    "omnichannel",
    "cx_budget",
)
ROLES = ("ceo", "cxo", "cmo", "cfo", "chro", "coo", "cio", "sales", "service", "product")


def valid_matrix() -> dict[tuple[str, str], str]:
    """One A and one R per row; A spread (at most 2 per role), cx_strategy held by the CEO."""
    cells = {}
    for n, activity in enumerate(ACTIVITIES):
        cells[(activity, ROLES[n % len(ROLES)])] = "A"
        cells[(activity, ROLES[(n + 1) % len(ROLES)])] = "R"
    return cells


def codes(violations):
    return [(v.severity, v.code, v.activity, v.role) for v in violations]


def check(cells, cxo_exists=True, roles=ROLES):
    return validate(cells, ACTIVITIES, roles, cxo_exists)


def propose(activities, roles, cxo_exists, reports_to, rows, stages):
    return propose_to_be(activities, roles, cxo_exists, reports_to, rows, stages, raci_rules())


# --------------------------------------------------------------------------- validation


def test_valid_matrix_has_no_violation():
    assert check(valid_matrix()) == ()


def test_no_accountable_is_an_error():
    cells = valid_matrix()
    del cells[("cx_budget", "cfo")]  # cx_budget (n=13) had its A on cfo
    assert codes(check(cells)) == [("error", "no_accountable", "cx_budget", None)]


def test_multiple_accountable_is_an_error_naming_the_roles():
    cells = valid_matrix()
    cells[("cx_strategy", "cfo")] = "A"
    (violation,) = check(cells)
    assert codes([violation]) == [("error", "multiple_accountable", "cx_strategy", None)]
    assert violation.params == {"count": 2, "roles": ("ceo", "cfo")}


def test_no_responsible_is_an_error_even_when_the_row_has_an_accountable():
    cells = valid_matrix()
    cells[("cx_strategy", "cxo")] = "C"  # the only R becomes C: A alone does not do the work
    assert codes(check(cells)) == [("error", "no_responsible", "cx_strategy", None)]


def test_role_overloaded_boundary_four_ok_five_warns():
    cells = {}
    for n, activity in enumerate(ACTIVITIES):
        cells[(activity, "cxo" if n < 4 else ROLES[2 + n % 8])] = "A"
        cells[(activity, "ceo")] = "R"
    assert Counter(v for v in cells.values())["A"] == len(ACTIVITIES)
    assert check(cells) == ()  # cxo: exactly 4 A
    cells[(ACTIVITIES[4], ROLES[2 + 4 % 8])] = ""
    cells[(ACTIVITIES[4], "cxo")] = "A"
    assert codes(check(cells)) == [("warning", "role_overloaded", None, "cxo")]
    assert check(cells)[0].params == {"count": 5, "limit": 4}


def test_too_many_consulted_boundary_four_ok_five_warns():
    cells = valid_matrix()  # cx_governance: A cxo, R cmo
    for role in ("ceo", "cfo", "chro", "coo"):
        cells[("cx_governance", role)] = "C"
    assert check(cells) == ()
    cells[("cx_governance", "cio")] = "C"
    (violation,) = check(cells)
    assert codes([violation]) == [("warning", "too_many_consulted", "cx_governance", None)]
    assert violation.params == {"count": 5, "limit": 4}


@pytest.mark.parametrize("owner", ["service", "cmo"])
def test_strategy_owned_by_service_or_marketing_warns(owner):
    cells = valid_matrix()
    cells[("cx_strategy", "ceo")] = ""
    cells[("cx_strategy", owner)] = "A"
    assert codes(check(cells)) == [("warning", "strategy_owner_not_cx", "cx_strategy", owner)]


@pytest.mark.parametrize("owner", ["ceo", "cxo", "coo"])
def test_strategy_owned_elsewhere_does_not_warn(owner):
    cells = valid_matrix()
    cells[("cx_strategy", "ceo")] = ""
    cells[("cx_strategy", "cxo")] = ""
    cells[("cx_strategy", owner)] = "A"
    cells[("cx_strategy", "product")] = "R"
    assert check(cells) == ()


def test_cxo_idle_only_when_a_cxo_exists_and_holds_no_a_or_r():
    cells = {key: letter for key, letter in valid_matrix().items() if key[1] != "cxo"}
    for activity in ACTIVITIES:  # refill the rows the cxo held
        if not any(k[0] == activity and v == "A" for k, v in cells.items()):
            cells[(activity, "chro")] = "A"
        if not any(k[0] == activity and v == "R" for k, v in cells.items()):
            cells[(activity, "sales")] = "R"
        cells[(activity, "cxo")] = "C"
    assert check(cells, cxo_exists=False) == ()
    assert codes(check(cells, cxo_exists=True)) == [("warning", "cxo_idle", None, "cxo")]
    cells[("cx_metrics", "cxo")] = "R"  # R alone is enough
    assert check(cells, cxo_exists=True) == ()


def test_every_violation_is_returned_at_once_errors_first():
    cells = valid_matrix()
    del cells[("cx_budget", "cfo")]  # no_accountable
    cells[("cx_metrics", "ceo")] = "A"  # multiple_accountable (with chro)
    del cells[("ex_programme", "ceo")]  # no_responsible (A product stays)
    for role in ("ceo", "cfo", "chro", "coo", "cio"):
        cells[("cx_governance", role)] = "C"  # too_many_consulted
    cells[("cx_strategy", "ceo")] = ""
    cells[("cx_strategy", "cmo")] = "A"  # strategy_owner_not_cx
    for activity, holder in (
        ("cx_dashboard", "coo"),
        ("close_the_loop", "cio"),
        ("cx_finance_link", "sales"),
        ("shared_objectives", "service"),
    ):
        cells[(activity, holder)] = ""
        cells[(activity, "cfo")] = "A"  # cfo: voc_programme + 4 = 5 -> role_overloaded
    for activity in ("cx_strategy", "cx_governance", "cx_culture", "cx_tools_data"):
        cells[(activity, "sales")] = cells.pop((activity, "cxo"))  # cxo_idle
    assert codes(check(cells)) == [
        ("error", "multiple_accountable", "cx_metrics", None),
        ("error", "no_responsible", "ex_programme", None),
        ("error", "no_accountable", "cx_budget", None),
        ("warning", "too_many_consulted", "cx_governance", None),
        ("warning", "strategy_owner_not_cx", "cx_strategy", "cmo"),
        ("warning", "role_overloaded", None, "cfo"),
        ("warning", "cxo_idle", None, "cxo"),
    ]
    assert all(isinstance(v, Violation) for v in check(cells))
    assert {v.code for v in check(cells)} == set(VIOLATION_CODES)  # every code the domain declares, at once


def test_hidden_roles_and_other_activities_are_ignored_and_letters_are_checked():
    cells = valid_matrix()
    cells[("cx_strategy", "ghost_role")] = "A"
    cells[("unknown_activity", "ceo")] = "A"
    cells[("cx_budget", "service")] = "a"  # lower case accepted
    cells[("cx_budget", "cfo")] = None  # empty cell
    assert check(cells) == ()
    visible = tuple(r for r in ROLES if r != "ceo")  # ceo hidden: its A on cx_strategy no longer counts
    assert ("error", "no_accountable", "cx_strategy", None) in codes(check(cells, roles=visible))
    with pytest.raises(ValueError):
        check({("cx_strategy", "ceo"): "X"})


def test_violations_carry_keys_and_figures_not_words():
    (violation,) = check({**valid_matrix(), ("cx_budget", "cfo"): ""})
    assert violation == Violation("error", "no_accountable", "cx_budget", None, {})


# --------------------------------------------------------------------------- as-is


def test_as_is_strict_plurality_ties_and_disagreement():
    votes = [
        ("cx_strategy", "ceo"),
        ("cx_strategy", "ceo"),
        ("cx_strategy", "ceo"),
        ("cx_strategy", "ceo"),
        ("cx_strategy", "ceo"),
        ("cx_strategy", "cmo"),
        ("cx_strategy", "nobody"),
        ("cx_strategy", "dont_know"),
        ("cx_budget", "cfo"),
        ("cx_budget", "ceo"),
        ("cx_budget", "nobody"),
        ("cx_budget", "nobody"),
        ("cx_budget", "nobody"),
        ("voc_programme", "dont_know"),
    ]
    rows = {row.activity: row for row in as_is(votes)}
    strategy = rows["cx_strategy"]
    assert strategy == AsIsRow("cx_strategy", {"ceo": 5, "cmo": 1}, 1, 1, "ceo", Fraction(1, 6))
    budget = rows["cx_budget"]
    assert (budget.accountable, budget.nobody, budget.disagreement) == (None, 3, Fraction(1, 2))  # tie
    voc = rows["voc_programme"]
    assert (voc.votes, voc.accountable, voc.disagreement, voc.dont_know) == ({}, None, None, 1)
    assert list(rows) == ["cx_strategy", "cx_budget", "voc_programme"]  # first-seen order


def test_as_is_follows_given_activities():
    rows = as_is([("cx_budget", "cfo"), ("other", "ceo")], activities=["cx_strategy", "cx_budget"])
    assert [(r.activity, r.accountable, r.disagreement) for r in rows] == [
        ("cx_strategy", None, None),
        ("cx_budget", "cfo", Fraction(0)),
    ]


# --------------------------------------------------------------------------- proposed to-be


def _one_a_and_some_r(proposal, activities=ACTIVITIES):
    letters = Counter((cell.activity, cell.letter) for cell in proposal)
    return all(letters[(a, "A")] == 1 and letters[(a, "R")] >= 1 for a in activities)


@pytest.mark.parametrize("cxo_exists", [True, False])
def test_proposal_is_valid_without_errors_or_warnings(cxo_exists):
    proposal = propose(ACTIVITIES, ROLES, cxo_exists, "ceo" if cxo_exists else None, (), {})
    assert validate(cells_of(proposal), ACTIVITIES, ROLES, cxo_exists) == ()
    assert _one_a_and_some_r(proposal)
    assert len({(c.activity, c.role) for c in proposal}) == len(proposal)
    assert all(c.reason.code in REASON_CODES for c in proposal)
    accountable = Counter(c.role for c in proposal if c.letter == "A")
    assert max(accountable.values()) <= 4


def test_proposal_with_a_cxo_gives_it_strategy():
    proposal = {(c.activity, c.role): c for c in propose(ACTIVITIES, ROLES, True, "ceo", (), {})}
    assert proposal[("cx_strategy", "cxo")].letter == "A"
    assert proposal[("journey_ownership", "product")].letter == "R"
    assert proposal[("cx_finance_link", "cfo")].letter == "A"
    assert proposal[("close_the_loop", "coo")].letter == "A"
    assert proposal[("close_the_loop", "service")].letter == "R"
    assert proposal[("shared_objectives", "ceo")].letter == "A"
    assert proposal[("shared_objectives", "chro")].letter == "R"
    assert proposal[("ex_programme", "chro")].letter == "A"
    assert proposal[("cx_tools_data", "cio")].letter == "A"


def test_proposal_without_a_cxo_gives_strategy_to_the_ceo_with_the_reason():
    proposal = propose(ACTIVITIES, ROLES, False, None, (), {})
    cells = {(c.activity, c.role): c for c in proposal}
    strategy = cells[("cx_strategy", "ceo")]
    assert strategy.letter == "A"
    assert strategy.reason == Reason("rule", {"table": "without_cxo", "activity": "cx_strategy"})
    assert cells[("cx_governance", "ceo")].letter == "A"
    assert cells[("journey_ownership", "coo")].letter == "A"
    assert not [c for c in proposal if c.role == "cxo"]  # nobody to hold the CXO column


def test_proposal_adjustments_from_stages_reporting_line_and_as_is():
    rows = as_is([("cx_strategy", "sales"), ("cx_strategy", "sales"), ("cx_budget", "ceo")])
    proposal = propose(ACTIVITIES, ROLES, True, "coo", rows, {"D8": 2, "D6": None})
    cells = {(c.activity, c.role): c for c in proposal}
    assert cells[("close_the_loop", "product")].letter == "R"  # D8 weak
    weak = {"dimension": "D8", "activity": "close_the_loop", "role": "product", "stage": 2}
    assert cells[("close_the_loop", "product")].reason == Reason("weak_dimension", weak)
    assert cells[("journey_ownership", "service")].letter == "C"  # D6 unscored: no change
    assert cells[("cx_governance", "coo")].letter == "C"  # already C in the base table
    assert cells[("cx_strategy", "sales")].letter == "C"  # today's owner, upgraded from I
    assert cells[("cx_strategy", "sales")].reason == Reason("handover", {"role": "sales"})
    assert cells[("cx_budget", "ceo")].letter == "C"  # already consulted
    assert validate(cells_of(proposal), ACTIVITIES, ROLES, True) == ()


def test_without_a_cxo_votes_for_the_cxo_hand_nothing_over():
    """Respondents who name the CXO as today's owner where there is none: the cxo column stays empty."""
    rows = as_is([("cx_culture", "cxo"), ("cx_culture", "cxo"), ("cx_strategy", "sales")])
    proposal = propose(ACTIVITIES, ROLES, False, None, rows, {})
    assert not [c for c in proposal if c.role == "cxo"]
    cells = {(c.activity, c.role): c for c in proposal}
    assert cells[("cx_strategy", "sales")].reason == Reason("handover", {"role": "sales"})  # others still consulted


def test_proposal_reporting_line_other_than_ceo_is_consulted():
    proposal = propose(ACTIVITIES, ROLES, True, "chro", (), {})
    cells = {(c.activity, c.role): c for c in proposal}
    assert cells[("cx_strategy", "chro")].letter == "C"
    assert cells[("cx_strategy", "chro")].reason == Reason("reports_to", {"role": "chro"})


def test_hidden_roles_fall_back_to_the_ceo():
    roles = tuple(r for r in ROLES if r not in ("coo", "service"))
    proposal = propose(ACTIVITIES, roles, True, "ceo", (), {})
    cells = {(c.activity, c.role): c for c in proposal}
    assert cells[("close_the_loop", "ceo")].letter == "A"
    assert cells[("close_the_loop", "ceo")].reason == Reason("fallback", {"intended": "coo", "taken_by": "ceo", "letter": "A"})
    assert {c.role for c in proposal} <= set(roles)
    assert _one_a_and_some_r(proposal)
    errors = [v for v in validate(cells_of(proposal), ACTIVITIES, roles, True) if v.severity == "error"]
    assert errors == []


def test_activity_without_a_rule_and_no_roles():
    proposal = propose(["new_activity"], ROLES, True, "ceo", (), {})
    assert [(c.role, c.letter, c.reason.code) for c in proposal] == [("ceo", "A", "no_rule"), ("cxo", "R", "no_rule")]
    assert propose(ACTIVITIES, (), True, "ceo", (), {}) == ()


def test_rule_without_a_doer_falls_back_to_the_ceo_for_the_work():
    rules = RaciRules(with_cxo={"cx_budget": RaciRule("cfo", ())}, without_cxo={"cx_budget": RaciRule("cfo", ())})
    proposal = propose_to_be(["cx_budget"], ["cfo", "ceo", "cxo"], True, None, (), {}, rules)
    reason = Reason("rule", {"table": "with_cxo", "activity": "cx_budget"})
    assert [(c.role, c.letter, c.reason) for c in proposal] == [("cfo", "A", reason), ("ceo", "R", reason)]
    alone = propose_to_be(["cx_budget"], ["cfo"], True, None, (), {}, rules)
    assert [(c.role, c.letter) for c in alone] == [("cfo", "A")]  # nobody else to do the work


def test_weak_dimension_never_demotes_an_accountable_and_reporting_line_needs_its_activities():
    rules = RaciRules(
        with_cxo={"close_the_loop": RaciRule("product", ("service",))},
        without_cxo={},
        weak_dimensions=(StageRule("D8", 2, "close_the_loop", "product"), StageRule("D8", 2, "cx_budget", "cfo")),
    )
    proposal = propose_to_be(["close_the_loop"], ["product", "service", "coo"], True, "coo", (), {"D8": 1}, rules)
    # product keeps its A; the rule for an activity not proposed is skipped; coo is consulted on nothing
    # here, since neither cx_strategy nor cx_governance is among the activities.
    assert [(c.role, c.letter, c.reason.code) for c in proposal] == [("product", "A", "rule"), ("service", "R", "rule")]


@settings(max_examples=100, deadline=None)
@given(
    hidden=st.sets(st.sampled_from(ROLES), max_size=len(ROLES) - 2),
    extra=st.lists(st.sampled_from(("brand", "legal")), unique=True),
    cxo_exists=st.booleans(),
    reports_to=st.one_of(st.none(), st.sampled_from(ROLES)),
    stages=st.dictionaries(st.sampled_from([f"D{n}" for n in range(1, 11)]), st.one_of(st.none(), st.integers(1, 5))),
    votes=st.lists(st.tuples(st.sampled_from(ACTIVITIES), st.sampled_from((*ROLES, "brand", "nobody", "dont_know")))),
)
def test_property_proposal_always_has_one_a_and_an_r_per_row(hidden, extra, cxo_exists, reports_to, stages, votes):
    roles = tuple(r for r in ROLES if r not in hidden) + tuple(extra)
    proposal = propose(ACTIVITIES, roles, cxo_exists, reports_to, as_is(votes), stages)
    assert {c.role for c in proposal} <= set(roles)
    assert _one_a_and_some_r(proposal)
    found = validate(cells_of(proposal), ACTIVITIES, roles, cxo_exists)
    assert not [v for v in found if v.severity == "error"]
    assert not [v for v in found if v.code == "too_many_consulted"]
    if set(roles) - {"service", "cmo"}:  # unavoidable only when nobody else is visible
        assert not [v for v in found if v.code == "strategy_owner_not_cx"]
    if not hidden:  # the default roles are all there: no warning at all
        assert found == ()
