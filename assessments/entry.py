"""A respondent's entry: the questionnaires they have to answer, one card each.

A card says whose questionnaire it is (organisation, round), by when, how long it takes (or how
long is left), how far they are (n of N questions) and what to do next: *Start* when nothing is
answered, *Resume* when something is, nothing but a thank-you once they have submitted. Rounds that
are not open are not listed: there is nothing to do in them.

The same card is the respondent's home (after a password login) and the page their personal link
opens (assessments/views_entry.py).
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from organisations.models import Membership
from organisations.permissions import Action, role_can

from . import estimates
from .models import Answer, ContextAnswer, Participant, Question, RaciAnswer, RoundStatus

START, RESUME, SUBMITTED = "start", "resume", "submitted"


@dataclass(frozen=True)
class QuestionnaireCard:
    participant: Participant
    answered: int  # maturity questions answered (a level or "don't know"), as the progress bar counts them
    total: int
    started: bool  # anything answered, governance choices included
    minutes: int  # the whole questionnaire
    minutes_left: int

    @property
    def round(self):
        return self.participant.round

    @property
    def organisation(self):
        return self.participant.round.organisation

    @property
    def percent(self) -> int:
        """Whole percent answered, for the progress bar's width class (cx-w-0 … cx-w-100)."""
        return 100 * self.answered // self.total if self.total else 0

    @property
    def state(self) -> str:
        if self.participant.submitted_at is not None:
            return SUBMITTED
        return RESUME if self.started else START


def _count(rows: QuerySet, by: str):
    """A correlated COUNT subquery (one query for the whole list, no join fan-out), 0 when there is no row."""
    counted = rows.values(by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _participations(**filters):
    mine = OuterRef("pk")
    return (
        Participant.objects.filter(withdrawn_at__isnull=True, **filters)
        .select_related("round__organisation", "round__framework", "user")
        .annotate(
            answered_count=_count(Answer.objects.filter(participant=mine), "participant"),
            choices_answered=_count(RaciAnswer.objects.filter(participant=mine), "participant")
            + _count(ContextAnswer.objects.filter(participant=mine), "participant"),
            question_count=_count(Question.objects.filter(framework=OuterRef("round__framework")), "framework"),
        )
    )


def _cards(participants: list[Any]) -> list[QuestionnaireCard]:
    # Rows of _participations(): participants with their counts annotated.
    answered_ids: dict[int, list[int]] = defaultdict(list)
    for participant_id, question_id in Answer.objects.filter(participant__in=participants).values_list(
        "participant_id", "question_id"
    ):
        answered_ids[participant_id].append(question_id)
    cards = []
    for participant in participants:
        framework = participant.round.framework
        keys = participant.round.question_keys
        cards.append(
            QuestionnaireCard(
                participant=participant,
                answered=participant.answered_count,
                total=participant.question_count if keys is None else len(keys),
                started=bool(participant.answered_count or participant.choices_answered),
                minutes=estimates.questionnaire_minutes(framework, keys),
                minutes_left=estimates.minutes_left(
                    framework,
                    answered_question_ids=answered_ids[participant.pk],
                    choices_answered=participant.choices_answered,
                    keys=keys,
                ),
            )
        )
    return cards


def questionnaire_cards(*, user) -> list[QuestionnaireCard]:
    """The open rounds the user takes part in (and may answer as a current member), soonest due first."""
    if not user.is_authenticated:
        return []
    participants = list(
        _participations(user=user, round__status=RoundStatus.OPEN)
        .annotate(
            member_role=Subquery(
                Membership.objects.filter(organisation=OuterRef("round__organisation"), user=user).values("role")[:1]
            )
        )
        .filter(member_role__isnull=False)
        .order_by(F("round__due_date").asc(nulls_last=True), "round__organisation__name", "round__title")
    )
    return _cards([p for p in participants if role_can(p.member_role, Action.ANSWER)])


def questionnaire_card(*, participant: Participant) -> QuestionnaireCard:
    """The card of one participation, whatever the round's status (the personal link's page)."""
    return _cards([_participations(pk=participant.pk).get()])[0]
