"""Roadmap generation: select, prioritise, schedule and place initiatives in horizons.

Implements PRODUCT.md "Roadmap (generated, then edited)". Pure and deterministic: the same
inputs give the same output whatever the order of the library; the start date and the capacity
are arguments.

Public API
    ``validate_library(initiatives, dimension_keys, activity_keys, metric_keys, *,
    condition_keys=None, root="initiatives") -> list[Problem]``
    ``select_initiatives(library, dimensions, conditions=()) -> dict[str, str]``
    ``compute_priority(initiative, state) -> Fraction``
    ``generate_roadmap(library, dimensions, conditions=(), placed=(), capacity=6)
    -> tuple[PlannedInitiative, ...]``
    ``horizon_for(month) -> str``, ``month_start(start_date, month) -> date``,
    ``default_start_date(closed_on) -> date``, ``round_half_up(value, places=2) -> Fraction``,
    ``round2(value) -> float | None`` (the export edge).

Rules, and the decisions taken where PRODUCT.md is silent
    1. Select. For each scored dimension (stage and target known) with target > stage: the
       initiatives of that dimension with ``stage <= from_level < target`` (``"gap"``). Every
       initiative whose context condition holds (``"context"``), whatever the scores, also in
       an unscored dimension. An initiative *with* a context condition that does not hold is
       not applicable: it is never selected (not by gap, not as a prerequisite) and counts as
       done when something requires it (e.g. "appoint a CXO" when a CXO exists). Reasons rank
       context > gap > prerequisite when several apply.
       A prerequisite of a selected initiative counts as done when its dimension's stage is
       above its ``from_level``; otherwise it is selected too (``"prerequisite"``),
       recursively. A prerequisite in an unscored dimension, or without a dimension, cannot be
       shown to be done, so it is selected.
    2. Priority = importance x (target - score) x impact / effort, exact, floored at 0 (a
       prerequisite pulled from a dimension already at or above its target gets 0; one in an
       unscored dimension or without a dimension gets 0). Context initiatives carry
       ``priority=None``, meaning "above every computed priority"; among themselves they are
       ordered by key.
    3. Schedule: Kahn's topological order over the selected initiatives; the ready queue is
       ordered by context first (by key), then priority descending, dimension framework order
       (a dimension missing from ``dimensions``, or none, comes last), ``from_level``, key.
       Edges: an initiative waits for its selected prerequisites and for every selected
       initiative of its dimension with a lower ``from_level`` (one level at a time). It
       starts at the latest finish among them (0 without any); ``finish = start + duration``.
    4. Horizons by start month: now [0, 3), next [3, 6), later [6, 12), beyond 12+. At most
       ``capacity`` initiatives start in each of now, next and later; when full, the start
       moves to the first month of the next horizon (3, 6, 12), checked again there; beyond
       has no cap. Dependants are scheduled later in the topological order, so they follow.
    5. Placed items (locked or custom) keep their start month and duration, are counted
       first toward capacity (a horizon may exceed it through placed items alone), and are
       never generated again. A placed item constrains generated initiatives like a selected
       one: as a prerequisite, and as a lower step of the same dimension. Its own
       dependencies are not enforced (it was placed by hand). A locked library item keeps the
       reason it is selected for now; if no longer selected, the reason recorded on the
       ``PlacedItem`` (default ``"gap"``). Custom items are ``"custom"`` with no priority.
    Output order: start month, placed items before generated ones, then placed items by key
    and generated ones in the order the queue released them.
"""

from __future__ import annotations

import calendar
import heapq
import math
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple, TypeGuard

from .types import DimensionState, Initiative, PlacedItem, PlannedInitiative, Problem

DEFAULT_CAPACITY = 6

NOW, NEXT, LATER, BEYOND = "now", "next", "later", "beyond"
HORIZONS = (NOW, NEXT, LATER, BEYOND)
#: Horizons with a start cap, and the first month of the horizon after each.
NEXT_HORIZON_START = {NOW: 3, NEXT: 6, LATER: 12}

FROM_LEVEL_MIN, FROM_LEVEL_MAX = 1, 4
EFFORT_RANGE = IMPACT_RANGE = (1, 3)

ZERO = Fraction(0)


