"""The round's "cap by evidence" option (issue #18): turning it on or off, and re-storing the results.

The caps themselves come from measurement through assessments/score_caps.py when the results are
computed; this is the one service that changes the option. Kept apart from services.py because
score_caps must import nothing of assessments (results.py, which services imports, asks it).
"""

from django.db import transaction

from audit import recording as audit

from . import services
from .models import Round, RoundStatus


class CapFrozenError(Exception):
    """The round is published: its results stay what was published until it is reopened."""


@transaction.atomic
def round_cap_by_evidence_set(*, round_: Round, on: bool) -> bool:
    """Turns the option on or off; True when it changed. A closed round's results are stored again
    with (or without) the caps, as after a consensus; a published one refuses (CapFrozenError)."""
    stored = Round.objects.select_for_update().get(pk=round_.pk)
    on = bool(on)
    if on == stored.cap_by_evidence:
        return False
    if stored.status == RoundStatus.PUBLISHED:
        raise CapFrozenError
    audit.record(
        organisation=stored.organisation,
        round=stored,
        kind="round",
        target=stored.title,
        changes=[audit.change("cap_by_evidence", stored.cap_by_evidence, on)],
    )
    stored.cap_by_evidence = round_.cap_by_evidence = on
    stored.save(update_fields=["cap_by_evidence"])
    if stored.status == RoundStatus.CLOSED:
        services.results_store(round_=stored)
    return True
