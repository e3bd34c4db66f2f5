"""Link sessions (assessments/links.py) answer one questionnaire and open nothing else.

A session opened by a participant's personal link holds no login. On each request this middleware
checks the participant it names (not withdrawn, same nonce, round open, not submitted) and:

* lends the participant's user to the pages of that round's questionnaire (everything under
  ``…/rounds/<id>/answer/``), to the organisation's stylesheet and logo those pages load, and to
  the language switch and logout;
* answers 404 for the questionnaire of any other round, even one the same person takes part in;
* leaves every other page to an anonymous visitor: an account page asks for a normal login.

Once the participant has submitted, or the round is no longer open, the session ends: a page of
that round then says so (submitted, thank you / closed) and offers nothing else.

It sits right after AuthenticationMiddleware, so that the user's own language applies on the pages
the link opens; a password login in the same browser always wins over a link session.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from . import links
from .models import Participant

# Pages that are not the questionnaire but that it needs, for the session's own user.
LENT_PAGES = {"accounts:set_language", "accounts:logout"}
LENT_ORGANISATION_PAGES = {"organisations:brand_css", "organisations:logo"}


def _answer_prefix(slug: str, round_id: int) -> str:
    return reverse("assessments:answer_start", kwargs={"slug": slug, "round_id": round_id})


def _lend_user(request, user) -> None:
    async def auser():
        return user

    request.user = user
    request.auser = auser


class LinkSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.link_scope = None
        held = links.session_link(request) if hasattr(request, "session") else None
        if held is not None:
            self._apply(request, *held)
        return self.get_response(request)

    def _apply(self, request, participant_id: int, nonce: str) -> None:
        if request.user.is_authenticated:
            # A password login in this browser since the link was opened: the full session wins.
            links.session_forget(request)
            return
        participant = (
            Participant.objects.select_related("round__organisation", "user")
            .filter(pk=participant_id, nonce=nonce, withdrawn_at__isnull=True, user__is_active=True)
            .first()
        )
        if participant is None:  # withdrawn, revoked (new nonce) or gone: nothing to say, nothing to open
            links.session_forget(request)
            return
        state = links.participant_state(participant)
        if state != links.ACTIVE:
            links.session_forget(request)
            request._link_ended = (participant, state)  # the round's pages say so (process_view)
            return
        slug, round_id = participant.round.organisation.slug, participant.round_id
        request.link_scope = links.LinkScope(participant_id=participant.pk, round_id=round_id, slug=slug)
        path = request.path_info
        if path.startswith(_answer_prefix(slug, round_id)):
            _lend_user(request, participant.user)
            return
        try:
            match = resolve(path)
        except Resolver404:
            return
        name = f"{match.namespace}:{match.url_name}"
        if name in LENT_PAGES or (name in LENT_ORGANISATION_PAGES and match.kwargs.get("slug") == slug):
            _lend_user(request, participant.user)
        elif {"slug", "round_id"} <= match.kwargs.keys() and path.startswith(
            _answer_prefix(match.kwargs["slug"], match.kwargs["round_id"])
        ):
            request._link_not_found = True  # another round's questionnaire: not this link's

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Here rather than in __call__: the response goes out through every middleware (CSP, messages...).
        if getattr(request, "_link_not_found", False):
            raise Http404
        ended = getattr(request, "_link_ended", None)
        if ended is None:
            return None
        participant, state = ended
        if str(view_kwargs.get("round_id")) != str(participant.round_id) or view_kwargs.get("slug") != (
            participant.round.organisation.slug
        ):
            return None
        # "Submitted, you can still change them" was meant for a password session: not shown here.
        storage = messages.get_messages(request)
        if hasattr(storage, "used"):
            storage.used = True
        with translation.override(participant.user.language):  # the session was theirs a moment ago
            return render(
                request,
                "assessments/link_ended.html",
                {"code": state, "round": participant.round, "participant": participant, "messages": []},
                status=200 if state == links.SUBMITTED else 410,
            )
