"""Unit tests of roadmaps.domain.prioritisation (pure; no database, no Django)."""

from __future__ import annotations

import ast
from collections import Counter
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.domain.prioritisation import (
    compute_priority,
    default_start_date,
    generate_roadmap,
    horizon_for,
    month_start,
    round2,
    round_half_up,
    select_initiatives,
    validate_library,
)
from roadmaps.domain.types import DimensionState, Initiative, KpiLink, PlacedItem, Problem

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "roadmaps" / "domain"
DIMENSIONS = tuple(f"D{n}" for n in range(1, 11))
ACTIVITIES = ("cx_strategy", "cx_governance", "voc_programme", "cx_metrics")
METRICS = ("nps", "csat", "ces", "retention_rate", "churn_rate", "cost_per_contact")


# --------------------------------------------------------------------------- helpers


def ini(key, dimension="D1", from_level=1, *, effort=1, impact=1, duration=3, prerequisites=(), context=None, **extra):
    return Initiative(
        key=key,
        dimension=dimension,
        from_level=from_level,
        effort=effort,
        impact=impact,
        duration_months=duration,
        prerequisites=tuple(prerequisites),
        activity=extra.pop("activity", "cx_strategy"),
        context_condition=context,
        **extra,
    )


def dim(key, stage, target, score=None, importance=2):
    if score is None and stage is not None:
        score = Fraction(stage)
    return DimensionState(
        key=key, stage=stage, score=None if score is None else Fraction(score), target=target, importance=importance
    )


def plan_by_key(plan):
    keys = [p.key for p in plan]
    assert len(keys) == len(set(keys)), f"duplicate keys in {keys}"
    return {p.key: p for p in plan}


# --------------------------------------------------------------------------- purity


def test_domain_imports_no_django():
    files = sorted(DOMAIN_DIR.glob("*.py"))
    assert {p.name for p in files} >= {"__init__.py", "types.py", "prioritisation.py", "raci.py"}
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not roots & {"django", "os", "io", "pathlib", "time", "socket", "random"}, path.name


# --------------------------------------------------------------------------- numbers, horizons, dates


def test_exports_example_priority_is_1_2():
    # EXPORTS.md: importance 2 x gap (3 - 2.8) x impact 3 / effort 1 = 1.2
    item = ini("D1-2-a", "D1", 2, effort=1, impact=3)
    state = dim("D1", 2, 3, score=Fraction("2.8"), importance=2)
    assert compute_priority(item, state) == Fraction(6, 5)
    (planned,) = generate_roadmap([item], [state])
    assert planned.priority == Fraction(6, 5)
    assert round2(planned.priority) == 1.2
    assert (planned.selected_by, planned.horizon, planned.start_month, planned.finish_month) == ("gap", "now", 0, 3)


def test_priority_is_exact_and_floored_at_zero():
    item = ini("x", effort=3, impact=1)
    assert compute_priority(item, dim("D1", 2, 3, score=Fraction("2.9"), importance=1)) == Fraction(1, 30)
    assert compute_priority(item, dim("D1", 3, 3, score=Fraction("3.4"))) == 0
    assert compute_priority(item, dim("D1", None, None)) == 0
    assert compute_priority(item, None) == 0


def test_round_half_up_only_at_the_edge():
    assert round_half_up(Fraction(1, 200)) == Fraction(1, 100)  # 0.005 -> 0.01
    assert round_half_up(Fraction(-1, 200)) == Fraction(-1, 100)
    assert round_half_up(Fraction(2675, 1000)) == Fraction(268, 100)
    assert round2(Fraction(1, 3)) == 0.33
    assert round2(None) is None


@pytest.mark.parametrize(
    ("month", "horizon"),
    [(0, "now"), (2, "now"), (3, "next"), (5, "next"), (6, "later"), (11, "later"), (12, "beyond"), (40, "beyond")],
)
def test_horizon_for_boundaries(month, horizon):
    assert horizon_for(month) == horizon


def test_horizon_for_refuses_negative_months():
    with pytest.raises(ValueError):
        horizon_for(-1)


def test_month_start_and_default_start_date():
    start = date(2026, 12, 1)
    assert month_start(start, 0) == start
    assert month_start(start, 1) == date(2027, 1, 1)
    assert month_start(start, 14) == date(2028, 2, 1)
    assert month_start(date(2027, 1, 31), 1) == date(2027, 2, 28)  # day clamped
    assert default_start_date(date(2026, 11, 20)) == date(2026, 12, 1)
    assert default_start_date(date(2026, 12, 31)) == date(2027, 1, 1)


