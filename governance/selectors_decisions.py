"""Reads of the decision log, scoped to a round the caller already reached through organisations.selectors
(an outsider got their 404 there). Reads never write.

The log shows keys as words in the reader's language: an activity's title, a role's title (a role
hidden since still reads by its name), an initiative's title; a key that no longer names anything
(an initiative regenerated away) shows as the key itself, so nothing recorded is ever lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from roadmaps.models import RaciCell, RoadmapItem
from roadmaps.presentation import pick
from roadmaps.selectors import org_roles
from roadmaps.services import RaciContext, raci_context

from .models import Decision


@dataclass(frozen=True)
class DecisionLabels:
    """Words for the keys a decision holds, in the active language, and the to-be RACI they refer to."""

    raci: RaciContext
    activities: dict[str, str]
    roles: dict[str, str]
    initiatives: dict[str, str]
    #: The to-be RACI's non-empty cells of the round's activities and visible roles.
    cells: dict[tuple[str, str], str]

    def activity(self, key: str) -> str:
        return self.activities.get(key, key)

    def role(self, key: str) -> str:
        return self.roles.get(key, key)

    def initiative(self, key: str) -> str:
        return self.initiatives.get(key, key)


def decision_labels(*, round_) -> DecisionLabels:
    """The round's activities, roles and initiatives by key, with the to-be RACI cells (a few queries, never one per row)."""
    raci = raci_context(round_)
    activity_keys, visible = set(raci.activity_keys), set(raci.visible_keys)
    cells = {
        (activity, role): letter
        for activity, role, letter in RaciCell.objects.filter(round=round_).values_list("activity", "role", "letter")
        if activity in activity_keys and role in visible
    }
    roles = org_roles(organisation=round_.organisation, framework=round_.framework)
    items = RoadmapItem.objects.filter(round=round_).order_by("position", "id").values_list("key", "title_fr", "title_en")
    return DecisionLabels(
        raci=raci,
        activities={a.key: a.tr("title") for a in raci.activities},
        roles={r.key: pick(r.title_fr, r.title_en) for r in roles},
        initiatives={key: pick(fr, en) for key, fr, en in items},
        cells=cells,
    )


def decisions_list(*, round_, activity: str = "", role: str = "") -> QuerySet[Decision]:
    """The round's decisions, newest first; ``activity`` / ``role`` narrow it when given."""
    decisions = Decision.objects.filter(round=round_)
    if activity:
        decisions = decisions.filter(activity=activity)
    if role:
        decisions = decisions.filter(deciding_role=role)
    return decisions.order_by("-decided_on", "-created_at", "-pk")


def decision_rows(decisions, labels: DecisionLabels) -> list[dict]:
    """Each decision with its keys as words: what the log page and the PDF show."""
    return [
        {
            "decision": decision,
            "title": decision.title,
            "rationale": decision.rationale,
            "decided_on": decision.decided_on,
            "activity": labels.activity(decision.activity),
            "role": labels.role(decision.deciding_role),
            "initiatives": [labels.initiative(str(key)) for key in decision.initiative_keys or ()],
        }
        for decision in decisions
    ]
