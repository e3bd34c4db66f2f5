"""The outbox's rules, without a broker: rows with the change, relay after commit, backlog and sweep."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from outbox import services as outbox
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker(monkeypatch):
    """A broker that can be switched off: publishes are recorded, or refused like a closed port."""
    from cxgov.celery import app
    from organisations import tasks

    state = {"up": True, "published": []}

    def apply_async(args=None, kwargs=None, **options):
        if not state["up"]:
            raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
        state["published"].append(tuple(args))

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks.send_member_invitation, "apply_async", apply_async)
    monkeypatch.setitem(outbox._breaker, "down_until", 0.0)
    return state


def invite(org, email):
    from organisations.services import member_invite

    return member_invite(
        organisation=org, invited_by=org.members_by_role["facilitator"], email=email, role="respondent"
    ).invitation


def test_eager_mode_runs_the_task_inline_and_marks_the_row_sent(org):
    invitation = invite(org, "new@acme.test")
    assert [m.to for m in mail.outbox] == [["new@acme.test"]]
    message = OutboxMessage.objects.get()
    assert message.args == [invitation.pk] and message.sent_at is not None


def test_nothing_is_sent_or_kept_when_the_change_rolls_back(org, broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        invite(org, "new@acme.test")
        raise RuntimeError
    assert broker["published"] == [] and not OutboxMessage.objects.exists()


def test_a_refused_publish_keeps_the_row_and_the_next_successful_enqueue_relays_it(org, broker):
    broker["up"] = False
    with outbox.track() as queue:
        first = invite(org, "first@acme.test")
    assert (queue.sent, queue.deferred) == (0, 1)
    waiting = OutboxMessage.objects.get()
    assert waiting.sent_at is None and "Connection refused" in waiting.last_error and waiting.attempts == 1
    # While the breaker is open the broker is not tried again: the page stays fast.
    with outbox.track() as queue:
        invite(org, "second@acme.test")
    assert queue.deferred == 1 and OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2
    broker["up"] = True
    outbox._breaker["down_until"] = 0.0
    with outbox.track() as queue:
        third = invite(org, "third@acme.test")
    assert queue.deferred == 0
    assert broker["published"][0] == (third.pk,) and (first.pk,) in broker["published"]
    assert len(broker["published"]) == 3 and not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_the_sweep_relays_waiting_rows_and_stops_at_the_first_refusal(org, broker):
    broker["up"] = False
    invite(org, "a@acme.test")
    outbox._breaker["down_until"] = 0.0
    invite(org, "b@acme.test")
    assert outbox.relay_waiting() == 0  # still down: nothing sent, nothing lost
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2
    broker["up"] = True
    out = StringIO()
    call_command("relay_outbox", stdout=out)
    assert "2 message(s) sent, 0 still waiting" in out.getvalue()
    assert outbox.relay_waiting() == 0 and len(broker["published"]) == 2  # a relayed row is not sent again


def test_a_row_held_by_a_live_relay_is_not_sent_twice(org, broker):
    broker["up"] = False
    invite(org, "a@acme.test")
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(leased_until=timezone.now() + timedelta(seconds=30))
    broker["up"] = True
    assert outbox.relay(message) is None and broker["published"] == []
    OutboxMessage.objects.filter(pk=message.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    assert outbox.relay(message) is True and broker["published"] == [(message.args[0],)]


@pytest.fixture
def demo(framework):
    from assessments.models import Round

    call_command("seed_demo", stdout=StringIO())
    return Round.objects.get(organisation__slug="demo-retail")


def test_a_pending_report_whose_task_was_lost_is_queued_again_by_the_sweep_and_rendered(demo):
    """The task reached the broker but never a worker (Redis restarted without persistence)."""
    from reports import services
    from reports.builders import build_report_data, content_hash
    from reports.models import Report

    digest = content_hash(build_report_data(demo, "fr"))
    report = Report.objects.create(round=demo, language="fr", content_hash=digest)
    OutboxMessage.objects.create(
        task="reports.tasks.report_generate", args=[report.pk], key=f"report:{report.pk}", sent_at=timezone.now()
    )
    later = timezone.now() + timedelta(minutes=6)
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=6))
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    assert services.reports_sweep(now=later) == 1  # eager here: rendered inline
    report.refresh_from_db()
    assert report.status == "done" and report.pages > 15


def test_a_pending_report_still_waiting_in_the_outbox_is_relayed_when_requested_again(demo, monkeypatch):
    from cxgov.celery import app
    from reports import services, tasks
    from reports.models import Report

    calls = []
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(outbox._breaker, "down_until", 0.0)

    def refused(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(tasks.report_generate, "apply_async", refused)
    report, reused = services.report_request(round_=demo, language="fr", user=None)
    assert not reused and outbox.is_waiting(key=f"report:{report.pk}")
    monkeypatch.setattr(tasks.report_generate, "apply_async", lambda args=None, kwargs=None, **options: calls.append(args))
    outbox._breaker["down_until"] = 0.0
    again, reused = services.report_request(round_=demo, language="fr", user=None)
    assert reused and again.pk == report.pk and calls == [[report.pk]]
    assert not outbox.is_waiting(key=f"report:{report.pk}")
    assert Report.objects.count() == 1


def test_a_row_relayed_twice_sends_its_e_mail_once(org, open_round):
    """A relay that died after publishing but before recording it leaves the row to be relayed again."""
    from assessments.services import participant_send_link

    invite(org, "new@acme.test")
    participant = open_round.participants.first()
    mail.outbox.clear()
    participant_send_link(participant_id=participant.pk)
    assert len(mail.outbox) == 1
    for message in OutboxMessage.objects.all():
        assert message.done_at is not None
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None)  # as if never recorded as sent
    assert outbox.relay_waiting() == 2
    assert len(mail.outbox) == 1


def test_the_sweep_deletes_rows_sent_more_than_a_week_ago(org):
    invite(org, "old@acme.test")
    invite(org, "recent@acme.test")
    old = OutboxMessage.objects.order_by("pk").first()
    OutboxMessage.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=8))
    outbox.relay_waiting()
    assert not OutboxMessage.objects.filter(pk=old.pk).exists() and OutboxMessage.objects.count() == 1


def test_forwarding_a_question_while_the_broker_is_down_says_so_and_keeps_the_e_mail(org, open_round, client_for, monkeypatch):
    from assessments import tasks
    from cxgov.celery import app

    def refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(outbox._breaker, "down_until", 0.0)
    monkeypatch.setattr(tasks.send_delegation, "apply_async", refused)
    respondent = org.members_by_role["respondent"]
    respondent.language = "en"
    respondent.save(update_fields=["language"])
    url = reverse("assessments:delegation_create", args=[org.slug, open_round.pk, "D1.2"])
    response = client_for(respondent).post(
        url, {"delegate_name": "Alice Martin", "delegate_email": "alice@partner.test"}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "has been forwarded to Alice Martin" in page and "the e-mails will go out as soon as it is back" in page
    assert OutboxMessage.objects.get(task="assessments.tasks.send_delegation", sent_at__isnull=True)