# --------------------------------------------------------------------------- selection and schedule


def test_only_steps_between_stage_and_target_are_selected():
    library = [ini(f"D1-{level}-a", "D1", level) for level in (1, 2, 3, 4)]
    assert select_initiatives(library, [dim("D1", 2, 4)]) == {"D1-2-a": "gap", "D1-3-a": "gap"}
    assert select_initiatives(library, [dim("D1", 3, 3)]) == {}
    assert select_initiatives(library, [dim("D1", 4, 2)]) == {}
    assert select_initiatives(library, [dim("D1", None, None)]) == {}  # unscored: no roadmap items


def test_two_step_dimension_does_one_level_at_a_time():
    library = [
        ini("D1-1-a", "D1", 1, duration=3),
        ini("D1-1-b", "D1", 1, duration=5),
        ini("D1-2-a", "D1", 2, duration=2, impact=3),  # higher priority, but must wait
    ]
    plan = plan_by_key(generate_roadmap(library, [dim("D1", 1, 3)]))
    assert plan["D1-1-a"].start_month == plan["D1-1-b"].start_month == 0
    assert plan["D1-2-a"].start_month == 5  # after the longest step-1 initiative
    assert plan["D1-2-a"].finish_month == 7
    assert plan["D1-2-a"].horizon == "next"


def test_prerequisite_in_another_dimension_is_pulled_in_until_done():
    library = [
        ini("D1-2-a", "D1", 2, prerequisites=["D2-1-a"]),
        ini("D2-1-a", "D2", 1, duration=4),
        ini("D2-1-b", "D2", 1),
    ]
    states = [dim("D1", 2, 3, score=Fraction("2.5")), dim("D2", 1, 1, score=Fraction("1.5"))]
    plan = plan_by_key(generate_roadmap(library, states))
    assert set(plan) == {"D1-2-a", "D2-1-a"}
    assert plan["D2-1-a"].selected_by == "prerequisite"
    assert plan["D2-1-a"].priority == 0  # D2 is at its target: priority floored at 0
    assert plan["D1-2-a"].start_month == plan["D2-1-a"].finish_month == 4

    done = [dim("D1", 2, 3, score=Fraction("2.5")), dim("D2", 2, 2)]  # stage 2 > from_level 1
    plan = plan_by_key(generate_roadmap(library, done))
    assert set(plan) == {"D1-2-a"}
    assert plan["D1-2-a"].start_month == 0


def test_prerequisites_are_pulled_recursively_and_unscored_ones_count_as_not_done():
    library = [
        ini("D1-2-a", "D1", 2, prerequisites=["D2-1-a"]),
        ini("D2-1-a", "D2", 1, prerequisites=["D3-3-a"], duration=2),
        ini("D3-3-a", "D3", 3, duration=1),
    ]
    states = [dim("D1", 2, 3, score=Fraction("2.5")), dim("D2", 1, 2), dim("D3", None, None)]
    plan = plan_by_key(generate_roadmap(library, states))
    assert {k: p.selected_by for k, p in plan.items()} == {"D1-2-a": "gap", "D2-1-a": "gap", "D3-3-a": "prerequisite"}
    assert [plan[k].start_month for k in ("D3-3-a", "D2-1-a", "D1-2-a")] == [0, 1, 3]


def test_ready_queue_order_priority_then_dimension_order_then_level_then_key():
    library = [
        ini("b", "D2", 1, impact=1),
        ini("a", "D2", 1, impact=1),
        ini("z", "D1", 1, impact=1),
        ini("top", "D2", 1, impact=3),
    ]
    states = [dim("D1", 1, 2), dim("D2", 1, 2)]  # framework order: D1 before D2
    plan = generate_roadmap(library, states, capacity=2)
    assert [(p.key, p.start_month) for p in plan] == [("top", 0), ("z", 0), ("a", 3), ("b", 3)]


