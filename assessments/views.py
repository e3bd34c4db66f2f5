"""Round pages: run a round (facilitator), invite (sponsor), answer (participants); a new round is workspace's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from organisations import undo as undo_offers
from organisations.permissions import Action, role_can
from organisations.selectors import membership_get
from outbox import services as outbox
from outbox.messages import warn_if_deferred

from . import answer_flow, enrolment, facilitator_notes, raci_catalogue, selectors, services, views_confirm, views_sample
from . import undo as assessments_undo
from .domain.answers import NOT_APPLICABLE
from .evidence_cap import CapFrozenError, round_cap_by_evidence_set
from .forms import ContextForm, ParticipantForm, RoundEditForm
from .forms_answers import AnswerForm, GovernanceForm
from .models import Confidence, RoundStatus

# ------------------------------------------------------------------ facilitator and sponsor


@login_required
def round_detail(request, slug, round_id):
    membership = membership_get(user=request.user, slug=slug)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    return _round_page(request, membership, round_)


def _round_page(request, membership, round_, *, participant_form=None, context_form=None, status=200):
    """The round page; `participant_form` re-displays an invitation that had errors, as typed."""
    role = membership.role
    context = {
        "organisation": membership.organisation,
        "membership": membership,
        "round": round_,
        "can_manage": role_can(role, Action.MANAGE_ROUNDS),
        "can_invite": role_can(role, Action.INVITE_PARTICIPANTS),
        "can_see_individual": role_can(role, Action.VIEW_INDIVIDUAL_ANSWERS) and not round_.anonymous,
        "my_participation": round_.participants.filter(user=request.user, withdrawn_at__isnull=True).first(),
        "can_see_results": round_.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED)
        and role_can(
            role, Action.VIEW_RESULTS_PUBLISHED if round_.status == RoundStatus.PUBLISHED else Action.VIEW_RESULTS_UNPUBLISHED
        ),
    }
    if context["can_invite"]:
        context["participants"] = selectors.round_participants(round_=round_)
        context["question_count"] = round_.asked_questions().count()
        context["participant_form"] = participant_form or ParticipantForm()
        context["pending_invitations"] = enrolment.pending_invitations(round_=round_)
    if context["can_manage"]:
        context["context_form"] = context_form if context_form is not None else _context_form(round_)
    return render(request, "assessments/round_detail.html", context, status=status)


def _context_form(round_, data=None):
    question = round_.framework.context_questions.filter(key="cxo_reports_to").first()
    choices = (
        [(c["key"], question.choice_label(c["key"])) for c in question.choices if c["key"] != "dont_know"] if question else []
    )
    initial = {"cxo_exists": {True: "yes", False: "no"}.get(round_.cxo_exists, ""), "cxo_reports_to": round_.cxo_reports_to}
    form = ContextForm(data, initial=initial, reports_to_choices=choices)
    counts = selectors.context_prefill(round_=round_)
    form.prefill = [
        (q.tr("text"), [(q.choice_label(choice), n) for choice, n in sorted(counts[q.key].items())])
        for q in round_.framework.context_questions.all()
        if q.key in counts
    ]
    return form


@login_required
def round_edit(request, slug, round_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.MANAGE_ROUNDS)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    form = RoundEditForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                round_=round_,
                **{k: form.cleaned_data[k] for k in ("title", "due_date", "anonymous")},
                short_form=form.cleaned_data.get("short_form"),
            )
            if not form.fields["min_respondents"].disabled:
                services.round_sample_rule_set(
                    round_=round_, **{k: form.cleaned_data[k] for k in ("min_respondents", "min_response_percent")}
                )
            if not form.fields["cap_by_evidence"].disabled:  # a closed round's results are stored again
                round_cap_by_evidence_set(round_=round_, on=form.cleaned_data["cap_by_evidence"])
        except CapFrozenError:  # published by someone else since this page was loaded
            form.add_error("cap_by_evidence", _("Fixed while the results are published. Reopen the round to change it."))
        except services.AnonymityFrozenError:
            # The round was opened by someone else since this page was loaded.
            form.add_error("anonymous", _("Fixed: the round has been opened and people answered under this promise."))
        except services.TransitionError:  # closed by someone else since this page was loaded
            form.add_error(
                "min_respondents", _("Fixed: the results have been stored under this rule. Reopen the round to change it.")
            )
        else:
            messages.success(request, _("The round has been saved."))
            return redirect("assessments:round", slug=slug, round_id=round_.pk)
    return render(
        request,
        "assessments/round_edit.html",
        {"organisation": membership.organisation, "membership": membership, "round": round_, "form": form},
    )


TRANSITION_MESSAGES = {
    "open": gettext_lazy("The round is open: participants receive their invitation."),
    "draft": gettext_lazy("The round is back to draft."),
    "closed": gettext_lazy("The round is closed: answers are frozen."),
    "published": gettext_lazy("The results are published to every member."),
}


@login_required
@require_POST
def round_transition(request, slug, round_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.MANAGE_ROUNDS)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    target = request.POST.get("to", "")
    # Below the minimum response rule the low-sample page (counts and an override) is the confirmation.
    low_sample = views_sample.close_check(request, membership, round_, target)
    if low_sample is not None:
        return low_sample
    confirmation = views_confirm.transition_confirmation(request, membership, round_, target)
    if confirmation is not None:
        return confirmation
    try:
        with outbox.track() as queue:
            services.round_transition(round_=round_, to=target)
    except services.PublishBlocked as blocked:
        for message in blocked.messages:  # each registered check says what to fix (assessments/publish_checks.py)
            messages.error(request, message)
    except services.TransitionError:
        messages.error(request, _("This change of status is not possible now."))
    else:
        messages.success(request, TRANSITION_MESSAGES[target])
        warn_if_deferred(request, queue)
    return redirect("assessments:round", slug=slug, round_id=round_.pk)


@login_required
@require_POST
def participant_add(request, slug, round_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.INVITE_PARTICIPANTS)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        if round_.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED):
            messages.error(request, _("This round is closed: reopen it to add participants."))
        else:
            with outbox.track() as queue:
                added = enrolment.participant_add(round_=round_, invited_by=request.user, **form.cleaned_data)
            warn_if_deferred(request, queue)
            email, outcome = added.email, added.participant_outcome
            if outcome is None:
                # Not a member: an invitation to accept. The same words whether or not an account exists.
                messages.success(
                    request,
                    _(
                        "An invitation to join %(organisation)s and answer this round has been sent to %(email)s: they take part once they accept it."
                    )
                    % {"organisation": round_.organisation.name, "email": email},
                )
            elif outcome.created or outcome.reinstated:
                if round_.status == RoundStatus.OPEN:
                    messages.success(request, _("%(email)s has been invited.") % {"email": email})
                else:
                    messages.success(
                        request, _("%(email)s has been added; the invitation goes out when the round opens.") % {"email": email}
                    )
            else:
                messages.info(request, _("%(email)s already takes part; their function has been updated.") % {"email": email})
            return redirect("assessments:round", slug=slug, round_id=round_.pk)
    # Re-display the whole page with the errors and what was typed.
    return _round_page(request, membership, round_, participant_form=form, status=400)


@login_required
@require_POST
def participant_resend(request, slug, round_id, participant_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.INVITE_PARTICIPANTS)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    participant = selectors.participant_get(round_=round_, participant_id=participant_id)
    if round_.status != RoundStatus.OPEN or participant.withdrawn_at:
        messages.error(request, _("Links can only be sent while the round is open."))
    else:
        with outbox.track() as queue:
            services.participant_send_link(participant_id=participant.pk)
        messages.success(request, _("A new link has been sent to %(email)s.") % {"email": participant.user.email})
        warn_if_deferred(request, queue)
    return redirect("assessments:round", slug=slug, round_id=round_.pk)


@login_required
@require_POST
def participant_withdraw(request, slug, round_id, participant_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.MANAGE_ROUNDS)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    participant = selectors.participant_get(round_=round_, participant_id=participant_id)
    if participant.withdrawn_at is not None:
        messages.info(request, _("%(email)s has already been withdrawn.") % {"email": participant.user.email})
        return redirect("assessments:round", slug=slug, round_id=round_.pk)
    confirmation = views_confirm.withdraw_confirmation(request, membership, round_, participant)
    if confirmation is not None:
        return confirmation
    services.participant_withdraw(participant=participant)
    undo_offers.offer(
        request,
        organisation=membership.organisation,
        kind=assessments_undo.WITHDRAWAL,
        payload=assessments_undo.withdrawal_payload(participant),
        message=_("%(email)s has been withdrawn: their answers no longer count.") % {"email": participant.user.email},
        back=reverse("assessments:round", args=[slug, round_.pk]),
    )
    return redirect("assessments:round", slug=slug, round_id=round_.pk)


@login_required
@require_POST
def round_remind(request, slug, round_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.MANAGE_ROUNDS)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    if round_.status != RoundStatus.OPEN:
        messages.error(request, _("Reminders can only be sent while the round is open."))
    else:
        pending = round_.participants.filter(withdrawn_at__isnull=True, submitted_at__isnull=True)
        with outbox.track() as queue:
            for participant in pending:
                services.participant_send_link(participant_id=participant.pk, reminder=True)
        messages.success(request, _("Reminder sent to %(count)d participant(s).") % {"count": len(pending)})
        warn_if_deferred(request, queue)
    return redirect("assessments:round", slug=slug, round_id=round_.pk)


@login_required
@require_POST
def round_context(request, slug, round_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.MANAGE_ROUNDS)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    form = _context_form(round_, request.POST)
    if not form.is_valid():
        # Re-display the whole page with the errors next to the fields and what was chosen.
        return _round_page(request, membership, round_, context_form=form, status=400)
    services.round_set_context(round_=round_, **form.cleaned_data)
    messages.success(request, _("The context has been saved."))
    return redirect("assessments:round", slug=slug, round_id=round_.pk)


@login_required
def participant_answers(request, slug, round_id, participant_id):
    """A participant's individual answers: facilitators only, and only in attributed rounds."""
    membership = membership_get(user=request.user, slug=slug, action=Action.VIEW_INDIVIDUAL_ANSWERS)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    if round_.anonymous:
        raise Http404
    participant = selectors.participant_get(round_=round_, participant_id=participant_id)
    dimensions = selectors.round_dimensions(round_)
    answers = selectors.answers_by_question(
        participant=participant, question_ids=[q.pk for d in dimensions for q in d.question_list]
    )
    return render(
        request,
        "assessments/participant_answers.html",
        {
            "organisation": membership.organisation,
            "membership": membership,
            "round": round_,
            "participant": participant,
            "dimensions": dimensions,
            "answers": answers,
        },
    )


