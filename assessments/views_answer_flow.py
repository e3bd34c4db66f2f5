"""The respondent's journey one question per screen: welcome, each question, review, and the end screen.

Every path goes through the same screens: the welcome (the organisation's introduction and the
privacy notice) before the first question of a session, the review that shows every answer, and
the end screen once submitted. A respondent chooses how they answer, one question per screen (the
default, on every device) or a whole dimension per page (views.answer_page); the choice is a
cookie of their device (answer_flow.MODE_COOKIE).

The question screen posts the same fields as a dimension page (forms_answers.AnswerForm) and
autosaves through the same endpoint (views.answer_save), so both modes store answers alike; a 2.0
dimension's importance autosaves through importance_save, from either mode.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import answer_flow, estimates, raci_catalogue, selectors, services
from .answer_flow import PAGE_MODE, QUESTION_MODE
from .forms_answers import AnswerForm
from .models import Answer, AnswerNote, RaciLetter
from .views import answering_participant, conflict_notices, raci_answer_choices


def _questions(dimensions):
    return [q for d in dimensions for q in d.question_list]


def _progress(participant, dimensions, answered_ids: set[int]) -> dict:
    """n of N answered and the time left (assessments/estimates.py: the figure of the entry card and the e-mails)."""
    questions = _questions(dimensions)
    for d in dimensions:
        d.answered = sum(1 for q in d.question_list if q.pk in answered_ids)
        d.complete = d.answered >= len(d.question_list)
    answered = sum(1 for q in questions if q.pk in answered_ids)
    total = len(questions)
    return {
        "answered": answered,
        "total": total,
        "percent": int(100 * answered / total) if total else 0,
        "minutes_left": estimates.minutes_left(
            participant.round.framework,
            answered_question_ids=answered_ids,
            choices_answered=participant.raci_answers.count() + participant.context_answers.count(),
            keys=participant.round.question_keys,
        ),
    }


def _first_open(dimension, answered_ids: set[int]):
    """The dimension's first question without an answer, else its first question."""
    return next((q for q in dimension.question_list if q.pk not in answered_ids), dimension.question_list[0])


def _answered_ids(participant) -> set[int]:
    return set(participant.answers.values_list("question_id", flat=True))


def _resume(request, participant, dimensions, answered_ids) -> str:
    return answer_flow.resume_url(
        round_=participant.round,
        dimensions=dimensions,
        answered_ids=answered_ids,
        mode=answer_flow.answer_mode(request),
        governance_answered=participant.raci_answers.exists(),
    )


def _base(participant, dimensions, progress) -> dict:
    round_ = participant.round
    return {
        "organisation": round_.organisation,
        "round": round_,
        "participant": participant,
        "dimensions": dimensions,
        "progress": progress,
        "closed": not round_.accepts_answers,
    }


@login_required
def answer_start(request, slug, round_id):
    """Start or resume: the welcome once a session, then the first question (or dimension) without an answer."""
    participant = answering_participant(request, slug, round_id)
    if not answer_flow.welcomed(request, participant.round_id):
        return redirect("assessments:answer_welcome", slug=slug, round_id=round_id)
    dimensions = selectors.round_dimensions(participant.round)
    return redirect(_resume(request, participant, dimensions, _answered_ids(participant)))


@login_required
def welcome(request, slug, round_id):
    """The organisation's introduction, what to expect, the privacy notice, and Start or Resume."""
    participant = answering_participant(request, slug, round_id)
    dimensions = selectors.round_dimensions(participant.round)
    answered_ids = _answered_ids(participant)
    answer_flow.mark_welcomed(request, participant.round_id)
    mode = answer_flow.answer_mode(request)
    first_dimension = dimensions[0].key if dimensions else ""
    return render(
        request,
        "assessments/answer_welcome.html",
        {
            **_base(participant, dimensions, _progress(participant, dimensions, answered_ids)),
            # Submitted: the button shows the answers (the review), whatever is left unanswered.
            "resume_url": answer_flow.page_url(participant.round, "review")
            if participant.submitted_at
            else _resume(request, participant, dimensions, answered_ids),
            "started": bool(answered_ids),
            "minutes_in_all": estimates.questionnaire_minutes(participant.round.framework, participant.round.question_keys),
            "mode": mode,
            "other_mode": PAGE_MODE if mode == QUESTION_MODE else QUESTION_MODE,
            "mode_at": first_dimension,
        },
    )


