"""Benchmark pages: the organisation's opt-in (facilitators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organisations.permissions import Action
from organisations.selectors import membership_get

from . import selectors, services
from .selectors import MIN_PEERS, MIN_SUBMITTED


@login_required
def opt_in(request, slug):
    """What taking part shares, and the switch; only facilitators (they edit the organisation) see it."""
    membership = membership_get(user=request.user, slug=slug, action=Action.EDIT_ORGANISATION)
    organisation = membership.organisation
    if request.method == "POST":
        choice = request.POST.get("opted_in")
        if choice not in ("1", "0"):
            messages.error(request, _("Choose whether to take part in benchmarks."))
        else:
            services.opt_in_set(organisation=organisation, opted_in=choice == "1", user=request.user)
            if choice == "1":
                messages.success(request, _("%(name)s now takes part in benchmarks.") % {"name": organisation.name})
            else:
                messages.success(request, _("%(name)s no longer takes part in benchmarks.") % {"name": organisation.name})
        return redirect("benchmarks:opt_in", slug=slug)
    return render(
        request,
        "benchmarks/opt_in.html",
        {
            "organisation": organisation,
            "membership": membership,
            "opt_in": selectors.opt_in_get(organisation=organisation),
            "min_peers": MIN_PEERS,
            "min_submitted": MIN_SUBMITTED,
        },
    )
