"""Who may read a round's results pages and downloads, and the context those pages share.

The results pages are spread over several apps (assessments' summary and dimensions, roadmaps'
targets, roadmap and RACI, sharing's links, reports' PDF and JSON): each checks the same rights and
draws the same navigation, so these helpers are public here rather than private to one view module.
"""

from django.core.exceptions import PermissionDenied

from organisations.permissions import Action, role_can
from organisations.selectors import membership_get

from . import selectors
from .models import RoundStatus

RESULT_STATUSES = (RoundStatus.CLOSED, RoundStatus.PUBLISHED)


def results_access(
    request, slug, round_id, *, unpublished=Action.VIEW_RESULTS_UNPUBLISHED, published=Action.VIEW_RESULTS_PUBLISHED
):
    """Membership, round and snapshot, after checking the right that applies to the round's status."""
    membership = membership_get(user=request.user, slug=slug)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    action = published if round_.status == RoundStatus.PUBLISHED else unpublished
    if not role_can(membership.role, action):
        raise PermissionDenied
    snapshot = getattr(round_, "snapshot", None) if round_.status in RESULT_STATUSES else None
    return membership, round_, snapshot


def download_access(request, slug, round_id):
    """``results_access`` with the download rights (scores, answers, roadmap, RACI and JSON exports)."""
    return results_access(
        request, slug, round_id, unpublished=Action.DOWNLOAD_EXPORTS_UNPUBLISHED, published=Action.DOWNLOAD_EXPORTS_PUBLISHED
    )


def round_page_base(membership, round_, snapshot, active):
    """The context every results page starts from: the round, its dimensions and what the member may do there.

    ``active`` names the page in the results navigation (``summary``, ``targets``, ``roadmap``, a dimension key…).
    """
    framework = round_.framework
    dimensions = list(framework.dimensions.order_by("position"))
    return {
        "organisation": membership.organisation,
        "membership": membership,
        "round": round_,
        "snapshot": snapshot,
        "active": active,
        "dimensions": dimensions,
        "titles": {d.key: d.tr("title") for d in dimensions},
        "can_set_targets": role_can(membership.role, Action.SET_TARGETS) and round_.status == RoundStatus.CLOSED,
        "can_record_consensus": role_can(membership.role, Action.EDIT_CONSENSUS_ROADMAP_RACI)
        and round_.status == RoundStatus.CLOSED,
        "can_download": role_can(
            membership.role,
            Action.DOWNLOAD_EXPORTS_PUBLISHED if round_.status == RoundStatus.PUBLISHED else Action.DOWNLOAD_EXPORTS_UNPUBLISHED,
        ),
        "can_download_answers": role_can(membership.role, Action.DOWNLOAD_ANSWERS),
    }
