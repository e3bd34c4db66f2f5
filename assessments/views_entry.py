"""The respondent's entry: the personal link's page and the request for a new link.

The link (assessments/links.py) opens a card: the questionnaire, an honest time estimate, how far
the participant is and *Start* or *Resume*. Pressing it opens a link session and goes to the first
unanswered question. Once they have submitted, or the round is closed, the link's page says so and
offers nothing else.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import throttle

from . import answer_flow, entry, links, services
from .forms import NewLinkForm
from .models import Participant, RoundStatus


def sign_in(request, token):
    """GET: the participant's card (welcome, estimate, progress, privacy); POST: opens the link session."""
    state = links.read(token)
    participant = state.participant
    if state.code == links.INVALID or participant is None:
        return render(request, "assessments/sign_in_invalid.html", {"code": links.INVALID}, status=400)
    if state.code == links.REPLACED:
        return render(request, "assessments/sign_in_invalid.html", {"code": links.REPLACED}, status=410)
    if state.code != links.ACTIVE:
        return render(
            request,
            "assessments/link_ended.html",
            {"code": state.code, "round": participant.round, "participant": participant},
            status=200 if state.code == links.SUBMITTED else 410,
        )
    if request.method == "POST":
        links.session_start(request, participant)
        # This page was the welcome (introduction, privacy notice): the questionnaire need not show it again.
        answer_flow.mark_welcomed(request, participant.round_id)
        return redirect(reverse("assessments:answer_start", args=[participant.round.organisation.slug, participant.round_id]))
    card = entry.questionnaire_card(participant=participant)
    return render(request, "assessments/sign_in.html", {"participant": participant, "round": participant.round, "card": card})


def new_link(request):
    """Asks for a new personal link by e-mail; the answer never says whether the address is known."""
    form = NewLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.allow(request, scope="new-link", email=form.cleaned_data["email"]):
            form.add_error(None, throttle.refusal_message())
            return render(request, "assessments/new_link.html", {"form": form}, status=429)
        for participant in Participant.objects.filter(
            user__email__iexact=form.cleaned_data["email"],
            withdrawn_at__isnull=True,
            submitted_at__isnull=True,  # a link of a submitted participant opens nothing: none is sent
            round__status=RoundStatus.OPEN,
        ):
            # Per participant as well: at most one every 5 minutes and 5 a day, whoever asks.
            if links.new_link_allowed(participant):
                services.participant_send_link(participant_id=participant.pk)
        messages.success(request, _("If this address takes part in an open round, a new link is on its way."))
        return redirect("assessments:new_link")
    return render(request, "assessments/new_link.html", {"form": form})