def test_capacity_overflow_moves_the_seventh_start_to_month_3_and_dependants_follow():
    library = [ini(f"D1-1-{c}", "D1", 1, impact=3 if c == "g" else 2) for c in "abcdefgh"]
    library.append(ini("D2-1-dep", "D2", 1, prerequisites=["D1-1-h"], duration=1))
    plan = generate_roadmap(library, [dim("D1", 1, 2), dim("D2", 1, 2)])
    by_key = plan_by_key(plan)
    # g (impact 3) first, then the others by key: f is the 7th start, Now is full.
    assert [p.key for p in plan if p.horizon == "now"] == ["D1-1-g"] + [f"D1-1-{c}" for c in "abcdef"][:5]
    assert by_key["D1-1-f"].start_month == 3
    assert by_key["D1-1-f"].earliest_month == 0
    assert by_key["D1-1-h"].start_month == 3
    assert by_key["D2-1-dep"].start_month == by_key["D1-1-h"].finish_month == 6
    counts = Counter(p.horizon for p in plan)
    assert counts["now"] == 6


def test_full_horizons_cascade_to_beyond():
    library = [ini(f"x{n:02d}", "D1", 1) for n in range(5)]
    plan = generate_roadmap(library, [dim("D1", 1, 2)], capacity=1)
    assert [p.start_month for p in plan] == [0, 3, 6, 12, 12]
    assert [p.horizon for p in plan] == ["now", "next", "later", "beyond", "beyond"]


def test_locked_item_keeps_its_month_counts_toward_capacity_and_is_not_duplicated():
    library = [ini(f"D1-1-{c}", "D1", 1) for c in "abcdefg"]
    library.append(ini("D1-2-a", "D1", 2))
    locked = PlacedItem("D1-1-g", start_month=1, duration_months=8)
    plan = generate_roadmap(library, [dim("D1", 1, 3)], placed=[locked])
    by_key = plan_by_key(plan)
    g = by_key["D1-1-g"]
    assert (g.start_month, g.finish_month, g.locked, g.selected_by, g.priority) == (1, 9, True, "gap", Fraction(4))
    starts_now = [p.key for p in plan if p.horizon == "now"]
    assert len(starts_now) == 6 and "D1-1-g" in starts_now
    assert by_key["D1-1-f"].start_month == 3  # the 6th generated one overflows
    assert by_key["D1-2-a"].start_month == 9  # waits for the locked lower step
    assert plan[0].key == "D1-1-a" and plan[1].key == "D1-1-b"  # start month, then queue order


def test_custom_items_count_toward_capacity_and_locked_prerequisites_hold_dependants():
    library = [ini("D1-1-a", "D1", 1, duration=2), ini("D1-1-b", "D1", 1, prerequisites=["D1-1-a"])]
    placed = [
        PlacedItem("custom-1", start_month=0, duration_months=2, custom=True, locked=False),
        PlacedItem("D1-1-a", start_month=4, duration_months=2),
    ]
    plan = plan_by_key(generate_roadmap(library, [dim("D1", 1, 2)], placed=placed, capacity=1))
    assert plan["custom-1"].selected_by == "custom" and plan["custom-1"].priority is None
    assert plan["D1-1-a"].start_month == 4
    assert plan["D1-1-b"].earliest_month == 6
    assert plan["D1-1-b"].start_month == 6


def test_locked_item_no_longer_selected_is_kept():
    library = [ini("D1-1-a", "D1", 1)]
    placed = [PlacedItem("D1-1-a", start_month=2, duration_months=3, selected_by="prerequisite")]
    (planned,) = generate_roadmap(library, [dim("D1", 3, 3)], placed=placed)
    assert (planned.key, planned.start_month, planned.selected_by, planned.dimension, planned.from_level) == (
        "D1-1-a",
        2,
        "prerequisite",
        "D1",
        1,
    )


def test_context_condition_selects_with_highest_priority_and_precedes_via_prerequisites():
    library = [
        ini("appoint_cxo", "D3", 1, context="no_cxo", duration=2, impact=1, effort=3),
        ini("D3-2-a", "D3", 2, prerequisites=["appoint_cxo"], impact=3),
        ini("D1-2-a", "D1", 2, impact=3),
        ini("D3-1-x", "D3", 1, prerequisites=["appoint_cxo"]),
    ]
    states = [dim("D1", 2, 3), dim("D3", 2, 3)]
    plan = generate_roadmap(library, states, conditions={"no_cxo"})
    by_key = plan_by_key(plan)
    assert by_key["appoint_cxo"].selected_by == "context"
    assert by_key["appoint_cxo"].priority is None
    assert plan[0].key == "appoint_cxo"  # context first, although its computed figures are low
    assert by_key["D3-2-a"].start_month == 2
    assert "D3-1-x" not in by_key  # D3 stage 2 > from_level 1: done

    without = plan_by_key(generate_roadmap(library, states, conditions=set()))
    assert "appoint_cxo" not in without  # condition false: not applicable, counts as done
    assert without["D3-2-a"].start_month == 0


