"""Adding people to a round from its page: members directly, anyone else by an invitation they accept.

A facilitator or sponsor must not be able to enrol an existing account that is not a member of the
organisation (a silent membership, and the account's name displayed to them). So a person who is
not a member is sent an invitation to join and answer; they become a member and a participant only
when they accept it. What the inviter sees never depends on whether an account exists for the
address: the same message, and the name as they typed it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from organisations.models import Invitation, Membership, Role
from organisations.tokens import new_nonce
from outbox import services as outbox

from .models import Participant, Round, RoundStatus
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
    fields = {
        "role": Role.RESPONDENT,
        "function": function,
        "full_name": full_name,
        "invited_by": invited_by,
        "nonce": new_nonce(),
        "expires_at": expires_at,
    }
    invitation = Invitation.objects.filter(
        organisation=round_.organisation, round=round_, email__iexact=email, accepted_at__isnull=True
    ).first()
    if invitation is None:
        invitation = Invitation.objects.create(organisation=round_.organisation, round=round_, email=email, **fields)
    else:
        for name, value in fields.items():
            setattr(invitation, name, value)
        invitation.save(update_fields=list(fields))
    # Written with the invitation, sent after commit, or by the outbox relay if the broker is down.
    outbox.enqueue("organisations.tasks.send_member_invitation", invitation.pk)
    return invitation


def pending_invitations(*, round_: Round):
    """Invitations to this round not accepted yet, for its page (the name shown is the inviter's)."""
    return Invitation.objects.filter(round=round_, accepted_at__isnull=True).order_by("email")


def participant_join(*, invitation: Invitation, user) -> Participant | None:
    """Called once the invitation is accepted (the person is a member now): they join its round.

    A round that has been closed meanwhile is left alone: its results are frozen.
    """
    round_ = Round.objects.filter(pk=invitation.round_id).first()
    if round_ is None or round_.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED):
        return None
    participant, _created = Participant.objects.get_or_create(
        round=round_, user=user, defaults={"function": invitation.function or "other", "nonce": new_nonce()}
    )
    if participant.withdrawn_at is not None:
        participant.withdrawn_at = None
        participant.save(update_fields=["withdrawn_at"])
    if round_.status == RoundStatus.OPEN and participant.invited_at is None:
        # They arrive through the invitation link, signed in: no separate sign-in link is needed now.
        Participant.objects.filter(pk=participant.pk).update(invited_at=timezone.now())
    return participant
