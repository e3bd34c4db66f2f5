"""Faults survived: database connections cut under the application (PostgreSQL)."""

import psycopg
import pytest
from django.db import close_old_connections, connection

from tests.conftest import require_service


@pytest.mark.django_db(transaction=True)
def test_cut_database_connections_do_not_break_the_next_request(org, client_for):
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (DATABASE_URL)", False)
    client = client_for(org.members_by_role["facilitator"])
    assert client.get(f"/o/{org.slug}/").status_code == 200
    settings = connection.settings_dict
    # Another session kills every backend of the test database, ours included.
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [settings["NAME"]],
        ).fetchone()[0]
    assert killed >= 1
    # What Django's request handler does as each request starts (the test client skips it): with
    # CONN_HEALTH_CHECKS the dead persistent connection is found unusable, closed, and reopened.
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        connection.health_check_done = False
        close_old_connections()
        assert client.get(f"/o/{org.slug}/").status_code == 200
        assert client.get(f"/o/{org.slug}/members/").status_code == 200
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = max_age


@pytest.mark.django_db(transaction=True)
def test_redis_unreachable_when_requesting_a_pdf(framework, client_for, monkeypatch):
    """A broker URL on a closed port: a clear message, no 500, nothing lost, and a retry works once it is back."""
    from io import StringIO

    from django.core.management import call_command
    from django.urls import reverse

    from accounts.models import User
    from assessments.models import Round
    from cxgov.celery import app
    from reports.models import Report

    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    User.objects.filter(email="consultant@demo.test").update(language="en")
    consultant = client_for(User.objects.get(email="consultant@demo.test"))
    pool, producers = app._pool, app.amqp._producer_pool
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(app.conf, "broker_connection_timeout", 1)
    monkeypatch.setitem(
        app.conf, "task_publish_retry_policy", {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
    )
    # Connections and producers are pooled: drop both pools so the closed port is really used.
    app._pool, app.amqp._producer_pool = None, None
    try:
        response = consultant.post(reverse("reports:request", args=["demo-retail", round_.pk]), {"language": "fr"}, follow=True)
    finally:
        app._pool, app.amqp._producer_pool = pool, producers
    assert response.status_code == 200
    assert "your report will be generated as soon as it is back" in response.content.decode()
    report = Report.objects.get()
    # The render waits in the outbox; the relay sends it once the broker is back (inline here).
    assert report.status == "pending"
    monkeypatch.undo()
    from outbox.services import relay_waiting

    assert relay_waiting() == 1
    assert Report.objects.get(pk=report.pk).status == "done"
