"""Accountability health per role: does each A holder of the to-be RACI act on what it answers for?

For every visible role of the to-be RACI, four facts the steering committee reads:

- ``accountable``: how many activities it holds the A of;
- ``overdue``: the initiatives it owns that are past their due month and neither done nor dropped.
  It owns an initiative when it holds the single A of the initiative's activity, or when the
  facilitator set it as the owner by hand (the owner the roadmap page shows);
- ``recent_decisions``: the decisions it took in the last :data:`RECENT_DAYS` days (today and the
  89 days before);
- ``idle``: it holds at least one A, took no decision in those days and has no initiative in
  progress: accountable on paper only.

An initiative is due in the calendar month of its last month (the roadmap page's end date); it is
overdue from the first day of the month after. Pure: today's date, the RACI cells and the facts are
arguments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

RECENT_DAYS = 90
#: Statuses of an initiative that is finished with: never overdue.
CLOSED_STATUSES = ("done", "dropped")
IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class InitiativeFact:
    """One roadmap initiative: its activity, its owner when set by hand (else None), status and due date.

    ``due`` is any date in its last month (None when the roadmap has no start date).
    """

    key: str
    activity: str
    status: str
    due: date | None
    owner_by_hand: str | None = None


@dataclass(frozen=True)
class DecisionFact:
    deciding_role: str
    decided_on: date


@dataclass(frozen=True)
class RoleHealth:
    role: str
    accountable: int
    overdue: tuple[str, ...]  # keys of the overdue initiatives it owns, in the given order
    in_progress: int
    recent_decisions: int
    idle: bool


def single_accountable(cells: Mapping[tuple[str, str], str], roles: Sequence[str]) -> dict[str, str]:
    """Per activity, the one visible role holding its A (activities with none or several are left out)."""
    holders: dict[str, list[str]] = {}
    visible = set(roles)
    for (activity, role), letter in cells.items():
        if letter == "A" and role in visible:
            holders.setdefault(activity, []).append(role)
    return {activity: found[0] for activity, found in holders.items() if len(found) == 1}


def is_overdue(fact: InitiativeFact, today: date) -> bool:
    """Past its due month and neither done nor dropped."""
    if fact.status in CLOSED_STATUSES or fact.due is None:
        return False
    return (today.year, today.month) > (fact.due.year, fact.due.month)


def is_recent(decided_on: date, today: date) -> bool:
    """Taken in the last RECENT_DAYS days, today included (a future date is not recent)."""
    return today - timedelta(days=RECENT_DAYS - 1) <= decided_on <= today


def owner_of(fact: InitiativeFact, accountable: Mapping[str, str]) -> str | None:
    if fact.owner_by_hand:
        return fact.owner_by_hand
    return accountable.get(fact.activity)


def accountability_health(
    *,
    roles: Sequence[str],
    cells: Mapping[tuple[str, str], str],
    initiatives: Sequence[InitiativeFact],
    decisions: Sequence[DecisionFact],
    today: date,
) -> tuple[RoleHealth, ...]:
    """One row per role of ``roles`` (the visible roles, in order)."""
    visible = set(roles)
    a_count = dict.fromkeys(roles, 0)
    for (_activity, role), letter in cells.items():
        if letter == "A" and role in visible:
            a_count[role] += 1
    accountable = single_accountable(cells, roles)
    overdue: dict[str, list[str]] = {role: [] for role in roles}
    in_progress = dict.fromkeys(roles, 0)
    for fact in initiatives:
        owner = owner_of(fact, accountable)
        if owner not in visible or owner is None:
            continue
        if is_overdue(fact, today):
            overdue[owner].append(fact.key)
        if fact.status == IN_PROGRESS:
            in_progress[owner] += 1
    recent = dict.fromkeys(roles, 0)
    for decision in decisions:
        if decision.deciding_role in visible and is_recent(decision.decided_on, today):
            recent[decision.deciding_role] += 1
    return tuple(
        RoleHealth(
            role=role,
            accountable=a_count[role],
            overdue=tuple(overdue[role]),
            in_progress=in_progress[role],
            recent_decisions=recent[role],
            idle=a_count[role] >= 1 and recent[role] == 0 and in_progress[role] == 0,
        )
        for role in roles
    )
