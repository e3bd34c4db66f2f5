"""Celery tasks of reports: render one, and sweep stuck ones."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_generate(report_id: int) -> None:
    services.report_render(report_id)


@shared_task
def reports_sweep() -> int:
    return services.reports_sweep()