@login_required
def round_print(request, slug, round_id):
    """The blank questionnaire, to read before answering (print stylesheet)."""
    membership = membership_get(user=request.user, slug=slug)
    round_ = selectors.round_get(membership=membership, round_id=round_id)
    framework = round_.framework
    dimensions = selectors.round_dimensions(round_)
    # 2.0: the facilitator's copy carries the guidance and the evidence to ask for; a respondent's does not.
    with_notes = facilitator_notes.shown_to(membership, framework)
    if with_notes:
        for d in dimensions:
            facilitator_notes.attach(framework, d.question_list)
    return render(
        request,
        "assessments/print.html",
        {
            "organisation": membership.organisation,
            "membership": membership,
            "round": round_,
            "dimensions": dimensions,
            "facilitator_notes": with_notes,
            "levels": [{"level": entry["level"], "label": framework.level_label(entry["level"])} for entry in framework.levels],
            "activities": framework.raci_activities.all(),
            "context_questions": framework.context_questions.all(),
        },
    )


# ---------------------------------------------------------------------------- participants


def answering_participant(request, slug, round_id):
    """The requester's participation in the round, for the questionnaire's pages (the dimension and one-question flows).

    404 for anyone who does not take part; 403 for a member whose role never answers (a viewer).
    """
    try:
        return selectors.participant_for_answering(user=request.user, slug=slug, round_id=round_id)
    except Http404:
        # A member whose role never answers (a viewer) is told so; anyone else finds nothing.
        membership = membership_get(user=request.user, slug=slug)
        if not role_can(membership.role, Action.ANSWER):
            raise PermissionDenied from None
        raise