def test_context_initiative_is_selected_even_in_an_unscored_dimension():
    library = [ini("appoint_cxo", None, None, context="no_cxo")]
    (planned,) = generate_roadmap(library, [dim("D3", None, None)], conditions={"no_cxo"})
    assert (planned.key, planned.selected_by, planned.start_month) == ("appoint_cxo", "context", 0)


def test_generation_refuses_an_unvalidated_library():
    with pytest.raises(ValueError, match="duplicate"):
        generate_roadmap([ini("a"), ini("a")], [dim("D1", 1, 2)])
    with pytest.raises(ValueError, match="unknown prerequisite"):
        generate_roadmap([ini("a", prerequisites=["ghost"])], [dim("D1", 1, 2)])
    with pytest.raises(ValueError, match="cycle"):
        generate_roadmap([ini("a", prerequisites=["b"]), ini("b", prerequisites=["a"])], [dim("D1", 1, 2)])


def test_generation_refuses_a_negative_capacity_and_an_item_placed_twice():
    with pytest.raises(ValueError, match="capacity -1 < 0"):
        generate_roadmap([ini("a")], [dim("D1", 1, 2)], capacity=-1)
    twice = [PlacedItem("a", start_month=0, duration_months=1), PlacedItem("a", start_month=3, duration_months=1)]
    with pytest.raises(ValueError, match="placed item 'a' given twice"):
        generate_roadmap([ini("a")], [dim("D1", 1, 2)], placed=twice)


def test_placed_item_dimension_and_level_override_the_library_and_hold_higher_steps():
    library = [ini("D1-1-a", "D1", 1, duration=2), ini("D1-2-a", "D1", 2), ini("D2-1-a", "D2", 1)]
    # Placed by hand as a D2 step 3: it no longer holds D1-2-a back, and holds no D2 step 1 back either.
    moved = PlacedItem("D1-1-a", start_month=4, duration_months=2, dimension="D2", from_level=3)
    plan = plan_by_key(generate_roadmap(library, [dim("D1", 1, 3), dim("D2", 1, 2)], placed=[moved]))
    assert (plan["D1-1-a"].dimension, plan["D1-1-a"].from_level) == ("D2", 3)
    assert plan["D1-2-a"].start_month == 0 and plan["D2-1-a"].start_month == 0
    # A custom item never constrains a library step, whatever dimension and level it names.
    custom = PlacedItem("custom-1", start_month=0, duration_months=9, dimension="D1", from_level=1, custom=True)
    plan = plan_by_key(generate_roadmap(library, [dim("D1", 1, 3)], placed=[custom]))
    assert plan["D1-2-a"].start_month == 2 and plan["custom-1"].locked


# --------------------------------------------------------------------------- library validation


def test_valid_library_has_no_problem():
    library = [
        ini("D1-1-a", kpis=(KpiLink("nps", "retention_rate"),)),
        ini("D1-2-a", "D1", 2, prerequisites=["D1-1-a"]),
        ini("appoint_cxo", None, None, context="no_cxo", activity="cx_governance"),
        ini("cxo_reporting_line", "D3", None, context="no_cxo", activity="cx_governance"),  # no level step
    ]
    assert validate_library(library, DIMENSIONS, ACTIVITIES, METRICS, condition_keys={"no_cxo"}) == []


