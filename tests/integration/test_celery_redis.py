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
