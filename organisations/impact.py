"""What removing a member would change, for the confirmation page.

The consequences live in higher apps (a removed member's participations are withdrawn by assessments):
they register a provider here from their ``AppConfig.ready``, so this module never imports them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from .models import Membership

_MEMBER_REMOVAL: list[Callable[..., list[str]]] = []


def register_member_removal(provider: Callable[..., list[str]]) -> None:
    """``provider(organisation=, user=)`` returns sentences naming what the removal changes, with counts."""
    if provider not in _MEMBER_REMOVAL:
        _MEMBER_REMOVAL.append(provider)


def member_removal_consequences(*, membership: Membership) -> list[str]:
    lines = [
        _("%(who)s (%(role)s) loses access to %(organisation)s: its rounds, results, roadmap and KPI register.")
        % {
            "who": membership.user.display_name,
            "role": membership.get_role_display(),
            "organisation": membership.organisation.name,
        }
    ]
    for provider in _MEMBER_REMOVAL:
        lines += provider(organisation=membership.organisation, user=membership.user)
    return lines