def _pages(dimensions):
    """The questionnaire's pages in order: each dimension, then the governance page, then the review."""
    return [d.key for d in dimensions] + ["governance", "review"]


def _progress(participant, dimensions):
    counts = selectors.answered_counts(participant=participant)
    total = sum(len(d.question_list) for d in dimensions)
    answered = sum(counts.values())
    for d in dimensions:
        d.answered = counts.get(d.pk, 0)
        d.complete = d.answered >= len(d.question_list)
    percent = int(100 * answered / total) if total else 0
    return {"answered": answered, "total": total, "percent": percent}


CONFLICT_LABELS = {
    "level": gettext_lazy("level"),
    "comment": gettext_lazy("comment"),
    "evidence_url": gettext_lazy("evidence link"),
    "confidence": gettext_lazy("confidence"),
}
# The answers that are not a level, as the other window's value is named.
NOT_LEVELS = {services.DONT_KNOW: gettext_lazy("Don't know"), NOT_APPLICABLE: gettext_lazy("Not applicable")}


def conflict_notices(conflicts, framework) -> list[dict]:
    """The values another tab had saved meanwhile and this save replaced, one notice per field, worded as on the page."""
    notices = []
    for conflict in conflicts:
        replaced = conflict.replaced
        if conflict.field == "level":
            if replaced in NOT_LEVELS:
                replaced = str(NOT_LEVELS[replaced])
            else:
                replaced = framework.level_label(int(replaced)) if replaced else "—"
        elif conflict.field == "confidence" and replaced:
            replaced = str(Confidence(replaced).label)
        notices.append({"field": CONFLICT_LABELS[conflict.field], "replaced": replaced or "—"})
    return notices