# --------------------------------------------------------------------------- numbers & dates


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Fraction:
    """Round exactly, half away from zero, to ``places`` decimals (a Decimal, as stored, converts exactly)."""
    scaled = Fraction(value) * 10**places
    units = math.floor(abs(scaled) + Fraction(1, 2))
    return Fraction(units if scaled >= 0 else -units, 10**places)


def round2(value: Fraction | Decimal | int | None) -> float | None:
    """The export edge: ``value`` rounded half-up to 2 decimals as a JSON number."""
    return None if value is None else float(round_half_up(value, 2))


def horizon_for(month: int) -> str:
    """The horizon of a start month: now [0, 3), next [3, 6), later [6, 12), beyond 12+."""
    if month < 0:
        raise ValueError(f"month {month} is before the roadmap start")
    if month < 3:
        return NOW
    if month < 6:
        return NEXT
    if month < 12:
        return LATER
    return BEYOND


def month_start(start_date: date, month: int) -> date:
    """The date of roadmap month ``month`` (month 0 is ``start_date``).

    Keeps the day of ``start_date``, clamped to the length of the target month.
    """
    if month < 0:
        raise ValueError(f"month {month} is before the roadmap start")
    total = start_date.month - 1 + month
    year, month0 = start_date.year + total // 12, total % 12
    day = min(start_date.day, calendar.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day)


def default_start_date(closed_on: date) -> date:
    """The default month 0: the first day of the month after ``closed_on``."""
    if closed_on.month == 12:
        return date(closed_on.year + 1, 1, 1)
    return date(closed_on.year, closed_on.month + 1, 1)


# --------------------------------------------------------------------------- library check


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_library(
    initiatives: Sequence[Initiative],
    dimension_keys: Collection[str],
    activity_keys: Collection[str],
    metric_keys: Collection[str],
    *,
    condition_keys: Collection[str] | None = None,
    root: str = "initiatives",
) -> list[Problem]:
    """Every problem of an initiative library, each with its path; ``[]`` when valid.

    Refuses empty or duplicate keys, unknown dimensions, activities, KPI metrics, context
    conditions (when ``condition_keys`` is given) and prerequisites, ``from_level`` outside
    1-4 (or given without a dimension, or missing with one, except on a context initiative,
    which may belong to a dimension without being a level step), effort or impact outside 1-3, a
    duration below 1, a prerequisite listed twice, prerequisite cycles, and ordering cycles
    that only appear once the one-level-at-a-time rule is added.
    """
    problems: list[Problem] = []
    dimension_keys, activity_keys = set(dimension_keys), set(activity_keys)
    metric_keys = set(metric_keys)
    first_index: dict[str, int] = {}

    for n, item in enumerate(initiatives):
        at = f"{root}[{n}]"
        problems.extend(_key_problems(item, n, at, first_index, root))
        problems.extend(_level_problems(item, at, dimension_keys))
        problems.extend(_figure_problems(item, at))
        problems.extend(_link_problems(item, at, activity_keys, metric_keys, condition_keys))
    problems.extend(_prerequisite_problems(initiatives, root))
    problems.extend(_cycle_problems(initiatives, first_index, root))
    return problems


def _key_problems(item: Initiative, n: int, at: str, first_index: dict[str, int], root: str) -> list[Problem]:
    """A missing or duplicate key; records the first index of each key, which later checks name.

    Mutates ``first_index`` on purpose: the duplicate message points at the first occurrence,
    and the cycle checks only follow first occurrences.
    """
    key = item.key
    if not isinstance(key, str) or not key.strip():
        return [Problem(f"{at}.key", "missing key")]
    if key in first_index:
        return [Problem(f"{at}.key", f"duplicate key {key!r} (first at {root}[{first_index[key]}])")]
    first_index[key] = n
    return []


