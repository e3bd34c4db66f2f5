"""The as-is RACI of a framework 2.0 round, one activity per screen (issue #17).

For each activity the respondent says who is accountable today (the A: one role, "nobody" or
"don't know") and, per role, whether it does the work (R), is consulted (C) or informed (I). Each
tap autosaves the whole screen (htmx, the same URL answers with a status); without JavaScript,
Previous and Next save it. A 1.0 round asks one role per activity on the governance page instead
(views._governance_page), and has no such screen.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import answer_flow, raci_catalogue, services
from .forms_answers import RaciActivityForm, raci_letter_clash_message, raci_not_a_role_choices
from .models import RaciLetter
from .views import answering_participant

GOES = ("next", "previous", "governance", "review")


def _target(go: str, round_, keys: list[str], index: int) -> str:
    """Where the screen's buttons lead: the previous or next activity, the governance page or the review."""
    if go == "previous":
        if index == 0:
            return answer_flow.page_url(round_, "governance")
        return answer_flow.raci_activity_url(round_, keys[index - 1])
    if go == "governance":
        return answer_flow.page_url(round_, "governance")
    if go == "next" and index + 1 < len(keys):
        return answer_flow.raci_activity_url(round_, keys[index + 1])
    return answer_flow.page_url(round_, "review")


def _save(form, participant, activity) -> int:
    """Saves a valid screen; the status of the answer (200, or 409 closed, 400 when another tab's A clashes)."""
    try:
        services.raci_letters_save(participant=participant, activity=activity, letters=form.letters(), choice=form.choice())
    except services.RoundClosedError:
        participant.round.refresh_from_db(fields=["status"])
        return 409
    except services.RaciLetterClashError as clash:
        # The A was changed in another tab since this screen was loaded: the letters no longer fit it.
        for role in clash.roles:
            form.add_error(form.role_field(role), raci_letter_clash_message())
        return 400
    return 200


@login_required
def raci_activity(request, slug, round_id, key):
    """One activity of the as-is RACI: its A and each role's letter; a POST saves the whole screen."""
    participant = answering_participant(request, slug, round_id)
    round_ = participant.round
    framework = round_.framework
    if not answer_flow.answers_v2(framework):
        raise Http404  # 1.0: one role per activity, on the governance page
    catalogue = raci_catalogue.catalogue_for(round_)
    keys = [a.key for a in catalogue.activities]
    if key not in keys:
        raise Http404
    activity = framework.raci_activities.filter(key=key).first()
    if activity is None:
        raise Http404
    index = keys.index(key)
    # Every A the participant gave (the progress counts them), in one query.
    stored = dict(participant.raci_answers.values_list("activity__key", "choice"))
    htmx = request.headers.get("HX-Request") == "true"
    form = None
    status = 200
    if request.method == "POST":
        form = RaciActivityForm(request.POST, activity_key=key, roles=catalogue.roles, stored_choice=stored.get(key, ""))
        if not round_.accepts_answers:
            status = 409
        elif not form.is_valid():
            status = 400
        else:
            status = _save(form, participant, activity)
            if status == 200 and not htmx:
                go = request.POST.get("go", "next")
                return redirect(_target(go if go in GOES else "next", round_, keys, index))
    if htmx and form is not None:
        return _status(request, form, catalogue.roles, status, answered=_answered(keys, stored, key, form, status))
    # Here a form is one refused (400) or closed (409): shown as sent; else (a GET) as stored.
    letters = dict(RaciLetter.objects.filter(participant=participant, activity=activity).values_list("role", "letter"))
    screen = _screen(form, catalogue.roles, key, stored.get(key, ""), letters)
    from_review = request.GET.get("from") == "review" or request.POST.get("from") == "review"
    answered = sum(1 for k in keys if k in stored)
    total = len(keys)
    return render(
        request,
        "assessments/answer_raci.html",
        {
            "organisation": round_.organisation,
            "round": round_,
            "participant": participant,
            "activity": catalogue.activities[index],
            "activity_key": key,
            "question": framework.tr("raci_question"),
            "definitions": answer_flow.raci_definitions(framework),
            **screen,
            "number": index + 1,
            "total": total,
            "answered": answered,
            "percent": int(100 * answered / total) if total else 0,
            "first": index == 0,
            "last": index + 1 == total,
            "previous_url": _target("previous", round_, keys, index),
            "next_url": _target("next", round_, keys, index),
            "governance_url": answer_flow.page_url(round_, "governance"),
            "review_url": answer_flow.page_url(round_, "review"),
            "from_review": from_review,
            "closed": not round_.accepts_answers,
        },
        status=status,
    )


def _answered(keys, stored, key, form, status) -> int:
    """How many activities have an A, this one included once saved with one."""
    given = set(stored) | ({key} if status == 200 and form.choice() else set())
    return sum(1 for k in keys if k in given)


def _status(request, form, roles, status: int, *, answered: int):
    """The autosave's answer: saved, closed, or refused with each field's message (422)."""
    context = {
        "form": form,
        "saved": status == 200,
        "closed": status == 409,
        "a_error": form.error("a"),
        "roles": [{"key": r.key, "error": form.error(form.role_field(r.key))} for r in roles],
        "answered": answered,
    }
    return render(request, "assessments/answer_raci_status.html", context, status=422 if status == 400 else status)


def _screen(form, roles, key: str, stored_choice: str, stored_letters: dict[str, str]) -> dict:
    """The A's choices and each role's letters, as stored or, when the screen comes back refused, as sent."""
    prefix = f"raci-{key}"
    shown = form is not None
    accountable = (form.typed("a") or "") if shown else stored_choice
    a_error = form.error("a") if shown else ""
    a_choices = [
        {"value": r.key, "label": r.tr(), "id": f"raci-a-{r.key}", "checked": accountable == r.key, "other": False} for r in roles
    ] + [
        {"value": value, "label": label, "id": f"raci-a-{value}", "checked": accountable == value, "other": True}
        for value, label in raci_not_a_role_choices()
    ]
    letter_choices = [("", "—", "0", _("No part in it")), *((v, v, v, label) for v, label in RaciLetter.Letter.choices)]
    rows = []
    for role in roles:
        field = RaciActivityForm.role_field(role.key)
        current = (form.typed(field) or "") if shown else stored_letters.get(role.key, "")
        rows.append(
            {
                "key": role.key,
                "title": role.tr(),
                "name": f"{prefix}-{field}",
                "error": form.error(field) if shown else "",
                "choices": [
                    {"value": value, "short": short, "long": long, "id": f"raci-{role.key}-{suffix}", "checked": current == value}
                    for value, short, suffix, long in letter_choices
                ],
            }
        )
    links = []
    if a_error:
        target = next((c["id"] for c in a_choices if c["checked"]), a_choices[0]["id"])
        links.append(answer_flow.ErrorLink(href=f"#{target}", label=_("Accountable (A)"), message=a_error))
    for row in rows:
        if row["error"]:
            target = next((c["id"] for c in row["choices"] if c["checked"]), row["choices"][0]["id"])
            links.append(answer_flow.ErrorLink(href=f"#{target}", label=row["title"], message=row["error"]))
    for message in form.non_field_errors() if shown else ():
        links.append(answer_flow.ErrorLink(href="#raci-letters", label=_("R, C, I by role"), message=message))
    return {
        "a_name": f"{prefix}-a",
        "a_choices": a_choices,
        "a_error": a_error,
        "roles": rows,
        "error_links": links,
    }
