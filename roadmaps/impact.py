"""What a destructive roadmap or RACI action would change, counted before asking for confirmation.

Read-only: each function returns counts for the confirmation page (organisations/confirm.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import services
from .domain.raci import cells_of, propose_to_be
from .models import ItemStatus, RaciCell, RoadmapItem
from .rules.loader import raci_rules


@dataclass(frozen=True)
class RegenerateImpact:
    replaced: int  # generated, neither locked nor added by hand: placed again from the results
    locked: int  # generated and locked: keep their place
    custom: int  # added by hand (locked or not): keep their place
    started: int  # among the replaced, those whose status is no longer "planned"


def regenerate_impact(*, round_) -> RegenerateImpact:
    rows = list(RoadmapItem.objects.filter(round=round_).values_list("locked", "custom", "status"))
    replaced = [status for locked, custom, status in rows if not locked and not custom]
    return RegenerateImpact(
        replaced=len(replaced),
        locked=sum(1 for locked, custom, _status in rows if locked and not custom),
        custom=sum(1 for _locked, custom, _status in rows if custom),
        started=sum(1 for status in replaced if status != ItemStatus.PLANNED),
    )


@dataclass(frozen=True)
class RaciProposalImpact:
    cells: int  # filled cells today
    changed: int  # cells whose letter the proposal changes, adds or empties
    by_hand_lost: int  # cells set by hand whose letter the proposal changes or empties
    owners_following: int  # initiatives whose owner follows the RACI (not set by hand)


def raci_proposal_impact(*, round_) -> RaciProposalImpact:
    context = services.raci_context(round_)
    current = {(c.activity, c.role): c for c in RaciCell.objects.filter(round=round_)}
    proposal = cells_of(
        propose_to_be(
            context.activity_keys,
            context.visible_keys,
            context.cxo_exists,
            round_.cxo_reports_to or None,
            services.raci_as_is(round_, context.activity_keys),
            services.dimension_stages(round_),
            raci_rules(),
        )
    )
    now = {key: cell.letter for key, cell in current.items()}
    changed = {key for key in set(now) | set(proposal) if now.get(key) != proposal.get(key)}
    return RaciProposalImpact(
        cells=len(current),
        changed=len(changed),
        by_hand_lost=sum(1 for key in changed if key in current and not current[key].proposed),
        owners_following=RoadmapItem.objects.filter(round=round_, owner_overridden=False).exclude(activity="").count(),
    )
