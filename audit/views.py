"""The organisation's audit log, for its facilitators."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from organisations.permissions import Action
from organisations.selectors import membership_get

from .models import AuditEvent


@login_required
def log(request, slug):
    membership = membership_get(user=request.user, slug=slug, action=Action.MANAGE_MEMBERS)
    events = AuditEvent.objects.filter(organisation=membership.organisation).select_related("actor", "round")[:300]
    return render(request, "audit/log.html", {"organisation": membership.organisation, "membership": membership, "events": events})