def _page_items(questions, *, answers, notes, typed, errors, conflicts, levels, answer_context) -> list[dict]:
    """A dimension page's questions as stored, or as typed where the page comes back with a problem."""
    items = []
    for q in questions:
        answer = answers.get(q.pk)
        note = notes.get(q.pk) if answer is None else None
        stored = {
            "level": answer_flow.stored_level(answer),
            "comment": answer.comment if answer else (note.comment if note else ""),
            "evidence": answer.evidence_url if answer else (note.evidence_url if note else ""),
            "confidence": (answer.confidence or "") if answer else "",
        }
        data = typed.get(q.key)
        item = {
            "question": q,
            "answer": answer,
            "note": note,
            "errors": errors.get(q.key),
            "conflicts": conflicts.get(q.key),
            # What the page shows as loaded: sent back on a plain submit so that only the fields
            # changed on this page are written (services.answer_save_from_page).
            "loaded": stored,
            "level": data.level if data and data.level is not None else stored["level"],
            "comment": data.comment if data and data.comment is not None else stored["comment"],
            "evidence": data.evidence_url if data and data.evidence_url is not None else stored["evidence"],
            "confidence": data.confidence if data and data.confidence is not None else stored["confidence"],
            "options": answer_flow.answer_options(q, answer_context),
            "choices": [{"value": str(lv["level"]), "label": lv["label"], "text": q.level_text(lv["level"])} for lv in levels],
        }
        items.append(item)
    return items


