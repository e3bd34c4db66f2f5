"""The executive mirror's page: a participant's answers against the committee's (assessments/mirror.py).

Its PDF is reports' (reports/views_mirror.py), under the same rules.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .mirror import mirror_access, mirror_page


@login_required
def mirror(request, slug, round_id, participant_id=None):
    """The requester's own mirror, or (``participant_id``) a facilitator's look at a participant's in an attributed round.

    Before the round is closed, its participant reads when the mirror will be there; anyone who may
    not open it gets a 404 whatever the round's status.
    """
    access = mirror_access(user=request.user, slug=slug, round_id=round_id, participant_id=participant_id)
    round_ = access.round
    context = {
        "organisation": access.membership.organisation,
        "membership": access.membership,
        "round": round_,
        "participant": access.participant,
        "own": access.own,
    }
    if not access.ready:
        return render(request, "assessments/mirror_pending.html", context)
    context["page"] = mirror_page(round_=round_, participant=access.participant)
    return render(request, "assessments/mirror.html", context)
