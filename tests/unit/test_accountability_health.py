"""Unit tests of governance.domain.accountability (pure): As, overdue initiatives, recent decisions, idle A."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from governance.domain.accountability import (
    RECENT_DAYS,
    DecisionFact,
    InitiativeFact,
    accountability_health,
    is_overdue,
    is_recent,
    single_accountable,
)

TODAY = date(2027, 6, 10)
ROLES = ("ceo", "cxo", "cfo", "coo")
CELLS = {
    ("cx_strategy", "ceo"): "A",
    ("cx_budget", "cfo"): "A",
    ("cx_metrics", "cxo"): "A",
    ("voc_programme", "cxo"): "A",
    ("close_the_loop", "coo"): "A",
    ("close_the_loop", "cxo"): "A",  # two As: nobody owns its initiatives
    ("cx_metrics", "cfo"): "R",
    ("cx_governance", "hidden_role"): "A",  # a hidden role: left out
}


def fact(key, activity, status="planned", due=date(2027, 4, 1), by_hand=None):
    return InitiativeFact(key=key, activity=activity, status=status, due=due, owner_by_hand=by_hand)


def rows(initiatives=(), decisions=(), cells=CELLS, today=TODAY):
    return {
        r.role: r
        for r in accountability_health(roles=ROLES, cells=cells, initiatives=initiatives, decisions=decisions, today=today)
    }


def test_due_month_and_overdue():
    assert not is_overdue(fact("a", "x", due=date(2027, 6, 1)), TODAY)  # due this month
    assert not is_overdue(fact("a", "x", due=date(2027, 6, 30)), TODAY)
    assert is_overdue(fact("a", "x", due=date(2027, 5, 31)), TODAY)  # last month
    assert is_overdue(fact("a", "x", due=date(2026, 12, 1)), TODAY)  # another year
    assert not is_overdue(fact("a", "x", status="done", due=date(2026, 1, 1)), TODAY)
    assert not is_overdue(fact("a", "x", status="dropped", due=date(2026, 1, 1)), TODAY)
    assert is_overdue(fact("a", "x", status="in_progress", due=date(2026, 1, 1)), TODAY)
    assert not is_overdue(fact("a", "x", due=None), TODAY)  # no start date: no due date


def test_recent_window_is_90_days_ending_today():
    assert is_recent(TODAY, TODAY)
    assert is_recent(TODAY - timedelta(days=RECENT_DAYS - 1), TODAY)
    assert not is_recent(TODAY - timedelta(days=RECENT_DAYS), TODAY)
    assert not is_recent(TODAY + timedelta(days=1), TODAY)


def test_single_accountable_leaves_out_contested_and_hidden():
    assert single_accountable(CELLS, ROLES) == {
        "cx_strategy": "ceo",
        "cx_budget": "cfo",
        "cx_metrics": "cxo",
        "voc_programme": "cxo",
    }


def test_health_on_a_fixture():
    initiatives = [
        fact("S1", "cx_strategy", due=date(2027, 5, 1)),  # ceo, overdue
        fact("S2", "cx_strategy", status="in_progress", due=date(2027, 9, 1)),  # ceo, in progress, not due
        fact("B1", "cx_budget", status="done", due=date(2027, 1, 1)),  # cfo, done: not overdue
        fact("B2", "cx_budget", status="dropped", due=date(2027, 1, 1)),  # cfo, dropped
        fact("M1", "cx_metrics", due=date(2027, 2, 1)),  # cxo, overdue
        fact("M2", "cx_metrics", due=date(2027, 2, 1), by_hand="coo"),  # set by hand to the COO: the COO's
        fact("L1", "close_the_loop", due=date(2027, 1, 1)),  # two As: nobody's
        fact("X1", "", due=date(2027, 1, 1)),  # no activity: nobody's
    ]
    decisions = [
        DecisionFact("cfo", TODAY - timedelta(days=10)),
        DecisionFact("cfo", TODAY - timedelta(days=200)),  # too old
        DecisionFact("cxo", TODAY - timedelta(days=RECENT_DAYS)),  # just outside the window
        DecisionFact("hidden_role", TODAY),
    ]
    health = rows(initiatives, decisions)
    assert list(health) == list(ROLES)
    ceo, cxo, cfo, coo = (health[r] for r in ROLES)
    assert (ceo.accountable, ceo.overdue, ceo.in_progress, ceo.recent_decisions, ceo.idle) == (1, ("S1",), 1, 0, False)
    assert (cxo.accountable, cxo.overdue, cxo.in_progress, cxo.recent_decisions, cxo.idle) == (3, ("M1",), 0, 0, True)
    assert (cfo.accountable, cfo.overdue, cfo.in_progress, cfo.recent_decisions, cfo.idle) == (1, (), 0, 1, False)
    assert (coo.accountable, coo.overdue, coo.in_progress, coo.recent_decisions, coo.idle) == (1, ("M2",), 0, 0, True)


def test_a_role_without_a_is_never_idle():
    health = rows(cells={("cx_strategy", "ceo"): "A"})
    assert health["ceo"].idle
    assert not any(health[r].idle for r in ("cxo", "cfo", "coo"))
    assert all(health[r].accountable == 0 for r in ("cxo", "cfo", "coo"))


@given(
    a_holders=st.lists(st.sampled_from(ROLES), max_size=6),
    decided=st.lists(st.tuples(st.sampled_from(ROLES), st.integers(min_value=-5, max_value=200)), max_size=6),
    started=st.lists(st.sampled_from(ROLES), max_size=4),
)
def test_idle_is_an_a_without_a_recent_decision_or_an_initiative_in_progress(a_holders, decided, started):
    cells = {(f"act{n}", role): "A" for n, role in enumerate(a_holders)}
    initiatives = [
        fact(f"i{n}", f"act{a_holders.index(role)}", status="in_progress") for n, role in enumerate(started) if role in a_holders
    ]
    decisions = [DecisionFact(role, TODAY - timedelta(days=days)) for role, days in decided]
    health = rows(initiatives, decisions, cells=cells)
    for role in ROLES:
        recent = any(r == role and 0 <= days < RECENT_DAYS for r, days in decided)
        working = role in started and role in a_holders
        assert health[role].accountable == a_holders.count(role)
        assert health[role].idle == (role in a_holders and not recent and not working)
