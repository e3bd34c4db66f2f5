"""What the apps above add to an invitation: the name the inviter typed, a sentence on the acceptance
page and in the e-mail, and where the person lands once they have accepted.

An invitation can stand for more than a membership (assessments invites someone to answer a round).
Those apps register a provider here from their ``AppConfig.ready`` and listen to
``signals.invitation_accepted``, so this module, like the rest of organisations, never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import Invitation


@dataclass(frozen=True)
class InvitationExtra:
    typed_name: str = ""  # the name the inviter typed: a suggestion for a new account, never shown as an account's
    page_note: str = ""  # one sentence for the acceptance page (plain text: the template escapes it)
    email_note: str = ""  # one sentence for the e-mail, in the recipient's language
    landing_url: Callable[..., str | None] | None = None  # landing_url(user=) once accepted, None to go to the organisation


_PROVIDERS: list[Callable[..., InvitationExtra | None]] = []


def register(provider: Callable[..., InvitationExtra | None]) -> None:
    """``provider(invitation=)`` returns what its app adds to this invitation, or None when nothing."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def extras(*, invitation: Invitation) -> list[InvitationExtra]:
    """Evaluated in the active language: the e-mail task calls it in the recipient's."""
    found = []
    for provider in _PROVIDERS:
        extra = provider(invitation=invitation)
        if extra is not None:
            found.append(extra)
    return found


def typed_name(*, invitation: Invitation) -> str:
    return next((extra.typed_name for extra in extras(invitation=invitation) if extra.typed_name), "")


def landing_url(*, invitation: Invitation, user) -> str | None:
    """Where the person goes right after accepting, when an app has a better place than the organisation."""
    for extra in extras(invitation=invitation):
        url = extra.landing_url(user=user) if extra.landing_url else None
        if url:
            return url
    return None
