"""Which initiatives a steering meeting reviews, and under whose name.

Pure: initiatives, dates and role holders in, agenda lines out.

Rules
    * An initiative is due on the last day of its last planned month (the day before the
      roadmap's ``end_date``: ``start_date`` + ``start_month`` + ``duration_months``, exclusive).
    * A meeting reviews the initiatives not done nor dropped that are **overdue** (due before the
      meeting) or **due** before the following meeting (the meeting day included, the following
      meeting's day not: that meeting reviews them).
    * Lines are grouped by the person who holds the initiative's owner role (the role holding the
      A of its activity, or the owner set by hand): one group per person, whatever the number of
      roles they hold; a role without a holder is a group of its own; initiatives without an
      owner come last. Groups follow the RACI's role order; lines, their due date then key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

#: Initiative statuses still to deliver (``done`` and ``dropped`` are off the agenda).
OPEN_STATUSES = frozenset({"planned", "in_progress"})


@dataclass(frozen=True)
class Initiative:
    key: str
    title: str
    owner_role: str | None
    status: str
    due_on: date


@dataclass(frozen=True)
class DueLine:
    initiative: Initiative
    overdue: bool


@dataclass(frozen=True)
class OwnerGroup:
    """``holder`` is the person's key (None: the roles have no holder); ``roles`` is empty for unowned lines."""

    holder: str | None
    roles: tuple[str, ...]
    lines: tuple[DueLine, ...]


def due_lines(initiatives: Iterable[Initiative], meeting: date, following: date | None) -> list[DueLine]:
    """The initiatives the meeting of ``meeting`` reviews (``following``: the next meeting's day, if any)."""
    lines = []
    for item in initiatives:
        if item.status not in OPEN_STATUSES:
            continue
        if item.due_on < meeting:
            lines.append(DueLine(item, overdue=True))
        elif following is not None and item.due_on < following:
            lines.append(DueLine(item, overdue=False))
    return sorted(lines, key=lambda line: (line.initiative.due_on, line.initiative.key))


def group_by_holder(lines: Sequence[DueLine], *, role_order: Sequence[str], holders: Mapping[str, str]) -> list[OwnerGroup]:
    """The lines grouped by the holder of their owner role (``holders``: role key → person key, held roles only)."""
    rank = {role: n for n, role in enumerate(role_order)}
    groups: dict[tuple[str, str], list[DueLine]] = {}
    roles: dict[tuple[str, str], list[str]] = {}
    for line in lines:
        role = line.initiative.owner_role
        if not role:
            key = ("none", "")
        elif role in holders:
            key = ("person", holders[role])
        else:
            key = ("role", role)
        groups.setdefault(key, []).append(line)
        if role and role not in roles.setdefault(key, []):
            roles[key].append(role)
    result = []
    for key, group_lines in groups.items():
        group_roles = tuple(sorted(roles.get(key, []), key=lambda r: (rank.get(r, len(rank)), r)))
        result.append(OwnerGroup(holder=key[1] if key[0] == "person" else None, roles=group_roles, lines=tuple(group_lines)))

    def order(group: OwnerGroup) -> tuple[int, int, str]:
        if not group.roles:
            return (1, 0, "")
        first = group.roles[0]
        return (0, rank.get(first, len(rank)), first)

    return sorted(result, key=order)
