"""Live workshop: the facilitator's projector view, one dimension at a time.

Each question shows its live distribution (counts per level and "don't know", never a name or a
function), contested questions first. While the round is open the list is polled every 2 s (htmx)
and respondents keep answering from their phones; once the round is closed the facilitator records
the consensus level and rationale from the keyboard (static/js/workshop.js).

On a 2.0 round, after the dimensions, the RACI page shows the ownership map's activities the same
way: contested first, each with its live distribution of the A named (counts only).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cxgov.numbers import whole_percent
from organisations.permissions import Action
from organisations.selectors import membership_get

from . import facilitator_notes, selectors, services
from .models import RoundStatus
from .raci_catalogue import catalogue_for
from .results import DETAILS_SCHEMA, live_ownership, ownership_view

POLL_STATUSES = (RoundStatus.DRAFT, RoundStatus.OPEN)  # answers can still change: poll
RATIONALE_MAX = 2000


def _access(request, slug, round_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.EDIT_CONSENSUS_ROADMAP_RACI)
    return membership, selectors.round_get(membership=membership, round_id=round_id)


def _dimension(round_, key):
    dimension = (
        round_.framework.dimensions.filter(key=key).first() if key else round_.framework.dimensions.order_by("position").first()
    )
    if dimension is None:
        raise Http404
    return dimension


def _items(round_, dimension):
    framework = round_.framework
    labels = {str(entry["level"]): f"{entry['level']} · {framework.level_label(entry['level'])}" for entry in framework.levels}
    labels["dk"] = _("Don't know")
    items = []
    for row in selectors.workshop_rows(round_=round_, dimension=dimension):
        answered = row["answered"]
        row["bars"] = [
            {
                "key": key,
                "label": labels.get(key, key),
                "count": row["counts"][key],
                "percent": whole_percent(row["counts"][key], answered),
            }
            for key in selectors.WORKSHOP_LEVEL_KEYS
        ]
        row["mean"] = float(row["mean"]) if row["mean"] is not None else None
        row["ad"] = float(row["ad"]) if row["ad"] is not None else None
        consensus = row["consensus"]
        row["consensus_label"] = labels.get(str(consensus.level)) if consensus else None
        items.append(row)
    return items


def _context(membership, round_, dimension, items):
    return {
        "organisation": membership.organisation,
        "membership": membership,
        "round": round_,
        "dimension": dimension,
        "items": items,
        "live": round_.status in POLL_STATUSES,
        "can_record": round_.status == RoundStatus.CLOSED,
        "consensus_choices": [("", _("none (use the mean)"))]
        + [(str(e["level"]), f"{e['level']} · {round_.framework.level_label(e['level'])}") for e in round_.framework.levels],
    }


@login_required
@require_GET
def workshop(request, slug, round_id, key=None):
    """The projector page of one dimension (the first when none is given)."""
    membership, round_ = _access(request, slug, round_id)
    return _workshop_page(request, membership, round_, key)


def _workshop_page(request, membership, round_, key, *, refused=None, status=200):
    """``refused`` is ``(question id, typed level, typed rationale, message)``: that question's form comes back as typed."""
    dimensions = list(round_.framework.dimensions.order_by("position"))
    dimension = dimensions[0] if key is None and dimensions else next((d for d in dimensions if d.key == key), None)
    if dimension is None:
        raise Http404
    index = dimensions.index(dimension)
    items = _keep_typed(_items(round_, dimension), refused)
    context = _context(membership, round_, dimension, items)
    projector = request.GET.get("chrome") == "0"
    notes_questions = []
    # 2.0: the guidance and the evidence to ask for, folded under the distributions and outside the
    # polled list (which would close it every 2 s); never projected, since the room sees the projector.
    if not projector and facilitator_notes.shown_to(membership, round_.framework):
        notes_questions = sorted((item["question"] for item in items), key=lambda q: q.position)
        facilitator_notes.attach(round_.framework, notes_questions)
    context.update(
        {
            "previous": dimensions[index - 1] if index > 0 else None,
            "next": dimensions[index + 1] if index + 1 < len(dimensions) else None,
            "position": index + 1,
            "dimension_count": len(dimensions),
            # Projector mode: the page without the app's header and footer, across the full width.
            "projector": projector,
            "notes_questions": notes_questions,
            # 2.0: after the last dimension, the contested RACI activities.
            "raci_next": round_.framework.schema == DETAILS_SCHEMA,
        }
    )
    return render(request, "assessments/workshop.html", context, status=status)


