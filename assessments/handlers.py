"""Receivers of the events sent by lower apps (organisations never imports assessments)."""

from organisations import invitation_extras
from organisations.signals import invitation_accepted, member_removed

from . import enrolment, services


def withdraw_removed_member(sender, *, organisation, user, **kwargs):
    services.member_participations_withdraw(organisation=organisation, user=user)


def join_round_on_acceptance(sender, *, invitation, user, **kwargs):
    # Accepting an invitation to answer a round is the consent that makes the person a participant.
    enrolment.participant_join(invitation=invitation, user=user)


def connect() -> None:
    member_removed.connect(withdraw_removed_member, dispatch_uid="assessments.withdraw_removed_member")
    invitation_accepted.connect(join_round_on_acceptance, dispatch_uid="assessments.join_round_on_acceptance")
    invitation_extras.register(enrolment.invitation_extra)  # the round named on the invitation page and e-mail
