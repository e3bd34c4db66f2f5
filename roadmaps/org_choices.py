"""The organisation's choices for its RACI, handed to the apps below roadmaps (which never import it).

- ``assessments.raci_catalogue``: the activities and roles a round's questionnaire asks about are the
  organisation's visible ones (framework order for activities, the organisation's order and titles
  for roles), not the framework's.
- ``organisations.signals.organisation_updated``: the chief executive's RACI column follows the
  organisation's setting unless it was renamed.
"""

from __future__ import annotations

from assessments import raci_catalogue
from organisations.signals import organisation_updated

from . import services
from .models import OrgRole


def organisation_catalogue(round_) -> raci_catalogue.Catalogue | None:
    """The round's RACI catalogue as the organisation chose it; None while it chose nothing (the framework's applies)."""
    organisation = round_.organisation
    hidden = services.org_activities_hidden(organisation.pk)
    stored = OrgRole.objects.filter(organisation_id=organisation.pk).exists()
    if not stored and not hidden and organisation.chief_executive_title_fr() is None:
        return None
    roles = services.org_roles_starting(organisation=organisation, framework=round_.framework)
    return raci_catalogue.Catalogue(
        activities=tuple(
            raci_catalogue.Entry(a.key, a.title_fr, a.title_en)
            for a in round_.framework.raci_activities.order_by("position")
            if a.key not in hidden
        ),
        roles=tuple(raci_catalogue.Entry(r.key, r.title_fr, r.title_en) for r in roles if not r.hidden),
    )


def follow_chief_executive(sender, *, organisation, before, **kwargs):
    services.org_roles_follow_chief_executive(organisation=organisation, before=before)


def connect() -> None:
    raci_catalogue.register(organisation_catalogue)
    organisation_updated.connect(follow_chief_executive, dispatch_uid="roadmaps.follow_chief_executive")
