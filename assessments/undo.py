"""Undo of a withdrawal: the participant takes part again and their answers count again in the results."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from organisations.permissions import Action
from organisations.undo import UndoUnavailable, register

from .models import Participant, Round, RoundStatus
from .services import results_store

WITHDRAWAL = "assessments.withdrawal"


def withdrawal_payload(participant: Participant) -> dict:
    """Withdrawal only sets ``withdrawn_at`` on a participant who had none: the id is all an undo needs."""
    return {"participant": participant.pk}


@transaction.atomic
def withdrawal_restore(*, organisation, payload: dict) -> str:
    participant = (
        Participant.objects.select_related("user")
        .filter(pk=payload["participant"], round__organisation=organisation, withdrawn_at__isnull=False)
        .first()
    )
    if participant is None:  # invited again meanwhile (that reinstates), or gone
        raise UndoUnavailable
    round_ = Round.objects.select_for_update().get(pk=participant.round_id)
    participant.withdrawn_at = None
    participant.save(update_fields=["withdrawn_at"])
    if round_.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED):
        # As on withdrawal: the snapshot stays equal to a recomputation from the answers that count.
        results_store(round_=round_)
    return _("%(who)s takes part again: their answers count in the results.") % {"who": participant.user.display_name}


def register_handlers() -> None:
    register(WITHDRAWAL, action=Action.MANAGE_ROUNDS, restore=withdrawal_restore)
