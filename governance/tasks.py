"""Steering e-mails in the background: the series' invitations and, the day before each meeting, its agenda.

Both are safe to run twice, and at once (governance/services.py says how).
"""

from datetime import date

from celery import shared_task

from outbox import services as outbox

from . import selectors, services

RETRY = {"autoretry_for": (ConnectionError, OSError), "retry_backoff": True, "max_retries": 5}


@shared_task(**RETRY)
@outbox.once
def send_rhythm_invitations(rhythm_id: int) -> int:
    """The invitations of the series' current version (queued by the facilitator's "Send")."""
    return services.rhythm_invite(rhythm_id=rhythm_id)


@shared_task(**RETRY)
def send_due_agendas(today: str | date | None = None) -> int:
    """Periodic (Celery beat, twice a day, or `manage.py send_agendas`): tomorrow's meetings get their agenda.

    ``today`` (a date or an ISO date) replaces today in Paris: for tests and for a catch-up by hand.
    """
    if today is None:
        day = selectors.paris_today()
    elif isinstance(today, str):
        day = date.fromisoformat(today)
    else:
        day = today
    return services.agendas_send_due(today=day)