@login_required
def answer_page(request, slug, round_id, page):
    participant = answering_participant(request, slug, round_id)
    round_ = participant.round
    dimensions = selectors.round_dimensions(round_)
    pages = _pages(dimensions)
    if page not in pages:
        raise Http404
    if page == "governance":
        return _governance_page(request, participant, dimensions, pages)
    dimension = next(d for d in dimensions if d.key == page)
    questions = dimension.question_list
    v2 = answer_flow.answers_v2(round_.framework)
    # 2.0: what is known of the round and the respondent decides the wordings and "not applicable".
    answer_context = answer_flow.answer_context(participant)
    importance_error = ""
    errors: dict[str, services.AnswerErrors] = {}
    typed: dict[str, services.AnswerInput] = {}
    status = 200
    conflicts: dict[str, list] = {}
    if request.method == "POST":
        # Plain submit (JavaScript off): save every question of the page, keep what was typed on error.
        page_forms = [AnswerForm(request.POST, question=q, context=answer_context) for q in questions]
        importance_error = answer_flow.importance_refused(request.POST, dimension, v2)
        if not round_.accepts_answers:
            status = 409
            typed = {form.question.key: form.sent() for form in page_forms}
        else:
            for form in page_forms:
                if not form.is_valid():
                    errors[form.question.key] = form.answer_errors()
                    typed[form.question.key] = form.sent()
            try:
                for form in page_forms:
                    if form.question.key not in errors:
                        found = services.answer_save_from_page(
                            participant=participant, question=form.question, values=form.values, loaded=form.loaded()
                        )
                        if found:
                            conflicts[form.question.key] = conflict_notices(found, round_.framework)
                if v2:
                    answer_flow.importance_save_sent(request.POST, participant, dimension)
            except services.RoundClosedError:
                # Closed while this page was being saved: nothing more is written, what was typed is shown back.
                round_.refresh_from_db(fields=["status"])
                status = 409
                typed = {form.question.key: form.sent() for form in page_forms}
                errors, conflicts = {}, {}
            else:
                if not errors and not conflicts and not importance_error:
                    next_page = pages[pages.index(page) + 1]
                    messages.success(request, _("Your answers are saved."))
                    return redirect("assessments:answer_page", slug=slug, round_id=round_id, page=next_page)
                if conflicts:
                    messages.warning(
                        request,
                        _(
                            "Some answers had also been changed in another window since this page was loaded: your version is saved, the other one is shown below."
                        ),
                    )
                status = 400 if errors or importance_error else 200
    question_ids = [q.pk for q in questions]
    answers = selectors.answers_by_question(participant=participant, question_ids=question_ids)
    notes = selectors.notes_by_question(participant=participant, question_ids=question_ids)
    progress = _progress(participant, dimensions)
    framework = round_.framework
    levels = [{"level": entry["level"], "label": framework.level_label(entry["level"])} for entry in framework.levels]
    items = _page_items(
        questions,
        answers=answers,
        notes=notes,
        typed=typed,
        errors=errors,
        conflicts=conflicts,
        levels=levels,
        answer_context=answer_context,
    )
    index = pages.index(page)
    return render(
        request,
        "assessments/answer_dimension.html",
        {
            "organisation": round_.organisation,
            "round": round_,
            "participant": participant,
            "dimension": dimension,
            "dimensions": dimensions,
            "items": items,
            "intro": dimension.tr("intro"),
            "importance": _importance(request, participant, dimension, importance_error) if v2 else None,
            "progress": progress,
            "previous_page": pages[index - 1] if index > 0 else None,
            "next_page": pages[index + 1],
            "page_number": index + 1,
            "page_count": len(pages),
            "closed": not round_.accepts_answers,
        },
        status=status,
    )


def _importance(request, participant, dimension, error: str) -> dict:
    """The dimension's importance field (2.0): as sent when the page comes back with an error, else as stored."""
    value = request.POST.get(answer_flow.importance_field(dimension)) if request.method == "POST" else None
    if value is None:
        stored = answer_flow.importance_stored(participant, dimension)
        value = "" if stored is None else str(stored)
    return {
        "name": answer_flow.importance_field(dimension),
        "value": value,
        "choices": answer_flow.importance_choices(),
        "error": error,
    }


