"""Which RACI activities and roles a round's participants are asked about: a registry.

The framework lists every activity and default role; the organisation picks which appear and may
rename or add roles (roadmaps.OrgRole, above assessments). Assessments asks its questions through
:func:`catalogue_for`, and roadmaps registers the provider that knows the organisation's choices
from its ``AppConfig.ready`` (data flows down: assessments never imports roadmaps).

Without a provider (assessments alone), the framework's own activities and roles are used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import Bilingual


@dataclass(frozen=True)
class Entry(Bilingual):
    """An activity or a role, read in the active language as the framework's own rows are (Bilingual)."""

    key: str
    title_fr: str
    title_en: str

    def tr(self, name: str = "title") -> str:
        return super().tr(name)


@dataclass(frozen=True)
class Catalogue:
    """The activities (rows) and roles (columns) a round asks about, in order."""

    activities: tuple[Entry, ...]
    roles: tuple[Entry, ...]


Provider = Callable[[object], Catalogue | None]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """``provider(round_)`` returns the round's catalogue, or None to leave it to the next (or the framework)."""
    if provider not in _providers:
        _providers.append(provider)


def framework_catalogue(framework) -> Catalogue:
    return Catalogue(
        activities=tuple(Entry(a.key, a.title_fr, a.title_en) for a in framework.raci_activities.order_by("position")),
        roles=tuple(Entry(r.key, r.title_fr, r.title_en) for r in framework.raci_roles.order_by("position")),
    )


def catalogue_for(round_) -> Catalogue:
    """The activities and roles the round's RACI questions show: the organisation's choice, else the framework's."""
    for provider in _providers:
        found = provider(round_)
        if found is not None:
            return found
    return framework_catalogue(round_.framework)
