"""The periodic relay of outbox rows that could not be sent when they were written."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def outbox_relay() -> int:
    return services.relay_waiting()