def _target(go: str, round_, questions, index) -> str:
    """Where the question screen's buttons lead: the previous or next question, the welcome, governance or the review."""
    if go == "review":
        return answer_flow.page_url(round_, "review")
    if go == "previous":
        if index == 0:
            return reverse("assessments:answer_welcome", args=[round_.organisation.slug, round_.pk])
        return answer_flow.question_url(round_, questions[index - 1].key)
    if index + 1 < len(questions):
        return answer_flow.question_url(round_, questions[index + 1].key)
    return answer_flow.page_url(round_, "governance")


@login_required
def question(request, slug, round_id, question_key):
    """One question on its own screen; a plain submit saves what changed and moves on (or back)."""
    participant = answering_participant(request, slug, round_id)
    round_ = participant.round
    framework = round_.framework
    dimensions = selectors.round_dimensions(round_)
    questions = _questions(dimensions)
    index = next((i for i, q in enumerate(questions) if q.key == question_key), None)
    if index is None:
        raise Http404
    q = questions[index]
    dimension = next(d for d in dimensions if d.pk == q.dimension_id)
    v2 = answer_flow.answers_v2(framework)
    # 2.0: what is known of the round and the respondent decides the wording and "not applicable".
    answer_context = answer_flow.answer_context(participant)
    # The dimension's introduction and importance come with its first question.
    opens_dimension = dimension.question_list[0].pk == q.pk
    asks_importance = v2 and opens_dimension
    importance_error = ""
    return_to_review = request.GET.get("from") == "review" or request.POST.get("from") == "review"
    errors = services.AnswerErrors()
    typed: services.AnswerInput | None = None
    conflicts: list[dict] = []
    status = 200
    if request.method == "POST":
        form = AnswerForm(request.POST, question=q, context=answer_context)
        importance_error = answer_flow.importance_refused(request.POST, dimension, asks_importance)
        if not round_.accepts_answers:
            status, typed = 409, form.sent()
        elif not form.is_valid() or importance_error:
            status, typed, errors = 400, form.sent(), form.answer_errors()
        else:
            try:
                found = services.answer_save_from_page(
                    participant=participant, question=q, values=form.values, loaded=form.loaded()
                )
                if asks_importance:
                    answer_flow.importance_save_sent(request.POST, participant, dimension)
            except services.RoundClosedError:
                round_.refresh_from_db(fields=["status"])
                status, typed = 409, form.sent()
            else:
                if not found:
                    return redirect(_target(request.POST.get("go", "next"), round_, questions, index))
                # Changed in another window too: stay, saying what this screen's version replaced.
                conflicts = conflict_notices(found, framework)
    answer = Answer.objects.filter(participant=participant, question=q).first()
    note = None if answer else AnswerNote.objects.filter(participant=participant, question=q).first()
    stored = {
        "level": answer_flow.stored_level(answer),
        "comment": answer.comment if answer else (note.comment if note else ""),
        "evidence": answer.evidence_url if answer else (note.evidence_url if note else ""),
        "confidence": (answer.confidence or "") if answer else "",
    }
    shown = dict(stored)
    if typed is not None:
        for name, value in (
            ("level", typed.level),
            ("comment", typed.comment),
            ("evidence", typed.evidence_url),
            ("confidence", typed.confidence),
        ):
            if value is not None:
                shown[name] = value
    importance = importance_loaded = None
    if asks_importance:
        stored_importance = answer_flow.importance_stored(participant, dimension)
        importance_loaded = "" if stored_importance is None else str(stored_importance)
        importance = request.POST.get(answer_flow.importance_field(dimension)) if typed is not None else None
        if importance is None:
            importance = importance_loaded
    answered_ids = _answered_ids(participant)
    position_in_dimension = dimension.question_list.index(q) + 1
    context = {
        **_base(participant, dimensions, _progress(participant, dimensions, answered_ids)),
        "question": q,
        "options": answer_flow.answer_options(q, answer_context),
        "v2": v2,
        "intro": dimension.tr("intro") if opens_dimension else "",
        "importance": {
            "name": answer_flow.importance_field(dimension),
            "value": importance,
            # As stored: a plain submit writes the importance only when it differs (answer_flow.importance_save_sent).
            "loaded": importance_loaded,
            "choices": answer_flow.importance_choices(),
            "error": importance_error,
        }
        if asks_importance
        else None,
        "dimension": dimension,
        "answer": answer,
        "note": note,
        "loaded": stored,
        "shown": shown,
        "choices": answer_flow.level_choices(framework, q),
        "errors": errors,
        "error_links": answer_flow.answer_error_links(q, errors, level_value=shown["level"])
        + (
            [
                answer_flow.ErrorLink(
                    href=f"#{answer_flow.importance_field(dimension)}", label=dimension.key, message=importance_error
                )
            ]
            if importance_error
            else []
        ),
        "conflicts": conflicts,
        "number": index + 1,
        "position_in_dimension": position_in_dimension,
        "first": index == 0,
        "last": index + 1 == len(questions),
        "previous_url": _target("previous", round_, questions, index),
        "next_url": _target("next", round_, questions, index),
        "return_to_review": return_to_review,
        "review_url": answer_flow.page_url(round_, "review"),
        "dimension_page_url": f"{answer_flow.page_url(round_, dimension.key)}#{answer_flow.question_anchor(q.key)}",
        "dimension_links": [
            (d, answer_flow.question_url(round_, _first_open(d, answered_ids).key)) for d in dimensions if d.question_list
        ],
    }
    return render(request, "assessments/answer_question.html", context, status=status)


