"""Closing below the minimum response rule: a confirmation step that names the counts and needs an override.

Called by the round's status view before the close service. Without ``override=1`` nothing closes:
the page says how many people were invited, how many submitted and which dimensions have too few
respondents, with an "override" checkbox. Whatever is chosen, the snapshot keeps the counts and every
output carries the low-sample caveat (assessments.results.low_sample).
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import RoundStatus
from .results import sample_check

OVERRIDE_FIELD = "override"
STEP_FIELD = "low_sample_step"


def close_check(request, membership, round_, target: str):
    """None when the close may go ahead; else the low-sample page (400 when sent back without the box ticked)."""
    if target != RoundStatus.CLOSED or round_.status != RoundStatus.OPEN or request.POST.get(OVERRIDE_FIELD) == "1":
        return None
    check = sample_check(round_)
    if not check.low:
        return None
    titles = {d.key: d.tr("title") for d in round_.framework.dimensions.all()}
    sent_back = request.POST.get(STEP_FIELD) == "1"
    context = {
        "organisation": membership.organisation,
        "membership": membership,
        "round": round_,
        "check": check,
        "short": [{"key": d.key, "title": titles.get(d.key, d.key), "respondents": d.respondents} for d in check.short],
        "percent": check.rule.min_share * 100,
        "error": _("Tick the box to close the round despite the low sample, or cancel.") if sent_back else None,
        "override_field": OVERRIDE_FIELD,
        "step_field": STEP_FIELD,
    }
    return render(request, "assessments/close_low_sample.html", context, status=400 if sent_back else 200)
