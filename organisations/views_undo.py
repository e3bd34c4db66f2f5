"""The one Undo endpoint: restores what an action of this organisation destroyed (see organisations/undo.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import undo as undo_offers
from .permissions import role_can
from .selectors import membership_get


@login_required
@require_POST
def undo(request, slug):
    membership = membership_get(user=request.user, slug=slug)
    organisation = membership.organisation
    record = undo_offers.take(request, organisation=organisation, token=request.POST.get("token", ""))
    handler = undo_offers.handler(record["kind"])
    if not role_can(membership.role, handler.action):
        raise PermissionDenied
    if undo_offers.expired(record):
        messages.error(request, _("Too late to undo: an undo stays possible for 10 minutes."))
    else:
        try:
            messages.success(request, handler.restore(organisation=organisation, payload=record["payload"]))
        except undo_offers.UndoUnavailable:
            messages.error(request, _("This can no longer be undone: it has changed since."))
    return redirect(record["back"])