def test_library_problems_are_all_reported_with_paths():
    library = [
        ini("A", prerequisites=["B"]),
        ini("B", prerequisites=["A", "ghost"]),
        ini("C", "D11", 5, activity="sales_pitch", kpis=(KpiLink("nps", "profit"), KpiLink("happiness"))),
        ini("A", effort=4, impact=0, duration=0),
        ini("E", prerequisites=["C", "C"], context="full_moon"),
        ini("F", None, 2),
        ini("G", "D2", None),
    ]
    problems = validate_library(library, DIMENSIONS, ACTIVITIES, METRICS, condition_keys={"no_cxo"})
    assert all(isinstance(p, Problem) for p in problems)
    by_path = {p.path: p.message for p in problems}
    assert by_path == {
        "initiatives[0].prerequisites": "prerequisite cycle: A -> B -> A",
        "initiatives[1].prerequisites[1]": "unknown initiative 'ghost'",
        "initiatives[2].dimension": "unknown dimension 'D11'",
        "initiatives[2].from_level": "from_level 5 outside 1-4",
        "initiatives[2].activity": "unknown activity 'sales_pitch'",
        "initiatives[2].kpis[0].drives": "unknown metric 'profit'",
        "initiatives[2].kpis[1].metric": "unknown metric 'happiness'",
        "initiatives[3].key": "duplicate key 'A' (first at initiatives[0])",
        "initiatives[3].effort": "effort 4 outside 1-3",
        "initiatives[3].impact": "impact 0 outside 1-3",
        "initiatives[3].duration_months": "duration 0 below 1 month",
        "initiatives[4].prerequisites[1]": "prerequisite 'C' listed twice",
        "initiatives[4].context_condition": "unknown context condition 'full_moon'",
        "initiatives[5].from_level": "from_level given without a dimension",
        "initiatives[6].from_level": "missing from_level (expected 1-4)",
    }
    assert len(problems) == len(by_path)


def test_self_prerequisite_and_longer_cycles_are_named():
    library = [
        ini("S", prerequisites=["S"]),
        ini("X", prerequisites=["Y"]),
        ini("Y", prerequisites=["Z"]),
        ini("Z", prerequisites=["X"]),
    ]
    problems = validate_library(library, DIMENSIONS, ACTIVITIES, METRICS)
    assert [(p.path, p.message) for p in problems] == [
        ("initiatives[0].prerequisites", "prerequisite cycle: S -> S"),
        ("initiatives[1].prerequisites", "prerequisite cycle: X -> Y -> Z -> X"),
    ]


def test_ordering_cycle_through_the_one_level_at_a_time_rule_is_reported():
    # D1-2-a needs D2-1-a, which needs D1-3-a: but D1-3-a must wait for D1-2-a (lower step).
    library = [
        ini("D1-2-a", "D1", 2, prerequisites=["D2-1-a"]),
        ini("D2-1-a", "D2", 1, prerequisites=["D1-3-a"]),
        ini("D1-3-a", "D1", 3),
    ]
    (problem,) = validate_library(library, DIMENSIONS, ACTIVITIES, METRICS)
    assert problem.path == "initiatives[2].prerequisites"
    assert problem.message.startswith(
        "ordering cycle with the one-level-at-a-time rule: D1-3-a =>step D1-2-a -> D2-1-a -> D1-3-a"
    )
    with pytest.raises(ValueError, match="cycle"):
        generate_roadmap(library, [dim("D1", 2, 4), dim("D2", 1, 2)])


# --------------------------------------------------------------------------- properties

DIMS = ("D1", "D2", "D3", "D4")
CONDITIONS = ("no_cxo", "other")


@st.composite
def scenarios(draw):
    """A valid acyclic library, dimension states, conditions, placed items and a capacity."""
    raw = draw(st.lists(st.tuples(st.sampled_from(DIMS), st.integers(1, 4)), min_size=1, max_size=14))
    # Prerequisites only point to items earlier in (from_level, dimension) order: acyclic even with the step rule.
    ordered = sorted(enumerate(raw), key=lambda t: (t[1][1], t[1][0], t[0]))
    library: list[Initiative] = []
    for n, (dimension, level) in ordered:
        earlier = [i.key for i in library]
        prerequisites = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=3)) if earlier else []
        library.append(
            ini(
                f"{dimension}-{level}-{n:02d}",
                dimension,
                level,
                effort=draw(st.integers(1, 3)),
                impact=draw(st.integers(1, 3)),
                duration=draw(st.integers(1, 6)),
                prerequisites=prerequisites,
                context=draw(st.sampled_from((None, None, None, *CONDITIONS))),
            )
        )
    states = []
    for key in DIMS:
        stage = draw(st.one_of(st.none(), st.integers(1, 5)))
        if stage is None:
            states.append(dim(key, None, None))
            continue
        score = Fraction(stage) + (Fraction(draw(st.integers(0, 99)), 100) if stage < 5 else 0)
        states.append(dim(key, stage, draw(st.integers(1, 5)), score=score, importance=draw(st.integers(1, 3))))
    conditions = set(draw(st.lists(st.sampled_from(CONDITIONS), unique=True)))
    keys = [i.key for i in library]
    locked_keys = draw(st.lists(st.sampled_from(keys), unique=True, max_size=3))
    placed = [PlacedItem(k, draw(st.integers(0, 15)), draw(st.integers(1, 6))) for k in locked_keys]
    for n in range(draw(st.integers(0, 2))):
        placed.append(PlacedItem(f"custom-{n}", draw(st.integers(0, 15)), draw(st.integers(1, 6)), custom=True, locked=False))
    capacity = draw(st.integers(1, 6))
    return library, states, conditions, placed, capacity


