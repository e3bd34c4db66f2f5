"""The demo round's decision log (called by `seed_demo` once the round's RACI and roadmap exist).

Each decision is taken by the role the demo's to-be RACI makes accountable for its activity, read
now: whatever the proposal rules or a facilitator's edits made of the RACI, the demo log never
holds a decision the log itself would refuse. An activity without a single A is left out.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from roadmaps.models import RoadmapItem

from .domain.decisions import accountable_roles
from .models import Decision
from .selectors_decisions import decision_labels
from .services_decisions import decision_record

# (activity, title, rationale, days after the round closed): taken in the workshop and the first committee.
DECISIONS = [
    (
        "cx_governance",
        "Réunir le comité de pilotage de l'expérience client chaque mois",
        "Les décisions sur les parcours se prenaient au fil de l'eau, sans suivi : une séance mensuelle "
        "de quatre-vingt-dix minutes, avec les titulaires des « A » du RACI.",
        0,
    ),
    (
        "cx_budget",
        "Financer la refonte du traitement des réclamations sur le budget 2027",
        "Une réclamation mal traitée coûte deux fois son traitement et fait fuir un client sur trois : "
        "180 k€ sont pris sur l'enveloppe de l'expérience client.",
        1,
    ),
    (
        "cx_metrics",
        "Un seul NPS transactionnel, mesuré après la livraison et après le service client",
        "Trois enquêtes se contredisaient ; la marge d'erreur sera publiée avec chaque score.",
        1,
    ),
    (
        "journey_ownership",
        "Nommer une responsable de parcours pour la livraison à domicile",
        "Le parcours le plus contesté de l'atelier n'a aujourd'hui aucun responsable.",
        2,
    ),
]


@transaction.atomic
def seed_demo_decisions(round_) -> list[Decision]:
    """Records the demo's decisions, each by its activity's A in the to-be RACI. Idempotent (by title)."""
    labels = decision_labels(round_=round_)
    closed_on = timezone.localdate(round_.closed_at) if round_.closed_at else timezone.localdate()
    today = timezone.localdate()
    recorded = []
    for activity, title, rationale, days in DECISIONS:
        existing = Decision.objects.filter(round=round_, title=title).first()
        if existing is not None:
            recorded.append(existing)
            continue
        holders = accountable_roles(labels.cells, activity, labels.raci.visible_keys)
        if activity not in labels.activities or len(holders) != 1:
            continue
        initiatives = list(
            RoadmapItem.objects.filter(round=round_, activity=activity).order_by("position").values_list("key", flat=True)[:2]
        )
        recorded.append(
            decision_record(
                round_=round_,
                user=round_.created_by,
                title=title,
                rationale=rationale,
                decided_on=min(closed_on + timedelta(days=days), today),
                activity=activity,
                deciding_role=holders[0],
                initiative_keys=initiatives,
            )
        )
    return recorded
