"""Steering rhythm pages: role holders, the series of meetings, its calendar file, invitations and agenda.

Rights (organisations/permissions.py): facilitators and sponsors read (``VIEW_STEERING``); the
facilitator edits (``EDIT_CONSENSUS_ROADMAP_RACI``, as the RACI and its roles); anyone else gets
403 and an outsider 404, as on the RACI pages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import RESULT_STATUSES, round_page_base
from assessments.selectors import round_get
from organisations.permissions import Action, role_can
from organisations.selectors import membership_get
from roadmaps.exports import raci_errors
from roadmaps.models import Letter

from . import calendar_file, selectors, services
from .agenda import agenda_build
from .forms_rhythm import HoldersForm, RhythmForm, holder_field_name

VIEW, EDIT = Action.VIEW_STEERING, Action.EDIT_CONSENSUS_ROADMAP_RACI


def _error_message(error: services.GovernanceError) -> str:
    texts = {
        "raci_not_validated": _("The to-be RACI still has errors: correct it before setting the steering rhythm."),
        "past_first_meeting": _("Choose a first meeting from today on."),
        "bad_cadence": _("Choose one of the cadences offered."),
        "bad_duration": _("Choose a duration from %(low)s to %(high)s minutes.")
        % {"low": services.MIN_DURATION, "high": services.MAX_DURATION},
        "bad_location": _("The place is too long."),
        "no_attendee": _("Nobody can be invited yet: give the accountable roles a holder first."),
        "unknown_role": _("Choose one of the organisation's visible roles."),
        "not_a_member": _("A role can only be given to a member of the organisation."),
    }
    return texts.get(error.code, _("This change was refused."))


def _access(request, slug, round_id, action=VIEW):
    membership = membership_get(user=request.user, slug=slug, action=action)
    round_ = round_get(membership=membership, round_id=round_id)
    snapshot = getattr(round_, "snapshot", None) if round_.status in RESULT_STATUSES else None
    return membership, round_, snapshot


# --------------------------------------------------------------------------- role holders


@login_required
def role_holders(request, slug):
    """Who holds each visible RACI role; the facilitator changes them (POST, the whole table)."""
    editing = request.method == "POST"
    membership = membership_get(user=request.user, slug=slug, action=EDIT if editing else VIEW)
    organisation = membership.organisation
    rows = selectors.holder_rows(organisation=organisation)
    can_edit = role_can(membership.role, EDIT)
    form = None
    if can_edit:
        people = selectors.members(organisation=organisation)
        initial = {holder_field_name(r.role.key): r.holder.pk for r in rows if r.holder is not None}
        form = HoldersForm(request.POST or None, roles=[r.role for r in rows], people=people, initial=initial)
    status = 200
    if editing and form is not None:
        if form.is_valid():
            try:
                changed = services.role_holders_set(organisation=organisation, chosen=form.chosen())
            except services.GovernanceError as error:
                form.add_error(None, _error_message(error))
            else:
                messages.success(request, _("The role holders are saved.") if changed else _("Nothing changed."))
                return redirect("governance:role_holders", slug=slug)
        status = 400
    table = [{"row": r, "field": form[holder_field_name(r.role.key)] if form is not None else None} for r in rows]
    return render(
        request,
        "governance/role_holders.html",
        {"organisation": organisation, "membership": membership, "table": table, "form": form, "can_edit": can_edit},
        status=status,
    )


# --------------------------------------------------------------------------- the series


def _rhythm_page(request, membership, round_, snapshot, *, form=None, status=200):
    context = round_page_base(membership, round_, snapshot, "steering")
    can_edit = role_can(membership.role, EDIT)
    validated = snapshot is not None and round_.status in RESULT_STATUSES
    errors = raci_errors(round_) if validated else []
    validated = validated and not errors
    today = selectors.paris_today()
    saved = selectors.rhythm_of(round_=round_)
    rhythm = saved or selectors.rhythm_proposal(round_=round_, today=today)
    people = selectors.attendees(round_=round_) if validated else None
    if validated and can_edit and form is None:
        form = RhythmForm(
            initial={
                "cadence": rhythm.cadence,
                "first_meeting": rhythm.first_meeting,
                "start_time": selectors.start_time_of(rhythm),
                "duration_minutes": rhythm.duration_minutes,
                "location": rhythm.location,
            }
        )
    context.update(
        {
            "can_edit": can_edit,
            "validated": validated,
            "raci_errors": errors,
            "rhythm": rhythm,
            "saved": saved is not None,
            "start_time": selectors.start_time_of(rhythm),
            "upcoming": selectors.upcoming(rhythm, today=today) if validated else [],
            "people": people,
            "pending": saved is not None and services.invitations_pending(saved),
            "form": form if can_edit and validated else None,
            "letter_a": Letter.A.label,
        }
    )
    return render(request, "governance/rhythm.html", context, status=status)


@login_required
def rhythm(request, slug, round_id):
    """The round's steering rhythm: proposed from the validated to-be RACI, edited by the facilitator (POST)."""
    if request.method != "POST":
        membership, round_, snapshot = _access(request, slug, round_id)
        return _rhythm_page(request, membership, round_, snapshot)
    membership, round_, snapshot = _access(request, slug, round_id, EDIT)
    form = RhythmForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = selectors.rhythm_of(round_=round_)
            before = saved.sequence if saved else None
            result = services.rhythm_save(
                round_=round_,
                cadence=data["cadence"],
                first_meeting=data["first_meeting"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                user=request.user,
                today=selectors.paris_today(),
            )
        except services.GovernanceError as error:
            if error.code == "raci_not_validated":
                messages.error(request, _error_message(error))
                return redirect("governance:rhythm", slug=slug, round_id=round_.pk)
            form.add_error("first_meeting" if error.code == "past_first_meeting" else None, _error_message(error))
        else:
            if before is None:
                messages.success(request, _("The steering rhythm is saved. Send the invitations when it suits the committee."))
            elif result.sequence != before:
                messages.success(request, _("The steering rhythm is changed: send the update so that calendars follow."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("governance:rhythm", slug=slug, round_id=round_.pk)
    return _rhythm_page(request, membership, round_, snapshot, form=form, status=400)


@login_required
def rhythm_calendar(request, slug, round_id):
    """The series as a calendar file (.ics), for the reader's own calendar or to forward."""
    _membership, round_, _snapshot = _access(request, slug, round_id)
    saved = selectors.rhythm_of(round_=round_)
    if saved is None:
        raise Http404
    response = HttpResponse(calendar_file.calendar_text(saved), content_type=calendar_file.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{calendar_file.filename(saved)}"'
    return response


@login_required
@require_POST
def rhythm_invite(request, slug, round_id):
    """Queues the invitations of the series' current version (once per version)."""
    _membership, round_, _snapshot = _access(request, slug, round_id, EDIT)
    saved = selectors.rhythm_of(round_=round_)
    if saved is None:
        messages.error(request, _("Save the steering rhythm first."))
        return redirect("governance:rhythm", slug=slug, round_id=round_.pk)
    try:
        queued = services.invitations_request(rhythm=saved)
    except services.GovernanceError as error:
        messages.error(request, _error_message(error))
    else:
        if queued:
            messages.success(request, _("The invitations are on their way to the attendees."))
        else:
            messages.info(request, _("The attendees already have this version of the series: nothing was sent."))
    return redirect("governance:rhythm", slug=slug, round_id=round_.pk)


@login_required
def agenda(request, slug, round_id):
    """The agenda of the next meeting, as it would be e-mailed the day before (built from today's facts)."""
    membership, round_, snapshot = _access(request, slug, round_id)
    context = round_page_base(membership, round_, snapshot, "steering")
    validated = snapshot is not None and not raci_errors(round_)
    today = selectors.paris_today()
    saved = selectors.rhythm_of(round_=round_)
    rhythm = saved or selectors.rhythm_proposal(round_=round_, today=today)
    meeting = selectors.next_meeting(rhythm, on_or_after=today) if validated else None
    context.update(
        {
            "validated": validated,
            "saved": saved is not None,
            "rhythm": rhythm,
            "start_time": selectors.start_time_of(rhythm),
            "agenda": agenda_build(rhythm, meeting) if meeting is not None else None,
        }
    )
    return render(request, "governance/agenda.html", context)
