"""The decision log of a round and the accountability health of its to-be RACI. Thin: check, call, render.

Who may do what: the log is read like the RACI it rests on (facilitators and sponsors before
publication, every member after); facilitators and sponsors record decisions
(``Action.RECORD_DECISIONS``), while the round is closed or published.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors as round_selectors
from assessments.access import RESULT_STATUSES, results_access, round_page_base
from organisations.permissions import Action, role_can
from organisations.selectors import membership_get

from . import services_decisions as services
from .domain.decisions import DecisionDraft, accountable_roles
from .forms_decisions import DecisionForm
from .health import role_health
from .selectors_decisions import decision_labels, decision_rows, decisions_list


def _activity_choices(labels):
    """Each activity with the role that decides on it, so the committee picks the right role first time."""
    choices = []
    for key in labels.raci.activity_keys:
        holders = accountable_roles(labels.cells, key, labels.raci.visible_keys)
        title = labels.activity(key)
        if len(holders) == 1:
            text = _("%(activity)s (A: %(role)s)") % {"activity": title, "role": labels.role(holders[0])}
        elif holders:
            text = _("%(activity)s (several As: fix the RACI)") % {"activity": title}
        else:
            text = _("%(activity)s (no A: fix the RACI)") % {"activity": title}
        choices.append((key, text))
    return choices


def _form(labels, data=None):
    return DecisionForm(
        data,
        initial={"decided_on": timezone.localdate()},
        activities=_activity_choices(labels),
        roles=[(key, labels.role(key)) for key in labels.raci.visible_keys],
        initiatives=list(labels.initiatives.items()),
    )


def _log_page(request, membership, round_, snapshot, *, form=None, status=200):
    context = round_page_base(membership, round_, snapshot, "decisions")
    if snapshot is None:
        return render(request, "assessments/results/pending.html", context)
    labels = decision_labels(round_=round_)
    # Filters from the query string; a key the round does not know is ignored, never an error.
    activity = request.GET.get("activity", "")
    activity = activity if activity in labels.activities else ""
    role = request.GET.get("role", "")
    role = role if role in labels.roles else ""
    can_record = role_can(membership.role, Action.RECORD_DECISIONS) and round_.status in services.DECISION_STATUSES
    context.update(
        {
            "rows": decision_rows(decisions_list(round_=round_, activity=activity, role=role), labels),
            "filtered": bool(activity or role),
            "filter_activity": activity,
            "filter_role": role,
            "activity_filters": [(key, labels.activity(key)) for key in labels.raci.activity_keys],
            "role_filters": [(key, labels.role(key)) for key in labels.raci.visible_keys],
            "health": role_health(round_=round_, labels=labels),
            "can_record": can_record,
            "form": form if form is not None else (_form(labels) if can_record else None),
        }
    )
    return render(request, "governance/decisions.html", context, status=status)


@login_required
def decisions(request, slug, round_id):
    membership, round_, snapshot = results_access(request, slug, round_id)
    return _log_page(request, membership, round_, snapshot)


def _draft(data) -> DecisionDraft:
    """What was parsed of the form, for the rule to check (a field that failed to parse is left empty)."""
    return DecisionDraft(
        title=data.get("title") or "",
        rationale=data.get("rationale") or "",
        decided_on=data.get("decided_on"),
        activity=data.get("activity") or "",
        deciding_role=data.get("deciding_role") or "",
        initiative_keys=tuple(data.get("initiative_keys") or ()),
    )


@login_required
@require_POST
def decision_record(request, slug, round_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.RECORD_DECISIONS)
    round_ = round_selectors.round_get(membership=membership, round_id=round_id)
    back = reverse("governance:decisions", args=[slug, round_id])
    if round_.status not in services.DECISION_STATUSES:
        messages.error(request, _("Decisions are recorded once the round is closed and its RACI drawn up."))
        return redirect(back)
    labels = decision_labels(round_=round_)
    form = _form(labels, request.POST)
    valid = form.is_valid()
    draft = _draft(form.cleaned_data)
    try:
        if valid:
            decision = services.decision_record(
                round_=round_,
                user=request.user,
                title=draft.title,
                rationale=draft.rationale,
                decided_on=draft.decided_on,
                activity=draft.activity,
                deciding_role=draft.deciding_role,
                initiative_keys=draft.initiative_keys,
            )
        else:
            # The fields that parsed are checked too: every reason is shown at once.
            services.decision_check(round_=round_, draft=draft, labels=labels)
    except services.DecisionRefused as refused:
        for refusal in refused.refusals:
            name = None if refusal.field == services.WHOLE else refusal.field
            if name is None or name not in form.errors:
                form.add_error(name, refusal.message)
    else:
        if valid:
            messages.success(request, _("The decision is recorded."))
            return redirect(f"{back}#decision-{decision.pk}")
    snapshot = getattr(round_, "snapshot", None) if round_.status in RESULT_STATUSES else None
    return _log_page(request, membership, round_, snapshot, form=form, status=400)
