"""Celery tasks of reports: render one, and sweep stuck ones."""

import logging

from celery import shared_task
from django.db import DatabaseError, InterfaceError, connection

from . import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def report_generate(self, report_id: int) -> None:
    """Renders once (claimed by status and a row lock, so a repeated delivery is harmless).

    A database connection cut mid-render (failover, pg_terminate_backend) is not the report's fault:
    the dead connection is dropped and the task runs again, taking the report over; the sweep
    covers a worker that dies outright.
    """
    try:
        services.report_render(report_id)
    except (DatabaseError, InterfaceError) as error:
        logger.warning("report %s: database connection lost mid-render, trying again: %s", report_id, error)
        try:
            connection.close()
        except (DatabaseError, InterfaceError):
            logger.debug("closing the dead connection failed", exc_info=True)
        raise self.retry(exc=error, countdown=1) from error


@shared_task
def reports_sweep() -> int:
    return services.reports_sweep()
