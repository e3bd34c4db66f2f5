"""Roadmap, to-be RACI and RACI role pages. Thin: check the right, call one service, redirect or render.

Who may do what (PRODUCT.md): the roadmap and the RACI are seen like results (facilitators and
sponsors before publication, every member after); the facilitator edits them and the roles; the
facilitator and the sponsor update initiative statuses.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments import selectors as round_selectors
from assessments.access import results_access, round_page_base
from organisations import undo as undo_offers
from organisations.confirm import Confirmation, ask, confirmed
from organisations.permissions import Action, role_can
from organisations.selectors import membership_get

from . import impact, selectors, services
from . import undo as roadmap_undo
from .forms import (
    CustomItemForm,
    MoveForm,
    RaciGridForm,
    RoleAddForm,
    RoleEditForm,
    SettingsForm,
    StatusForm,
    raci_cell_name,
)
from .models import ItemStatus, RaciCell, Target
from .presentation import month_labeller, pick, roadmap_view_data
from .raci_messages import cell_reason, labels_of, reason_text, violation_message

LETTER_CHOICES = ("R", "A", "C", "I")


def _error_message(error: services.RoadmapError) -> str:
    messages_by_code = {
        "frozen": _("The roadmap and the RACI can be edited while the round is closed only (publishing freezes them)."),
        "no_results": _("The roadmap needs the round's results: close the round first."),
        "missing_title": _("Give a title in French, in English or both."),
        "unknown_dimension": _("Unknown dimension."),
        "unknown_activity": _("Unknown RACI activity."),
        "unknown_role": _("Choose one of the organisation's visible roles."),
        "bad_letter": _("A RACI cell holds R, A, C, I or nothing."),
        "bad_month": _("Choose a start month from 0 to %(max)s.") % {"max": services.MAX_START_MONTH},
        "bad_duration": _("Choose a duration from 1 to %(max)s months.") % {"max": services.MAX_DURATION},
        "bad_capacity": _("Choose a capacity from 1 to 30."),
        "bad_status": _("Unknown status."),
        "bad_key": _("A role key uses lower-case letters, digits, '-' or '_' (and cannot be “nobody” or “dont_know”)."),
        "duplicate_key": _("The organisation already has a role with this key."),
        "role_in_use": _(
            "This role cannot be removed: it holds a RACI letter, owns an initiative or is a participant's function. Hide it instead."
        ),
        "last_activity": _("At least one RACI activity stays shown: show another one before hiding this one."),
    }
    return messages_by_code.get(error.code, _("This change was refused."))


def _edit_access(request, slug, round_id, action=Action.EDIT_CONSENSUS_ROADMAP_RACI):
    membership = membership_get(user=request.user, slug=slug, action=action)
    round_ = round_selectors.round_get(membership=membership, round_id=round_id)
    return membership, round_


def _back(slug, round_id, name="roadmap", anchor=""):
    return redirect(reverse(f"roadmaps:{name}", args=[slug, round_id]) + anchor)


# --------------------------------------------------------------------------- roadmap


@login_required
def roadmap(request, slug, round_id):
    membership, round_, snapshot = results_access(request, slug, round_id)
    return _roadmap_page(request, membership, round_, snapshot)


def _roadmap_page(request, membership, round_, snapshot, *, add_form=None, settings_form=None, moved=None, status=200):
    """The roadmap page; a form that failed comes back bound (what was typed, errors by the field), status 400.

    ``moved`` is ``(item id, typed start month, message)`` for a move that was refused.
    """
    context = round_page_base(membership, round_, snapshot, "roadmap")
    if snapshot is None:
        return render(request, "assessments/results/pending.html", context)
    # Read only: the roadmap is generated when the round closes (roadmaps/handlers.py) or on Regenerate.
    settings_row = selectors.roadmap_settings_row(round_=round_)
    data = roadmap_view_data(
        round_=round_, settings_row=settings_row, titles=context["titles"], brand=membership.organisation.brand_colour
    )
    start_date, roles, role_titles = data["start_date"], data["roles"], data["role_titles"]
    activities, activity_titles, rows, chart = data["activities"], data["activity_titles"], data["rows"], data["chart"]
    titles = context["titles"]
    can_edit = role_can(membership.role, Action.EDIT_CONSENSUS_ROADMAP_RACI) and round_.status in services.EDITABLE
    can_status = role_can(membership.role, Action.UPDATE_INITIATIVE_STATUS) and round_.status in services.STATUS_EDITABLE
    stale = False
    if settings_row and settings_row.generated_at and can_edit:
        targets_changed = Target.objects.filter(round=round_).aggregate(m=Max("updated_at"))["m"]
        stale = snapshot.computed_at > settings_row.generated_at or bool(
            targets_changed and targets_changed > settings_row.generated_at
        )
    dimension_choices = [(d.key, f"{d.key} · {titles[d.key]}") for d in context["dimensions"]]
    hidden_activities = services.org_activities_hidden(membership.organisation.pk)  # no owner would follow them
    activity_choices = [(a.key, activity_titles[a.key]) for a in activities if a.key not in hidden_activities]
    if add_form is not None:
        add_form.fields["dimension"].choices = [("", "—"), *dimension_choices]
        add_form.fields["activity"].choices = [("", "—"), *activity_choices]
    if moved is not None:
        for row in rows:
            if row["item"].pk == moved[0]:
                row["move_value"], row["move_error"] = moved[1], moved[2]
    context.update(
        {
            "settings_row": settings_row,
            "rows": rows,
            "chart": chart,
            "can_edit": can_edit,
            "can_status": can_status,
            "stale": stale,
            "status_choices": ItemStatus.choices,
            "owner_choices": [(r.key, role_titles[r.key]) for r in roles if not r.hidden],
            "add_form": add_form
            if add_form is not None
            else (CustomItemForm(dimensions=dimension_choices, activities=activity_choices) if can_edit else None),
            "settings_form": settings_form
            if settings_form is not None
            else (
                SettingsForm(initial={"start_date": start_date, "capacity": settings_row.capacity})
                if can_edit and settings_row
                else None
            ),
            "settings_open": settings_form is not None,
            "max_month": services.MAX_START_MONTH,
            "start_label": month_labeller(start_date)(0) if start_date else "",
        }
    )
    return render(request, "roadmaps/roadmap.html", context, status=status)


def _refused_page(request, slug, round_id, **forms):
    """Re-displays the roadmap page with the failed form as typed (status 400)."""
    membership, round_, snapshot = results_access(request, slug, round_id)
    return _roadmap_page(request, membership, round_, snapshot, status=400, **forms)


def _run(request, slug, round_id, call, success, anchor=""):
    """Calls a service; on refusal shows why. Always back to the roadmap page."""
    try:
        call()
    except services.RoadmapError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(request, success)
    return _back(slug, round_id, anchor=anchor)


@login_required
@require_POST
def roadmap_regenerate(request, slug, round_id):
    membership, round_ = _edit_access(request, slug, round_id)
    back = reverse("roadmaps:roadmap", args=[slug, round_id])
    # Only an action that can happen is confirmed; a refused one goes straight to its reason.
    possible = round_.status in services.EDITABLE and getattr(round_, "snapshot", None) is not None
    if possible and not confirmed(request):
        return _regenerate_confirmation(request, membership, round_, title=_("Regenerate the roadmap?"), button=_("Regenerate"))
    _run_undoable(
        request,
        membership,
        kind=roadmap_undo.ROADMAP,
        payload=roadmap_undo.roadmap_payload(round_),
        run=lambda: services.roadmap_generate(round_=round_),
        message=_("The roadmap has been regenerated; locked and custom initiatives kept their place."),
        back=back,
    )
    return _back(slug, round_id)


def _run_undoable(request, membership, *, kind: str, payload, run, message: str, back: str) -> None:
    """Runs ``run``; a refusal is said in a message, a success offers to undo it (``payload``: the state before).

    The one shape of every undoable roadmap and RACI action.
    """
    try:
        run()
    except services.RoadmapError as error:
        messages.error(request, _error_message(error))
        return
    undo_offers.offer(request, organisation=membership.organisation, kind=kind, payload=payload, message=message, back=back)


def _regenerate_confirmation(request, membership, round_, *, title, button, first=()):
    """What a regeneration replaces and keeps (``first``: what else the action changes, said before)."""
    counts = impact.regenerate_impact(round_=round_)
    changes = [
        *first,
        ngettext(
            "Regenerating the roadmap replaces %(count)s generated initiative.",
            "Regenerating the roadmap replaces %(count)s generated initiatives.",
            counts.replaced,
        )
        % {"count": counts.replaced},
    ]
    if counts.started:
        changes.append(
            ngettext(
                "%(count)s of them has a status other than “Planned”: it is kept only if it is generated again.",
                "%(count)s of them have a status other than “Planned”: it is kept only if they are generated again.",
                counts.started,
            )
            % {"count": counts.started}
        )
    kept = [
        ngettext("%(count)s locked initiative, in its place.", "%(count)s locked initiatives, in their place.", counts.locked)
        % {"count": counts.locked},
        ngettext("%(count)s custom initiative, in its place.", "%(count)s custom initiatives, in their place.", counts.custom)
        % {"count": counts.custom},
    ]
    confirmation = Confirmation(
        title=title,
        changes=changes,
        kept=kept,
        button=button,
        cancel_url=reverse("roadmaps:roadmap", args=[membership.organisation.slug, round_.pk]),
        undoable=True,
    )
    return ask(request, confirmation, context={"organisation": membership.organisation, "membership": membership})


@login_required
@require_POST
def roadmap_settings(request, slug, round_id):
    membership, round_ = _edit_access(request, slug, round_id)
    form = SettingsForm(request.POST)
    if not form.is_valid():
        return _refused_page(request, slug, round_id, settings_form=form)
    start_date, capacity = form.cleaned_data["start_date"], form.cleaned_data["capacity"]
    current = services.roadmap_settings(round_) if round_.status in services.EDITABLE else None
    # A new capacity regenerates the roadmap (services.roadmap_settings_set): ask first, as for Regenerate.
    regenerates = current is not None and current.capacity != capacity and getattr(round_, "snapshot", None) is not None
    if regenerates and not confirmed(request):
        first = [
            _("At most %(after)s initiatives start in each horizon instead of %(before)s.")
            % {"after": capacity, "before": current.capacity}
        ]
        return _regenerate_confirmation(
            request,
            membership,
            round_,
            title=_("Change the capacity and regenerate?"),
            button=_("Save and regenerate"),
            first=first,
        )

    def save():
        services.roadmap_settings_set(round_=round_, start_date=start_date, capacity=capacity)

    if regenerates:
        _run_undoable(
            request,
            membership,
            kind=roadmap_undo.ROADMAP,
            payload=roadmap_undo.roadmap_payload(round_),
            run=save,
            message=_("The roadmap settings are saved and the roadmap has been regenerated."),
            back=reverse("roadmaps:roadmap", args=[slug, round_id]),
        )
        return _back(slug, round_id)
    try:
        save()
    except services.RoadmapError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(request, _("The roadmap settings are saved."))
    return _back(slug, round_id)


@login_required
@require_POST
def item_add(request, slug, round_id):
    _membership, round_ = _edit_access(request, slug, round_id)
    form = CustomItemForm(
        request.POST,
        dimensions=[(d.key, d.key) for d in round_.framework.dimensions.all()],
        activities=[(a.key, a.key) for a in round_.framework.raci_activities.all()],
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.roadmap_item_add(
                round_=round_,
                title_fr=data["title_fr"],
                title_en=data["title_en"],
                dimension=data["dimension"] or None,
                activity=data["activity"] or "",
                start_month=data["start_month"],
                duration_months=data["duration_months"],
            )
        except services.RoadmapError as error:
            if error.code == "frozen":
                messages.error(request, _error_message(error))
                return _back(slug, round_id)
            form.add_error(None, _error_message(error))
        else:
            messages.success(request, _("The initiative has been added."))
            return _back(slug, round_id)
    return _refused_page(request, slug, round_id, add_form=form)


@login_required
@require_POST
def item_move(request, slug, round_id, item_id):
    _membership, round_ = _edit_access(request, slug, round_id)
    item = selectors.roadmap_item_get(round_=round_, item_id=item_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        message = _("Choose a start month from 0 to %(max)s.") % {"max": services.MAX_START_MONTH}
        return _refused_page(request, slug, round_id, moved=(item.pk, request.POST.get("start_month", ""), message))
    return _run(
        request,
        slug,
        round_id,
        lambda: services.roadmap_item_move(item=item, start_month=form.cleaned_data["start_month"]),
        _("The initiative has been moved and locked."),
        anchor=f"#item-{item.pk}",
    )


@login_required
@require_POST
def item_lock(request, slug, round_id, item_id):
    _membership, round_ = _edit_access(request, slug, round_id)
    item = selectors.roadmap_item_get(round_=round_, item_id=item_id)
    locked = request.POST.get("locked") == "1"
    return _run(
        request,
        slug,
        round_id,
        lambda: services.roadmap_item_lock(item=item, locked=locked),
        _("The initiative is locked: it keeps its place.")
        if locked
        else _("The initiative is unlocked: regeneration may move it."),
        anchor=f"#item-{item.pk}",
    )


@login_required
@require_POST
def item_owner(request, slug, round_id, item_id):
    _membership, round_ = _edit_access(request, slug, round_id)
    item = selectors.roadmap_item_get(round_=round_, item_id=item_id)
    role = request.POST.get("owner", "")
    if role == "":
        return _run(
            request,
            slug,
            round_id,
            lambda: services.roadmap_item_clear_owner(item=item),
            _("The owner follows the RACI again."),
            anchor=f"#item-{item.pk}",
        )
    return _run(
        request,
        slug,
        round_id,
        lambda: services.roadmap_item_set_owner(item=item, role=role),
        _("The owner has been set by hand."),
        anchor=f"#item-{item.pk}",
    )


@login_required
@require_POST
def item_status(request, slug, round_id, item_id):
    _membership, round_ = _edit_access(request, slug, round_id, action=Action.UPDATE_INITIATIVE_STATUS)
    item = selectors.roadmap_item_get(round_=round_, item_id=item_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
        return _back(slug, round_id)
    return _run(
        request,
        slug,
        round_id,
        lambda: services.roadmap_item_set_status(item=item, status=form.cleaned_data["status"]),
        _("The status has been updated."),
        anchor=f"#item-{item.pk}",
    )


@login_required
@require_POST
def item_remove(request, slug, round_id, item_id):
    membership, round_ = _edit_access(request, slug, round_id)
    item = selectors.roadmap_item_get(round_=round_, item_id=item_id)
    title = pick(item.title_fr, item.title_en)
    back = reverse("roadmaps:roadmap", args=[slug, round_id])
    if round_.status in services.EDITABLE and not confirmed(request):
        changes = [
            _("“%(title)s” leaves the roadmap, with its dates, its owner and its status (%(status)s).")
            % {"title": title, "status": item.get_status_display()}
        ]
        if not item.custom:
            changes.append(
                _("A generated initiative comes back at the next regeneration: set its status to “Dropped” to keep it out.")
            )
        confirmation = Confirmation(
            title=_("Remove the initiative “%(title)s”?") % {"title": title},
            changes=changes,
            button=_("Remove"),
            cancel_url=back + f"#item-{item.pk}",
            undoable=True,
        )
        return ask(request, confirmation, context={"organisation": membership.organisation, "membership": membership})
    _run_undoable(
        request,
        membership,
        kind=roadmap_undo.ITEM,
        payload=roadmap_undo.item_payload(item),
        run=lambda: services.roadmap_item_remove(item=item),
        message=_("The initiative “%(title)s” has been removed.") % {"title": title},
        back=back,
    )
    return _back(slug, round_id)


# --------------------------------------------------------------------------- RACI


def _raci_rows(round_, context, only=None, form=None):
    """The grid: per activity, the as-is answers beside the to-be cells, differences marked.

    ``form``: a refused grid, whose changed cells come back as sent, with the message next to the cell.
    """
    cells = {(c.activity, c.role): c for c in RaciCell.objects.filter(round=round_)}
    as_is = {row.activity: row for row in services.raci_as_is(round_, context.activity_keys)}
    titles = {r.key: pick(r.title_fr, r.title_en) for r in context.roles}
    violations = services.raci_violations(round_, context, {k: c.letter for k, c in cells.items()})
    labels = labels_of(context.activities, context.roles)
    flagged: dict[str, list[str]] = {}
    for v in violations:
        if v.activity:
            flagged.setdefault(v.activity, []).append(v.severity)
    rows = []
    for activity in context.activities:
        if only is not None and activity.key not in only:
            continue
        row_as_is = as_is.get(activity.key)
        accountable = [r.key for r in context.visible if (c := cells.get((activity.key, r.key))) and c.letter == "A"]
        to_be_a = accountable[0] if len(accountable) == 1 else None
        today = row_as_is.accountable if row_as_is else None
        differs = today != to_be_a
        row_cells = []
        for role in context.visible:
            cell = cells.get((activity.key, role.key))
            reason = reason_text(cell_reason(cell)) if cell else ""
            letter = cell.letter if cell else ""
            row_cells.append(
                {
                    "role": role,
                    "role_title": titles[role.key],
                    "name": raci_cell_name(activity.key, role.key),
                    "letter": letter,
                    # What the form control holds and the letter the page was drawn with.
                    "value": letter,
                    "was": letter,
                    "error": "",
                    "reason": reason,
                    "proposed": bool(cell and cell.proposed),
                    "diff": differs and ((cell and cell.letter == "A") or (role.key == today)),
                    **((form.shown(activity.key, role.key) or {}) if form is not None else {}),
                }
            )
        votes = []
        if row_as_is:
            votes = [(titles.get(role, role), n) for role, n in row_as_is.votes.items()]
        rows.append(
            {
                "activity": activity,
                "title": activity.tr("title"),
                "cells": row_cells,
                "today": titles.get(today, today) if today else None,
                "votes": votes,
                "nobody": row_as_is.nobody if row_as_is else 0,
                "dont_know": row_as_is.dont_know if row_as_is else 0,
                "differs": differs,
                "severity": "error"
                if "error" in flagged.get(activity.key, ())
                else ("warning" if activity.key in flagged else ""),
            }
        )
    panel = {
        "errors": [{"v": v, "message": violation_message(v, labels)} for v in violations if v.severity == "error"],
        "warnings": [{"v": v, "message": violation_message(v, labels)} for v in violations if v.severity == "warning"],
    }
    return rows, panel


def _raci_context(membership, round_, snapshot, form=None):
    context = round_page_base(membership, round_, snapshot, "raci")
    raci = services.raci_context(round_)
    rows, panel = _raci_rows(round_, raci, form=form)
    context.update(
        {
            "raci": raci,
            "rows": rows,
            "panel": panel,
            "letters": LETTER_CHOICES,
            "can_edit": role_can(membership.role, Action.EDIT_CONSENSUS_ROADMAP_RACI) and round_.status in services.EDITABLE,
            "can_edit_roles": role_can(membership.role, Action.EDIT_CONSENSUS_ROADMAP_RACI),
        }
    )
    return context


@login_required
def raci(request, slug, round_id):
    """The to-be RACI grid. POST: the whole grid (works without JavaScript; htmx posts it on every change)."""
    if request.method == "POST":
        return _raci_save(request, slug, round_id)
    membership, round_, snapshot = results_access(request, slug, round_id)
    if snapshot is None:
        return render(request, "assessments/results/pending.html", round_page_base(membership, round_, snapshot, "raci"))
    return render(request, "roadmaps/raci.html", _raci_context(membership, round_, snapshot))


def _raci_save(request, slug, round_id):
    membership, round_ = _edit_access(request, slug, round_id)
    snapshot = getattr(round_, "snapshot", None)
    htmx = request.headers.get("HX-Request") == "true"
    context = services.raci_context(round_)
    # Only the cells changed on this page: a field differs from the letter the page was drawn with.
    form = RaciGridForm(request.POST, activities=context.activity_keys, roles=context.visible_keys)
    changes = form.sent
    touched = {activity for activity, _role in changes}
    status, note, level = 200, "", "success"
    if changes:
        try:
            if snapshot is None:
                raise services.RoadmapError("no_results")
            if not form.is_valid():
                raise services.RoadmapError("bad_letter")
            services.raci_set_cells(round_=round_, changes=form.changes)
        except services.RoadmapError as error:
            status, note, level = (400 if error.code == "bad_letter" else 409), _error_message(error), "danger"
    if not htmx:
        if status == 400:
            # Nothing is saved: the grid comes back with the cells as sent and the message next to the cell.
            page = _raci_context(membership, round_, snapshot, form=form)
            page.update(note=note, level=level)
            return render(request, "roadmaps/raci.html", page, status=status)
        if note:
            messages.error(request, note)
        elif changes:
            messages.success(request, _("The RACI is saved."))
        return _back(slug, round_id, name="raci")
    rows, panel = _raci_rows(round_, context, only=touched)
    if not note:
        errors, warnings = len(panel["errors"]), len(panel["warnings"])
        note = (
            _("Saved. %(errors)s error(s), %(warnings)s warning(s).") % {"errors": errors, "warnings": warnings}
            if changes
            else ""
        )
    return render(
        request,
        "roadmaps/partials/raci_update.html",
        {
            "organisation": membership.organisation,
            "round": round_,
            "rows": rows,
            "panel": panel,
            "letters": LETTER_CHOICES,
            "can_edit": round_.status in services.EDITABLE,
            "note": note,
            "level": level,
            "oob": True,
        },
        status=status,
    )


@login_required
@require_POST
def raci_propose(request, slug, round_id):
    membership, round_ = _edit_access(request, slug, round_id)
    back = reverse("roadmaps:raci", args=[slug, round_id])
    has_results = getattr(round_, "snapshot", None) is not None
    if has_results and round_.status in services.EDITABLE and not confirmed(request):
        counts = impact.raci_proposal_impact(round_=round_)
        changes = [
            _("Replacing the RACI by the proposal changes %(changed)s of its cells (%(cells)s filled today).")
            % {"changed": counts.changed, "cells": counts.cells}
        ]
        if counts.by_hand_lost:
            changes.append(
                ngettext(
                    "%(count)s letter set by hand is overwritten.",
                    "%(count)s letters set by hand are overwritten.",
                    counts.by_hand_lost,
                )
                % {"count": counts.by_hand_lost}
            )
        changes.append(
            ngettext(
                "The owner of %(count)s initiative follows the new RACI (owners set by hand stay).",
                "The owners of %(count)s initiatives follow the new RACI (owners set by hand stay).",
                counts.owners_following,
            )
            % {"count": counts.owners_following}
        )
        confirmation = Confirmation(
            title=_("Replace the RACI by the proposal?"),
            changes=changes,
            button=_("Replace the RACI"),
            cancel_url=back,
            undoable=True,
        )
        return ask(request, confirmation, context={"organisation": membership.organisation, "membership": membership})

    def propose():
        if not has_results:
            raise services.RoadmapError("no_results")
        services.raci_propose(round_=round_)

    _run_undoable(
        request,
        membership,
        kind=roadmap_undo.RACI,
        payload=roadmap_undo.raci_payload(round_),
        run=propose,
        message=_("The RACI has been replaced by the proposal; the owners of the initiatives follow."),
        back=back,
    )
    return _back(slug, round_id, name="raci")


# --------------------------------------------------------------------------- roles


@login_required
def roles(request, slug):
    membership = membership_get(user=request.user, slug=slug, action=Action.EDIT_CONSENSUS_ROADMAP_RACI)
    organisation = membership.organisation
    if request.method == "POST" and request.POST.get("do") == "activity":
        return _activity_visibility(request, membership)
    if request.method == "POST" and request.POST.get("do") in ("edit", "remove"):
        # A role shown before any was stored (the framework's defaults, no id yet): store them, then act on it.
        services.org_roles_ensure(organisation=organisation)
        role = selectors.org_role_by_key(organisation=organisation, key=request.POST.get("role", ""))
        if request.POST["do"] == "edit":
            return _role_edit(request, membership, role)
        return _role_remove(request, membership, role)
    form = RoleAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.org_role_add(
                organisation=organisation, key=data["key"], title_fr=data["title_fr"], title_en=data["title_en"]
            )
        except services.RoadmapError as error:
            form.add_error("key" if error.code in ("bad_key", "duplicate_key") else None, _error_message(error))
        else:
            messages.success(request, _("The role has been added."))
            return redirect("roadmaps:roles", slug=slug)
    return _roles_page(request, membership, form=form, status=400 if request.method == "POST" else 200)


def _roles_page(request, membership, *, form=None, edited=None, status=200):
    """The roles page; ``edited`` is ``(role id, bound RoleEditForm)`` for a rename that was refused."""
    organisation = membership.organisation
    form = form if form is not None else RoleAddForm()
    role_rows = [
        # Read only: before any role is stored, the framework's defaults, unsaved (no id: their forms post here).
        {"role": role, "usage": services.org_role_usage(role), "anchor": role.pk if role.pk is not None else role.key}
        for role in selectors.org_roles(organisation=organisation)
    ]
    usage_labels = {
        "letter": _("holds RACI letters"),
        "owner": _("owns initiatives"),
        "function": _("is a participant's function"),
    }
    for row in role_rows:
        row["usage_text"] = ", ".join(str(usage_labels[u]) for u in row["usage"])
        if edited is not None and row["role"].pk == edited[0]:
            bound = edited[1]
            row["typed"] = {
                "title_fr": bound.data.get("title_fr", ""),
                "title_en": bound.data.get("title_en", ""),
                "hidden": bool(bound.data.get("hidden")),
            }
            row["errors"] = [str(e) for errors in bound.errors.values() for e in errors]
    return render(
        request,
        "roadmaps/roles.html",
        {
            "organisation": organisation,
            "membership": membership,
            "rows": role_rows,
            "activities": services.org_activities_starting(organisation=organisation),
            "form": form,
            "active": "roles",
        },
        status=status,
    )


def _activity_visibility(request, membership):
    """Hides or shows one RACI activity (``activity``, ``hidden`` = "1" or "0"); hiding one in use is confirmed."""
    organisation = membership.organisation
    key, hidden = request.POST.get("activity", ""), request.POST.get("hidden") == "1"
    back = reverse("roadmaps:roles", args=[organisation.slug]) + f"#activity-{key}"
    row = next((r for r in services.org_activities_starting(organisation=organisation) if r.key == key), None)
    if hidden and row is not None and not row.hidden and not confirmed(request):
        usage = services.org_activity_usage(organisation=organisation, key=key)
        if usage.letters or usage.owners:
            return _activity_hide_confirmation(request, membership, row, usage, back)
    try:
        services.org_activity_set(organisation=organisation, key=key, hidden=hidden)
    except services.RoadmapError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(request, _("The activity has been hidden.") if hidden else _("The activity is shown again."))
    return redirect(back)


def _activity_hide_confirmation(request, membership, row, usage, back):
    changes = []
    if usage.letters:
        changes.append(
            ngettext(
                "Its %(count)d letter in the to-be RACI stops counting (kept, not shown).",
                "Its %(count)d letters in the to-be RACI stop counting (kept, not shown).",
                usage.letters,
            )
            % {"count": usage.letters}
        )
    if usage.owners:
        changes.append(
            ngettext(
                "%(count)d initiative loses the owner it took from this activity.",
                "%(count)d initiatives lose the owner they took from this activity.",
                usage.owners,
            )
            % {"count": usage.owners}
        )
    changes.append(_("The questionnaire no longer asks who is accountable for it."))
    confirmation = Confirmation(
        title=_("Hide the activity “%(activity)s”?") % {"activity": row.activity.tr("title")},
        changes=changes,
        kept=[
            _("Its letters are kept: showing the activity again counts them again, unless the RACI is proposed again meanwhile.")
        ],
        button=_("Hide the activity"),
        cancel_url=back,
    )
    return ask(request, confirmation, context={"organisation": membership.organisation, "membership": membership})


@login_required
@require_POST
def role_edit(request, slug, role_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.EDIT_CONSENSUS_ROADMAP_RACI)
    role = selectors.org_role_get(organisation=membership.organisation, role_id=role_id)
    return _role_edit(request, membership, role)


def _role_edit(request, membership, role):
    slug = membership.organisation.slug
    form = RoleEditForm(request.POST)
    if not form.is_valid():
        return _roles_page(request, membership, edited=(role.pk, form), status=400)
    data = form.cleaned_data
    services.org_role_update(role=role, title_fr=data["title_fr"], title_en=data["title_en"], hidden=data["hidden"])
    messages.success(request, _("The role has been saved."))
    return redirect(reverse("roadmaps:roles", args=[slug]) + f"#role-{role.pk}")


@login_required
@require_POST
def role_remove(request, slug, role_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.EDIT_CONSENSUS_ROADMAP_RACI)
    role = selectors.org_role_get(organisation=membership.organisation, role_id=role_id)
    return _role_remove(request, membership, role)


def _role_remove(request, membership, role):
    slug = membership.organisation.slug
    try:
        services.org_role_remove(role=role)
    except services.RoadmapError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(request, _("The role has been removed."))
    return redirect("roadmaps:roles", slug=slug)
