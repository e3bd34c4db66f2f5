"""Receivers of the events sent by lower apps, and what roadmaps registers with them (assessments never imports roadmaps)."""

from django.utils.translation import gettext as _

from assessments import dimension_targets, publish_checks
from assessments.signals import results_stored, round_closed, round_published

from . import selectors, services
from .exports import raci_errors


def prepare_results(sender, *, round_, snapshot, **kwargs):
    # Stored when the results are, so that no page stores anything when it shows them.
    services.results_prepare(round_=round_, snapshot=snapshot)


def plan_closed_round(sender, *, round_, **kwargs):
    # A closed round gets its proposed to-be RACI and its roadmap at once, ready for the workshop.
    services.roadmap_ensure(round_=round_)


def freeze_published_targets(sender, *, round_, **kwargs):
    # Publication freezes the targets: whatever was never stored (a round closed before results_stored
    # stored them) is stored now, so exports and share links read what the pages showed.
    snapshot = getattr(round_, "snapshot", None)
    if snapshot is not None:
        services.results_prepare(round_=round_, snapshot=snapshot)


def raci_publish_check(*, round_) -> list[str]:
    """Publication needs a to-be RACI without errors (PRODUCT.md)."""
    errors = raci_errors(round_)
    if not errors:
        return []
    return [
        _("The round cannot be published while the to-be RACI has errors (%(count)d): fix them on the RACI page.")
        % {"count": len(errors)}
    ]


def summary_targets(*, round_, dimension_scores):
    return selectors.targets_for(round_=round_, dimension_scores=dimension_scores)


def connect() -> None:
    results_stored.connect(prepare_results, dispatch_uid="roadmaps.prepare_results")
    round_closed.connect(plan_closed_round, dispatch_uid="roadmaps.plan_closed_round")
    round_published.connect(freeze_published_targets, dispatch_uid="roadmaps.freeze_published_targets")
    publish_checks.register(raci_publish_check)
    dimension_targets.register(summary_targets)  # the gap to target on the results summary