def _level_problems(item: Initiative, at: str, dimension_keys: Collection[str]) -> list[Problem]:
    """The dimension and the level step: one belongs with the other, except on a context initiative."""
    problems = []
    if item.dimension is not None and item.dimension not in dimension_keys:
        problems.append(Problem(f"{at}.dimension", f"unknown dimension {item.dimension!r}"))
    if item.dimension is None:
        if item.from_level is not None:
            problems.append(Problem(f"{at}.from_level", "from_level given without a dimension"))
    elif item.from_level is None:
        if item.context_condition is None:
            problems.append(Problem(f"{at}.from_level", "missing from_level (expected 1-4)"))
    elif not _is_int(item.from_level) or not (FROM_LEVEL_MIN <= item.from_level <= FROM_LEVEL_MAX):
        problems.append(Problem(f"{at}.from_level", f"from_level {item.from_level!r} outside 1-4"))
    return problems


def _figure_problems(item: Initiative, at: str) -> list[Problem]:
    """Effort and impact on their 1-3 scales and a duration of at least a month: the priority divides by effort."""
    problems = []
    for name, (low, high) in (("effort", EFFORT_RANGE), ("impact", IMPACT_RANGE)):
        value = getattr(item, name)
        if not _is_int(value) or not low <= value <= high:
            problems.append(Problem(f"{at}.{name}", f"{name} {value!r} outside {low}-{high}"))
    if not _is_int(item.duration_months) or item.duration_months < 1:
        problems.append(Problem(f"{at}.duration_months", f"duration {item.duration_months!r} below 1 month"))
    return problems


def _link_problems(
    item: Initiative,
    at: str,
    activity_keys: Collection[str],
    metric_keys: Collection[str],
    condition_keys: Collection[str] | None,
) -> list[Problem]:
    """The keys an initiative names outside the library: its activity, context condition and KPI metrics."""
    problems = []
    if item.activity not in activity_keys:
        problems.append(Problem(f"{at}.activity", f"unknown activity {item.activity!r}"))
    if condition_keys is not None and item.context_condition not in (None, *condition_keys):
        problems.append(Problem(f"{at}.context_condition", f"unknown context condition {item.context_condition!r}"))
    for k, kpi in enumerate(item.kpis):
        if kpi.metric not in metric_keys:
            problems.append(Problem(f"{at}.kpis[{k}].metric", f"unknown metric {kpi.metric!r}"))
        if kpi.drives is not None and kpi.drives not in metric_keys:
            problems.append(Problem(f"{at}.kpis[{k}].drives", f"unknown metric {kpi.drives!r}"))
    return problems


def _prerequisite_problems(initiatives: Sequence[Initiative], root: str) -> list[Problem]:
    """Prerequisites naming no initiative of the library, or named twice by the same initiative.

    Run after every key is known, since a prerequisite may name a later entry.
    """
    problems = []
    known = {item.key for item in initiatives}
    for n, item in enumerate(initiatives):
        seen: set[str] = set()
        for j, prerequisite in enumerate(item.prerequisites):
            at = f"{root}[{n}].prerequisites[{j}]"
            if prerequisite not in known:
                problems.append(Problem(at, f"unknown initiative {prerequisite!r}"))
            elif prerequisite in seen:
                problems.append(Problem(at, f"prerequisite {prerequisite!r} listed twice"))
            seen.add(prerequisite)
    return problems


def _cycle_problems(initiatives: Sequence[Initiative], first_index: Mapping[str, int], root: str) -> list[Problem]:
    """Prerequisite cycles, then cycles created by the one-level-at-a-time rule."""
    items = {key: initiatives[i] for key, i in first_index.items()}
    order = sorted(items, key=first_index.__getitem__)

    requires: dict[str, list[str]] = {}
    for key in order:
        requires[key] = sorted({p for p in items[key].prerequisites if p in items}, key=first_index.__getitem__)
    step: dict[str, list[str]] = {key: [] for key in order}
    for key in order:
        item = items[key]
        if item.dimension is None or not _is_int(item.from_level):
            continue
        for other in order:
            o = items[other]
            if o.dimension == item.dimension and _is_int(o.from_level) and o.from_level < item.from_level:
                step[key].append(other)

    problems: list[Problem] = []
    prerequisite_sccs = []
    for scc in _cyclic_components(order, requires):
        prerequisite_sccs.append(frozenset(scc))
        start = min(scc, key=first_index.__getitem__)
        cycle = _shortest_path(start, start, set(scc), lambda k: [(p, False) for p in requires[k]])
        problems.append(
            Problem(
                f"{root}[{first_index[start]}].prerequisites",
                "prerequisite cycle: " + _describe_cycle(cycle),
            )
        )

    def both(k: str) -> list[tuple[str, bool]]:
        edges = [(p, False) for p in requires[k]]
        return edges + [(o, True) for o in step[k] if o not in requires[k]]

    combined = {k: [o for o, _ in both(k)] for k in order}
    for scc in _cyclic_components(order, combined):
        if frozenset(scc) in prerequisite_sccs:
            continue
        # Name a cycle through a step edge, so it is not a prerequisite cycle named above.
        members = set(scc)
        start, lower = next(
            (k, o) for k in sorted(members, key=first_index.__getitem__) for o in step[k] if o in members and o not in requires[k]
        )
        cycle = [(start, False)] + _shortest_path(lower, start, members, both)
        cycle[1] = (lower, True)
        problems.append(
            Problem(
                f"{root}[{first_index[start]}].prerequisites",
                "ordering cycle with the one-level-at-a-time rule: "
                + _describe_cycle(cycle)
                + " (A -> B: A needs B first; A =>step B: B is a lower step of the same"
                " dimension)",
            )
        )
    return problems


