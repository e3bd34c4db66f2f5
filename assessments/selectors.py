"""Reads for rounds, participants and answers, always scoped through the user's membership."""

from collections.abc import Collection
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from organisations.models import Membership
from organisations.permissions import Action, role_can

from .domain.scoring import is_contested, spread
from .models import (
    Answer,
    AnswerNote,
    Consensus,
    ContextAnswer,
    Delegation,
    Dimension,
    Framework,
    Participant,
    Round,
    RoundStatus,
)


def rounds_for_member(*, membership: Membership) -> QuerySet[Round]:
    """The rounds a member may see listed: all of them for managers, else open/published ones they can use."""
    rounds = Round.objects.filter(organisation=membership.organisation).select_related("framework")
    if not role_can(membership.role, Action.MANAGE_ROUNDS):
        visible = Q(participants__user=membership.user, participants__withdrawn_at__isnull=True)
        if role_can(membership.role, Action.VIEW_RESULTS_UNPUBLISHED):
            visible |= ~Q(status=RoundStatus.DRAFT)
        else:
            visible |= Q(status=RoundStatus.PUBLISHED)
        rounds = rounds.filter(visible).distinct()
    return rounds.annotate(
        participant_count=Count("participants", filter=Q(participants__withdrawn_at__isnull=True), distinct=True),
        submitted_count=Count(
            "participants",
            filter=Q(participants__withdrawn_at__isnull=True, participants__submitted_at__isnull=False),
            distinct=True,
        ),
    ).order_by("-created_at")


def round_get(*, membership: Membership, round_id: int) -> Round:
    """A round of the member's organisation: 404 when it is not theirs, 403 when their role may not see it."""
    rounds = rounds_for_member(membership=membership)
    round_ = rounds.filter(pk=round_id).first()
    if round_ is None:
        if Round.objects.filter(pk=round_id, organisation=membership.organisation).exists():
            raise PermissionDenied
        raise Http404
    return round_


def participant_for_answering(*, user, slug: str, round_id: int) -> Participant:
    """The signed-in user's own participation, in one query (it runs on every autosave).

    It requires a current membership of the organisation and a participation not withdrawn
    (else 404), and a role that may answer (else 403).
    """
    if not user.is_authenticated:
        raise Http404
    participant = (
        Participant.objects.select_related("round__organisation", "round__framework")
        .annotate(
            member_role=Subquery(
                Membership.objects.filter(organisation=OuterRef("round__organisation"), user=user).values("role")[:1]
            )
        )
        .filter(
            round_id=round_id, round__organisation__slug=slug, member_role__isnull=False, user=user, withdrawn_at__isnull=True
        )
        .exclude(round__status=RoundStatus.DRAFT)
        .first()
    )
    if participant is None:
        raise Http404
    if not role_can(participant.member_role, Action.ANSWER):
        raise PermissionDenied
    return participant


def round_participants(*, round_: Round) -> QuerySet[Participant]:
    return (
        round_.participants.select_related("user")
        .annotate(answer_count=Count("answers", distinct=True))
        .order_by("withdrawn_at", "user__full_name", "user__email")
    )


def participant_get(*, round_: Round, participant_id: int) -> Participant:
    try:
        return round_.participants.select_related("user").get(pk=participant_id)
    except Participant.DoesNotExist:
        raise Http404 from None


def dimensions_with_questions(framework: Framework, *, keys: Collection[str] | None = None) -> list[Dimension]:
    """The framework's dimensions, each with `.question_list`, in two queries.

    With `keys` (a short-form round: Round.question_keys), only those questions, and only the
    dimensions that keep at least one of them.
    """
    dimensions = list(framework.dimensions.order_by("position"))
    by_id = {d.pk: d for d in dimensions}
    for d in dimensions:
        d.question_list = []
    questions = framework.questions.order_by("position")
    if keys is not None:
        questions = questions.filter(key__in=keys)
    for question in questions:
        by_id[question.dimension_id].question_list.append(question)
    return dimensions if keys is None else [d for d in dimensions if d.question_list]


def round_dimensions(round_: Round) -> list[Dimension]:
    """The dimensions and questions the round asks (its framework's, or the short form's)."""
    return dimensions_with_questions(round_.framework, keys=round_.question_keys)


def answered_counts(*, participant: Participant) -> dict[int, int]:
    """Answered questions per dimension id for one participant (one query)."""
    rows = (
        Answer.objects.filter(participant=participant)
        .values("question__dimension_id")
        .annotate(n=Count("id"))
        .values_list("question__dimension_id", "n")
    )
    return dict(rows)


def answers_by_question(*, participant: Participant, question_ids) -> dict[int, Answer]:
    return {a.question_id: a for a in Answer.objects.filter(participant=participant, question_id__in=question_ids)}


def notes_by_question(*, participant: Participant, question_ids) -> dict[int, AnswerNote]:
    """Comments and links the participant typed on questions that have no level yet."""
    return {n.question_id: n for n in AnswerNote.objects.filter(participant=participant, question_id__in=question_ids)}


def answer_context(*, participant: Participant) -> dict[str, str]:
    """What is known of the round and the respondent, as context question key → choice (domain/answers.py).

    The participant's own answers to the framework's context questions, over which the facilitator's
    settings of the round win (whether a CXO exists, to whom they report): "not applicable" and the
    wording variants of framework 2.0 are read against it.
    """
    context = dict(ContextAnswer.objects.filter(participant=participant).values_list("question__key", "choice"))
    round_ = participant.round
    if round_.cxo_exists is not None:
        context["cxo_exists"] = "yes" if round_.cxo_exists else "no"
    if round_.cxo_reports_to:
        context["cxo_reports_to"] = round_.cxo_reports_to
    return context


