"""A participant's personal link: what it opens, for how long, and the session it gives.

The link in the invitation and reminder e-mails keeps working, on any device and as often as
needed, until the participant submits or the round closes: executives answer in several sittings
and resume on another device from the same e-mail. What it opens is narrow on purpose: a *link
session* answers that participant's questionnaire and nothing else of their account. Such a session
holds no login (Django's auth keys are never set); it holds the participant and the nonce its link
was signed with. assessments/middleware.py lends the participant's user to the requests for that
round's answer pages only; every other page sees an anonymous visitor and asks for a normal login.

All the links of a participant carry the same nonce, so sending a new one never kills the one in
the inbox; changing the nonce revokes them all, and the sessions they opened with them.

A new link can be asked for by e-mail (views_entry.new_link), at most once per 5 minutes and 5 times
a day per participant, on top of the per-address and per-client throttle of the page.
"""

from dataclasses import dataclass

from django.contrib.auth import logout
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from .models import Participant, RoundStatus
from .services import SIGN_IN_SALT

SESSION_KEY = "cxgov_link"

# Link states, as the link's page shows them.
ACTIVE, SUBMITTED, CLOSED, REPLACED, INVALID = "active", "submitted", "closed", "replaced", "invalid"

NEW_LINK_GAP_SECONDS = 5 * 60
NEW_LINKS_PER_DAY = 5


@dataclass(frozen=True)
class LinkState:
    code: str
    participant: Participant | None = None


def participant_state(participant: Participant) -> str:
    """What a valid link of this participant does now: answer, or say that it is over and why."""
    if participant.round.status != RoundStatus.OPEN:
        return CLOSED
    if participant.submitted_at is not None:
        return SUBMITTED
    return ACTIVE


def read(token: str) -> LinkState:
    """The state of the link `token` (signed by services.participant_new_link)."""
    try:
        data = signing.loads(token, salt=SIGN_IN_SALT)  # no max_age: the round and the submission end a link
        participant_id, nonce = int(data["i"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return LinkState(INVALID)
    participant = (
        Participant.objects.select_related("round__organisation", "round__framework", "user").filter(pk=participant_id).first()
    )
    if participant is None or participant.withdrawn_at is not None or participant.round.status == RoundStatus.DRAFT:
        return LinkState(INVALID)
    if participant.nonce != nonce:
        return LinkState(REPLACED, participant)
    return LinkState(participant_state(participant), participant)


# ---------------------------------------------------------------------------- the link session


@dataclass(frozen=True)
class LinkScope:
    """The one questionnaire a link session may answer (``request.link_scope`` on its pages)."""

    participant_id: int
    round_id: int
    slug: str


def session_start(request, participant: Participant) -> None:
    """Opens a link session for `participant` in this browser (or keeps the full login they already have)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if user.pk == participant.user_id:
            return  # signed in with their password already: that session answers, and more
        logout(request)  # someone else's session in this browser: the link's holder takes over
    request.session.cycle_key()  # a new session key: a key planted before the link was opened is worth nothing
    request.session[SESSION_KEY] = {"p": participant.pk, "n": participant.nonce}
    Participant.objects.filter(pk=participant.pk).update(last_activity_at=timezone.now())


def session_link(request) -> tuple[int, str] | None:
    """(participant id, nonce) of the link session held by this request's session, if any."""
    value = request.session.get(SESSION_KEY)
    try:
        return int(value["p"]), str(value["n"])
    except (TypeError, KeyError, ValueError):
        return None


def session_forget(request) -> None:
    request.session.pop(SESSION_KEY, None)


# ---------------------------------------------------------------------------- asking for a new link


def new_link_allowed(participant: Participant) -> bool:
    """Counts one request for a new link of `participant`: False within 5 minutes of the last, or past 5 a day.

    The caller sends nothing when refused and says the same thing either way.
    """
    if not cache.add(f"new-link:gap:{participant.pk}", 1, NEW_LINK_GAP_SECONDS):
        return False
    day_key = f"new-link:day:{participant.pk}:{timezone.localdate().isoformat()}"
    cache.add(day_key, 0, 24 * 3600)
    try:
        count = cache.incr(day_key)
    except ValueError:  # expired between add and incr
        cache.set(day_key, 1, 24 * 3600)
        count = 1
    return count <= NEW_LINKS_PER_DAY
