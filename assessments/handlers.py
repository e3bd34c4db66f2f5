"""Receivers of the events sent by lower apps (organisations never imports assessments)."""

from . import services


def withdraw_removed_member(sender, *, organisation, user, **kwargs):
    services.member_participations_withdraw(organisation=organisation, user=user)


def connect() -> None:
    from organisations.signals import member_removed

    member_removed.connect(withdraw_removed_member, dispatch_uid="assessments.withdraw_removed_member")
