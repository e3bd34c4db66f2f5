"""Writes on the outbox: record a task with the change, relay it after commit, relay again what was left.

A task is never published from inside a transaction: the row is written with the change (so the
work exists exactly when the change does) and relayed to the broker once the transaction commits.
If the broker cannot be reached the publish fails within about a second, the row stays, and the
caller is told (``track()``) so the page can say the work is queued. Rows left behind are relayed
by the periodic sweep (``outbox.tasks.outbox_relay``, ``manage.py relay_outbox``) and by the next
enqueue that reaches the broker. The tasks are idempotent, so a row relayed twice does no harm.
"""

import importlib
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# A relay holds its row this long; a process that died mid-relay leaves the row to the next sweep.
LEASE = timedelta(seconds=60)
# After a failed publish, new messages of this process wait for the sweep instead of trying the
# broker again at once: a request that enqueues many messages (reminders) stays fast.
PAUSE_AFTER_FAILURE = 5.0
BACKLOG_BATCH = 50
# Sent rows are kept this long (what was sent when, for an operator), then deleted by the sweep;
# far longer than any redelivery (the Redis visibility timeout is an hour).
KEEP_SENT = timedelta(days=7)

_breaker = {"down_until": 0.0}
_tracking = threading.local()


@dataclass
class Tracker:
    """What became of the messages enqueued inside ``track()``."""

    sent: int = 0
    deferred: int = 0


@contextmanager
def track():
    """Counts the messages enqueued in the block that reached the broker and those kept for later."""
    previous = getattr(_tracking, "tracker", None)
    tracker = Tracker()
    _tracking.tracker = tracker
    try:
        yield tracker
    finally:
        _tracking.tracker = previous


def enqueue(task: str, *args, key: str = "", **kwargs) -> OutboxMessage:
    """Records `task(*args, **kwargs)` in the current transaction; it is relayed once that commits."""
    message = OutboxMessage.objects.create(task=task, args=list(args), kwargs=kwargs, key=key)
    tracker = getattr(_tracking, "tracker", None)
    if _outside_transaction():
        _after_commit(message, tracker)
    else:
        transaction.on_commit(lambda: _after_commit(message, tracker))
    return message


def _outside_transaction() -> bool:
    """Autocommit: the row is already committed, so it is relayed now (what on_commit would do).

    The transaction a test case wraps around each test counts as none, so that a test sees the
    same thing as a real request made outside any service transaction.
    """
    # Django's Atomic sets _from_testcase in __init__ (TestCase marks its own blocks); django-stubs omits it.
    return all(block._from_testcase for block in connection.atomic_blocks)  # type: ignore[attr-defined]


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def _after_commit(message: OutboxMessage, tracker: Tracker | None) -> None:
    if not _eager() and time.monotonic() < _breaker["down_until"]:
        logger.warning("outbox: broker unavailable, message %s (%s) kept for the next relay", message.pk, message.task)
        OutboxMessage.objects.filter(pk=message.pk).update(last_error="Not tried: the broker refused a publish a moment ago.")
        outcome: bool | None = False
    else:
        outcome = relay(message)
    if tracker is not None:
        if outcome is False:
            tracker.deferred += 1
        else:
            tracker.sent += 1
    if outcome and not _eager():
        # The broker is back: what earlier requests could not send goes now.
        _relay_backlog(limit=BACKLOG_BATCH)


def relay(message: OutboxMessage) -> bool | None:
    """Publishes one row: True when sent, False when the broker refused, None when another relay has it."""
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .update(leased_until=now + LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    task = _task(message.task)
    if _eager():
        # Inline (no broker): marked first so a task that raises is not run again by a sweep,
        # and its exception reaches the caller as it would without the outbox.
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), leased_until=None)
        task.apply_async(*_call(task, message), ignore_result=True)
        return True
    try:
        task.apply_async(*_call(task, message), ignore_result=True, retry=False)
    except Exception as error:  # noqa: BLE001 — whatever stops the publish, the row stays for the next relay
        _breaker["down_until"] = time.monotonic() + PAUSE_AFTER_FAILURE
        OutboxMessage.objects.filter(pk=message.pk).update(
            leased_until=None, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.warning(
            "outbox: could not send %s (%s) to the broker, kept for the next relay: %s", message.pk, message.task, error
        )
        return False
    _breaker["down_until"] = 0.0
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), leased_until=None, last_error="")
    return True


def once(func):
    """Marks a task run at most once per outbox row: a row relayed twice (a relay that died after
    publishing, before recording it) is delivered twice but acts once.

    The relay passes the row's id as `outbox_id`; the task checks it has not run for that row,
    and records that it has once it succeeds (so a failed run can still be retried). A direct call,
    without `outbox_id`, simply runs.
    """

    def run(*args, outbox_id=None, **kwargs):
        if outbox_id is not None and OutboxMessage.objects.filter(pk=outbox_id, done_at__isnull=False).exists():
            logger.info("outbox: message %s already done, second delivery ignored", outbox_id)
            return None
        result = func(*args, **kwargs)
        if outbox_id is not None:
            OutboxMessage.objects.filter(pk=outbox_id).update(done_at=timezone.now())
        return result

    # Not functools.wraps: Celery must see this signature (with outbox_id), not the wrapped one.
    run.__name__, run.__qualname__, run.__module__, run.__doc__ = func.__name__, func.__qualname__, func.__module__, func.__doc__
    run.outbox_once = True  # type: ignore[attr-defined]  # a marker on the function object, read back by _call
    return run


def _call(task, message: OutboxMessage) -> tuple[list, dict]:
    kwargs = dict(message.kwargs)
    if getattr(task.run, "outbox_once", False):
        kwargs["outbox_id"] = message.pk
    return message.args, kwargs


def _task(name: str):
    """The registered task; its module is imported by name (the web process has not autodiscovered it)."""
    if name not in current_app.tasks:
        importlib.import_module(name.rsplit(".", 1)[0])
    return current_app.tasks[name]


def waiting() -> QuerySet:
    return OutboxMessage.objects.filter(sent_at__isnull=True)


def _relay_backlog(*, limit: int) -> int:
    sent = 0
    now = timezone.now()
    for message in waiting().filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now)).order_by("pk")[:limit]:
        outcome = relay(message)
        if outcome is False:
            break  # the broker is gone again: the rest waits for the sweep
        sent += bool(outcome)
    return sent


def relay_waiting(*, limit: int = 1000) -> int:
    """The sweep: relays rows that were not sent (broker down, process died); stops at the first refusal."""
    OutboxMessage.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    sent = _relay_backlog(limit=limit)
    left = waiting().count()
    if sent or left:
        logger.warning("outbox: relayed %d waiting message(s), %d still waiting", sent, left)
    return sent


def is_waiting(*, key: str) -> bool:
    """Whether work about `key` is recorded but has not reached the broker yet."""
    return waiting().filter(key=key).exists()


def queued_since(*, key: str, since) -> bool:
    """Whether work about `key` was recorded at or after `since` (sent or not)."""
    return OutboxMessage.objects.filter(key=key, created_at__gte=since).exists()


def relay_key(*, key: str) -> bool:
    """Tries again the waiting messages about `key`; True when none is left waiting."""
    return all(relay(message) is not False for message in waiting().filter(key=key).order_by("pk"))
