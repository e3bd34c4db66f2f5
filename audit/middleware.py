"""Binds the actor of an organisation page for the services' audit records (audit/recording.py).

Services describe what they changed (before → after); this middleware only tells them who is
acting. A successful change on a page whose services recorded nothing still leaves one line naming
the page, so a new editing page is never silent — but never the posted form: what was typed is not
what was saved, and it may not even be storable (a NUL byte). Answering a questionnaire is not a
change to audit: those URLs are excluded.

That line needs the organisation the acting user belongs to, and audit sits below tenancy: it
cannot import organisations. Tenancy registers its finder at start-up
(:func:`register_organisation_finder`, called from organisations/apps.py).
"""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import DatabaseError
from django.urls import resolve
from django.urls.exceptions import Resolver404

from . import recording
from .models import AuditEvent

logger = logging.getLogger(__name__)

#: ``finder(user=..., slug=...)`` → the organisation ``slug`` if ``user`` is a member of it, else None.
OrganisationFinder = Callable[..., Any]
_organisation_finder: OrganisationFinder | None = None


def register_organisation_finder(finder: OrganisationFinder) -> None:
    """Tenancy tells audit how to find an organisation page's organisation for its acting member."""
    global _organisation_finder
    _organisation_finder = finder


AUDITED_NAMESPACES = {
    "assessments",
    "roadmaps",
    "governance",
    "organisations",
    "workspace",
    "reports",
    "sharing",
    "benchmarks",
    "measurement",
}
# Participants answering (and the public token pages) are not organisational changes.
NOT_AUDITED = {
    "assessments:answer_save",
    "assessments:answer_choice_save",
    "assessments:answer_raci",
    "assessments:answer_page",
    "assessments:answer_submit",
    "assessments:sign_in",
    "assessments:new_link",
    "assessments:delegation_answer",
    "assessments:delegation_create",
    "assessments:delegation_revoke",
    "organisations:invitation",
    "reports:request",
    "reports:retry",
}


def _audited_page(request):
    """(URL name, organisation slug, round id) of an audited organisation page, or None."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    name = f"{match.namespace}:{match.url_name}"
    slug = match.kwargs.get("slug")
    if match.namespace not in AUDITED_NAMESPACES or name in NOT_AUDITED or not slug:
        return None
    return name, slug, match.kwargs.get("round_id")


def _looks_saved(request, response) -> bool:
    """Whether a page whose services recorded nothing still changed something.

    A form shown again with its errors (200 without htmx) changed nothing, nor did a redirect that
    carries an error message (a refused edit: "frozen", "last facilitator").
    """
    if response.status_code >= 400:
        return False
    if response.status_code < 300 and not request.headers.get("HX-Request"):
        return False
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", ())
    return not any(message.level >= messages.ERROR for message in queued)


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        page = _audited_page(request) if request.method == "POST" and user is not None and user.is_authenticated else None
        if page is None:
            return self.get_response(request)
        name, slug, round_id = page
        context = recording.AuditContext(actor=request.user, action=name, organisation_slug=slug)
        token = recording.bind(context)
        try:
            response = self.get_response(request)
        finally:
            recording.unbind(token)
        if not context.recorded and _looks_saved(request, response):
            self._record_page(request, name, slug, round_id)
        return response

    def _record_page(self, request, name, slug, round_id):
        organisation = _organisation_finder(user=request.user, slug=slug) if _organisation_finder is not None else None
        if organisation is None:
            return
        try:
            AuditEvent.objects.create(
                organisation=organisation,
                round_id=round_id if round_id and organisation.rounds.filter(pk=round_id).exists() else None,
                actor=request.user,
                action=name,
                kind="page",
                verb=recording.CHANGED,
                target=name,
            )
        except DatabaseError:
            # The change itself is saved and committed: losing its log line must not turn it into a 500.
            logger.exception("audit line for %s could not be written", name)
