"""The targets page of a round's results: the committee's target level and importance per dimension.

Shown among the results pages (same rights, same navigation) but kept by roadmaps, which owns the
targets the roadmap is generated from. GET only reads: a target never stored shows its starting value.

The importance shown is the one the roadmap's priorities use (services.priority_importance): while
nobody has saved a dimension's target, the committee's importance of a 2.0 round, rounded half-up,
rather than the stored starting value, so the page never shows a figure the ranking did not use.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments.access import results_access, round_page_base

from . import selectors, services

TARGET_CHOICES = ("1", "2", "3", "4", "5")
IMPORTANCE_CHOICES = ("1", "2", "3")


def target_row(dimension, score, target, error) -> dict:
    """One row of the page: the importance shown is the one the roadmap ranks with, beside the committee's figure.

    ``committee`` is the committee's mean importance stored with the results (None on a 1.0 round or
    when nobody gave one), shown for reference even after the target is saved.
    """
    committee = score.importance if score is not None else None
    importance = services.priority_importance(target, score) if target is not None and score is not None else None
    return {
        "dimension": dimension,
        "score": score,
        "target": target,
        "importance": importance,
        "committee": committee,
        # Saved by someone: the page then says the figure is the saved one (priority_importance's own test).
        "saved": target is not None and target.updated_by_id is not None,
        "error": error,
    }


@login_required
def targets(request, slug, round_id):
    membership, round_, snapshot = results_access(request, slug, round_id)
    context = round_page_base(membership, round_, snapshot, "targets")
    if snapshot is None:
        return render(request, "assessments/results/pending.html", context)
    scores = {d.key: d for d in snapshot.results.dimensions}
    shown = selectors.targets_for(round_=round_, dimension_scores=list(scores.values()))
    errors = {}
    if request.method == "POST":
        if not context["can_set_targets"]:
            raise PermissionDenied
        values, typed = {}, {}
        for key in shown:
            raw_target, raw_importance = request.POST.get(f"target-{key}", ""), request.POST.get(f"importance-{key}", "")
            if raw_target not in TARGET_CHOICES or raw_importance not in IMPORTANCE_CHOICES:
                errors[key] = _("Choose a target from 1 to 5 and an importance from 1 to 3.")
                typed[key] = (raw_target, raw_importance)
            else:
                values[key] = (int(raw_target), int(raw_importance))
        # The well-formed rows are saved even when another row is refused; that one comes back as typed.
        shown = services.targets_save(round_=round_, values=values, user=request.user)
        for key, (raw_target, raw_importance) in typed.items():
            shown[key].target_typed, shown[key].importance_typed = raw_target, raw_importance
        if not errors:
            messages.success(request, _("The targets have been saved."))
            return redirect("roadmaps:targets", slug=slug, round_id=round_id)
    rows = [target_row(d, scores.get(d.key), shown.get(d.key), errors.get(d.key)) for d in context["dimensions"]]
    context.update(
        {
            "rows": rows,
            "errors": errors,
            "target_choices": list(TARGET_CHOICES),
            "importance_choices": list(IMPORTANCE_CHOICES),
            "committee_importances": any(r["committee"] is not None for r in rows),
        }
    )
    return render(request, "roadmaps/targets.html", context, status=400 if errors else 200)
