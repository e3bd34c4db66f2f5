"""A render interrupted by the database or by the death of its worker ends done (or failed, retryable), never stuck.

Real PostgreSQL (row locks, pg_terminate_backend) and Redis with real workers.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.conftest import require_service

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_round(framework, monkeypatch):
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    require_service("Redis (REDIS_URL)", bool(settings.REDIS_URL))
    import redis

    from assessments.models import Round
    from cxgov.celery import app

    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # no stale messages from earlier runs
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    call_command("seed_demo", stdout=StringIO())
    return Round.objects.get(organisation__slug="demo-retail")


def wait_for(report, statuses, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in statuses:
            return True
        time.sleep(0.05)
    return False


def terminate_other_backends() -> int:
    """Cuts every connection to the test database but this test's own (what a failover or an admin does)."""
    db = connection.settings_dict
    connection.ensure_connection()
    own = connection.connection.info.backend_pid
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s AND pid NOT IN (pg_backend_pid(), %s)",
            [db["NAME"], own],
        ).fetchone()[0]


def test_database_connection_cut_mid_render_the_report_is_retried_to_done(demo_round):
    from celery.contrib.testing.worker import start_worker

    from cxgov.celery import app
    from reports import services

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        report, _ = services.report_request(round_=demo_round, language="fr", user=None)
        assert wait_for(report, {"running"}, 60), report.status
        cut_at = timezone.now()
        assert terminate_other_backends() >= 1  # the worker's connection, holding the report's row lock
        assert wait_for(report, {"done", "failed"}, 120), report.status
    assert report.status == "done", report.error
    assert report.pages > 15 and report.finished_at > cut_at


def test_worker_main_process_killed_mid_render_the_sweep_requeues_and_the_report_ends_done(demo_round):
    from celery.contrib.testing.worker import start_worker

    from cxgov.celery import app
    from reports import services

    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="cxgov.settings.test",
    )
    # Its own session: the whole worker (main process and pool) dies at once, as in an OOM kill.
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cxgov",
            "worker",
            "-P",
            "prefork",
            "-c",
            "1",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        report, _ = services.report_request(round_=demo_round, language="fr", user=None)
        assert wait_for(report, {"running"}, 60), report.status
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    killed_at = timezone.now()
    # Its message is unacknowledged in Redis (redelivered only after the visibility timeout, an
    # hour): the sweep sees the report's row lock free, so no worker renders it, and queues it again.
    deadline = time.monotonic() + 15
    while not services.reports_sweep(now=timezone.now() + timedelta(minutes=2)):
        assert time.monotonic() < deadline, "the sweep never took the orphaned report over"
        time.sleep(0.2)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert wait_for(report, {"done", "failed"}, 120), report.status
    assert report.status == "done", report.error
    assert report.finished_at > killed_at and report.attempts == 2


def test_the_sweep_leaves_a_live_render_alone_and_fails_a_report_after_its_last_attempt(demo_round):
    """The row lock tells a live render (locked) from an orphan (free); orphans get MAX_ATTEMPTS renders in all."""
    from outbox.models import OutboxMessage
    from reports import services
    from reports.models import Report

    started = timezone.now() - timedelta(minutes=3)
    live = Report.objects.create(
        round=demo_round, language="fr", content_hash="a", status="running", started_at=started, attempts=1
    )
    spent = Report.objects.create(
        round=demo_round, language="en", content_hash="b", status="running", started_at=started, attempts=services.MAX_ATTEMPTS
    )
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]) as renderer:
        renderer.execute("SELECT id FROM reports_report WHERE id = %s FOR UPDATE", [live.pk])  # a worker mid-render
        assert services.reports_sweep() == 1
    live.refresh_from_db()
    spent.refresh_from_db()
    assert live.status == "running" and not OutboxMessage.objects.filter(key=f"report:{live.pk}").exists()
    assert spent.status == "failed" and "3 attempts" in spent.error