@login_required
@require_POST
def answer_save(request, slug, round_id, question_key):
    """Autosave of one question (htmx): only the fields sent are written; returns the save status."""
    participant = answering_participant(request, slug, round_id)
    round_ = participant.round
    question = round_.asked_questions().filter(key=question_key).first()
    if question is None:
        raise Http404
    # 2.0: "not applicable" is accepted where the question's rule holds for this respondent.
    answer_context = answer_flow.answer_context(participant)
    form = AnswerForm(request.POST, question=question, context=answer_context)
    context = {"question": question, "data": form.sent()}
    if not round_.accepts_answers:
        return render(request, "assessments/partials/save_status.html", {**context, "closed": True}, status=409)
    # The messages of a comment or a link also go next to their field (out-of-band swap).
    context["field_messages"] = True
    if not form.is_valid():
        return render(request, "assessments/partials/save_status.html", {**context, "errors": form.answer_errors()}, status=422)
    values = form.values
    try:
        noted = services.answer_save(participant=participant, question=question, values=values)
    except services.RoundClosedError:
        # Closed between the check above and the save (the save waited for the closing).
        return render(request, "assessments/partials/save_status.html", {**context, "closed": True}, status=409)
    # What this tab now knows to be stored: the page's "as loaded" values follow (out-of-band), so
    # that a later plain submit of this page does not take its own autosaves for its changes.
    loaded = {("evidence" if name == "evidence_url" else name): services.as_sent(name, value) for name, value in values.items()}
    return render(
        request, "assessments/partials/save_status.html", {**context, "saved": True, "needs_level": noted, "loaded": loaded}
    )


def raci_answer_choices(framework):
    """The choices of an as-is RACI answer: the framework's roles, then "nobody" and "don't know"."""
    roles = [(r.key, r.tr("title")) for r in framework.raci_roles.all()]
    return [*roles, ("nobody", _("Nobody")), ("dont_know", _("Don't know"))]


def _governance_page(request, participant, dimensions, pages):
    round_ = participant.round
    framework = round_.framework
    # 2.0: the RACI is asked one activity per screen (views_answer_raci); this page keeps the context
    # questions and lists the activities. 1.0: one role per activity, here.
    raci_v2 = answer_flow.answers_v2(framework)
    activities = [] if raci_v2 else list(framework.raci_activities.all())
    context_questions = list(framework.context_questions.all())
    raci_choices = raci_answer_choices(framework)
    status = 200
    form = None
    if request.method == "POST":
        form = GovernanceForm(request.POST, activities=activities, context_questions=context_questions, raci_choices=raci_choices)
        if not round_.accepts_answers:
            status = 409
        else:
            form.is_valid()  # the valid choices are saved even when another one is refused, as on a dimension page
            try:
                for kind, target, choice in form.choices():
                    if kind == "raci":
                        services.raci_answer_save(participant=participant, activity=target, choice=choice)
                    else:
                        services.context_answer_save(participant=participant, question=target, choice=choice)
            except services.RoundClosedError:
                round_.refresh_from_db(fields=["status"])
                status = 409
            else:
                if not form.errors:
                    messages.success(request, _("Your answers are saved."))
                    if raci_v2:
                        return redirect(_raci_start(participant))
                    return redirect("assessments:answer_page", slug=round_.organisation.slug, round_id=round_.pk, page="review")
                status = 400
    raci = {} if raci_v2 else {a.activity_id: a.choice for a in participant.raci_answers.all()}
    ctx = {a.question_id: a.choice for a in participant.context_answers.all()}
    # Refused (400) or closed (409): what was sent is shown back, a refused choice with its message.
    shown = form if status != 200 else None
    for activity in activities:
        name = f"raci-{activity.key}"
        activity.current = shown.typed(name) if shown is not None else raci.get(activity.pk, "")
        activity.error = shown.error(name) if shown is not None and status == 400 else ""
    for question in context_questions:
        name = f"ctx-{question.key}"
        question.current = shown.typed(name) if shown is not None else ctx.get(question.pk, "")
        question.error = shown.error(name) if shown is not None and status == 400 else ""
        question.choice_list = [(c["key"], question.choice_label(c["key"])) for c in question.choices]
    return render(
        request,
        "assessments/answer_governance.html",
        {
            "organisation": round_.organisation,
            "round": round_,
            "participant": participant,
            "dimensions": dimensions,
            "progress": _progress(participant, dimensions),
            "activities": activities,
            "context_questions": context_questions,
            "raci_choices": raci_choices,
            "raci_v2": _raci_activity_rows(participant) if raci_v2 else None,
            "previous_page": pages[-3],
            "page_number": len(pages) - 1,
            "page_count": len(pages),
            "closed": not round_.accepts_answers,
        },
        status=status,
    )


