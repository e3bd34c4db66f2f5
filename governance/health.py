"""Accountability health of a round's to-be RACI, per visible role: reads the facts, applies the pure rule.

The rule (governance/domain/accountability.py) counts each role's As, the overdue initiatives it
owns, its decisions of the last 90 days, and flags an idle A. An initiative's due month is its last
month on the roadmap page, computed the same way (roadmaps.domain.prioritisation.month_start from
the roadmap's start date); a roadmap never generated has no due dates, so nothing is overdue.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from roadmaps.domain.prioritisation import month_start
from roadmaps.models import Roadmap, RoadmapItem

from .domain.accountability import DecisionFact, InitiativeFact, RoleHealth, accountability_health
from .models import Decision
from .selectors_decisions import DecisionLabels, decision_labels


def initiative_due(start_date: date | None, start_month: int, duration_months: int) -> date | None:
    """The first day (the start date's day) of an initiative's last month, as the roadmap page's end date."""
    if start_date is None:
        return None
    return month_start(start_date, start_month + max(duration_months, 1) - 1)


def role_health(*, round_, labels: DecisionLabels | None = None, today: date | None = None) -> list[dict]:
    """One row per visible role of the to-be RACI, in the roles' order, with its figures and overdue initiatives.

    Five queries whatever the number of roles, initiatives and decisions.
    """
    labels = labels or decision_labels(round_=round_)
    today = today or timezone.localdate()
    roadmap = Roadmap.objects.filter(round=round_).first()
    start = roadmap.start_date if roadmap else None
    initiatives = [
        InitiativeFact(
            key=item.key,
            activity=item.activity,
            status=item.status,
            due=initiative_due(start, item.start_month, item.duration_months),
            owner_by_hand=item.owner_role if item.owner_overridden else None,
        )
        for item in RoadmapItem.objects.filter(round=round_).order_by("position", "id")
    ]
    decisions = [
        DecisionFact(role, decided_on)
        for role, decided_on in Decision.objects.filter(round=round_).values_list("deciding_role", "decided_on")
    ]
    rows: tuple[RoleHealth, ...] = accountability_health(
        roles=labels.raci.visible_keys, cells=labels.cells, initiatives=initiatives, decisions=decisions, today=today
    )
    return [
        {
            "role": row.role,
            "title": labels.role(row.role),
            "accountable": row.accountable,
            "overdue": [labels.initiative(key) for key in row.overdue],
            "in_progress": row.in_progress,
            "recent_decisions": row.recent_decisions,
            "idle": row.idle,
        }
        for row in rows
    ]
