"""Redis down: every page that enqueues answers fast, the work waits in the outbox, and goes out when Redis is back.

Needs real PostgreSQL and Redis (CXGOV_REQUIRE_SERVICES=1 in CI). The outage is played on a
redis-server this module starts for itself (never the shared one) and on a closed port.
"""

import os
import shutil
import socket
import subprocess
import time
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from tests.conftest import require_service

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

OWN_PORT = int(os.environ.get("CXGOV_TEST_OWN_REDIS_PORT", "6395"))
FAST = 2.0  # seconds: what a page may take while the broker is unreachable


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class OwnRedis:
    """A redis-server on its own port, started and stopped by the test (no persistence)."""

    def __init__(self, port: int):
        self.port, self.process = port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _port_open(self.port):
            assert time.monotonic() < deadline, "own redis-server did not start"
            time.sleep(0.05)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis():
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    require_service("Redis (REDIS_URL)", bool(settings.REDIS_URL))
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed to play a Redis outage")
    if _port_open(OWN_PORT):
        pytest.fail(f"port {OWN_PORT} is taken: set CXGOV_TEST_OWN_REDIS_PORT")
    import redis as redis_client

    redis_client.Redis.from_url(settings.REDIS_URL).flushdb()  # this run's index: no throttle counts from earlier runs
    redis = OwnRedis(OWN_PORT)
    yield redis
    redis.stop()


def point_celery_at(app, url: str) -> None:
    """Broker and result backend on `url`; pooled connections and the cached backend are dropped."""
    app.conf.broker_url = url
    app.conf.result_backend = url
    app._pool, app.amqp._producer_pool = None, None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def celery_app(monkeypatch):
    from cxgov.celery import app
    from outbox import services as outbox

    saved = (app.conf.broker_url, app.conf.result_backend)
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(outbox._breaker, "down_until", 0.0)
    yield app
    point_celery_at(app, saved[0])
    app.conf.result_backend = saved[1]


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def play_outage(client_for):
    """Every action that enqueues, made while the broker is unreachable; returns what must be sent later."""
    from accounts.models import User
    from assessments import services as assessments
    from assessments.models import Round
    from reports.models import Report

    call_command("seed_demo", stdout=StringIO())
    closed = Round.objects.get(organisation__slug="demo-retail")
    consultant = english(User.objects.get(email="consultant@demo.test"))
    facilitator = client_for(consultant)
    draft = assessments.round_create(
        organisation=closed.organisation, user=consultant, framework=closed.framework, title="Outage"
    )
    for n in (1, 2):
        assessments.participant_invite(round_=draft, email=f"outage{n}@demo.test", function="cfo")
    mail.outbox.clear()
    # Warm up (templates, translations, URL resolver) so the timings below measure the outage, not a cold start.
    for url in (
        reverse("reports:list", args=["demo-retail", closed.pk]),
        reverse("organisations:members", args=["demo-retail"]),
        reverse("assessments:round", args=["demo-retail", draft.pk]),
    ):
        assert facilitator.get(url).status_code == 200
    assert client_for(None).get(reverse("assessments:new_link")).status_code == 200
    anonymous = client_for(None)

    def answer(client, url, data):
        """The POST is timed (it is what hung for 19 s); the page it redirects to shows the message."""
        started = time.monotonic()
        response = client.post(url, data)
        seconds = time.monotonic() - started
        assert response.status_code == 302, (url, response.status_code)
        return client.get(response.url), seconds

    answers = {
        "pdf": answer(facilitator, reverse("reports:request", args=["demo-retail", closed.pk]), {"language": "fr"}),
        "invitation": answer(
            facilitator,
            reverse("organisations:members", args=["demo-retail"]),
            {"email": "newcomer@demo.test", "role": "respondent"},
        ),
        "open": answer(facilitator, reverse("assessments:round_transition", args=["demo-retail", draft.pk]), {"to": "open"}),
        "remind": answer(facilitator, reverse("assessments:round_remind", args=["demo-retail", draft.pk]), {}),
        "new_link": answer(anonymous, reverse("assessments:new_link"), {"email": "outage1@demo.test"}),
    }
    for name, (response, seconds) in answers.items():
        page = response.content.decode()
        assert response.status_code == 200, (name, response.status_code)
        assert seconds < FAST, f"{name} took {seconds:.1f} s with the broker down"
        if name == "pdf":
            assert "your report will be generated as soon as it is back" in page
        elif name == "new_link":
            # The anonymous page says the same whatever happens (it never tells if an address is known).
            assert "un nouveau lien vient de" in page
        else:
            assert "the e-mails will go out as soon as it is back" in page, name
    draft.refresh_from_db()
    assert draft.status == "open"
    report = Report.objects.get(round=closed)
    assert report.status == "pending"
    return report


def assert_waiting_in_outbox(report):
    from outbox.models import OutboxMessage

    waiting = list(OutboxMessage.objects.filter(sent_at__isnull=True).values_list("task", flat=True))
    assert sorted(set(waiting)) == [
        "assessments.tasks.send_participant_link",
        "assessments.tasks.send_round_invitations",
        "organisations.tasks.send_member_invitation",
        "reports.tasks.report_generate",
    ]
    assert waiting.count("assessments.tasks.send_participant_link") == 3  # two reminders and one new link
    assert OutboxMessage.objects.filter(key=f"report:{report.pk}", sent_at__isnull=True).exists()
    assert all(m.last_error for m in OutboxMessage.objects.filter(sent_at__isnull=True))


def assert_everything_goes_out_when_redis_returns(app, report):
    from celery.contrib.testing.worker import start_worker

    from outbox.models import OutboxMessage
    from outbox.services import relay_waiting

    assert relay_waiting() == 6
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        wanted = {"newcomer@demo.test", "outage1@demo.test", "outage2@demo.test"}
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.status in ("done", "failed") and wanted <= {to for m in mail.outbox for to in m.to}:
                break
            time.sleep(0.2)
    assert report.status == "done", report.error
    recipients = sorted(to for m in mail.outbox for to in m.to)
    # The member invitation once; each participant their link (the round invitation skips whoever
    # a reminder or a new link has already reached, so their count depends on the worker's order).
    assert recipients.count("newcomer@demo.test") == 1
    assert recipients.count("outage1@demo.test") >= 1 and recipients.count("outage2@demo.test") >= 1
    assert all("/r/" in m.body for m in mail.outbox if m.to != ["newcomer@demo.test"])


def test_redis_on_a_closed_port_every_page_answers_fast_and_the_work_waits(own_redis, celery_app, client_for):
    point_celery_at(celery_app, "redis://127.0.0.1:1/0")
    report = play_outage(client_for)
    assert_waiting_in_outbox(report)
    own_redis.start()
    point_celery_at(celery_app, own_redis.url)
    assert_everything_goes_out_when_redis_returns(celery_app, report)


def test_redis_stopped_every_page_answers_fast_and_everything_goes_out_once_restarted(own_redis, celery_app, client_for):
    own_redis.start()
    point_celery_at(celery_app, own_redis.url)
    with celery_app.producer_or_acquire() as producer:  # a pooled connection that Redis then drops
        producer.connection.ensure_connection(max_retries=1)
    own_redis.stop()
    report = play_outage(client_for)
    assert_waiting_in_outbox(report)
    own_redis.start()
    assert_everything_goes_out_when_redis_returns(celery_app, report)