def _raci_activity_rows(participant) -> dict:
    """A 2.0 round's RACI activities on the governance page: each one's A as given, and its screen."""
    round_ = participant.round
    catalogue = raci_catalogue.catalogue_for(round_)
    given = dict(participant.raci_answers.values_list("activity__key", "choice"))
    rows = [
        {
            "key": a.key,
            "title": a.tr(),
            "choice": answer_flow.raci_choice_label(given.get(a.key, ""), catalogue.roles),
            "url": answer_flow.raci_activity_url(round_, a.key),
        }
        for a in catalogue.activities
    ]
    start = next((row for row in rows if not row["choice"]), rows[0] if rows else None)
    return {"rows": rows, "answered": sum(1 for row in rows if row["choice"]), "start_url": start["url"] if start else ""}


def _raci_start(participant) -> str:
    """Where a 2.0 round's RACI starts: its first activity without an A (else its first; the review without any)."""
    return _raci_activity_rows(participant)["start_url"] or answer_flow.page_url(participant.round, "review")


@login_required
@require_POST
def answer_choice_save(request, slug, round_id, kind, key):
    """Autosave of one governance choice (as-is RACI or context question)."""
    participant = answering_participant(request, slug, round_id)
    round_ = participant.round
    framework = round_.framework
    if kind == "raci":
        # 2.0 saves an activity's A with its letters (views_answer_raci), so that the A never clashes with them.
        target = None if answer_flow.answers_v2(framework) else framework.raci_activities.filter(key=key).first()
    else:
        target = framework.context_questions.filter(key=key).first()
    if target is None:
        raise Http404
    if kind == "raci":
        form = GovernanceForm(request.POST, activities=[target], raci_choices=raci_answer_choices(framework), required=True)
    else:
        form = GovernanceForm(request.POST, context_questions=[target], required=True)
    context = {"question": target}
    if not round_.accepts_answers:
        return render(request, "assessments/partials/save_status.html", {**context, "closed": True}, status=409)
    if not form.is_valid():
        errors = services.AnswerErrors(level=form.error(next(iter(form.fields))))
        return render(request, "assessments/partials/save_status.html", {**context, "errors": errors}, status=422)
    [(_kind, _target, choice)] = form.choices()  # required: exactly the one sent
    try:
        if kind == "raci":
            services.raci_answer_save(participant=participant, activity=target, choice=choice)
        else:
            services.context_answer_save(participant=participant, question=target, choice=choice)
    except services.RoundClosedError:
        return render(request, "assessments/partials/save_status.html", {**context, "closed": True}, status=409)
    return render(request, "assessments/partials/save_status.html", {**context, "saved": True})


@login_required
@require_POST
def answer_submit(request, slug, round_id):
    participant = answering_participant(request, slug, round_id)
    try:
        services.participant_submit(participant=participant)
    except services.RoundClosedError:
        messages.error(request, _("This round is closed: your answers can no longer be changed."))
        return redirect("assessments:answer_page", slug=slug, round_id=round_id, page="review")
    # The end screen thanks and says what happens next, whichever way the answers were given.
    return redirect("assessments:answer_done", slug=slug, round_id=round_id)