def _is_done(item, states, conditions):
    if item.context_condition is not None and item.context_condition not in conditions:
        return True
    state = next(s for s in states if s.key == item.dimension)
    return state.stage is not None and state.stage > item.from_level


PROPERTY = settings(max_examples=100, deadline=None)


@PROPERTY
@given(scenarios())
def test_property_prerequisites_and_lower_steps_finish_first(scenario):
    library, states, conditions, placed, capacity = scenario
    plan = generate_roadmap(library, states, conditions, placed, capacity)
    by_key = plan_by_key(plan)
    lib = {i.key: i for i in library}
    for p in plan:
        assert p.finish_month == p.start_month + p.duration_months
        assert p.horizon == horizon_for(p.start_month)
        if p.locked or p.custom:
            continue
        assert p.start_month >= p.earliest_month >= 0
        for q in lib[p.key].prerequisites:
            if q in by_key:
                assert by_key[q].finish_month <= p.start_month, (q, p.key)
            else:
                assert _is_done(lib[q], states, conditions), f"{q} needed by {p.key} is missing"
        for q in plan:
            if q.dimension == p.dimension and not q.custom and q.from_level < p.from_level:
                assert q.finish_month <= p.start_month, (q.key, p.key)


@PROPERTY
@given(scenarios())
def test_property_starts_per_horizon_within_capacity_counting_placed(scenario):
    library, states, conditions, placed, capacity = scenario
    plan = generate_roadmap(library, states, conditions, placed, capacity)
    starts = Counter(p.horizon for p in plan)
    placed_starts = Counter(horizon_for(p.start_month) for p in placed)
    for horizon in ("now", "next", "later"):
        assert starts[horizon] <= max(capacity, placed_starts[horizon])
    for item in placed:
        assert plan_by_key(plan)[item.key].start_month == item.start_month


@PROPERTY
@given(scenarios())
def test_property_gap_selection_is_exactly_the_steps_between_stage_and_target(scenario):
    library, states, conditions, placed, capacity = scenario
    plan = plan_by_key(generate_roadmap(library, states, conditions, (), capacity))
    state_of = {s.key: s for s in states}
    for item in library:
        s = state_of[item.dimension]
        in_gap = s.stage is not None and s.target > s.stage and s.stage <= item.from_level < s.target
        applicable = item.context_condition is None or item.context_condition in conditions
        if not applicable:
            assert item.key not in plan
        elif item.context_condition in conditions:
            assert plan[item.key].selected_by == "context"
        elif in_gap and applicable:
            assert plan[item.key].selected_by == "gap"
        elif item.key in plan:
            assert plan[item.key].selected_by == "prerequisite"
    for p in plan.values():
        s = state_of[p.dimension]
        if s.stage is None or s.target <= s.stage:
            assert p.selected_by != "gap"


@PROPERTY
@given(scenarios(), st.randoms(use_true_random=False))
def test_property_deterministic_and_independent_of_library_order(scenario, rnd):
    library, states, conditions, placed, capacity = scenario
    first = generate_roadmap(library, states, conditions, placed, capacity)
    assert generate_roadmap(library, states, conditions, placed, capacity) == first
    shuffled, shuffled_placed = list(library), list(placed)
    rnd.shuffle(shuffled)
    rnd.shuffle(shuffled_placed)
    assert generate_roadmap(shuffled, states, set(conditions), shuffled_placed, capacity) == first
    assert validate_library(library, DIMS, ACTIVITIES, METRICS) == []
