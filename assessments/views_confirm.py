"""The confirmation steps of the round page's destructive buttons (organisations/confirm.py).

Back to draft, close, reopen and withdraw a participant ask first, naming what changes with counts.
A close below the minimum response rule is confirmed on its own page instead (views_sample), whose
override counts as the confirmation. Each function returns the confirmation page, or None when the
request already carries ``confirm=1`` or the action needs no confirmation.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.confirm import Confirmation, ask, confirmed

from . import impact, views_sample
from .models import RoundStatus

# (from, to) status moves that throw work away or take something back from people.
CONFIRMED_MOVES = {
    (RoundStatus.OPEN, RoundStatus.DRAFT),
    (RoundStatus.OPEN, RoundStatus.CLOSED),
    (RoundStatus.CLOSED, RoundStatus.OPEN),
    (RoundStatus.PUBLISHED, RoundStatus.OPEN),
}


def _page(request, membership, confirmation):
    return ask(request, confirmation, context={"organisation": membership.organisation, "membership": membership})


def transition_confirmation(request, membership, round_, target: str):
    if confirmed(request) or (round_.status, target) not in CONFIRMED_MOVES:
        return None
    if target == RoundStatus.CLOSED and request.POST.get(views_sample.OVERRIDE_FIELD) == "1":
        return None  # the low-sample page, with its counts, was the confirmation
    counts = impact.round_impact(round_=round_)
    back = reverse("assessments:round", args=[membership.organisation.slug, round_.pk])
    numbers = {"participants": counts.participants}
    if target == RoundStatus.CLOSED:
        return _page(request, membership, _close_confirmation(counts, back))
    if target == RoundStatus.DRAFT:
        confirmation = Confirmation(
            title=_("Put the round back to draft?"),
            changes=[
                ngettext(
                    "The questionnaire closes for %(participants)s participant until the round is opened again.",
                    "The questionnaire closes for %(participants)s participants until the round is opened again.",
                    counts.participants,
                )
                % numbers
            ],
            kept=[
                ngettext("The %(count)s answer already saved.", "The %(count)s answers already saved.", counts.answers)
                % {"count": counts.answers},
            ],
            button=_("Back to draft"),
            cancel_url=back,
        )
        return _page(request, membership, confirmation)
    changes = [
        ngettext(
            "%(participants)s participant can change their answers again; the results are recomputed when the round closes.",
            "%(participants)s participants can change their answers again; the results are recomputed when the round closes.",
            counts.participants,
        )
        % numbers,
        _("The roadmap, the RACI and the targets can no longer be edited until the round is closed again."),
    ]
    if round_.status == RoundStatus.PUBLISHED:
        changes.insert(
            0,
            ngettext(
                "The results are unpublished: %(readers)s respondent or viewer no longer sees them.",
                "The results are unpublished: %(readers)s respondents and viewers no longer see them.",
                counts.readers_losing_access,
            )
            % {"readers": counts.readers_losing_access},
        )
    kept = [
        ngettext("The %(count)s answer saved.", "The %(count)s answers saved.", counts.answers) % {"count": counts.answers},
        ngettext("The %(count)s consensus level recorded.", "The %(count)s consensus levels recorded.", counts.consensus)
        % {"count": counts.consensus},
    ]
    confirmation = Confirmation(title=_("Reopen the round?"), changes=changes, kept=kept, button=_("Reopen"), cancel_url=back)
    return _page(request, membership, confirmation)


def _close_confirmation(counts: impact.RoundImpact, back: str) -> Confirmation:
    changes = [
        ngettext(
            "The %(answers)s answer saved is frozen and the results are computed from it.",
            "The %(answers)s answers saved are frozen and the results are computed from them.",
            counts.answers,
        )
        % {"answers": counts.answers},
    ]
    if counts.not_submitted:
        changes.append(
            ngettext(
                "%(count)s participant has not submitted: their answers so far count, and they can no longer change them.",
                "%(count)s participants have not submitted: their answers so far count, and they can no longer change them.",
                counts.not_submitted,
            )
            % {"count": counts.not_submitted}
        )
    return Confirmation(
        title=_("Close the round?"),
        changes=changes,
        kept=[_("Consensus, targets, roadmap and RACI stay editable; the round can be reopened.")],
        button=_("Close the round"),
        cancel_url=back,
    )


def withdraw_confirmation(request, membership, round_, participant):
    if confirmed(request):
        return None
    counts = impact.withdraw_impact(participant=participant)
    who = participant.user.display_name
    changes = [
        ngettext(
            "Withdrawing %(who)s removes their %(answers)s answer from the results.",
            "Withdrawing %(who)s removes their %(answers)s answers from the results.",
            counts.answers,
        )
        % {"who": who, "answers": counts.answers}
    ]
    if counts.raci_answers:
        changes.append(
            ngettext(
                "Their %(count)s as-is RACI answer no longer counts either.",
                "Their %(count)s as-is RACI answers no longer count either.",
                counts.raci_answers,
            )
            % {"count": counts.raci_answers}
        )
    changes.append(_("Their sign-in link stops working; the answers stay stored, so inviting them again brings them back."))
    confirmation = Confirmation(
        title=_("Withdraw %(who)s from the round?") % {"who": who},
        changes=changes,
        button=_("Withdraw"),
        cancel_url=reverse("assessments:round", args=[membership.organisation.slug, round_.pk]),
        undoable=True,
    )
    return _page(request, membership, confirmation)
