"""Adding people to a round from its page: members directly, anyone else by an invitation they accept.

A facilitator or sponsor must not be able to enrol an existing account that is not a member of the
organisation (a silent membership, and the account's name displayed to them). So a person who is
not a member is sent an invitation to join and answer; they become a member and a participant only
when they accept it. What the inviter sees never depends on whether an account exists for the
address: the same message, and the name as they typed it.

The invitation itself is the organisation's (organisations.Invitation: a link to join as a
respondent); what it means for the round (which round, which function, the typed name) is a
RoundInvitation here. Organisations knows nothing of rounds: it sends `invitation_accepted`, which
assessments/handlers.py turns into `participant_join`, and asks `invitation_extra` for the sentences
and the landing page it shows.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cxgov.tokens import new_nonce
from organisations.invitation_extras import InvitationExtra
from organisations.models import Invitation, Membership, Role
from outbox import services as outbox

from . import estimates
from .models import Participant, Round, RoundInvitation, RoundStatus
from .services import ParticipantOutcome, participant_invite


@dataclass(frozen=True)
class AddOutcome:
    """Either a member added at once (`participant`) or an invitation sent to someone else."""

    email: str
    participant_outcome: ParticipantOutcome | None = None
    invitation: Invitation | None = None


@transaction.atomic
def participant_add(*, round_: Round, email: str, function: str, full_name: str = "", invited_by=None) -> AddOutcome:
    email = email.strip().lower()
    if Membership.objects.filter(organisation=round_.organisation, user__email__iexact=email).exists():
        return AddOutcome(email=email, participant_outcome=participant_invite(round_=round_, email=email, function=function))
    return AddOutcome(email=email, invitation=_round_invitation(round_, email, function, full_name, invited_by))


def _round_invitation(round_: Round, email: str, function: str, full_name: str, invited_by) -> Invitation:
    """Creates (or renews, with a new single-use link) the pending invitation of `email` to `round_`."""
    expires_at = timezone.now() + timedelta(days=settings.CXGOV_INVITATION_DAYS)
    fields = {"role": Role.RESPONDENT, "invited_by": invited_by, "nonce": new_nonce(), "expires_at": expires_at}
    pending = (
        RoundInvitation.objects.select_related("invitation")
        .filter(round=round_, invitation__email__iexact=email, invitation__accepted_at__isnull=True)
        .first()
    )
    if pending is None:
        invitation = Invitation.objects.create(organisation=round_.organisation, email=email, **fields)
        RoundInvitation.objects.create(invitation=invitation, round=round_, function=function, full_name=full_name)
    else:
        invitation = pending.invitation
        for name, value in fields.items():
            setattr(invitation, name, value)
        invitation.save(update_fields=list(fields))
        pending.function, pending.full_name = function, full_name
        pending.save(update_fields=["function", "full_name"])
    # Written with the invitation, sent after commit, or by the outbox relay if the broker is down.
    outbox.enqueue("organisations.tasks.send_member_invitation", invitation.pk)
    return invitation


def pending_invitations(*, round_: Round):
    """Invitations to this round not accepted yet, for its page (the name shown is the inviter's).

    Each has `email`, `full_name` (as typed) and `expires_at`.
    """
    return (
        RoundInvitation.objects.filter(round=round_, invitation__accepted_at__isnull=True)
        .select_related("invitation")
        .order_by("invitation__email")
    )


def participant_join(*, invitation: Invitation, user) -> Participant | None:
    """Called once the invitation is accepted (the person is a member now): they join its round.

    An invitation that names no round is a plain membership: nothing to do. A round that has been
    closed meanwhile is left alone: its results are frozen.
    """
    round_invitation = RoundInvitation.objects.select_related("round").filter(invitation=invitation).first()
    if round_invitation is None:
        return None
    round_ = round_invitation.round
    if round_.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED):
        return None
    participant, _created = Participant.objects.get_or_create(
        round=round_, user=user, defaults={"function": round_invitation.function or "other", "nonce": new_nonce()}
    )
    if participant.withdrawn_at is not None:
        participant.withdrawn_at = None
        participant.save(update_fields=["withdrawn_at"])
    if round_.status == RoundStatus.OPEN and participant.invited_at is None:
        # They arrive through the invitation link, signed in: no separate sign-in link is needed now.
        Participant.objects.filter(pk=participant.pk).update(invited_at=timezone.now())
    return participant


def invitation_extra(*, invitation: Invitation) -> InvitationExtra | None:
    """What an invitation to a round adds on the organisation's invitation page and e-mail."""
    round_invitation = RoundInvitation.objects.select_related("round").filter(invitation=invitation).first()
    if round_invitation is None:
        return None
    round_ = round_invitation.round

    def landing_url(*, user) -> str | None:
        # Invited to answer a round that is open (and now taking part): straight to the questionnaire.
        round_.refresh_from_db(fields=["status"])
        if round_.status == RoundStatus.OPEN and round_.participants.filter(user=user, withdrawn_at__isnull=True).exists():
            return reverse("assessments:answer_start", args=[invitation.organisation.slug, round_.pk])
        return None

    return InvitationExtra(
        typed_name=round_invitation.full_name,
        page_note=_(
            "Accepting also makes you a participant of “%(title)s”, the assessment of customer-experience maturity and governance."
        )
        % {"title": round_.title},
        email_note=_(
            "You are invited to answer “%(title)s”, the assessment of customer-experience maturity and governance (about %(minutes)s minutes): you take part once you accept."
        )
        % {"title": round_.title, "minutes": estimates.questionnaire_minutes(round_.framework, round_.question_keys)},
        landing_url=landing_url,
    )