def context_prefill(*, round_: Round) -> dict[str, dict[str, int]]:
    """Counts of the participants' context answers, per question key and choice, to pre-fill the round context."""
    counts: dict[str, dict[str, int]] = {}
    rows = (
        ContextAnswer.objects.filter(participant__round=round_, participant__withdrawn_at__isnull=True)
        .values_list("question__key", "choice")
        .annotate(n=Count("id"))
    )
    for key, choice, n in rows:
        counts.setdefault(key, {})[choice] = n
    return counts


def individual_answers_visible(*, role: str | None, round_: Round) -> bool:
    """Whether a member in `role` may see who gave which answer in this round.

    PRODUCT.md: facilitators, in attributed rounds only. `role` None is a reader without a role (a
    share link, or a document such as the PDF that every role and share-link holder may open).
    """
    return role is not None and role_can(role, Action.VIEW_INDIVIDUAL_ANSWERS) and not round_.anonymous


def comments_by_question(*, round_: Round, role: str | None, dimension: Dimension | None = None) -> dict[str, list[dict]]:
    """Counted comments and evidence links per question key (one query), as `role` may see them.

    Each is {"text", "evidence", "level", "function"}; "function" (the author's function key) is None
    unless the role may see individual answers, so that nobody else can tell whose words they are. Within
    a question, unattributed comments are ordered by their text: the time of an answer, or the row's id,
    would follow the participants' activity (shown on the round page) and their order of invitation.
    """
    attributed = individual_answers_visible(role=role, round_=round_)
    rows = Answer.objects.filter(participant__round=round_, participant__withdrawn_at__isnull=True).exclude(
        comment="", evidence_url=""
    )
    if dimension is not None:
        rows = rows.filter(question__dimension=dimension)
    order = (
        ("question__position", "updated_at", "pk") if attributed else ("question__position", "comment", "evidence_url", "level")
    )
    result: dict[str, list[dict]] = {}
    for key, comment, evidence, level, function in rows.order_by(*order).values_list(
        "question__key", "comment", "evidence_url", "level", "participant__function"
    ):
        result.setdefault(key, []).append(
            {"text": comment, "evidence": evidence, "level": level, "function": function if attributed else None}
        )
    return result


# ---------------------------------------------------------------------------- live workshop

WORKSHOP_LEVEL_KEYS = ("1", "2", "3", "4", "5", "dk")


def workshop_rows(*, round_: Round, dimension: Dimension) -> list[dict]:
    """The dimension's questions with their live distributions, contested questions first (by AD, highest first).

    Computed from the counted answers (not the snapshot: the round may still be open), in three
    queries whatever the number of respondents: questions, answer counts grouped by question and
    level, consensus. Counts only: no person and no function ever comes out of here.
    """
    questions = list(dimension.questions.order_by("position"))
    keys = round_.question_keys
    if keys is not None:
        questions = [q for q in questions if q.key in keys]
    ids = [q.pk for q in questions]
    counts = {pk: dict.fromkeys(WORKSHOP_LEVEL_KEYS, 0) for pk in ids}
    grouped = (
        Answer.objects.filter(participant__round=round_, participant__withdrawn_at__isnull=True, question_id__in=ids)
        .values_list("question_id", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    for question_id, level, n in grouped:
        counts[question_id]["dk" if level is None else str(level)] += n
    consensus = {c.question_id: c for c in Consensus.objects.filter(round=round_, question_id__in=ids)}
    rows: list[dict[str, Any]] = []
    for q in questions:
        c = counts[q.pk]
        levels = [level for level in range(1, 6) for _ in range(c[str(level)])]
        s = spread(levels)
        rows.append(
            {
                "question": q,
                "counts": c,
                "n": len(levels),
                "dont_know": c["dk"],
                "answered": len(levels) + c["dk"],
                "mean": Fraction(sum(levels), len(levels)) if levels else None,
                "sufficient": s is not None,
                "ad": s.ad if s else None,
                "range": s.range if s else None,
                "contested": bool(s and is_contested(s)),
                "consensus": consensus.get(q.pk),
            }
        )
    rows.sort(key=lambda r: (not r["contested"], -r["ad"] if r["contested"] else 0, r["question"].position))
    return rows


# ---------------------------------------------------------------------------- delegation


def delegations_for_question(*, participant: Participant, question) -> list:
    """The participant's own forwards of one question, newest first."""
    return list(Delegation.objects.filter(participant=participant, question=question).order_by("-created_at", "-id"))


def delegation_answer(*, delegation) -> Answer | None:
    """The participant's saved answer to the delegated question, if any."""
    return Answer.objects.filter(participant_id=delegation.participant_id, question_id=delegation.question_id).first()


# The framework new rounds, engagement templates and the demo start from: question bank 2.0 (issue
# #16). Version 1.0 stays loaded, unchanged, for the rounds that used it and may still be chosen; the
# latest imported framework (a consultant's own bank, say) therefore does not decide.
DEFAULT_FRAMEWORK = ("cx-governance", "2.0")


def default_framework() -> Framework | None:
    """The default framework while it is loaded, else the latest imported (a database without the shipped bank)."""
    key, version = DEFAULT_FRAMEWORK
    return Framework.objects.filter(key=key, version=version).first() or Framework.objects.order_by("-imported_at").first()