def _cyclic_components(order: Sequence[str], edges: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Strongly connected components that contain a cycle (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in order:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(edges[nxt])))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    result.append(component)
    return result


def _shortest_path(
    src: str,
    dst: str,
    members: Collection[str],
    successors: Callable[[str], Iterable[tuple[str, bool]]],
) -> list[tuple[str, bool]]:
    """Shortest walk ``src`` → ``dst`` (at least one edge) inside ``members``.

    Returns ``[(src, False), (n1, via_step), ..., (dst, via_step)]`` where ``via_step`` tells
    whether the edge into the node is a one-level-at-a-time edge.
    """
    parent: dict[str, tuple[str, bool]] = {}
    queue = deque([src])
    seen = {src}
    while queue:
        node = queue.popleft()
        for nxt, via_step in successors(node):
            if nxt not in members:
                continue
            if nxt == dst:
                path = [(dst, via_step)]
                while node != src:
                    prev, prev_step = parent[node]
                    path.append((node, prev_step))
                    node = prev
                path.append((src, False))
                path.reverse()
                return path
            if nxt not in seen:
                seen.add(nxt)
                parent[nxt] = (node, via_step)
                queue.append(nxt)
    raise AssertionError("no path inside a strongly connected component")  # pragma: no cover


def _describe_cycle(cycle: Sequence[tuple[str, bool]]) -> str:
    text = cycle[0][0]
    for node, via_step in cycle[1:]:
        text += (" =>step " if via_step else " -> ") + node
    return text


# --------------------------------------------------------------------------- selection


def _applicable(item: Initiative, conditions: Collection[str]) -> bool:
    return item.context_condition is None or item.context_condition in conditions


def _is_done(item: Initiative, states: Mapping[str, DimensionState], conditions: Collection[str]) -> bool:
    if not _applicable(item, conditions):
        return True
    state = states.get(item.dimension) if item.dimension is not None else None
    if state is None or state.stage is None or item.from_level is None:
        return False
    return state.stage > item.from_level


def _index(library: Iterable[Initiative]) -> dict[str, Initiative]:
    by_key: dict[str, Initiative] = {}
    for item in library:
        if item.key in by_key:
            raise ValueError(f"duplicate initiative {item.key!r}: validate the library first")
        by_key[item.key] = item
    return by_key


def _states(dimensions: Sequence[DimensionState]) -> dict[str, DimensionState]:
    states: dict[str, DimensionState] = {}
    for state in dimensions:
        if state.key in states:
            raise ValueError(f"dimension {state.key!r} given twice")
        states[state.key] = state
    return states


