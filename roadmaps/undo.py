"""Undo of the destructive roadmap and RACI actions: what was there is serialised before, restored exactly after.

Payloads are plain JSON (kept in the session by organisations/undo.py): the rows serialised exactly
(organisations.undo.rows_dump), so a restore brings back the same ids, fields and timestamps.
"""

from __future__ import annotations

import json

from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from assessments.models import Round
from organisations.permissions import Action
from organisations.undo import UndoUnavailable, register, rows_dump, rows_load

from . import services
from .legacy_reasons import LEGACY_FIELDS, upgraded
from .models import RaciCell, Roadmap, RoadmapItem

ITEM, ROADMAP, RACI = "roadmaps.item", "roadmaps.roadmap", "roadmaps.raci"


def _rows(queryset) -> str:
    return rows_dump(queryset)


def _restore_rows(data: str) -> None:
    for obj in rows_load(data):
        obj.save()  # raw save: the same primary key, and auto_now fields keep their old value


def _editable_round(organisation, round_id: int) -> Round:
    round_ = Round.objects.filter(organisation=organisation, pk=round_id).select_related("snapshot").first()
    if round_ is None or round_.status not in services.EDITABLE:
        raise UndoUnavailable
    return round_


def item_payload(item: RoadmapItem) -> dict:
    return {"round": item.round_id, "rows": _rows(RoadmapItem.objects.filter(pk=item.pk))}


def roadmap_payload(round_) -> dict:
    """Every initiative of the round and when it was generated: what a regeneration may change."""
    roadmap = Roadmap.objects.filter(round=round_).first()
    return {
        "round": round_.pk,
        "rows": _rows(RoadmapItem.objects.filter(round=round_)),
        "generated_at": roadmap.generated_at.isoformat() if roadmap and roadmap.generated_at else None,
        # A new capacity regenerates too: its undo puts the settings back with the initiatives.
        "start_date": roadmap.start_date.isoformat() if roadmap else None,
        "capacity": roadmap.capacity if roadmap else None,
    }


def raci_payload(round_) -> dict:
    roadmap = Roadmap.objects.filter(round=round_).first()
    return {
        "round": round_.pk,
        "rows": _rows(RaciCell.objects.filter(round=round_)),
        "proposed_at": roadmap.raci_proposed_at.isoformat() if roadmap and roadmap.raci_proposed_at else None,
    }


@transaction.atomic
def item_restore(*, organisation, payload: dict) -> str:
    """Puts a removed initiative back, with its id, place, status and owner."""
    round_ = _editable_round(organisation, payload["round"])
    try:
        with transaction.atomic():
            _restore_rows(payload["rows"])
    except IntegrityError:  # regenerated since: an initiative with the same key is back
        raise UndoUnavailable from None
    services.roadmap_owners_refresh(round_=round_)
    return _("The initiative is back.")


@transaction.atomic
def roadmap_restore(*, organisation, payload: dict) -> str:
    """The roadmap as it was before the regeneration: the same initiatives, ids, places and statuses."""
    round_ = _editable_round(organisation, payload["round"])
    RoadmapItem.objects.filter(round=round_).delete()
    _restore_rows(payload["rows"])
    settings_row: dict[str, object] = {
        "generated_at": parse_datetime(payload["generated_at"]) if payload["generated_at"] else None
    }
    if payload.get("capacity") is not None:
        settings_row.update(start_date=parse_date(payload["start_date"]), capacity=payload["capacity"])
    Roadmap.objects.filter(round=round_).update(**settings_row)
    services.roadmap_owners_refresh(round_=round_)
    return _("The roadmap is back as it was before the regeneration.")


def _raci_rows_upgraded(data: str, *, cxo_exists: bool | None) -> str:
    """Cells serialised before roadmaps 0003 (``reason_fr``/``reason_en``) with the reason code the migration gives them.

    A payload outlives a deploy by up to LIFETIME: one taken just before the change must still restore."""
    rows = json.loads(data)
    for row in rows:
        if set(LEGACY_FIELDS) & row["fields"].keys():
            row["fields"] = upgraded(row["fields"], cxo_exists=cxo_exists)
    return json.dumps(rows)


@transaction.atomic
def raci_restore(*, organisation, payload: dict) -> str:
    """The to-be RACI as it was before the proposal replaced it; the owners of the initiatives follow."""
    round_ = _editable_round(organisation, payload["round"])
    RaciCell.objects.filter(round=round_).delete()
    _restore_rows(_raci_rows_upgraded(payload["rows"], cxo_exists=round_.cxo_exists))
    Roadmap.objects.filter(round=round_).update(
        raci_proposed_at=parse_datetime(payload["proposed_at"]) if payload["proposed_at"] else None
    )
    services.roadmap_owners_refresh(round_=round_)
    return _("The RACI is back as it was before the proposal.")


def register_handlers() -> None:
    register(ITEM, action=Action.EDIT_CONSENSUS_ROADMAP_RACI, restore=item_restore)
    register(ROADMAP, action=Action.EDIT_CONSENSUS_ROADMAP_RACI, restore=roadmap_restore)
    register(RACI, action=Action.EDIT_CONSENSUS_ROADMAP_RACI, restore=raci_restore)
