"""A real Celery worker on Redis delivers the round e-mails (required in CI: CXGOV_REQUIRE_SERVICES=1)."""

import pytest
from django.conf import settings
from django.core import mail

from tests.conftest import require_service


@pytest.fixture
def worker(transactional_db, monkeypatch):
    require_service("Redis (REDIS_URL)", bool(settings.REDIS_URL))
    import redis
    from celery.contrib.testing.worker import start_worker

    from cxgov.celery import app

    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # no stale messages from earlier runs
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app


def test_opening_a_round_sends_invitations_through_the_worker(worker, org, framework):
    import time

    from assessments import services

    assert not worker.conf.task_always_eager
    round_ = services.round_create(organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Live")
    services.participant_invite(round_=round_, email="respondent@acme.test", function="cfo")
    services.round_transition(round_=round_, to="open")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not mail.outbox:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["respondent@acme.test"]]
    assert "/r/" in mail.outbox[0].body


def test_pdf_request_render_download_through_the_worker(worker, client_for):
    """Request → Report row → task on Redis → worker claims, renders, stores → download."""
    import time
    from io import StringIO

    from django.core.management import call_command
    from django.urls import reverse

    from accounts.models import User
    from assessments.models import Round
    from reports.models import Report

    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    consultant = client_for(User.objects.get(email="consultant@demo.test"))
    assert consultant.post(reverse("reports:request", args=["demo-retail", round_.pk]), {"language": "fr"}).status_code == 302
    report = Report.objects.get()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in ("done", "failed"):
            break
        time.sleep(0.2)
    assert report.status == "done", report.error
    download = consultant.get(reverse("reports:download", args=["demo-retail", round_.pk, report.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_render_the_report_is_rendered_by_the_redelivery(framework, monkeypatch):
    """A real prefork worker; its pool process is killed while it renders; the task comes back and the report ends done."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from io import StringIO

    import redis
    from django.core.management import call_command
    from django.db import connection

    from assessments.models import Round
    from cxgov.celery import app
    from reports import services

    require_service("Redis (REDIS_URL)", bool(settings.REDIS_URL))
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (DATABASE_URL)", False)
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="cxgov.settings.test",
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cxgov", "worker", "-P", "prefork", "-c", "1", "--without-mingle", "--without-gossip", "-l", "WARNING"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        monkeypatch.setitem(app.conf, "task_always_eager", False)
        report, _ = services.report_request(round_=round_, language="fr", user=None)

        def wait_for(status, seconds):
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                report.refresh_from_db()
                if report.status == status:
                    return True
                time.sleep(0.05)
            return False

        assert wait_for("running", 60), report.status
        children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout.split()
        assert children, "the worker has no pool process"
        from datetime import timedelta

        from django.utils import timezone

        killed_at = timezone.now()
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)
        assert wait_for("done", 90), (report.status, report.error)
        assert report.pages > 15
        # A whole render happened after the kill: the redelivered task did it, not the killed one.
        assert report.finished_at - killed_at > timedelta(seconds=1)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