def select_initiatives(
    library: Iterable[Initiative],
    dimensions: Sequence[DimensionState],
    conditions: Collection[str] = frozenset(),
) -> dict[str, str]:
    """``{initiative key: selected_by}`` for the initiatives the roadmap needs (rule 1)."""
    by_key = _index(library)
    states = _states(dimensions)
    conditions = frozenset(conditions)
    reasons: dict[str, str] = {}
    for key in sorted(by_key):
        item = by_key[key]
        if item.context_condition is not None and item.context_condition in conditions:
            reasons[key] = "context"
            continue
        if not _applicable(item, conditions) or item.dimension is None or item.from_level is None:
            continue
        state = states.get(item.dimension)
        if state is None or state.stage is None or state.target is None:
            continue
        if state.target > state.stage and state.stage <= item.from_level < state.target:
            reasons[key] = "gap"

    pending = sorted(reasons, reverse=True)
    while pending:
        for prerequisite in by_key[pending.pop()].prerequisites:
            if prerequisite in reasons:
                continue
            if prerequisite not in by_key:
                raise ValueError(f"unknown prerequisite {prerequisite!r}: validate the library first")
            if _is_done(by_key[prerequisite], states, conditions):
                continue
            reasons[prerequisite] = "prerequisite"
            pending.append(prerequisite)
    return reasons


def compute_priority(initiative: Initiative, state: DimensionState | None) -> Fraction:
    """importance x (target - score) x impact / effort, exact, floored at 0 (rule 2)."""
    if state is None or state.score is None or state.target is None:
        return ZERO
    gap = Fraction(state.target) - Fraction(state.score)
    value = state.importance * gap * initiative.impact / Fraction(initiative.effort)
    return max(value, ZERO)


# --------------------------------------------------------------------------- generation


#: How plan lines sort: start month, placed (0) before generated (1), then key or release order.
_SortKey = tuple[int, int, str | int]


def generate_roadmap(
    library: Sequence[Initiative],
    dimensions: Sequence[DimensionState],
    conditions: Collection[str] = frozenset(),
    placed: Sequence[PlacedItem] = (),
    capacity: int = DEFAULT_CAPACITY,
) -> tuple[PlannedInitiative, ...]:
    """The roadmap for ``dimensions`` (framework order): see the module docstring."""
    if capacity < 0:
        raise ValueError(f"capacity {capacity} < 0")
    by_key = _index(library)
    states = _states(dimensions)
    conditions = frozenset(conditions)
    reasons = select_initiatives(by_key.values(), dimensions, conditions)
    placed_by_key = _index_placed(placed)

    # Placed items first: fixed months, counted toward capacity.
    slots = _Slots(capacity)
    fixed = _plan_placed(placed_by_key, by_key, reasons, states, slots)

    # Generated initiatives: a DAG over the selected keys that are not placed.
    nodes = sorted(k for k in reasons if k not in placed_by_key)
    preds, bound = _dependencies(nodes, by_key, fixed)
    priorities = {key: _priority_of(by_key[key], reasons[key], states) for key in nodes}
    dim_order = {state.key: n for n, state in enumerate(dimensions)}
    ranks = {key: _queue_rank(by_key[key], priorities[key], dim_order) for key in nodes}

    planned = fixed.planned
    for released, slot in enumerate(_schedule(nodes, preds, bound, ranks, by_key, slots)):
        line = _planned_generated(by_key[slot.key], slot, priorities[slot.key], reasons[slot.key])
        planned.append(((slot.start, 1, released), line))
    planned.sort(key=lambda pair: pair[0])
    return tuple(p for _, p in planned)


def _priority_of(item: Initiative, reason: str, states: Mapping[str, DimensionState]) -> Fraction | None:
    """Rule 2's priority, or ``None`` for a context initiative, which ranks above every computed one."""
    if reason == "context":
        return None
    return compute_priority(item, states.get(item.dimension) if item.dimension else None)


def _index_placed(placed: Iterable[PlacedItem]) -> dict[str, PlacedItem]:
    """The placed items by key; an item placed twice would take two slots for one initiative."""
    placed_by_key: dict[str, PlacedItem] = {}
    for given in placed:
        if given.key in placed_by_key:
            raise ValueError(f"placed item {given.key!r} given twice")
        placed_by_key[given.key] = given
    return placed_by_key


