"""Delegation: a participant forwards one question to a named colleague, who answers it through a signed link.

* `delegation_create` / `delegation_revoke`: the participant's side (signed in, their own participation).
* `delegation_answer`: the colleague's side, `/d/<token>/`, no login. The token opens one question
  of one participant: that page only, and only the fields of that question (anything else is 404).
  Saving goes through services.clean_answer and services.answer_save, like the participant's own
  answers, with the answer marked as given by the colleague.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.permissions import Action, role_can
from organisations.selectors import membership_get
from outbox import services as outbox
from outbox.messages import warn_if_deferred

from . import selectors, services
from .forms_answers import DelegatedAnswerForm

# ------------------------------------------------------------------------ participant's side


def _participant(request, slug, round_id):
    try:
        return selectors.participant_for_answering(user=request.user, slug=slug, round_id=round_id)
    except Http404:
        # A member whose role never answers (a viewer) is told so; anyone else finds nothing.
        membership = membership_get(user=request.user, slug=slug)
        if not role_can(membership.role, Action.ANSWER):
            raise PermissionDenied from None
        raise


def _question(participant, question_key):
    question = participant.round.asked_questions().filter(key=question_key).select_related("dimension").first()
    if question is None:
        raise Http404
    return question


def _questionnaire_url(participant, question):
    round_ = participant.round
    url = reverse("assessments:answer_page", args=[round_.organisation.slug, round_.pk, question.dimension.key])
    return f"{url}#q-{question.key.replace('.', '-')}-title"


@login_required
def delegation_create(request, slug, round_id, question_key):
    """GET: the forward form with the links already sent for this question; POST: forwards it by e-mail."""
    participant = _participant(request, slug, round_id)
    question = _question(participant, question_key)
    round_ = participant.round
    typed = {"delegate_name": "", "delegate_email": ""}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values, errors = services.clean_delegation(
            name=request.POST.get("delegate_name", ""), email=request.POST.get("delegate_email", "")
        )
        typed = {
            "delegate_name": request.POST.get("delegate_name", "")[:300],
            "delegate_email": request.POST.get("delegate_email", "")[:300],
        }
        if not round_.accepts_answers:
            errors, status = {"form": _("This round is closed: questions can no longer be forwarded.")}, 409
        elif errors:
            status = 400
        else:
            try:
                with outbox.track() as queue:
                    delegation = services.delegation_create(participant=participant, question=question, **values)
            except services.RoundClosedError:
                errors, status = {"form": _("This round is closed: questions can no longer be forwarded.")}, 409
            except services.DelegationError:
                errors, status = {"form": _("You have forwarded many questions today: try again tomorrow.")}, 429
            else:
                messages.success(
                    request,
                    _(
                        "Question %(key)s has been forwarded to %(name)s (%(email)s). Their answer will appear here, marked as theirs."
                    )
                    % {"key": question.key, "name": delegation.delegate_name, "email": delegation.delegate_email},
                )
                warn_if_deferred(request, queue)
                return redirect(_questionnaire_url(participant, question))
    answer = participant.answers.filter(question=question).first()
    return render(
        request,
        "assessments/delegation_forward.html",
        {
            "organisation": round_.organisation,
            "round": round_,
            "participant": participant,
            "question": question,
            "answer": answer,
            "delegations": selectors.delegations_for_question(participant=participant, question=question),
            "typed": typed,
            "errors": errors,
            "closed": not round_.accepts_answers,
            "now": timezone.now(),
            "back": _questionnaire_url(participant, question),
        },
        status=status,
    )


@login_required
@require_POST
def delegation_revoke(request, slug, round_id, question_key):
    participant = _participant(request, slug, round_id)
    question = _question(participant, question_key)
    if services.delegation_revoke(participant=participant, question=question):
        messages.success(request, _("The link sent for %(key)s no longer works.") % {"key": question.key})
    return redirect("assessments:delegation_create", slug=slug, round_id=round_id, question_key=question.key)


# ------------------------------------------------------------------------- colleague's side

INVALID_STATUS = {"invalid": 404, "revoked": 410, "expired": 410, "used": 410, "closed": 410}


def _language(request, delegation) -> str:
    """The colleague has no account: the language they chose on the site, else the participant's (the e-mail's)."""
    supported = {code for code, _name in settings.LANGUAGES}
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in supported:
        return cookie
    language = delegation.participant.user.language
    return language if language in supported else settings.LANGUAGE_CODE


def _invalid(request, code, delegation=None):
    return render(
        request,
        "assessments/delegation_invalid.html",
        {"code": code, "delegation": delegation},
        status=INVALID_STATUS.get(code, 410),
    )


def delegation_answer(request, token):
    """The single question a colleague was asked to answer (GET shows it; POST saves, by htmx autosave or a plain submit)."""
    try:
        delegation = services.delegation_from_token(token)
    except services.LinkError:
        raise Http404 from None
    with translation.override(_language(request, delegation)):
        response = _delegation_answer(request, delegation)
        response["Content-Language"] = translation.get_language()
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _delegation_answer(request, delegation):
    question = delegation.question
    prefix = f"q-{question.key}-"
    if request.method == "POST" and any(name.startswith("q-") and not name.startswith(prefix) for name in request.POST):
        raise Http404  # the link opens this question only
    answer = selectors.delegation_answer(delegation=delegation)
    try:
        services.delegation_check(delegation, answer)
    except services.LinkError as error:
        if request.method == "POST" and request.htmx:
            data = services.AnswerInput(comment=request.POST.get(prefix + "comment"))
            return render(
                request, "assessments/partials/save_status.html", {"question": question, "data": data, "closed": True}, status=409
            )
        return _invalid(request, error.code, delegation)
    errors = services.AnswerErrors()
    typed = None
    status = 200
    if request.method == "POST":
        form = DelegatedAnswerForm(request.POST, question=question)
        form.is_valid()
        data, values, errors = form.sent(), form.values, form.answer_errors()
        if not errors:
            try:
                services.delegation_answer_save(delegation=delegation, values=values)
            except services.MissingLevelError:
                errors = services.AnswerErrors(level=_("Choose a level before adding a comment."))
            except services.LinkError as error:
                return _invalid(request, error.code, delegation)
        if request.htmx:
            context = {"question": question, "data": data}
            if errors:
                return render(request, "assessments/partials/save_status.html", {**context, "errors": errors}, status=422)
            return render(request, "assessments/partials/save_status.html", {**context, "saved": True})
        if not errors:
            messages.success(request, _("Thank you: your answer is recorded. You can change it while the round is open."))
            return redirect("assessments:delegation_answer", token=services.delegation_token(delegation))
        typed, status = data, 400
    theirs = services.delegation_answer_is_theirs(delegation, answer)
    framework = delegation.participant.round.framework
    if typed is not None:
        level, comment = typed.level or "", typed.comment or ""
    elif theirs:
        level, comment = ("dk" if answer.level is None else str(answer.level)), answer.comment
    else:
        level, comment = "", ""  # the participant's own answer is not shown to the colleague
    round_ = delegation.participant.round
    return render(
        request,
        "assessments/delegation_answer.html",
        {
            "delegation": delegation,
            "round": round_,
            "round_organisation": round_.organisation,
            "participant_name": delegation.participant.user.display_name,
            "question": question,
            "token": services.delegation_token(delegation),
            "answered": theirs,
            "errors": errors,
            "level": level,
            "comment": comment,
            "choices": [
                {"value": str(e["level"]), "label": framework.level_label(e["level"]), "text": question.level_text(e["level"])}
                for e in framework.levels
            ],
        },
        status=status,
    )
