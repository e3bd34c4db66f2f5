"""Writes on reports: request (or reuse), claim and render, fail, sweep and retry."""

import hashlib
import logging
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from outbox import services as outbox

from .builders import build_report_data, content_hash
from .models import Report, ReportStatus
from .rendering import html_to_pdf, render_html

STUCK_AFTER = timedelta(minutes=10)
# A running report whose row lock has been free this long has no live worker (see report_render).
ORPHAN_AFTER = timedelta(minutes=1)
# A pending report with no task waiting in the outbox and none queued this long ago was lost on the way.
PENDING_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 3
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
        if existing.status == ReportStatus.PENDING:
            # A pending report is reused only if its render is really on its way: a task still
            # waiting in the outbox is sent again now, one lost on the way is queued afresh.
            if outbox.is_waiting(key=_key(existing)):
                outbox.relay_key(key=_key(existing))
            else:
                reports_sweep(queryset=Report.objects.filter(pk=existing.pk))
        return existing, True
    with transaction.atomic():
        report = Report.objects.create(round=round_, language=language, content_hash=digest, requested_by=user)
        _queue(report)
    return report, False


def _key(report: Report) -> str:
    return f"report:{report.pk}"


def _queue(report: Report) -> None:
    """Records the render in the outbox, in the caller's transaction: sent after commit, or by the relay later."""
    outbox.enqueue("reports.tasks.report_generate", report.pk, key=_key(report))


def report_claim(report_id: int) -> bool:
    """pending → running in one UPDATE: a task delivered twice renders once."""
    return bool(
        Report.objects.filter(pk=report_id, status=ReportStatus.PENDING).update(
            status=ReportStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
        )
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
    """Leaves no report waiting for ever; returns how many it failed or queued again.

    - running for more than 10 minutes: failed (it can be retried by hand);
    - running, on PostgreSQL, with its row lock free for a minute: the worker that rendered it died
      (killed, or its database connection was cut): queued again, up to MAX_ATTEMPTS renders, then failed;
    - pending for more than PENDING_AFTER with no task waiting in the outbox: the task never reached
      a worker (lost by the broker, or the worker died holding it): queued again.
    """
    now = now or timezone.now()
    qs = queryset if queryset is not None else Report.objects.all()
    changed = qs.filter(status=ReportStatus.RUNNING, started_at__lt=now - STUCK_AFTER).update(
        status=ReportStatus.FAILED, error="The report took more than 10 minutes and was stopped.", finished_at=now
    )
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            orphans = list(
                qs.select_for_update(skip_locked=True)
                .filter(status=ReportStatus.RUNNING, started_at__lt=now - ORPHAN_AFTER)
                .order_by("pk")
            )
            for report in orphans:
                if report.attempts >= MAX_ATTEMPTS:
                    report_fail(report, f"The report could not be generated after {report.attempts} attempts.")
                elif not outbox.queued_since(key=_key(report), since=now - ORPHAN_AFTER):
                    logger.warning("report %s: its worker stopped mid-render, queued again", report.pk)
                    Report.objects.filter(pk=report.pk).update(attempts=F("attempts") + 1)
                    _queue(report)
                else:
                    continue
                changed += 1
    for report in qs.filter(status=ReportStatus.PENDING, created_at__lt=now - PENDING_AFTER).order_by("pk"):
        if outbox.is_waiting(key=_key(report)) or outbox.queued_since(key=_key(report), since=now - PENDING_AFTER):
            continue
        logger.warning("report %s: pending with no task on its way, queued again", report.pk)
        _queue(report)
        changed += 1
    return changed


def report_retry(*, report: Report) -> bool:
    with transaction.atomic():
        retried = Report.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
            status=ReportStatus.PENDING, error="", started_at=None, attempts=0
        )
        if retried:
            _queue(report)
    return bool(retried)