@dataclass
class _Slots:
    """Starts counted per capped horizon (now, next, later), placed items first (rule 4).

    Shared by the placed and the generated items, so the capacity holds across both.
    """

    capacity: int
    counts: dict[str, int] = field(default_factory=lambda: {NOW: 0, NEXT: 0, LATER: 0})

    def take(self, horizon: str) -> None:
        """Count one start in ``horizon`` (beyond has no cap, so it is not counted)."""
        if horizon in self.counts:
            self.counts[horizon] += 1

    def first_free(self, earliest: int) -> tuple[int, str]:
        """The first start from ``earliest`` whose horizon has room, and that horizon: a full
        horizon moves the start to the first month of the next one, checked again there."""
        start, horizon = earliest, horizon_for(earliest)
        while horizon in self.counts and self.counts[horizon] >= self.capacity:
            start = NEXT_HORIZON_START[horizon]
            horizon = horizon_for(start)
        return start, horizon


@dataclass
class _Fixed:
    """What the placed items bring: their plan lines, and the months they hold generated items to (rule 5)."""

    planned: list[tuple[_SortKey, PlannedInitiative]] = field(default_factory=list)
    #: key -> finish month, for the generated items that need it as a prerequisite.
    finish: dict[str, int] = field(default_factory=dict)
    #: dimension -> (from_level, finish month), for the generated higher steps of that dimension.
    steps: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def _plan_placed(
    placed_by_key: Mapping[str, PlacedItem],
    by_key: Mapping[str, Initiative],
    reasons: Mapping[str, str],
    states: Mapping[str, DimensionState],
    slots: _Slots,
) -> _Fixed:
    """Placed items keep their month, take their slots before any generated item, and constrain
    generated items as a prerequisite or a lower step would (a custom item constrains nothing)."""
    fixed = _Fixed()
    for key in sorted(placed_by_key):
        given = placed_by_key[key]
        lib = None if given.custom else by_key.get(key)
        line = _planned_placed(given, lib, reasons.get(key), states)
        slots.take(line.horizon)
        fixed.finish[key] = line.finish_month
        if line.dimension is not None and line.from_level is not None and not given.custom:
            fixed.steps.setdefault(line.dimension, []).append((line.from_level, line.finish_month))
        fixed.planned.append(((given.start_month, 0, key), line))
    return fixed


def _planned_placed(
    given: PlacedItem,
    lib: Initiative | None,
    reason: str | None,
    states: Mapping[str, DimensionState],
) -> PlannedInitiative:
    """The plan line of a placed item: its own month and duration; the library's dimension, level
    and figures where the item leaves them out (``lib`` is ``None`` for a custom item)."""
    dimension, from_level = given.dimension, given.from_level
    if lib is not None:
        dimension = dimension if dimension is not None else lib.dimension
        from_level = from_level if from_level is not None else lib.from_level
    horizon = horizon_for(given.start_month)
    selected_by, priority = _placed_reason(given, lib, reason, states)
    return PlannedInitiative(
        key=given.key,
        dimension=dimension,
        from_level=from_level,
        start_month=given.start_month,
        duration_months=given.duration_months,
        finish_month=given.start_month + given.duration_months,
        horizon=horizon,
        priority=priority,
        selected_by=selected_by,
        locked=given.locked,
        custom=given.custom,
        earliest_month=given.start_month,
        prerequisites=lib.prerequisites if lib else (),
        activity=lib.activity if lib else None,
        effort=lib.effort if lib else None,
        impact=lib.impact if lib else None,
        quick_win=lib.quick_win if lib else False,
        kpis=lib.kpis if lib else (),
    )


def _placed_reason(
    given: PlacedItem,
    lib: Initiative | None,
    reason: str | None,
    states: Mapping[str, DimensionState],
) -> tuple[str, Fraction | None]:
    """``(selected_by, priority)`` of a placed item: ``custom``; else the reason it is selected for
    now (``reason``), or, no longer selected, the one recorded when it was placed."""
    if given.custom:
        return "custom", None
    selected_by = reason if reason is not None else given.selected_by or "gap"
    return selected_by, (_priority_of(lib, selected_by, states) if lib is not None else None)


