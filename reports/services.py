"""Writes on reports: request (or reuse), claim and render, fail, sweep and retry."""

import hashlib
import logging
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from .builders import build_report_data, content_hash
from .models import Report, ReportStatus
from .rendering import html_to_pdf, render_html

STUCK_AFTER = timedelta(minutes=10)
logger = logging.getLogger(__name__)


class ReportNotReady(Exception):
    """The round has no results yet (it must be closed)."""


def report_request(*, round_, language: str, user) -> tuple[Report, bool]:
    """The report of this content: an existing file when nothing changed (reused=True), else a new pending one."""
    if not hasattr(round_, "snapshot") or round_.status not in ("closed", "published"):
        raise ReportNotReady
    digest = content_hash(build_report_data(round_, language))
    existing = (
        Report.objects.filter(round=round_, language=language, content_hash=digest)
        .exclude(status=ReportStatus.FAILED)
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing, True
    report = Report.objects.create(round=round_, language=language, content_hash=digest, requested_by=user)
    _queue(report)
    return report, False


class ReportQueueError(Exception):
    """The task could not be queued (broker unreachable): the report is marked failed and can be retried."""


def _queue(report: Report) -> None:
    """Queues the render once the row is committed; a broker outage fails the report cleanly instead of a 500."""
    from kombu.exceptions import OperationalError

    from .tasks import report_generate

    def send():
        try:
            report_generate.delay(report.pk)
        except (OperationalError, OSError) as error:
            report_fail(report, f"Could not queue the report: {error}")
            raise ReportQueueError from error

    transaction.on_commit(send)


def report_claim(report_id: int) -> bool:
    """pending → running in one UPDATE: a task delivered twice renders once."""
    return bool(
        Report.objects.filter(pk=report_id, status=ReportStatus.PENDING).update(status=ReportStatus.RUNNING, started_at=timezone.now())
    )


def report_render(report_id: int) -> Report | None:
    """Builds and renders a report once, and stores the file; a failure is recorded, never left running.

    On PostgreSQL the render holds a row lock on the report for its whole duration. A second
    delivery of the task while the first is alive finds the row locked and leaves; if the worker
    that held it died mid-render, its connection and lock are gone, and the re-delivered task
    (acks_late, reject_on_worker_lost) takes the "running" report over and renders it.
    """
    claimed = report_claim(report_id)
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            report = (
                Report.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("round__organisation", "round__framework", "round__snapshot")
                .filter(pk=report_id, status=ReportStatus.RUNNING)
                .first()
            )
            return _render(report) if report is not None else None
    if not claimed:
        return None
    return _render(Report.objects.select_related("round__organisation", "round__framework", "round__snapshot").get(pk=report_id))


def _render(report: Report) -> Report | None:
    try:
        started = time.perf_counter()
        data = build_report_data(report.round, report.language)
        html = render_html(data)
        built = time.perf_counter()
        pdf, pages = html_to_pdf(html)
        rendered = time.perf_counter()
    except Exception as error:  # noqa: BLE001 — any failure must end as "failed" with its message, not "running"
        logger.exception("report %s failed", report.pk)
        report_fail(report, f"{type(error).__name__}: {error}")
        return None
    name = f"{report.round.organisation.slug}-{report.round_id}-{report.language}-{report.pk}.pdf"
    report.file.save(name, ContentFile(pdf), save=False)
    report.checksum = hashlib.sha256(pdf).hexdigest()
    report.size, report.pages = len(pdf), pages
    report.content_hash = content_hash(data)
    report.build_ms, report.render_ms = int((built - started) * 1000), int((rendered - built) * 1000)
    report.status, report.finished_at, report.error = ReportStatus.DONE, timezone.now(), ""
    report.save()
    return report


def report_fail(report: Report, message: str) -> None:
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error=message[:2000], finished_at=timezone.now())


def reports_sweep(*, now=None, queryset=None) -> int:
    """Marks reports running for more than 10 minutes as failed (their worker died): they can be retried."""
    now = now or timezone.now()
    qs = queryset if queryset is not None else Report.objects.all()
    return qs.filter(status=ReportStatus.RUNNING, started_at__lt=now - STUCK_AFTER).update(
        status=ReportStatus.FAILED, error="The report took more than 10 minutes and was stopped.", finished_at=now
    )


def report_retry(*, report: Report) -> bool:
    retried = Report.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(status=ReportStatus.PENDING, error="", started_at=None)
    if retried:
        _queue(report)
    return bool(retried)