@login_required
@require_POST
def importance_save(request, slug, round_id, key):
    """Autosave of a dimension's importance (htmx, framework 2.0): the select alone; returns its save status.

    Without JavaScript the same field goes with the page's Next or Save (question, views.answer_page).
    """
    participant = answering_participant(request, slug, round_id)
    round_ = participant.round
    dimension = answer_flow.importance_dimension(round_, key)
    if dimension is None:
        raise Http404
    name = answer_flow.importance_field(dimension)
    context = {"name": name, "loaded_name": answer_flow.importance_loaded_field(dimension)}
    template = "assessments/partials/importance_status.html"
    if not round_.accepts_answers:
        return render(request, template, {**context, "closed": True}, status=409)
    sent, value, valid = answer_flow.importance_sent(request.POST, dimension)
    if not sent or not valid:
        return render(request, template, {**context, "error": _("Choose an importance from the list.")}, status=422)
    try:
        services.importance_save(participant=participant, dimension=dimension, importance=value)
    except services.RoundClosedError:
        # Closed between the check above and the save (the save waited for the closing).
        return render(request, template, {**context, "closed": True}, status=409)
    # The page's "as loaded" value follows, so that its plain submit does not take this autosave for its change.
    return render(request, template, {**context, "saved": True, "loaded": "" if value is None else str(value)})


@login_required
@require_POST
def mode_set(request, slug, round_id):
    """Switches between one question per screen and a dimension per page, where the respondent is."""
    participant = answering_participant(request, slug, round_id)
    round_ = participant.round
    mode = request.POST.get("mode")
    if mode not in answer_flow.MODES:
        mode = QUESTION_MODE
    at = request.POST.get("at", "")
    dimensions = selectors.round_dimensions(round_)
    target = None
    for d in dimensions:
        if at == d.key and d.question_list:
            if mode == PAGE_MODE:
                target = answer_flow.page_url(round_, d.key)
            else:
                target = answer_flow.question_url(round_, _first_open(d, _answered_ids(participant)).key)
        for q in d.question_list:
            if at == q.key:
                target = (
                    f"{answer_flow.page_url(round_, d.key)}#{answer_flow.question_anchor(q.key)}"
                    if mode == PAGE_MODE
                    else answer_flow.question_url(round_, q.key)
                )
    if target is None:  # from the welcome or the review: where this mode resumes
        target = answer_flow.resume_url(
            round_=round_,
            dimensions=dimensions,
            answered_ids=_answered_ids(participant),
            mode=mode,
            governance_answered=participant.raci_answers.exists(),
        )
    response = redirect(target)
    answer_flow.remember_mode(response, mode)
    return response


def _review_importance(round_, dimension, importances, mode) -> dict | None:
    """A dimension's importance on the review (2.0): its words, and where it is changed (its first question or its page)."""
    if not dimension.question_list:
        return None
    anchor = f"#{answer_flow.importance_field(dimension)}"
    if mode == QUESTION_MODE:
        change_url = f"{answer_flow.question_url(round_, dimension.question_list[0].key)}?from=review{anchor}"
    else:
        change_url = f"{answer_flow.page_url(round_, dimension.key)}{anchor}"
    return {"label": answer_flow.importance_label(importances.get(dimension.pk)), "change_url": change_url}