def _dependencies(
    nodes: Sequence[str], by_key: Mapping[str, Initiative], fixed: _Fixed
) -> tuple[dict[str, set[str]], dict[str, int]]:
    """For each generated initiative: the generated ones it waits for, and the month placed items hold it to.

    Edges of rule 3 (selected prerequisites, lower steps of the same dimension) and rule 5 (a
    placed prerequisite or lower step finishes first).
    """
    node_set = set(nodes)
    steps = _steps_by_dimension(by_key[key] for key in nodes)
    preds: dict[str, set[str]] = {}
    bound: dict[str, int] = {}
    for key in nodes:
        item = by_key[key]
        before = {p for p in item.prerequisites if p in node_set}
        floor = max((fixed.finish[p] for p in item.prerequisites if p in fixed.finish), default=0)
        if item.dimension is not None and item.from_level is not None:
            level = item.from_level
            before |= {o.key for o in steps[item.dimension] if o.from_level is not None and o.from_level < level}
            floor = max([floor] + [f for lvl, f in fixed.steps.get(item.dimension, ()) if lvl < level])
        preds[key] = before
        bound[key] = floor
    return preds, bound


def _steps_by_dimension(items: Iterable[Initiative]) -> dict[str, list[Initiative]]:
    """The level-step initiatives of each dimension, for the one-level-at-a-time edges."""
    by_dimension: dict[str, list[Initiative]] = defaultdict(list)
    for item in items:
        if item.dimension is not None and item.from_level is not None:
            by_dimension[item.dimension].append(item)
    return by_dimension


def _queue_rank(item: Initiative, priority: Fraction | None, dim_order: Mapping[str, int]) -> tuple[object, ...]:
    """The ready queue's order (rule 3): context first by key, then priority descending, framework
    order of the dimension (none or unknown last), ``from_level``, key."""
    if priority is None:
        return (0, ZERO, 0, 0, item.key)
    last = len(dim_order)
    order = dim_order.get(item.dimension, last) if item.dimension else last
    level = item.from_level if item.from_level is not None else FROM_LEVEL_MAX + 1
    return (1, -priority, order, level, item.key)


class _Start(NamedTuple):
    """When a generated initiative starts: ``earliest`` as its dependencies allow, ``start`` once a
    horizon with room is found."""

    key: str
    earliest: int
    start: int
    horizon: str


def _schedule(
    nodes: Sequence[str],
    preds: Mapping[str, set[str]],
    bound: Mapping[str, int],
    ranks: Mapping[str, tuple[object, ...]],
    by_key: Mapping[str, Initiative],
    slots: _Slots,
) -> list[_Start]:
    """Kahn's topological order over the generated initiatives, the ready queue ordered by ``ranks``;
    each starts once its dependencies finish, in the first horizon with room.

    Raises ``ValueError`` on an ordering cycle: ``validate_library`` refuses such a library.
    """
    successors: dict[str, list[str]] = defaultdict(list)
    for key in nodes:
        for p in preds[key]:
            successors[p].append(key)
    waiting = {key: len(preds[key]) for key in nodes}
    ready = [(ranks[key], key) for key in nodes if waiting[key] == 0]
    heapq.heapify(ready)
    finish: dict[str, int] = {}
    order: list[_Start] = []
    while ready:
        _, key = heapq.heappop(ready)
        earliest = max([bound[key]] + [finish[p] for p in preds[key]])
        start, horizon = slots.first_free(earliest)
        slots.take(horizon)
        finish[key] = start + by_key[key].duration_months
        order.append(_Start(key, earliest, start, horizon))
        for nxt in successors[key]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(ready, (ranks[nxt], nxt))
    if len(order) != len(nodes):
        stuck = sorted(k for k in nodes if k not in finish)
        raise ValueError(f"ordering cycle among {stuck}: validate the library first")
    return order


def _planned_generated(item: Initiative, slot: _Start, priority: Fraction | None, reason: str) -> PlannedInitiative:
    """The plan line of a generated initiative: the library's figures at the start it was given."""
    return PlannedInitiative(
        key=item.key,
        dimension=item.dimension,
        from_level=item.from_level,
        start_month=slot.start,
        duration_months=item.duration_months,
        finish_month=slot.start + item.duration_months,
        horizon=slot.horizon,
        priority=priority,
        selected_by=reason,
        earliest_month=slot.earliest,
        prerequisites=item.prerequisites,
        activity=item.activity,
        effort=item.effort,
        impact=item.impact,
        quick_win=item.quick_win,
        kpis=item.kpis,
    )
