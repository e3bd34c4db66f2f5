"""What a destructive round action would change, counted before asking for confirmation (read-only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import ngettext

from organisations.impact import register_member_removal
from organisations.models import Membership, Role

from .models import Answer, Consensus, ContextAnswer, Participant, RaciAnswer, Round


@dataclass(frozen=True)
class WithdrawImpact:
    answers: int  # questionnaire answers (levels and "don't know")
    raci_answers: int  # as-is RACI answers
    context_answers: int


def withdraw_impact(*, participant: Participant) -> WithdrawImpact:
    return WithdrawImpact(
        answers=Answer.objects.filter(participant=participant).count(),
        raci_answers=RaciAnswer.objects.filter(participant=participant).count(),
        context_answers=ContextAnswer.objects.filter(participant=participant).count(),
    )


@dataclass(frozen=True)
class RoundImpact:
    participants: int  # not withdrawn
    answers: int  # their saved answers
    consensus: int  # consensus levels recorded
    readers_losing_access: int  # respondents and viewers who read the published results today
    not_submitted: int = 0  # active participants who have not submitted (their answers count as partial)


def round_impact(*, round_: Round) -> RoundImpact:
    active = Participant.objects.filter(round=round_, withdrawn_at__isnull=True)
    answers = Answer.objects.filter(participant__in=active)
    readers = 0
    if round_.status == "published":
        readers = Membership.objects.filter(
            organisation_id=round_.organisation_id, role__in=[Role.RESPONDENT, Role.VIEWER]
        ).count()
    return RoundImpact(
        participants=active.count(),
        answers=answers.count(),
        consensus=Consensus.objects.filter(round=round_).count(),
        readers_losing_access=readers,
        not_submitted=active.filter(submitted_at__isnull=True).count(),
    )


def member_removal_lines(*, organisation, user) -> list[str]:
    """What removing ``user`` from ``organisation`` does to its rounds (their participations are withdrawn)."""
    active = Participant.objects.filter(round__organisation=organisation, user=user, withdrawn_at__isnull=True)
    rounds = active.count()
    if not rounds:
        return []
    answers = Answer.objects.filter(participant__in=active).count()
    return [
        ngettext(
            "Their participation in %(rounds)s round is withdrawn: their %(answers)s answers leave its results.",
            "Their participations in %(rounds)s rounds are withdrawn: their %(answers)s answers leave the results.",
            rounds,
        )
        % {"rounds": rounds, "answers": answers}
    ]


def register_providers() -> None:
    register_member_removal(member_removal_lines)