def _review_raci(participant) -> list[dict]:
    """A 2.0 round's as-is RACI on the review: each activity's A, the roles given R, C and I, and its screen."""
    round_ = participant.round
    catalogue = raci_catalogue.catalogue_for(round_)
    given = dict(participant.raci_answers.values_list("activity__key", "choice"))
    letters: dict[str, dict[str, list[str]]] = {}
    titles = {r.key: r.tr() for r in catalogue.roles}
    order = {r.key: i for i, r in enumerate(catalogue.roles)}
    rows = RaciLetter.objects.filter(participant=participant).values_list("activity__key", "role", "letter")
    for activity_key, role, letter in sorted(rows, key=lambda row: order.get(row[1], len(order))):
        letters.setdefault(activity_key, {}).setdefault(letter, []).append(titles.get(role, role))
    return [
        {
            "key": a.key,
            "title": a.tr(),
            "choice": answer_flow.raci_choice_label(given.get(a.key, ""), catalogue.roles),
            "letters": [(letter, letters.get(a.key, {}).get(letter, [])) for letter in RaciLetter.Letter.values],
            "change_url": f"{answer_flow.raci_activity_url(round_, a.key)}?from=review",
        }
        for a in catalogue.activities
    ]


@login_required
def review(request, slug, round_id):
    """Every answer (level, comment, link; on 2.0 its confidence and each dimension's importance) and every
    governance choice, each with a link to change it; then submit."""
    participant = answering_participant(request, slug, round_id)
    round_ = participant.round
    framework = round_.framework
    dimensions = selectors.round_dimensions(round_)
    questions = _questions(dimensions)
    answers = selectors.answers_by_question(participant=participant, question_ids=[q.pk for q in questions])
    notes = selectors.notes_by_question(participant=participant, question_ids=[q.pk for q in questions])
    mode = answer_flow.answer_mode(request)
    # 2.0: each answer's confidence and each dimension's importance are read back too (one query more).
    v2 = answer_flow.answers_v2(framework)
    importances = answer_flow.importances_by_dimension(participant) if v2 else {}
    sections, missing = [], []
    for d in dimensions:
        rows = []
        for q in d.question_list:
            answer = answers.get(q.pk)
            note = None if answer else notes.get(q.pk)
            if mode == QUESTION_MODE:
                change_url = f"{answer_flow.question_url(round_, q.key)}?from=review"
            else:
                change_url = f"{answer_flow.page_url(round_, d.key)}#{answer_flow.question_anchor(q.key)}"
            level = None
            if answer is not None:
                level = None if answer.level is None else f"{answer.level} · {framework.level_label(answer.level)}"
            row = {
                "question": q,
                "answered": answer is not None,
                "dont_know": answer is not None and answer.level is None and not answer.not_applicable,
                "not_applicable": answer is not None and answer.not_applicable,
                "level": level,
                "comment": answer.comment if answer else (note.comment if note else ""),
                "evidence": answer.evidence_url if answer else (note.evidence_url if note else ""),
                "change_url": change_url,
                # A confidence qualifies a level: "don't know" and "not applicable" have none.
                "confidence": answer_flow.confidence_label(answer) if v2 and level is not None else "",
            }
            rows.append(row)
            if answer is None:
                missing.append(row)
        sections.append(
            {"dimension": d, "rows": rows, "importance": _review_importance(round_, d, importances, mode) if v2 else None}
        )
    if v2:
        governance = _review_raci(participant)
    else:
        choices = dict(raci_answer_choices(framework))
        raci = {a.activity_id: a.choice for a in participant.raci_answers.all()}
        governance = [
            {"title": a.tr("title"), "choice": choices.get(raci.get(a.pk, ""), "")} for a in framework.raci_activities.all()
        ]
    context_answers = {a.question_id: a.choice for a in participant.context_answers.all()}
    context_rows = [
        {"text": c.tr("text"), "choice": c.choice_label(context_answers[c.pk]) if c.pk in context_answers else ""}
        for c in framework.context_questions.all()
    ]
    answered_ids = set(answers)
    return render(
        request,
        "assessments/answer_review.html",
        {
            **_base(participant, dimensions, _progress(participant, dimensions, answered_ids)),
            "sections": sections,
            "missing": missing,
            "governance": governance,
            "context_rows": context_rows,
            "raci_missing": sum(1 for row in governance if not row["choice"]),
            "governance_url": answer_flow.page_url(round_, "governance"),
        },
    )


@login_required
def done(request, slug, round_id):
    """The end screen after submitting: thanks, and what happens next."""
    participant = answering_participant(request, slug, round_id)
    if participant.submitted_at is None:
        return redirect("assessments:answer_review", slug=slug, round_id=round_id)
    round_ = participant.round
    return render(
        request,
        "assessments/answer_done.html",
        {"organisation": round_.organisation, "round": round_, "participant": participant, "closed": not round_.accepts_answers},
    )
