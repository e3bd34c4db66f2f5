"""The "roadmap" and "raci" parts of the round export (EXPORTS.md), and the RACI errors that block publication.

Reads only: nothing is generated here. A round whose roadmap was never generated exports
``{"start_date": null, "initiatives": []}``; a RACI never proposed exports no cells (and one
``no_accountable`` and one ``no_responsible`` error per activity).

Decisions where EXPORTS.md is silent
    * Text typed in one language only (a custom initiative) is exported in both, the missing
      language repeating the other.
    * ``raci.roles`` lists every role of the organisation with its ``hidden`` flag; ``to_be.cells``
      holds the non-empty cells of visible roles only (hidden roles do not count, as in validation).
    * Extra keys on an initiative: ``description``, ``finish_month``, ``start_date`` and
      ``end_date`` (the first day of month ``finish_month``, exclusive), ISO dates.
"""

from __future__ import annotations

from .domain.prioritisation import horizon_for, month_start, round2
from .models import RaciCell, Roadmap, RoadmapItem
from .raci_messages import cell_reason, labels_of, reason_texts, violation_texts
from .services import raci_as_is, raci_context, raci_violations


def _both(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr or en, "en": en or fr}


def _violation(v, labels) -> dict:
    message = violation_texts(v, labels)
    return {"severity": v.severity, "code": v.code, "activity": v.activity, "role": v.role, "message": message}


def roadmap_export(round_) -> dict:
    """EXPORTS.md's ``roadmap`` object for the round."""
    roadmap = Roadmap.objects.filter(round=round_).first()
    start = roadmap.start_date if roadmap else None
    initiatives = []
    for item in RoadmapItem.objects.filter(round=round_).order_by("position", "id"):
        finish = item.start_month + item.duration_months
        initiatives.append(
            {
                "key": item.key,
                "title": _both(item.title_fr, item.title_en),
                "description": _both(item.description_fr, item.description_en),
                "dimension": item.dimension,
                "from_level": item.from_level,
                "horizon": horizon_for(item.start_month),
                "start_month": item.start_month,
                "duration_months": item.duration_months,
                "finish_month": finish,
                "start_date": month_start(start, item.start_month).isoformat() if start else None,
                "end_date": month_start(start, finish).isoformat() if start else None,
                "priority": round2(item.priority),
                "effort": item.effort,
                "impact": item.impact,
                "quick_win": item.quick_win,
                "activity": item.activity or None,
                "owner_role": item.owner_role,
                "owner_overridden": item.owner_overridden,
                "prerequisites": list(item.prerequisites),
                "locked": item.locked,
                "custom": item.custom,
                "status": item.status,
                "selected_by": item.selected_by,
                "kpis": [{"metric": k["metric"], "drives": k.get("drives")} for k in item.kpis],
            }
        )
    return {"start_date": start.isoformat() if start else None, "initiatives": initiatives}


def raci_export(round_) -> dict:
    """EXPORTS.md's ``raci`` object: roles, as-is votes, to-be cells (non-empty) and violations."""
    context = raci_context(round_)
    activity_order = {key: n for n, key in enumerate(context.activity_keys)}
    role_order = {role.key: n for n, role in enumerate(context.visible)}
    cells = [c for c in RaciCell.objects.filter(round=round_) if c.activity in activity_order and c.role in role_order]
    cells.sort(key=lambda c: (activity_order[c.activity], role_order[c.role]))
    letters = {(c.activity, c.role): c.letter for c in cells}
    labels = labels_of(context.activities, context.roles)
    return {
        "roles": [{"key": r.key, "title": _both(r.title_fr, r.title_en), "hidden": r.hidden} for r in context.roles],
        "as_is": [
            {
                "activity": row.activity,
                "votes": dict(row.votes),
                "nobody": row.nobody,
                "dont_know": row.dont_know,
                "accountable": row.accountable,
            }
            for row in raci_as_is(round_, context.activity_keys)
        ],
        "to_be": {
            "cells": [
                {"activity": c.activity, "role": c.role, "value": c.letter, "reason": reason_texts(cell_reason(c))} for c in cells
            ],
            "violations": [_violation(v, labels) for v in raci_violations(round_, context, letters)],
        },
    }


def raci_errors(round_) -> list[dict]:
    """The errors of the round's to-be RACI (EXPORTS.md violation objects); publication needs none."""
    context = raci_context(round_)
    labels = labels_of(context.activities, context.roles)
    return [_violation(v, labels) for v in raci_violations(round_, context) if v.severity == "error"]
