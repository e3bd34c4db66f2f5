"""Report pages: request a PDF, follow its progress (htmx polling), download it, retry a failure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments.access import download_access
from outbox import services as outbox
from outbox.messages import warn_if_deferred

from . import services
from .models import Report, ReportStatus

REPORT_QUEUED = gettext_lazy(
    "The report service cannot be reached right now: nothing is lost, your report will be generated as soon as it is back."
)


def _access(request, slug, round_id):
    return download_access(request, slug, round_id)


def _report(round_, report_id) -> Report:
    report = Report.objects.filter(round=round_, pk=report_id).first()
    if report is None:
        raise Http404
    return report


@login_required
def reports(request, slug, round_id):
    membership, round_, snapshot = _access(request, slug, round_id)
    services.reports_sweep(queryset=Report.objects.filter(round=round_))
    return render(
        request,
        "reports/reports.html",
        {
            "organisation": membership.organisation,
            "membership": membership,
            "round": round_,
            "snapshot": snapshot,
            "reports": Report.objects.filter(round=round_).select_related("requested_by")[:10],
            "languages": [("fr", "Français"), ("en", "English")],
        },
    )


@login_required
@require_POST
def request_report(request, slug, round_id):
    _membership, round_, _snapshot = _access(request, slug, round_id)
    language = request.POST.get("language", "fr")
    if language not in ("fr", "en"):
        language = "fr"
    try:
        with outbox.track() as queue:
            report, reused = services.report_request(round_=round_, language=language, user=request.user)
    except services.ReportNotReady:
        messages.error(request, _("The report needs the round's results: close the round first."))
        return redirect("reports:list", slug=slug, round_id=round_id)
    # The broker is unreachable: the render is recorded and starts as soon as it is back.
    warn_if_deferred(request, queue, REPORT_QUEUED)
    if reused and report.status == ReportStatus.DONE:
        messages.info(request, _("Nothing has changed since the last report: here it is again."))
    return redirect("reports:list", slug=slug, round_id=round_id)


@login_required
def status(request, slug, round_id, report_id):
    """The progress fragment the page polls; the poll also fails a report stuck for 10 minutes."""
    _membership, round_, _snapshot = _access(request, slug, round_id)
    services.reports_sweep(queryset=Report.objects.filter(pk=report_id))
    report = _report(round_, report_id)
    return render(request, "reports/_status.html", {"report": report, "round": round_, "organisation": round_.organisation})


@login_required
def download(request, slug, round_id, report_id):
    _membership, round_, _snapshot = _access(request, slug, round_id)
    report = _report(round_, report_id)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    filename = f"cxgov-{round_.organisation.slug}-{round_.pk}-{report.language}.pdf"
    response = FileResponse(report.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, max-age=0"
    return response


@login_required
@require_POST
def retry(request, slug, round_id, report_id):
    _membership, round_, _snapshot = _access(request, slug, round_id)
    report = _report(round_, report_id)
    with outbox.track() as queue:
        retried = services.report_retry(report=report)
    if retried:
        messages.success(request, _("The report is being generated again."))
        warn_if_deferred(request, queue, REPORT_QUEUED)
    return redirect("reports:list", slug=slug, round_id=round_id)
