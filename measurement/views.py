"""KPI register pages: the register, trends per metric, the KPI tree, values and CSV import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations import undo as undo_offers
from organisations.confirm import Confirmation, ask, confirmed
from organisations.permissions import Action, role_can
from organisations.selectors import membership_get

from . import charts, selectors, services
from . import undo as measurement_undo
from .domain.metrics import ALL_METRICS, KPI_TREE, RAW_RESPONSE_METRICS
from .forms import ImportForm, MeasurementForm
from .imports import RESPONSE_COLUMNS, VALUE_COLUMNS
from .models import PeriodKind
from .presentation import metric_label, unit_note


def _context(membership, **extra):
    return {
        "organisation": membership.organisation,
        "membership": membership,
        "can_manage": role_can(membership.role, Action.MANAGE_MEASUREMENTS),
        **extra,
    }


def _values_url(slug, metric):
    return reverse("measurement:trend", args=[slug, metric]) + "#values"


@login_required
def register(request, slug):
    membership = membership_get(user=request.user, slug=slug, action=Action.VIEW_MEASUREMENTS)
    rows = selectors.register(organisation=membership.organisation)
    return render(
        request,
        "measurement/register.html",
        _context(
            membership,
            grids=selectors.register_grids(rows),
            missing=[(metric, metric_label(metric)) for metric in ALL_METRICS if metric not in rows],
        ),
    )


@login_required
def trend(request, slug, metric):
    membership = membership_get(user=request.user, slug=slug, action=Action.VIEW_MEASUREMENTS)
    if metric not in ALL_METRICS:
        raise Http404
    rows = selectors.metric_rows(organisation=membership.organisation, metric=metric)
    colour = membership.organisation.brand_colour
    series = []
    for kind, label in ((PeriodKind.QUARTER, _("By quarter")), (PeriodKind.MONTH, _("By month"))):
        kind_rows = [row for row in rows if row.period.kind == kind]
        if kind_rows:
            chart_id = f"trend-{metric}-{kind}"
            series.append(
                (label, chart_id, charts.trend_chart(kind_rows, metric=metric, chart_id=chart_id, colour=colour), kind_rows)
            )
    return render(
        request,
        "measurement/trend.html",
        _context(
            membership,
            metric=metric,
            label=metric_label(metric),
            is_survey=metric in RAW_RESPONSE_METRICS,
            unit=unit_note(metric),
            series=series,
            drives=[metric_label(kpi) for kpi in KPI_TREE.get(metric, ())],
            driven_by=[metric_label(cx) for cx, kpis in KPI_TREE.items() if metric in kpis],
            metrics=[(key, metric_label(key)) for key in ALL_METRICS],
        ),
    )


@login_required
def tree(request, slug):
    membership = membership_get(user=request.user, slug=slug, action=Action.VIEW_MEASUREMENTS)
    branches = selectors.kpi_tree(organisation=membership.organisation)
    svg = charts.kpi_tree_chart(branches, chart_id="kpi-tree", colour=membership.organisation.brand_colour)
    outside = [metric_label(m) for m in ALL_METRICS if m not in KPI_TREE and not any(m in kpis for kpis in KPI_TREE.values())]
    return render(request, "measurement/tree.html", _context(membership, branches=branches, svg=svg, outside=outside))


def _save(request, membership, form, measurement=None):
    """Saves a valid form; on a rule the service refuses, puts the reason on the form and returns None."""
    try:
        return services.measurement_save(
            organisation=membership.organisation, user=request.user, data=form.to_input(), measurement=measurement
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
def create(request, slug):
    membership = membership_get(user=request.user, slug=slug, action=Action.MANAGE_MEASUREMENTS)
    initial = {"metric": request.GET.get("metric")} if request.GET.get("metric") in ALL_METRICS else {}
    form = MeasurementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        measurement = _save(request, membership, form)
        if measurement is not None:
            messages.success(request, _("The value for %(period)s has been saved.") % {"period": measurement.period})
            return redirect(_values_url(slug, measurement.metric))
    return render(request, "measurement/form.html", _context(membership, form=form, measurement=None))


@login_required
def edit(request, slug, measurement_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.MANAGE_MEASUREMENTS)
    measurement = selectors.measurement_get(organisation=membership.organisation, measurement_id=measurement_id)
    form = MeasurementForm(request.POST or None, initial=MeasurementForm.initial_from(measurement))
    if request.method == "POST" and form.is_valid():
        saved = _save(request, membership, form, measurement)
        if saved is not None:
            messages.success(request, _("The value for %(period)s has been saved.") % {"period": saved.period})
            return redirect(_values_url(slug, saved.metric))
    return render(request, "measurement/form.html", _context(membership, form=form, measurement=measurement))


@login_required
@require_POST
def delete(request, slug, measurement_id):
    membership = membership_get(user=request.user, slug=slug, action=Action.MANAGE_MEASUREMENTS)
    measurement = selectors.measurement_get(organisation=membership.organisation, measurement_id=measurement_id)
    names = {"metric": metric_label(measurement.metric), "period": measurement.period}
    if not confirmed(request):
        figure = _("%(metric)s for %(period)s: %(value)s") % {**names, "value": measurement.value}
        if measurement.n is not None:
            figure = _("%(figure)s (sample of %(n)s)") % {"figure": figure, "n": measurement.n}
        confirmation = Confirmation(
            title=_("Delete the %(metric)s value for %(period)s?") % names,
            changes=[
                figure,
                _("It leaves the register, the %(metric)s trend and the KPI tree; the counts behind it are deleted too.") % names,
            ],
            button=_("Delete"),
            cancel_url=_values_url(slug, measurement.metric),
            undoable=True,
        )
        return ask(request, confirmation, context=_context(membership))
    payload = measurement_undo.value_payload(measurement)
    services.measurement_delete(measurement=measurement)
    undo_offers.offer(
        request,
        organisation=membership.organisation,
        kind=measurement_undo.VALUE,
        payload=payload,
        message=_("The %(metric)s value for %(period)s has been deleted.") % names,
        back=_values_url(slug, measurement.metric),
    )
    return redirect(_values_url(slug, measurement.metric))


@login_required
def import_csv(request, slug):
    membership = membership_get(user=request.user, slug=slug, action=Action.MANAGE_MEASUREMENTS)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = services.measurement_import(
            organisation=membership.organisation,
            user=request.user,
            file=upload,
            source=form.cleaned_data["source"].strip() or upload.name,
            ces_scale=form.cleaned_data["ces_scale"],
            fcr_window_days=form.cleaned_data["fcr_window_days"],
        )
        if outcome.imported:
            messages.success(
                request,
                _("Import done: %(rows)d rows read, %(created)d values added, %(updated)d replaced.")
                % {"rows": outcome.rows, "created": outcome.created, "updated": outcome.updated},
            )
            return redirect("measurement:register", slug=slug)
    return render(
        request,
        "measurement/import.html",
        _context(
            membership,
            form=form,
            outcome=outcome,
            unread_lines=number_format(outcome.unread_lines, force_grouping=True) if outcome and outcome.unread_lines else "",
            value_columns=", ".join(VALUE_COLUMNS),
            response_columns=", ".join(RESPONSE_COLUMNS),
            metrics=[(key, metric_label(key)) for key in ALL_METRICS],
        ),
    )