def _keep_typed(items, refused):
    if refused is not None:
        for item in items:
            if item["question"].pk == refused[0]:
                item.update({"typed": {"level": refused[1], "rationale": refused[2]}, "error": refused[3]})
    return items


@login_required
@require_GET
def workshop_raci(request, slug, round_id):
    """The contested RACI activities, discussed like contested questions: each one's live A distribution (2.0 rounds).

    Counts only, whatever the round: no person and no function (live_ownership computes the map
    as for an anonymous round). Polled like the questions while the round is open: the same URL
    answers htmx with the list alone.
    """
    membership, round_ = _access(request, slug, round_id)
    if round_.framework.schema != DETAILS_SCHEMA:
        raise Http404  # 1.0 rounds show as before: their RACI has no workshop page
    if request.htmx and request.GET.get("status", round_.status) != round_.status:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    ownership = live_ownership(round_)
    activities = ownership_view(ownership, catalogue_for(round_), functions_shown=False)
    dimensions = list(round_.framework.dimensions.order_by("position"))
    context = {
        "organisation": membership.organisation,
        "membership": membership,
        "round": round_,
        "activities": activities,
        "contested_count": len(ownership.contested()),
        "live": round_.status in POLL_STATUSES,
        "previous": dimensions[-1] if dimensions else None,
        "projector": request.GET.get("chrome") == "0",
    }
    if request.htmx:
        return render(request, "assessments/workshop_raci_list.html", context)
    return render(request, "assessments/workshop_raci.html", context)


@login_required
@require_GET
def workshop_live(request, slug, round_id, key):
    """The polled list (htmx, every 2 s): asks for a full reload when the round changed status since the page loaded."""
    membership, round_ = _access(request, slug, round_id)
    if request.GET.get("status", round_.status) != round_.status:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    dimension = _dimension(round_, key)
    return render(
        request, "assessments/workshop_questions.html", _context(membership, round_, dimension, _items(round_, dimension))
    )


@login_required
@require_POST
def workshop_consensus(request, slug, round_id, key):
    """Records (or clears) the agreed level of one question of the dimension: only while the round is closed."""
    membership, round_ = _access(request, slug, round_id)
    dimension = _dimension(round_, key)
    question = round_.asked_questions().filter(dimension=dimension, key=request.POST.get("question", "")).first()
    if question is None:
        raise Http404
    raw, rationale = request.POST.get("level", ""), request.POST.get("rationale", "")
    error, status = "", 200
    if raw not in {"", "1", "2", "3", "4", "5"} or len(rationale) > RATIONALE_MAX:
        error, status = _("Choose a level from 1 to 5 (or none), with a rationale of up to 2,000 characters."), 400
    else:
        try:
            services.consensus_record(
                round_=round_, question=question, level=int(raw) if raw else None, rationale=rationale, user=request.user
            )
        except services.ConsensusError:
            error, status = _("Consensus is recorded once the round is closed."), 409
    anchor = f"#wq-{question.key.replace('.', '-')}"
    refused = (question.pk, raw, rationale, error) if status == 400 else None
    if not request.htmx:
        if refused is not None:  # the form comes back as typed, the message next to it
            return _workshop_page(request, membership, round_, dimension.key, refused=refused, status=400)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("The consensus on %(key)s is recorded; the results are updated.") % {"key": question.key})
        return redirect(reverse("assessments:workshop_dimension", args=[slug, round_id, dimension.key]) + anchor)
    context = _context(membership, round_, dimension, _keep_typed(_items(round_, dimension), refused))
    item = next(i for i in context["items"] if i["question"].pk == question.pk)
    context.update({"item": item, "error": error, "saved": not error})
    return render(request, "assessments/workshop_question.html", context, status=status)
